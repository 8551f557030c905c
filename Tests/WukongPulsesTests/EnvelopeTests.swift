// Tests of the envelope shapes: closed forms (DRAG's quadrature), invariants, and validation.
import Numerics
import Testing
@testable import WukongPulses

/// Envelopes are evaluated in closed form with a handful of flops per sample, so agreement with
/// an independent evaluation holds to a few ulps of O(1) values; 1e-12 is the brief's bound.
let closedFormTolerance = 1e-12

/// Qiskit's DRAG: Q(t) = β·(−(t − T/2)/σ²)·I(t) with I the lifted Gaussian A(g − g₀)/(1 − g₀).
/// Differentiating I gives dI/dt = A·g·(−(t − T/2)/σ²)/(1 − g₀), so
/// Q = β·dI/dt − β·A·g₀/(1 − g₀)·(−(t − T/2)/σ²): the derivative plus the lifting correction.
@Test func dragQuadratureEqualsBetaTimesDerivativeOfInPhase() throws {
    let durationNs = 30.0, sigmaNs = 7.5, betaNs = 0.5, amp = 0.8, dt = 0.5
    let pulse = try Envelope.drag(durationNs: durationNs, sigmaNs: sigmaNs, betaNs: betaNs, amp: amp)
    let samples = try pulse.samples()
    let times = sampleTimesNs(count: samples.count)
    let centre = durationNs / 2
    let g0 = Double.exp(-0.5 * ((centre + dt) / sigmaNs) * ((centre + dt) / sigmaNs))
    for (sample, t) in zip(samples, times) {
        let slope = -(t - centre) / (sigmaNs * sigmaNs)
        let g = Double.exp(-0.5 * ((t - centre) / sigmaNs) * ((t - centre) / sigmaNs))
        let inPhase = amp * (g - g0) / (1 - g0)
        let derivative = amp * g * slope / (1 - g0)
        let liftCorrection = -betaNs * amp * g0 / (1 - g0) * slope
        #expect(abs(sample.real - inPhase) < closedFormTolerance)
        #expect(abs(sample.imaginary - (betaNs * derivative + liftCorrection)) < closedFormTolerance, "t = \(t)")
    }
}

/// When the Gaussian has decayed to nothing at the lift point (g₀ < 1e-20), the correction
/// vanishes and Q = β·dI/dt exactly; with an angle, the same holds after undoing e^{i·angle}.
@Test func dragQuadratureIsPureDerivativeWhenLiftVanishes() throws {
    let durationNs = 40.0, sigmaNs = 2.0, betaNs = -0.7, amp = 0.6, angle = 0.9
    let pulse = try Envelope.drag(durationNs: durationNs, sigmaNs: sigmaNs, betaNs: betaNs, amp: amp, angle: angle)
    let unrotate = Complex<Double>(.cos(-angle), .sin(-angle))
    let centre = durationNs / 2
    for (sample, t) in zip(try pulse.samples(), sampleTimesNs(count: 80)) {
        let rotated: Complex<Double> = sample * unrotate
        let g = Double.exp(-0.5 * ((t - centre) / sigmaNs) * ((t - centre) / sigmaNs))
        let derivative = amp * g * (-(t - centre) / (sigmaNs * sigmaNs))
        #expect(abs(rotated.imaginary - betaNs * derivative) < closedFormTolerance, "t = \(t)")
    }
}

@Test func gaussianPeaksAtCentreWithAmplitude() throws {
    // 30.5 ns at 2 GS/s is 61 samples; the middle one sits exactly at T/2.
    let pulse = try Envelope.gaussian(durationNs: 30.5, sigmaNs: 6, amp: 0.7)
    let samples = try pulse.samples()
    #expect(samples.count == 61)
    #expect(samples[30] == Complex(0.7, 0))
    #expect(samples.allSatisfy { $0.length <= 0.7 })
    #expect(pulse.value(atNs: 15.25) == Complex(0.7, 0))
    let hann = try Envelope.cosine(durationNs: 30.5, amp: 0.3)
    #expect(abs(hann.value(atNs: 15.25).real - 0.3) < closedFormTolerance)
}

