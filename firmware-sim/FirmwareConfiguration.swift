// Settings of every line of the control electronics: AWG (rate, DAC, bandwidth), latency and skew,
// flux distortion and its pre-distortion, and the crosstalk between lines.
import WukongDevice
import WukongPulses

/// Settings of one physical output line.
public struct LineSettings: Sendable, Equatable {
    /// The line's DAC and analog chain. Its `intermediateFrequencyGHz` is unused here: each channel's
    /// starting NCO frequency is in `FirmwareConfiguration.initialFrequencyGHz`.
    public var awg: AWGChannelConfig = AWGChannelConfig()
    /// Fixed latency of the line from sequencer time to the chip, ns; a whole number of samples.
    public var latencyNs: Double = 0
    /// Per-line skew added to the latency, ns; a whole number of samples (may be negative if the
    /// total latency + skew stays ≥ 0).
    public var skewNs: Double = 0
    /// The flux line's linear distortion (flux lines only), applied after the DAC.
    public var distortion: FluxDistortion? = nil
    /// The distortion model the firmware believes (e.g. from calibration) and inverts digitally
    /// before the DAC; nil for no pre-distortion.
    public var predistortion: FluxDistortion? = nil

    public init() {}

    /// Total delay in samples at the line's rate.
    /// - Throws: `FirmwareError.invalidSetting` unless latency + skew is a whole, non-negative number of samples.
    public func delaySamples(line: LineID) throws(FirmwareError) -> Int {
        let exact = (latencyNs + skewNs) * awg.sampleRateGSps
        let rounded = exact.rounded()
        guard abs(exact - rounded) <= wholeSampleTolerance * max(1, abs(exact)), rounded >= 0 else {
            throw .invalidSetting("\(line): latency + skew = \(latencyNs + skewNs) ns is not a whole, non-negative number of samples at \(awg.sampleRateGSps) GS/s")
        }
        return Int(rounded)
    }
}

/// Durations in ns built from decimal values carry relative rounding of ~1e-15; 1e-9 accepts
/// those and rejects any real fraction of a sample.
let wholeSampleTolerance = 1e-9

/// A sparse, linear crosstalk map between lines: line `target` receives `coefficient` × the signal
/// of line `source` on top of its own (y_t = x_t + Σ_s c_{st} x_s, amplitudes, not powers).
///
/// Lines share one local-oscillator frame per kind, so a leaked complex signal keeps its samples;
/// a per-line LO offset would shift the leaked tone and is not modelled.
public struct CrosstalkMatrix: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let source: LineID
        public let target: LineID
        /// Amplitude ratio (dimensionless).
        public let coefficient: Double
        public init(source: LineID, target: LineID, coefficient: Double) {
            precondition(source != target, "crosstalk of a line onto itself is its own gain")
            precondition(coefficient.isFinite, "crosstalk coefficient must be finite")
            self.source = source
            self.target = target
            self.coefficient = coefficient
        }
    }

    public var entries: [Entry]
    public init(entries: [Entry] = []) { self.entries = entries }

    public static let none = CrosstalkMatrix()

    /// Amplitude ratio of a level in dB: 10^(dB/20); −30 dB → 0.0316.
    public static func amplitudeRatio(dB: Double) -> Double { Double.pow(10, dB / 20) }

    /// Each qubit's XY line leaks into its grid neighbours' XY lines at `levelDB` (default −30 dB).
    public static func xyNeighbours(_ wiring: WiringMap, levelDB: Double = -30) -> CrosstalkMatrix {
        let c = amplitudeRatio(dB: levelDB)
        var entries = [Entry]()
        for q in wiring.topology.qubits {
            for n in wiring.topology.neighbours(of: q) {
                entries.append(Entry(source: wiring.line(of: wiring.driveChannel(q)),
                                     target: wiring.line(of: wiring.driveChannel(n)), coefficient: c))
            }
        }
        return CrosstalkMatrix(entries: entries)
    }

    /// Flux crosstalk: each qubit's Z line leaks into its grid neighbours' Z lines, and each coupler's
    /// Z line into its two qubits' Z lines, at amplitude ratio `fraction` (default 0.005, −46 dB,
    /// a small residual after a typical DC crosstalk-matrix correction).
    public static func fluxNeighbours(_ wiring: WiringMap, fraction: Double = 0.005) -> CrosstalkMatrix {
        var entries = [Entry]()
        let topo = wiring.topology
        for q in topo.qubits {
            for n in topo.neighbours(of: q) {
                entries.append(Entry(source: wiring.line(of: wiring.fluxChannel(q)),
                                     target: wiring.line(of: wiring.fluxChannel(n)), coefficient: fraction))
            }
        }
        for e in topo.couplers {
            for q in [e.low, e.high] {
                entries.append(Entry(source: wiring.line(of: wiring.fluxChannel(e.coupler)),
                                     target: wiring.line(of: wiring.fluxChannel(q)), coefficient: fraction))
            }
        }
        return CrosstalkMatrix(entries: entries)
    }

    /// Entries grouped by target line.
    func sourcesByTarget() -> [LineID: [(LineID, Double)]] {
        var result = [LineID: [(LineID, Double)]]()
        for e in entries { result[e.target, default: []].append((e.source, e.coefficient)) }
        return result
    }
}

