// Tests of the flux-line distortion model: closed-form step response, IIR against direct
// convolution, and pre-distortion followed by distortion giving back the intended pulse.
import Numerics
import WukongNumerics
import Testing
@testable import WukongPulses

func exampleDistortion() throws -> FluxDistortion {
    try FluxDistortion(terms: [
        ExponentialSettlingTerm(amplitude: 0.1, timeConstantNs: 20),
        ExponentialSettlingTerm(amplitude: -0.05, timeConstantNs: 3),
    ])
}

@Test func distortedStepFollowsExponentialSettling() throws {
    let distortion = try exampleDistortion()
    let step = [Double](repeating: 1, count: 80)
    let output = distortion.apply(to: step)
    for n in step.indices {
        let t = Double(n) * 0.5
        let closedForm = 1 + 0.1 * Double.exp(-t / 20) - 0.05 * Double.exp(-t / 3)
        #expect(abs(output[n] - closedForm) < 1e-12, "n = \(n)")
    }
    #expect(abs(distortion.transferFunction(atGHz: 0).real - 1) < 1e-15)
}

@Test func iirDistortionMatchesDirectConvolution() throws {
    let distortion = try exampleDistortion()
    var rng = SeededGenerator(seed: 5)
    let signal = (0..<60).map { _ in Double.random(in: -1...1, using: &rng) }
    let fast = distortion.apply(to: signal)
    let slow = DirectReference.distort(signal, by: distortion)
    #expect(maxDifference(fast, slow) < 1e-12, "seed 5")
}

@Test func predistortionThenDistortionRestoresFlatTop() throws {
    let distortion = try exampleDistortion()
    let amp = 0.5
    // 100 ns flat top followed by 100 ns of zeros, so the settling after the pulse is corrected too.
    let pulse = try Envelope.flatTopCosine(durationNs: 100, riseNs: 10, amp: amp).samples().map(\.real)
    let intended = pulse + [Double](repeating: 0, count: 200)
    let corrected = distortion.apply(to: distortion.predistort(intended))
    #expect(maxDifference(corrected, intended) < 1e-3 * amp)
    // Without pre-distortion the overshoot is visible: ~ 0.1·amp at the rising edge.
    #expect(maxDifference(distortion.apply(to: intended), intended) > 1e-2 * amp)
}

@Test func invalidDistortionThrows() {
    #expect(rejectedParameter { try ExponentialSettlingTerm(amplitude: 0.1, timeConstantNs: 0) } == "timeConstantNs")
    #expect(rejectedParameter {
        try FluxDistortion(terms: [ExponentialSettlingTerm(amplitude: -1.5, timeConstantNs: 5)])
    } == "1 + Σ amplitude")
}
