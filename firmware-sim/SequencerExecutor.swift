// The executor: channel programs + a waveform table → sampled waveforms per physical line on the
// common time grid, through latency/skew, NCO, pre-distortion, DAC, analog bandwidth, flux
// distortion and crosstalk, in the order the hardware applies them.
import Numerics
import WukongPulses

/// Options of one execution.
public struct ExecutorOptions: Sendable, Equatable {
    public var limits = SequencerLimits()
    /// Extra zeros rendered after the last event, ns (lets filters and flux settling ring out).
    public var tailNs: Double = 0
    public init() {}
}

/// One physical line after execution. All arrays have `ExecutionResult.sampleCount` samples on the
/// grid t_k = (k + ½)/fs, k = 0..<N, in the NCO convention (a tone at IF f is e^{+2πi f t}; the
/// emulator's drive envelope is the complex conjugate, ARCHITECTURE invariant 5).
public struct LineWaveform: Sendable, Equatable {
    public let line: LineID
    public let role: LineRole
    /// The line's own digital signal before the DAC: delayed, modulated, pre-distorted, × full scale.
    public let digital: [Complex<Double>]
    /// `digital` plus the crosstalk of the other lines' digital signals: the line with an ideal
    /// DAC and analog chain, which isolates the crosstalk levels.
    public let ideal: [Complex<Double>]
    /// What reaches the chip: quantized and clipped, band-limited, distorted (flux), plus crosstalk.
    public let output: [Complex<Double>]
    /// I or Q values clipped at full scale.
    public let clippedValues: Int
}

/// Everything an execution produced.
public struct ExecutionResult: Sendable {
    public let sampleRateGSps: Double
    /// Samples on every line.
    public let sampleCount: Int
    /// Lines that carry a program or receive crosstalk; every other line is zero.
    public let lines: [LineID: LineWaveform]
    /// The sequencer-time view of every channel that had a program.
    public let timelines: [ChannelTimeline]
    /// Acquisition windows on the chip's time axis, sorted by start time then qubit.
    public let acquisitions: [AcquisitionWindow]

    /// The grid's sample times, ns.
    public var timesNs: [Double] { sampleTimesNs(count: sampleCount, sampleRateGHz: sampleRateGSps) }
    /// The chip-side samples of a line (zeros for an idle line).
    public func output(_ line: LineID) -> [Complex<Double>] {
        lines[line]?.output ?? Array(repeating: .zero, count: sampleCount)
    }
}

/// Turns channel programs into sampled line waveforms.
public struct SequencerExecutor: Sendable {
    public let configuration: FirmwareConfiguration
    public var options: ExecutorOptions

    /// - Throws: `FirmwareError.invalidSetting` if the configuration does not validate.
    public init(configuration: FirmwareConfiguration, options: ExecutorOptions = ExecutorOptions()) throws(FirmwareError) {
        try configuration.validate()
        self.configuration = configuration
        self.options = options
    }

