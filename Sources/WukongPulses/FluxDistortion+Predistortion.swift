// Pre-distortion: the FFT-based inverse of a FluxDistortion, so that applying the distortion
// to the pre-distorted waveform gives back the intended one.
import Numerics
import WukongFFT

extension FluxDistortion {
    /// The longest time constant among the terms, in ns (0 without terms).
    public var longestTimeConstantNs: Double { terms.map(\.timeConstantNs).max() ?? 0 }

    /// Pre-distorts `samples`: x_pre = IFFT(FFT(x)/H) on a zero-padded record, truncated to N.
    ///
    /// The FFT divides circularly, so the inverse filter's decaying tail would wrap around;
    /// the record is padded with `settlingTimes`·τ_eff·fs zeros first, where τ_eff = τ_max·(1 + Σ|A|)
    /// bounds the inverse's slowest pole (its zero at (A + λ)/(1 + A) for one term). The wrapped
    /// residue is then ≲ e^{−settlingTimes} of the signal. Only the first N samples are returned:
    /// to have the settling after a pulse corrected too, append zeros to the input.
    /// - Complexity: O(L log L), L = N + padding.
    public func predistort(_ samples: [Double], sampleRateGHz: Double = defaultSampleRateGHz,
                           settlingTimes: Double = 12) -> [Double] {
        guard !samples.isEmpty else { return [] }
        let totalAmplitude = terms.reduce(0) { $0 + abs($1.amplitude) }
        let effectiveTauNs = longestTimeConstantNs * (1 + totalAmplitude)
        let padding = Int((settlingTimes * effectiveTauNs * sampleRateGHz).rounded(.up))
        let length = samples.count + padding
        var record = samples.map { Complex<Double>($0, 0) }
        record += [Complex<Double>](repeating: .zero, count: padding)
        var bins = fft(record)
        let frequencies = fftFrequenciesGHz(count: length, sampleRateGHz: sampleRateGHz)
        for k in bins.indices {
            let h = transferFunction(atGHz: frequencies[k], sampleRateGHz: sampleRateGHz)
            bins[k] = bins[k] / h
        }
        // H has real coefficients, so H(−f) = conj H(f) and the result is real up to rounding.
        return ifft(bins).prefix(samples.count).map(\.real)
    }
}