/// The whole control-electronics configuration for one wiring map.
public struct FirmwareConfiguration: Sendable, Equatable {
    public let wiring: WiringMap
    /// Settings per line, indexed by `LineID.rawValue`. All lines share one sample rate.
    public var lines: [LineSettings]
    /// Starting NCO frequency of each channel, GHz, indexed by `ChannelID.rawValue`.
    public var initialFrequencyGHz: [Double]
    /// XY (and readout) crosstalk; default −30 dB to grid neighbours.
    public var xyCrosstalk: CrosstalkMatrix
    /// Flux crosstalk; default 0.005 to neighbours.
    public var fluxCrosstalk: CrosstalkMatrix

    /// Default settings: 2 GS/s, 14-bit AWGs, no latency, no distortion, NCOs at 0 GHz, default crosstalk.
    public init(wiring: WiringMap) {
        self.wiring = wiring
        lines = Array(repeating: LineSettings(), count: wiring.lineCount)
        initialFrequencyGHz = Array(repeating: 0, count: wiring.channelCount)
        xyCrosstalk = .xyNeighbours(wiring)
        fluxCrosstalk = .fluxNeighbours(wiring)
    }

    /// The common sample rate of all lines, GS/s.
    public var sampleRateGSps: Double { lines.first?.awg.sampleRateGSps ?? defaultSampleRateGHz }

    /// Sets each readout tone's NCO to its resonator's IF, f_readout − f_LO, from a calibration
    /// snapshot and one LO frequency per feedline (GHz).
    public mutating func setReadoutIntermediateFrequencies(from snapshot: CalibrationSnapshot, loGHz: [FeedlineID: Double]) {
        for q in wiring.topology.qubits {
            guard let lo = loGHz[wiring.feedline(of: q)] else { continue }
            initialFrequencyGHz[wiring.readoutChannel(q).rawValue] = snapshot.value(.readoutFrequency, q) - lo
        }
    }

    /// Checks every line's settings and that all lines share one sample rate.
    public func validate() throws(FirmwareError) {
        for (k, settings) in lines.enumerated() {
            let line = LineID(k)
            do { try settings.awg.validate() } catch { throw .invalidSetting("\(wiring.role(of: line)): \(error)") }
            guard settings.awg.sampleRateGSps == sampleRateGSps else {
                throw .invalidSetting("\(wiring.role(of: line)): sample rate \(settings.awg.sampleRateGSps) GS/s differs from the common \(sampleRateGSps) GS/s")
            }
            _ = try settings.delaySamples(line: line)
            if !wiring.role(of: line).isFlux, settings.distortion != nil || settings.predistortion != nil {
                throw .invalidSetting("\(wiring.role(of: line)): distortion applies to flux lines only")
            }
        }
        for f in initialFrequencyGHz.indices where !(abs(initialFrequencyGHz[f]) < sampleRateGSps / 2) {
            throw .invalidSetting("\(wiring.role(of: ChannelID(f))): NCO frequency \(initialFrequencyGHz[f]) GHz is beyond Nyquist")
        }
    }
}
