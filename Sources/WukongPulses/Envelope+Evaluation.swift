// Evaluating an Envelope: its value at a time, and rendering to samples at mid-sample times.
import Numerics
import WukongFFT

/// The default AWG sample rate, 2 GS/s (dt = 0.5 ns).
public let defaultSampleRateGHz = 2.0

/// Mid-sample times t_k = startNs + (k + ½)/fs in ns, the sampling convention of this library.
public func sampleTimesNs(count: Int, sampleRateGHz: Double = defaultSampleRateGHz, startNs: Double = 0) -> [Double] {
    (0..<count).map { startNs + (Double($0) + 0.5) / sampleRateGHz }
}

extension Envelope {
    /// The envelope at time `t` (ns from the pulse start), A·shape(t); zero outside [0, T].
    /// - Parameter samplePeriodNs: dt, used only by lifted shapes (lifted Gaussian, DRAG), which
    ///   are zero at −dt and T + dt as in Qiskit.
    public func value(atNs t: Double, samplePeriodNs: Double = 1 / defaultSampleRateGHz) -> Complex<Double> {
        guard t >= 0, t <= durationNs else { return .zero }
        let a = complexAmplitude
        let centre = durationNs / 2
        switch shape {
        case let .gaussian(sigma):
            return a.multiplied(by: gaussianProfile(t - centre, sigma))
        case let .liftedGaussian(sigma):
            return a.multiplied(by: liftedGaussianProfile(t - centre, sigma, offset: centre + samplePeriodNs))
        case let .drag(sigma, beta):
            let lifted = a.multiplied(by: liftedGaussianProfile(t - centre, sigma, offset: centre + samplePeriodNs))
            let factor = Complex<Double>(1, beta * (-(t - centre) / (sigma * sigma)))
            return lifted * factor
        case let .flatTopCosine(rise):
            let e = min(t, durationNs - t)
            guard e < rise else { return a }
            return a.multiplied(by: 0.5 * (1 - .cos(.pi * e / rise)))
        case let .flatTopErf(rise, edgeSigma):
            let e = min(t, durationNs - t)
            guard e < rise else { return a }
            let rho0 = erfRamp(0, rise, edgeSigma)
            return a.multiplied(by: (erfRamp(e, rise, edgeSigma) - rho0) / (1 - 2 * rho0))
        case .cosine:
            return a.multiplied(by: 0.5 * (1 - .cos(2 * .pi * t / durationNs)))
        case .constant:
            return a
        case let .arbitrary(samples, rate):
            let index = min(Int((t * rate).rounded(.down)), samples.count - 1)
            return samples[index]
        }
    }

    /// The envelope sampled at `sampleRateGHz`: N = T·fs samples at t_k = (k + ½)/fs.
    ///
    /// Arbitrary samples at another rate are resampled with `resampled(_:fromGHz:toGHz:)`.
    /// - Throws: `PulseError` if T·fs is not a whole number of samples.
    /// - Complexity: O(N) (O(N log N) when an arbitrary envelope is resampled).
    public func samples(sampleRateGHz: Double = defaultSampleRateGHz) throws(PulseError) -> [Complex<Double>] {
        let count = try sampleCount(durationNs: durationNs, sampleRateGHz: sampleRateGHz)
        if case let .arbitrary(given, rate) = shape {
            if rate == sampleRateGHz { return given }
            return try resampled(given, fromGHz: rate, toGHz: sampleRateGHz)
        }
        let dt = 1 / sampleRateGHz
        return sampleTimesNs(count: count, sampleRateGHz: sampleRateGHz).map { value(atNs: $0, samplePeriodNs: dt) }
    }
}

/// exp(−½(x/σ)²).
@inline(__always)
func gaussianProfile(_ x: Double, _ sigma: Double) -> Double {
    .exp(-0.5 * (x / sigma) * (x / sigma))
}

/// (g(x) − g(offset))/(1 − g(offset)): one at x = 0, zero at |x| = offset.
@inline(__always)
func liftedGaussianProfile(_ x: Double, _ sigma: Double, offset: Double) -> Double {
    let floor = gaussianProfile(offset, sigma)
    return (gaussianProfile(x, sigma) - floor) / (1 - floor)
}

/// ½(1 + erf((e − r/2)/(√2·σ))).
@inline(__always)
func erfRamp(_ e: Double, _ rise: Double, _ sigma: Double) -> Double {
    0.5 * (1 + .erf((e - rise / 2) / (2.0.squareRoot() * sigma)))
}
