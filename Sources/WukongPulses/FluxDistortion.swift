// FluxDistortion: the flux line's linear distortion as a sum of exponential settling terms,
// applied sample by sample with one first-order IIR section per term.
import Numerics

/// One settling term A·e^{−t/τ} of a flux line's step response.
public struct ExponentialSettlingTerm: Sendable, Equatable {
    /// Relative amplitude A (dimensionless). A > 0 overshoots, A < 0 rises slowly.
    public let amplitude: Double
    /// Time constant τ in ns.
    public let timeConstantNs: Double

    /// - Throws: `PulseError` unless τ > 0 and A is finite.
    public init(amplitude: Double, timeConstantNs: Double) throws(PulseError) {
        try require(amplitude.isFinite, "amplitude", amplitude, "must be finite")
        try require(timeConstantNs > 0 && timeConstantNs.isFinite, "timeConstantNs", timeConstantNs, "must be finite and > 0")
        self.amplitude = amplitude
        self.timeConstantNs = timeConstantNs
    }
}

/// A flux line's distortion, defined by its discrete step response (t = n·dt after the step):
///
///     s[n] = 1 + Σ_k A_k·e^{−n·dt/τ_k},  n ≥ 0;   s[n] = 0 for n < 0.
///
/// The long-time gain is 1 (s → 1). The impulse response is h[n] = s[n] − s[n−1] and the
/// transfer function, with z = e^{2πi·f·dt} and λ_k = e^{−dt/τ_k},
///
///     H(z) = 1 + Σ_k A_k·(1 − z⁻¹)/(1 − λ_k·z⁻¹).
///
/// Each term is one first-order IIR section, which is how control electronics realise the
/// matching pre-distortion too.
public struct FluxDistortion: Sendable, Equatable {
    /// The settling terms.
    public let terms: [ExponentialSettlingTerm]

    /// - Throws: `PulseError` if 1 + ΣA ≤ 0 (the step would start non-positive; not a flux line).
    public init(terms: [ExponentialSettlingTerm]) throws(PulseError) {
        let initial = 1 + terms.reduce(0) { $0 + $1.amplitude }
        try require(initial > 0, "1 + Σ amplitude", initial, "must be > 0")
        self.terms = terms
    }

    /// s(t) = 1 + Σ A_k·e^{−t/τ_k} for t ≥ 0 (ns), 0 before the step.
    public func stepResponse(atNs t: Double) -> Double {
        guard t >= 0 else { return 0 }
        return 1 + terms.reduce(0) { $0 + $1.amplitude * .exp(-t / $1.timeConstantNs) }
    }

    /// h[n] = s[n·dt] − s[(n−1)·dt], n = 0..<count.
    public func impulseResponse(count: Int, sampleRateGHz: Double = defaultSampleRateGHz) -> [Double] {
        let dt = 1 / sampleRateGHz
        return (0..<count).map { n in
            stepResponse(atNs: Double(n) * dt) - stepResponse(atNs: Double(n - 1) * dt)
        }
    }

    /// H(e^{2πi·f·dt}) at f in GHz; H = 1 at f = 0.
    public func transferFunction(atGHz f: Double, sampleRateGHz: Double = defaultSampleRateGHz) -> Complex<Double> {
        let dt = 1 / sampleRateGHz
        let angle = -2 * Double.pi * f * dt
        let zInverse = Complex<Double>(.cos(angle), .sin(angle))
        var h = Complex<Double>(1, 0)
        for term in terms {
            let lambda = Double.exp(-dt / term.timeConstantNs)
            let numerator: Complex<Double> = Complex(1, 0) - zInverse
            let denominator: Complex<Double> = Complex(1, 0) - zInverse.multiplied(by: lambda)
            let section: Complex<Double> = numerator / denominator
            h += section.multiplied(by: term.amplitude)
        }
        return h
    }

    /// Distorts `samples` causally: y[n] = x[n] + Σ_k A_k·(z_k[n] − z_k[n−1]) with the one-pole
    /// sections z_k[n] = x[n] + λ_k·z_k[n−1], z_k[−1] = 0, which equals y = h ∗ x.
    /// - Complexity: O(N·K) for K terms.
    public func apply(to samples: [Double], sampleRateGHz: Double = defaultSampleRateGHz) -> [Double] {
        let dt = 1 / sampleRateGHz
        let lambdas = terms.map { Double.exp(-dt / $0.timeConstantNs) }
        var state = [Double](repeating: 0, count: terms.count)
        var output = samples
        for n in samples.indices {
            var y = samples[n]
            for k in terms.indices {
                let next = samples[n] + lambdas[k] * state[k]
                y += terms[k].amplitude * (next - state[k])
                state[k] = next
            }
            output[n] = y
        }
        return output
    }
}
