// LowPassFilter: ideal or raised-cosine low-pass in the frequency domain, modelling an AWG's
// analog bandwidth; applied with WukongFFT.
import Numerics
import WukongFFT

/// A zero-phase low-pass filter with response H(f) in [0, 1], f in GHz.
///
/// With rolloff r (0 ≤ r ≤ 1) and cutoff f_c: H = 1 for |f| ≤ (1 − r)f_c, H = 0 for
/// |f| ≥ (1 + r)f_c, and H = ½(1 + cos(π(|f| − (1 − r)f_c)/(2r·f_c))) between, so H(f_c) = ½.
/// r = 0 is the ideal (brick-wall) filter, H = 1 for |f| ≤ f_c and 0 above.
public struct LowPassFilter: Sendable, Equatable {
    /// Cutoff f_c in GHz.
    public let cutoffGHz: Double
    /// Raised-cosine rolloff r, dimensionless; 0 means ideal.
    public let rolloff: Double

    /// - Throws: `PulseError` unless f_c > 0 and 0 ≤ r ≤ 1.
    public init(cutoffGHz: Double, rolloff: Double = 0) throws(PulseError) {
        try require(cutoffGHz > 0 && cutoffGHz.isFinite, "cutoffGHz", cutoffGHz, "must be finite and > 0")
        try require(rolloff >= 0 && rolloff <= 1, "rolloff", rolloff, "must satisfy 0 ≤ rolloff ≤ 1")
        self.cutoffGHz = cutoffGHz
        self.rolloff = rolloff
    }

    /// H(f) for f in GHz.
    public func response(atGHz f: Double) -> Double {
        let x = abs(f)
        let low = (1 - rolloff) * cutoffGHz
        let high = (1 + rolloff) * cutoffGHz
        if x <= low { return 1 }
        if x >= high { return 0 }
        return 0.5 * (1 + .cos(.pi * (x - low) / (high - low)))
    }

    /// Filters `samples` (rate `sampleRateGHz`): y = IFFT(H·FFT(x)).
    ///
    /// The FFT treats the record as one period of a periodic signal. For a pulse, pass
    /// `zeroPadding` (samples appended before filtering and removed after) so the filter's ringing
    /// at one end does not wrap around into the other.
    /// - Complexity: O((N + P) log(N + P)).
    public func apply(to samples: [Complex<Double>], sampleRateGHz: Double = defaultSampleRateGHz,
                      zeroPadding: Int = 0) -> [Complex<Double>] {
        precondition(zeroPadding >= 0, "zeroPadding must be ≥ 0")
        guard !samples.isEmpty else { return [] }
        let padded = samples + [Complex<Double>](repeating: .zero, count: zeroPadding)
        let frequencies = fftFrequenciesGHz(count: padded.count, sampleRateGHz: sampleRateGHz)
        var bins = fft(padded)
        for k in bins.indices {
            bins[k] = bins[k].multiplied(by: response(atGHz: frequencies[k]))
        }
        return Array(ifft(bins).prefix(samples.count))
    }
}
