// NumericallyControlledOscillator: a phase-continuous IF oscillator that IQ-modulates envelopes.
import Numerics

/// A numerically controlled oscillator: phase φ(t) = φ₀ + 2π·f·(t − t₀), in rad, t in ns, f in GHz.
///
/// Changing the frequency at time t re-anchors (φ₀, t₀) at (φ(t), t), so the phase is continuous
/// across the change, as in an AWG's NCO. Modulation multiplies by e^{+iφ(t)}: an envelope s
/// becomes s·e^{iφ}, whose real and imaginary parts are the I and Q outputs.
public struct NumericallyControlledOscillator: Sendable, Equatable {
    /// Current frequency f in GHz (may be negative).
    public private(set) var frequencyGHz: Double
    /// Phase φ₀ in rad at `referenceTimeNs`, kept in [0, 2π).
    public private(set) var phaseRad: Double
    /// Time t₀ in ns at which the phase equals `phaseRad`.
    public private(set) var referenceTimeNs: Double

    /// An oscillator at `frequencyGHz` whose phase is `phaseRad` at `timeNs`.
    public init(frequencyGHz: Double, phaseRad: Double = 0, timeNs: Double = 0) {
        precondition(frequencyGHz.isFinite && phaseRad.isFinite && timeNs.isFinite, "NCO parameters must be finite")
        self.frequencyGHz = frequencyGHz
        self.phaseRad = wrapPhase(phaseRad)
        self.referenceTimeNs = timeNs
    }

    /// φ(t) = φ₀ + 2π·f·(t − t₀), wrapped to [0, 2π).
    ///
    /// The cycle count f·(t − t₀) is reduced to its fraction before the 2π is applied, so the
    /// phase keeps full precision even after many cycles.
    public func phase(atNs t: Double) -> Double {
        let cycles = frequencyGHz * (t - referenceTimeNs)
        let fraction = cycles - cycles.rounded(.down)
        return wrapPhase(phaseRad + 2 * .pi * fraction)
    }

    /// Moves the reference to time `t` without changing φ(t) for any t.
    public mutating func advance(toNs t: Double) {
        phaseRad = phase(atNs: t)
        referenceTimeNs = t
    }

    /// Switches to `newFrequencyGHz` at time `t`, keeping φ continuous at t.
    public mutating func setFrequency(_ newFrequencyGHz: Double, atNs t: Double) {
        precondition(newFrequencyGHz.isFinite, "NCO frequency must be finite")
        advance(toNs: t)
        frequencyGHz = newFrequencyGHz
    }

    /// Adds `deltaRad` to the phase at all times (a frame change, e.g. a virtual Z).
    public mutating func shiftPhase(byRad deltaRad: Double) {
        phaseRad = wrapPhase(phaseRad + deltaRad)
    }

    /// IQ-modulates `samples`: out_k = s_k·e^{iφ(t_k)}, with t_k = startTimeNs + (k + ½)/fs.
    /// - Complexity: O(N).
    public func modulate(_ samples: [Complex<Double>], startTimeNs: Double,
                         sampleRateGHz: Double = defaultSampleRateGHz) -> [Complex<Double>] {
        let times = sampleTimesNs(count: samples.count, sampleRateGHz: sampleRateGHz, startNs: startTimeNs)
        return zip(samples, times).map { sample, t in
            let phi = phase(atNs: t)
            let carrier = Complex<Double>(.cos(phi), .sin(phi))
            return sample * carrier
        }
    }
}

/// φ mod 2π in [0, 2π).
@inline(__always)
func wrapPhase(_ phi: Double) -> Double {
    let twoPi = 2 * Double.pi
    let r = phi.truncatingRemainder(dividingBy: twoPi)
    return r < 0 ? r + twoPi : r
}