    /// Runs the programs (at most one per channel) against `waveforms`.
    /// - Complexity: O(L·N log N) for L active lines of N samples with band limits, O(L·N) without.
    public func run(_ programs: [ChannelProgram], waveforms: WaveformTable) throws(FirmwareError) -> ExecutionResult {
        let wiring = configuration.wiring
        let rate = configuration.sampleRateGSps
        let timelines = try SequencerTimelineBuilder.run(programs: programs, waveforms: waveforms,
                                                         configuration: configuration, limits: options.limits)
        var delays = [LineID: Int]()
        var sampleCount = 1
        for t in timelines {
            let line = wiring.line(of: t.channel)
            let delay = try configuration.lines[line.rawValue].delaySamples(line: line)
            delays[line] = delay
            sampleCount = max(sampleCount, t.endSample + delay)
        }
        guard options.tailNs >= 0, options.tailNs.isFinite else {
            throw .invalidSetting("tailNs = \(options.tailNs) must be finite and ≥ 0")
        }
        sampleCount += Int((options.tailNs * rate).rounded(.up))
        guard sampleCount <= options.limits.maxSamples else {
            throw .limitExceeded(channel: "all lines", index: "-", message: "\(sampleCount) samples > \(options.limits.maxSamples)")
        }

        // Digital signals: each pulse, times full scale, at its sequencer time plus the line's delay.
        var digital = [LineID: [Complex<Double>]]()
        for t in timelines {
            let line = wiring.line(of: t.channel)
            let delay = delays[line]!
            let scale = configuration.lines[line.rawValue].awg.fullScale
            var buffer = digital[line] ?? Array(repeating: .zero, count: sampleCount)
            for pulse in t.pulses {
                for (k, s) in pulse.samples.enumerated() { buffer[pulse.startSample + delay + k] += s.multiplied(by: scale) }
            }
            digital[line] = buffer
        }
        for (line, signal) in digital {
            if let pre = configuration.lines[line.rawValue].predistortion {
                digital[line] = applyReal(signal) { pre.predistort($0, sampleRateGHz: rate) }
            }
        }

        // The analog chain of each line: DAC, bandwidth, flux distortion.
        var analog = [LineID: [Complex<Double>]]()
        var clipped = [LineID: Int]()
        for (line, signal) in digital {
            let settings = configuration.lines[line.rawValue]
            let dac: AWGChannel
            do { dac = try AWGChannel(config: settings.awg) } catch { throw .invalidSetting("\(line): \(error)") }
            var count = 0
            var out = signal.map { z -> Complex<Double> in
                let i = dac.quantize(z.real), q = dac.quantize(z.imaginary)
                count += (i.clipped ? 1 : 0) + (q.clipped ? 1 : 0)
                return Complex(i.value, q.value)
            }
            if let bw = settings.awg.analogBandwidthGHz {
                do { out = try LowPassFilter(cutoffGHz: bw).apply(to: out, sampleRateGHz: rate, zeroPadding: out.count) }
                catch { throw .invalidSetting("\(line): \(error)") }
            }
            if let distortion = settings.distortion {
                out = applyReal(out) { distortion.apply(to: $0, sampleRateGHz: rate) }
            }
            analog[line] = out
            clipped[line] = count
        }

        // Crosstalk between lines (both matrices), on the analog signals and on the ideal ones.
        var crosstalk = configuration.xyCrosstalk.sourcesByTarget()
        crosstalk.merge(configuration.fluxCrosstalk.sourcesByTarget()) { $0 + $1 }
        var targets = Set(digital.keys)
        for (target, sources) in crosstalk where sources.contains(where: { digital[$0.0] != nil }) { targets.insert(target) }
        let zeros = [Complex<Double>](repeating: .zero, count: sampleCount)
        var lines = [LineID: LineWaveform]()
        for line in targets {
            var ideal = digital[line] ?? zeros
            var output = analog[line] ?? zeros
            for (source, c) in crosstalk[line] ?? [] {
                guard let d = digital[source], let a = analog[source] else { continue }
                for k in 0..<sampleCount {
                    ideal[k] += d[k].multiplied(by: c)
                    output[k] += a[k].multiplied(by: c)
                }
            }
            lines[line] = LineWaveform(line: line, role: wiring.role(of: line), digital: digital[line] ?? zeros,
                                       ideal: ideal, output: output, clippedValues: clipped[line] ?? 0)
        }

        var acquisitions = [AcquisitionWindow]()
        for t in timelines {
            let delayNs = Double(delays[wiring.line(of: t.channel)]!) / rate
            for var w in t.acquisitions {
                w.startNs += delayNs
                acquisitions.append(w)
            }
        }
        acquisitions.sort { ($0.startNs, $0.qubit) < ($1.startNs, $1.qubit) }
        return ExecutionResult(sampleRateGSps: rate, sampleCount: sampleCount, lines: lines,
                               timelines: timelines, acquisitions: acquisitions)
    }

    /// Applies a real, linear filter to I and Q separately.
    private func applyReal(_ signal: [Complex<Double>], _ filter: ([Double]) -> [Double]) -> [Complex<Double>] {
        let i = filter(signal.map(\.real))
        let q = signal.contains { $0.imaginary != 0 } ? filter(signal.map(\.imaginary)) : Array(repeating: 0, count: signal.count)
        return zip(i, q).map { Complex($0, $1) }
    }
}
