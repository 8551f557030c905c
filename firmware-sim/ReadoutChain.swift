// The readout chain (chip-physics §3.3, §5.2): a feedline's output signal → ADC (1 GS/s, 12 bits,
// full-scale clipping, optional noise) → per-resonator demodulation with piecewise-constant
// integration weights → projection on the |0⟩→|1⟩ axis and a threshold → bits, with raw traces.
import Numerics
import WukongDevice
import WukongNumerics
import WukongPulses

/// The analog signal leaving one feedline, as the emulator returns it: complex baseband samples in
/// the firmware's NCO convention (a tone at IF f appears as e^{+2πi f t}), on the grid
/// t_k = startNs + (k + ½)/fs. Whoever converts the emulator's output conjugates once (invariant 5).
public struct FeedlineSignal: Sendable, Equatable {
    public let feedline: FeedlineID
    /// Sample rate, GS/s; a whole multiple of the ADC rate, or equal to it.
    public let sampleRateGSps: Double
    /// Time of the record's start, ns.
    public let startNs: Double
    /// Volts at the ADC input, in units of the ADC full scale when `fullScale` = 1.
    public let samples: [Complex<Double>]

    public init(feedline: FeedlineID, sampleRateGSps: Double, startNs: Double = 0, samples: [Complex<Double>]) {
        self.feedline = feedline
        self.sampleRateGSps = sampleRateGSps
        self.startNs = startNs
        self.samples = samples
    }
}

/// Zeros (in ADC samples) appended before anti-alias resampling: 128 ns at 1 GS/s.
let antiAliasPaddingSamples = 128

/// ADC settings (chip-physics §5.2).
public struct ADCConfig: Sendable, Equatable {
    /// Sample rate, GS/s.
    public var sampleRateGSps: Double = 1.0
    /// Resolution, bits per quadrature.
    public var bits: Int = 12
    /// Full scale: |I|, |Q| are clipped to it; code c reads c·fullScale/2^(b−1).
    public var fullScale: Double = 1.0
    /// Standard deviation of additive Gaussian noise per quadrature before quantization, in the
    /// units of the samples; 0 for none.
    public var noiseSigma: Double = 0
    /// Seed of the noise stream.
    public var noiseSeed: UInt64 = 0
    public init() {}

    /// The ADC step, fullScale / 2^(b−1).
    public var step: Double { fullScale / Double(1 << (bits - 1)) }
}

/// Piecewise-constant integration weights: w(t) = values[s] for t in segment s of `segmentNs`
/// from the window start, and 0 after the last segment.
public struct IntegrationWeights: Sendable, Equatable {
    public let segmentNs: Double
    public let values: [Complex<Double>]
    public init(segmentNs: Double, values: [Complex<Double>]) {
        precondition(segmentNs > 0 && !values.isEmpty, "weights need a positive segment length and at least one segment")
        self.segmentNs = segmentNs
        self.values = values
    }

    /// Boxcar weights summing to 1, so a tone A·e^{iφ_NCO(t)} integrates to A.
    public static func boxcar(durationNs: Double, segmentNs: Double) -> IntegrationWeights {
        let n = max(1, Int((durationNs / segmentNs).rounded()))
        return IntegrationWeights(segmentNs: segmentNs, values: Array(repeating: Complex(1 / Double(n), 0), count: n))
    }
}

/// A qubit's discriminator: IQ centres for |0⟩ and |1⟩ and the threshold along the axis between them.
public struct ReadoutDiscriminator: Sendable, Equatable {
    public let centre0: Complex<Double>
    public let centre1: Complex<Double>
    /// Threshold on the projection, measured from `centre0` along the unit axis towards `centre1`.
    public let threshold: Double
    /// The calibrated integration weights of this qubit.
    public let weights: IntegrationWeights

    public init(centre0: Complex<Double>, centre1: Complex<Double>, threshold: Double, weights: IntegrationWeights) {
        precondition(centre0 != centre1, "IQ centres must differ")
        self.centre0 = centre0
        self.centre1 = centre1
        self.threshold = threshold
        self.weights = weights
    }

