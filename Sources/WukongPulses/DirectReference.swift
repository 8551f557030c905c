// Slow, obviously correct references for the fast FFT- and IIR-based functions of WukongPulses.
// Tests compare each fast function against its reference here.
import Numerics
import WukongFFT

/// Direct (O(N²)) versions of the fast signal-processing functions, for tests and spot checks.
public enum DirectReference {
    /// The spectrum via the naive DFT instead of FFTW. Same layout as `Spectrum(samples:)`.
    /// - Complexity: O(N²).
    public static func spectrum(_ samples: [Complex<Double>], sampleRateGHz: Double = defaultSampleRateGHz) -> Spectrum {
        Spectrum(bins: naiveDFT(samples), sampleRateGHz: sampleRateGHz)
    }

    /// Low-pass filtering via naive DFT, multiply by H, naive inverse DFT (no padding).
    /// - Complexity: O(N²).
    public static func lowPass(_ samples: [Complex<Double>], filter: LowPassFilter,
                               sampleRateGHz: Double = defaultSampleRateGHz) -> [Complex<Double>] {
        let n = samples.count
        let frequencies = fftFrequenciesGHz(count: n, sampleRateGHz: sampleRateGHz)
        var bins = naiveDFT(samples)
        for k in bins.indices { bins[k] = bins[k].multiplied(by: filter.response(atGHz: frequencies[k])) }
        return naiveDFT(bins, direction: .backward).map { $0.multiplied(by: 1 / Double(n)) }
    }

    /// Distortion by direct causal convolution y[n] = Σ_{m ≤ n} h[m]·x[n − m] with the sampled
    /// impulse response h[m] = s[m] − s[m−1].
    /// - Complexity: O(N²).
    public static func distort(_ samples: [Double], by distortion: FluxDistortion,
                               sampleRateGHz: Double = defaultSampleRateGHz) -> [Double] {
        let h = distortion.impulseResponse(count: samples.count, sampleRateGHz: sampleRateGHz)
        return samples.indices.map { n in
            var y = 0.0
            for m in 0...n { y += h[m] * samples[n - m] }
            return y
        }
    }

    /// Evaluates the trigonometric interpolant of a record at arbitrary times (ns, same origin as
    /// the record's mid-sample times): x(t) = (1/N)·Σ_s X_s·e^{2πi·f_s·(t − dt/2)}, with the even-N
    /// Nyquist bin split between ±fs/2. Resampling must agree with this at the new sample times.
    /// - Complexity: O(N² + N·T).
    public static func interpolate(_ samples: [Complex<Double>], sampleRateGHz: Double, atNs times: [Double]) -> [Complex<Double>] {
        let n = samples.count
        let bins = naiveDFT(samples)
        let dt = 1 / sampleRateGHz
        return times.map { t in
            var sum = Complex<Double>.zero
            for k in 0..<n {
                let s = k < (n + 1) / 2 ? k : k - n
                let signedBins = (n % 2 == 0 && s == -n / 2) ? [s, -s] : [s]
                let weight = 1 / Double(signedBins.count)
                for b in signedBins {
                    let angle = 2 * Double.pi * Double(b) * sampleRateGHz / Double(n) * (t - dt / 2)
                    let term: Complex<Double> = bins[k] * Complex(.cos(angle), .sin(angle))
                    sum += term.multiplied(by: weight)
                }
            }
            return sum.multiplied(by: 1 / Double(n))
        }
    }
}