@Test func liftedGaussianIsZeroOneSamplePastTheEdges() throws {
    let durationNs = 30.0, sigmaNs = 7.5, dt = 0.5
    // The lift point is one sample period outside each end, as Qiskit's x = −1 and duration + 1.
    #expect(liftedGaussianProfile(durationNs / 2 + dt, sigmaNs, offset: durationNs / 2 + dt) == 0)
    #expect(liftedGaussianProfile(-(durationNs / 2 + dt), sigmaNs, offset: durationNs / 2 + dt) == 0)
    #expect(liftedGaussianProfile(0, sigmaNs, offset: durationNs / 2 + dt) == 1)
    let samples = try Envelope.liftedGaussian(durationNs: durationNs, sigmaNs: sigmaNs, amp: 1).samples()
    // First sample 1.5·dt from the zero: ĝ ≈ 1.5·dt·|dĝ/dt| ≈ 0.03 for these parameters.
    #expect(samples.first!.length < 0.05)
    #expect(samples.last!.length < 0.05)
    #expect(abs(samples.first!.real - samples.last!.real) < closedFormTolerance)
}

@Test func flatTopPlateauEqualsAmplitude() throws {
    let amp = 0.45
    let cosineTop = try Envelope.flatTopCosine(durationNs: 100, riseNs: 10, amp: amp)
    let erfTop = try Envelope.flatTopErf(durationNs: 100, riseNs: 10, edgeSigmaNs: 2.5, amp: amp)
    for pulse in [cosineTop, erfTop] {
        let samples = try pulse.samples()
        let times = sampleTimesNs(count: samples.count)
        for (s, t) in zip(samples, times) where t >= 10 && t <= 90 {
            #expect(s == Complex(amp, 0), "t = \(t)")
        }
        #expect(samples.allSatisfy { $0.real >= 0 && $0.real <= amp + closedFormTolerance })
        #expect(pulse.value(atNs: 0) == .zero)
        #expect(abs(pulse.value(atNs: 100).real) < closedFormTolerance)
    }
}

@Test func constantAndArbitraryRenderAsGiven() throws {
    let constant = try Envelope.constant(durationNs: 4, amp: 0.25, angle: .pi / 2)
    let samples = try constant.samples()
    #expect(samples.count == 8)
    #expect(samples.allSatisfy { abs($0.real) < 1e-15 && abs($0.imaginary - 0.25) < 1e-15 })
    let given = [Complex<Double>(0.1, 0), Complex(0.2, -0.1), Complex(0, 0.3)]
    let arbitrary = try Envelope.arbitrary(samples: given, sampleRateGHz: 1)
    #expect(arbitrary.durationNs == 3)
    #expect(try arbitrary.samples(sampleRateGHz: 1) == given)
    #expect(try arbitrary.samples(sampleRateGHz: 2).count == 6)
}

@Test func invalidParametersThrowNamingTheParameter() {
    #expect(rejectedParameter { try Envelope.gaussian(durationNs: 30, sigmaNs: 0, amp: 0.5) } == "sigmaNs")
    #expect(rejectedParameter { try Envelope.gaussian(durationNs: -1, sigmaNs: 5, amp: 0.5) } == "durationNs")
    #expect(rejectedParameter { try Envelope.drag(durationNs: 30, sigmaNs: 7.5, betaNs: 0.4, amp: 1.5) } == "amp")
    #expect(rejectedParameter { try Envelope.drag(durationNs: 30, sigmaNs: 7.5, betaNs: .nan, amp: 0.5) } == "betaNs")
    #expect(rejectedParameter { try Envelope.flatTopCosine(durationNs: 20, riseNs: 11, amp: 0.5) } == "riseNs")
    #expect(rejectedParameter { try Envelope.flatTopErf(durationNs: 20, riseNs: 5, edgeSigmaNs: 0, amp: 0.5) } == "edgeSigmaNs")
    #expect(rejectedParameter { try Envelope.arbitrary(samples: [Complex(2, 0)]) } == "samples[0].magnitude")
    // 30.3 ns is 60.6 samples at 2 GS/s: not renderable.
    #expect(rejectedParameter { try Envelope.constant(durationNs: 30.3, amp: 0.1).samples() } == "durationNs")
    let message = PulseError.invalidParameter(name: "sigmaNs", value: 0, requirement: "must be finite and > 0").description
    #expect(message.contains("sigmaNs") && message.contains("0"))
}
