// The CZ gate via the coupler (chip-physics §3.2, §5.3): a calibration search on the two-transmon +
// coupler model finds flat-top flux pulses with a conditional phase of π and leakage below 1 %.
import Testing
import WukongEmulator

/// The bars: |φ_c| = π within 0.02 rad, leakage below 1 %.
private let phaseToleranceRad = 0.02
private let leakageBound = 0.01

@Test func czFluxPulseGivesConditionalPhasePi() {
    // Coupler parked at its decoupling point (≈ 6.05 GHz, CouplerTests); q1 (4.65 GHz) is the moving qubit.
    let model = SubsystemModel.twoTransmonsWithCoupler().tuning(mode: 2, toFrequencyGHz: 6.05)
    let f = model.frequenciesGHz()
    // 5 × 5 scan: coupler on-frequency 5.6 → 4.9 GHz, q1 lowered by 0 → 60 MHz (toward |11⟩–|02⟩ at Δ = |α|).
    let couplerGrid = (0..<5).map { model.fluxOffset(mode: 2, toFrequencyGHz: 5.6 - 0.175 * Double($0)) }
    let qubitGrid = (0..<5).map { model.fluxOffset(mode: 1, toFrequencyGHz: f[1] - 0.015 * Double($0)) }
    let r = CZCalibration.calibrate(model: model, coupler: 2, movingQubit: 1, durationNs: 50, riseNs: 5,
                                    couplerFluxGrid: couplerGrid, qubitFluxGrid: qubitGrid, maxRefinements: 60)
    let onGHz = model.elements[2].frequencyGHz(fluxOffsetPhi0: model.fluxOffsetsPhi0[2] + r.pulse.couplerFluxPhi0)
    let info = "Φc = \(r.pulse.couplerFluxPhi0) (coupler on \(onGHz) GHz), Φq = \(r.pulse.qubitFluxPhi0), \(r.phases)"
    #expect(abs(r.phases.phaseErrorRad) < phaseToleranceRad, "\(info)")
    #expect(r.phases.leakage < leakageBound, "\(info)")
    // Fidelity up to virtual Z is bounded by leakage and phase error; 0.99 leaves room for swap errors.
    #expect(r.phases.czFidelity > 0.99, "\(info)")
    // §5.3: a 40–50 ns CZ needs the coupler near 5.0 GHz.
    #expect((4.8...5.3).contains(onGHz), "\(info)")
}

@Test func idleIsIdentityInDressedFrame() {
    // With no pulse, the dressed-frame propagator of an idle is the identity (static ZZ and dressing removed).
    let model = SubsystemModel.twoTransmonsWithCoupler().tuning(mode: 2, toFrequencyGHz: 6.05)
    let seq = PulseSequence().thenIdle(37.3)
    let solver = SchrodingerSolver(model: model)
    let ud = model.dressedFrame(solver.propagator(seq), solverFrameGHz: solver.frameFrequenciesGHz(for: seq), durationNs: 37.3)
    #expect(ud.maxAbsDifference(.identity(model.dimension)) < 1e-9)
}