    /// The calibration's view of qubit `q`.
    public init(snapshot: CalibrationSnapshot, qubit q: QubitIndex) {
        let c = snapshot.complexValues(.iqCentres, q.rawValue)
        let w = snapshot.complexValues(.integrationWeights, q.rawValue)
        self.init(centre0: Complex(c.real[0], c.imag[0]), centre1: Complex(c.real[1], c.imag[1]),
                  threshold: snapshot.value(.readoutThreshold, q),
                  weights: IntegrationWeights(segmentNs: snapshot.weightSegmentNs, values: zip(w.real, w.imag).map { Complex($0, $1) }))
    }

    /// p = Re[(S − c0)·conj(c1 − c0)] / |c1 − c0|.
    public func projection(_ s: Complex<Double>) -> Double {
        let axis = centre1 - centre0
        return ((s - centre0) * axis.conjugate).real / axis.length
    }

    /// 1 if the projection exceeds the threshold, else 0.
    public func bit(_ s: Complex<Double>) -> Int { projection(s) > threshold ? 1 : 0 }
}

/// One demodulated acquisition.
public struct AcquisitionResult: Sendable, Equatable {
    public let window: AcquisitionWindow
    /// S = Σ_s w_s · (1/n_s) Σ_{k ∈ s} V_k e^{−iφ(t_k)}: the weighted segment means of the
    /// demodulated ADC samples (a boxcar of weights summing to 1 returns the tone's amplitude).
    public let iq: Complex<Double>
    public let projection: Double
    public let bit: Int
    /// The window's ADC samples, if raw traces were requested.
    public let rawTrace: [Complex<Double>]?
}

/// Options of the readout chain.
public struct ReadoutOptions: Sendable, Equatable {
    public var adc = ADCConfig()
    /// Keep each window's ADC samples.
    public var rawTraces = false
    /// Most raw-trace samples per window (10⁴ = 10 µs at 1 GS/s).
    public var maxRawTraceSamples = 10_000
    public init() {}
}

/// The ADC plus demodulation and discrimination of every resonator on the feedlines.
public struct ReadoutChain: Sendable {
    public let options: ReadoutOptions
    /// Discriminators by qubit; the weight id `"calibrated"` names each one's own weights.
    public let discriminators: [QubitIndex: ReadoutDiscriminator]
    /// Extra weights by id.
    public let weights: [String: IntegrationWeights]

    public init(options: ReadoutOptions = ReadoutOptions(), discriminators: [QubitIndex: ReadoutDiscriminator],
                weights: [String: IntegrationWeights] = [:]) {
        self.options = options
        self.discriminators = discriminators
        self.weights = weights
    }

    /// Digitizes a feedline signal: decimation to the ADC rate through an ideal anti-alias filter
    /// (FFT resampling; the filter's ringing near abrupt record edges is ≈ 1/(π·t·fs_ADC/2) at a
    /// distance t from the edge), noise, quantization and clipping.
    /// Returns the ADC samples and how many I/Q values clipped.
    public func digitize(_ signal: FeedlineSignal) throws(FirmwareError) -> (samples: [Complex<Double>], clipped: Int) {
        let adc = options.adc
        guard (2...24).contains(adc.bits), adc.fullScale > 0, adc.sampleRateGSps > 0, adc.noiseSigma >= 0 else {
            throw .readout("invalid ADC settings \(adc)")
        }
        let ratio = signal.sampleRateGSps / adc.sampleRateGSps
        let m = Int(ratio.rounded())
        guard m >= 1, abs(ratio - Double(m)) <= wholeSampleTolerance * ratio else {
            throw .readout("\(signal.feedline): input rate \(signal.sampleRateGSps) GS/s is not a whole multiple of the ADC's \(adc.sampleRateGSps) GS/s")
        }
        var rng = SeededGenerator(seed: adc.noiseSeed &+ UInt64(signal.feedline.rawValue))
        let half = Double(1 << (adc.bits - 1))
        var clipped = 0
        func quantize(_ x: Double) -> Double {
            let code = (x / adc.step).rounded()
            let c = min(half - 1, max(-half, code))
            if c != code { clipped += 1 }
            return c * adc.step
        }
        var input = signal.samples
        if m > 1 {
            // An ideal anti-alias filter: band-limited FFT resampling (mid-sample times at both rates).
            // Zeros appended first keep the record's end from wrapping onto its start.
            let padding = m * antiAliasPaddingSamples
            let padded = input + [Complex<Double>](repeating: .zero, count: padding + (m - input.count % m) % m)
            do { input = try resampled(padded, fromGHz: signal.sampleRateGSps, toGHz: adc.sampleRateGSps) }
            catch { throw .readout("\(signal.feedline): \(error)") }
            input.removeLast(input.count - signal.samples.count / m)
        }
        var out = [Complex<Double>]()
        out.reserveCapacity(input.count)
        for var v in input {
            if adc.noiseSigma > 0 {
                v += Complex(rng.normal(mean: 0, sd: adc.noiseSigma), rng.normal(mean: 0, sd: adc.noiseSigma))
            }
            out.append(Complex(quantize(v.real), quantize(v.imaginary)))
        }
        return (out, clipped)
    }

