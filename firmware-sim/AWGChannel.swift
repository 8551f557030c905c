// One arbitrary-waveform-generator channel: envelope → NCO IQ modulation → DAC (resolution,
// full-scale clipping) → analog bandwidth. The first instrument of the control-electronics chain.
import Numerics
import WukongPulses

/// Settings of an AWG channel (chip-physics §5.2, "Control electronics").
public struct AWGChannelConfig: Sendable, Equatable {
    /// Sample rate, GS/s (= samples per ns).
    public var sampleRateGSps: Double = 2.0
    /// DAC resolution, bits per quadrature.
    public var dacBits: Int = 14
    /// Output full scale: amplitude 1.0 of an envelope maps to this, and |I|, |Q| are clipped to it.
    public var fullScale: Double = 1.0
    /// Analog bandwidth, modelled as an ideal low-pass cutoff, GHz; nil for an unlimited bandwidth.
    public var analogBandwidthGHz: Double? = nil
    /// Intermediate frequency of the channel's NCO, GHz (0 for baseband).
    public var intermediateFrequencyGHz: Double = 0

    public init() {}

    public init(sampleRateGSps: Double = 2.0, dacBits: Int = 14, fullScale: Double = 1.0,
                analogBandwidthGHz: Double? = nil, intermediateFrequencyGHz: Double = 0) {
        self.sampleRateGSps = sampleRateGSps
        self.dacBits = dacBits
        self.fullScale = fullScale
        self.analogBandwidthGHz = analogBandwidthGHz
        self.intermediateFrequencyGHz = intermediateFrequencyGHz
    }

    /// Checks the settings; the error names the field and the value.
    public func validate() throws(PulseError) {
        guard sampleRateGSps > 0, sampleRateGSps <= 64 else {
            throw .invalidParameter(name: "sampleRateGSps", value: sampleRateGSps, requirement: "must be in (0, 64]")
        }
        guard (2...24).contains(dacBits) else {
            throw .invalidParameter(name: "dacBits", value: Double(dacBits), requirement: "must be in 2...24")
        }
        guard fullScale > 0, fullScale.isFinite else {
            throw .invalidParameter(name: "fullScale", value: fullScale, requirement: "must be finite and > 0")
        }
        if let bw = analogBandwidthGHz, !(bw > 0 && bw <= sampleRateGSps / 2) {
            throw .invalidParameter(name: "analogBandwidthGHz", value: bw, requirement: "must be in (0, sampleRate/2]")
        }
        guard abs(intermediateFrequencyGHz) < sampleRateGSps / 2 else {
            throw .invalidParameter(name: "intermediateFrequencyGHz", value: intermediateFrequencyGHz,
                                    requirement: "must be below the Nyquist frequency \(sampleRateGSps / 2) GHz")
        }
    }

    /// The DAC step: codes run over −2^(b−1)…2^(b−1)−1 and code c outputs c·fullScale/2^(b−1).
    public var dacStep: Double { fullScale / Double(1 << (dacBits - 1)) }
}

/// What an AWG channel produced for one waveform.
public struct AWGOutput: Sendable {
    /// Sample times (mid-sample convention of WukongPulses), ns.
    public let timesNs: [Double]
    /// The ideal baseband envelope, before modulation.
    public let envelope: [Complex<Double>]
    /// The ideal modulated signal before the DAC.
    public let ideal: [Complex<Double>]
    /// The channel output: quantized, clipped and band-limited.
    public let output: [Complex<Double>]
    /// How many I or Q values hit full scale and were clipped.
    public let clippedValues: Int
}

/// An AWG channel with its NCO. Rendering advances the NCO so successive pulses stay phase-continuous.
public struct AWGChannel: Sendable {
    public let config: AWGChannelConfig
    public private(set) var nco: NumericallyControlledOscillator

    public init(config: AWGChannelConfig) throws(PulseError) {
        try config.validate()
        self.config = config
        nco = NumericallyControlledOscillator(frequencyGHz: config.intermediateFrequencyGHz)
    }

    /// Quantizes one quadrature value to the DAC grid, clipping to ±full scale (the top code is 2^(b−1) − 1).
    public func quantize(_ x: Double) -> (value: Double, clipped: Bool) {
        let half = Double(1 << (config.dacBits - 1))
        let code = (x / config.dacStep).rounded()
        let clamped = min(half - 1, max(-half, code))
        return (clamped * config.dacStep, clamped != code)
    }

    /// Renders an envelope starting at `startTimeNs` through modulation, DAC and analog bandwidth.
    /// - Complexity: O(N log N) with a bandwidth limit, O(N) without.
    public mutating func render(_ envelope: Envelope, startTimeNs: Double = 0) throws(PulseError) -> AWGOutput {
        let base = try envelope.samples(sampleRateGHz: config.sampleRateGSps).map { $0.multiplied(by: config.fullScale) }
        let times = sampleTimesNs(count: base.count, sampleRateGHz: config.sampleRateGSps, startNs: startTimeNs)
        let ideal = nco.modulate(base, startTimeNs: startTimeNs, sampleRateGHz: config.sampleRateGSps)
        var clipped = 0
        var quantized = [Complex<Double>]()
        quantized.reserveCapacity(ideal.count)
        for z in ideal {
            let i = quantize(z.real), q = quantize(z.imaginary)
            clipped += (i.clipped ? 1 : 0) + (q.clipped ? 1 : 0)
            quantized.append(Complex(i.value, q.value))
        }
        var output = quantized
        if let bw = config.analogBandwidthGHz {
            // Pad by the record length so the filter's ringing does not wrap around.
            output = try LowPassFilter(cutoffGHz: bw).apply(to: quantized, sampleRateGHz: config.sampleRateGSps,
                                                            zeroPadding: quantized.count)
        }
        nco.advance(toNs: startTimeNs + Double(base.count) / config.sampleRateGSps)
        return AWGOutput(timesNs: times, envelope: base, ideal: ideal, output: output, clippedValues: clipped)
    }
}