    /// Demodulates every window on `signal`'s feedline and assigns bits.
    /// - Complexity: O(samples + Σ window lengths).
    public func acquire(_ signal: FeedlineSignal, windows: [AcquisitionWindow]) throws(FirmwareError) -> [AcquisitionResult] {
        let (adcSamples, _) = try digitize(signal)
        let rate = options.adc.sampleRateGSps
        let dt = 1 / rate
        var results = [AcquisitionResult]()
        for w in windows where w.feedline == signal.feedline {
            guard let disc = discriminators[w.qubit] else { throw .readout("no discriminator for \(w.qubit)") }
            let weights: IntegrationWeights
            if w.weights == "calibrated" { weights = disc.weights }
            else if let named = self.weights[w.weights] { weights = named }
            else { throw .readout("\(w.qubit): unknown integration weights \"\(w.weights)\"") }
            let first = (w.startNs - signal.startNs) * rate
            let count = w.durationNs * rate
            let segment = weights.segmentNs * rate
            guard abs(first - first.rounded()) <= wholeSampleTolerance * max(1, first), first >= 0,
                  abs(count - count.rounded()) <= wholeSampleTolerance * max(1, count),
                  abs(segment - segment.rounded()) <= wholeSampleTolerance * max(1, segment), segment >= 1 else {
                throw .readout("\(w.qubit): window [\(w.startNs), +\(w.durationNs)] ns or weight segment \(weights.segmentNs) ns is not on the ADC grid")
            }
            let k0 = Int(first.rounded()), n = Int(count.rounded()), perSegment = Int(segment.rounded())
            guard k0 + n <= adcSamples.count else {
                throw .readout("\(w.qubit): window ends at \(w.startNs + w.durationNs) ns, after the record (\(Double(adcSamples.count) * dt + signal.startNs) ns)")
            }
            var sums = [Complex<Double>](repeating: .zero, count: weights.values.count)
            var counts = [Int](repeating: 0, count: weights.values.count)
            for k in 0..<n {
                let s = k / perSegment
                guard s < weights.values.count else { break }
                // Phase of the tone's NCO at this ADC sample's mid-time.
                let t = (Double(k) + 0.5) * dt
                let cycles = w.frequencyGHz * t
                let phi = w.phaseAtStartRad + 2 * .pi * (cycles - cycles.rounded(.down))
                sums[s] += adcSamples[k0 + k] * Complex(.cos(phi), -.sin(phi))
                counts[s] += 1
            }
            var iq = Complex<Double>.zero
            for s in sums.indices where counts[s] > 0 { iq += weights.values[s] * sums[s].multiplied(by: 1 / Double(counts[s])) }
            var raw: [Complex<Double>]? = nil
            if options.rawTraces {
                guard n <= options.maxRawTraceSamples else {
                    throw .readout("\(w.qubit): raw trace of \(n) samples exceeds the cap of \(options.maxRawTraceSamples)")
                }
                raw = Array(adcSamples[k0..<(k0 + n)])
            }
            results.append(AcquisitionResult(window: w, iq: iq, projection: disc.projection(iq), bit: disc.bit(iq), rawTrace: raw))
        }
        return results
    }
}
