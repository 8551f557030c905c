// The fast static-ZZ scan and the closed-form 3-level step against their references.
import Numerics
import Testing
import WukongEmulator
import WukongPulses

@Test func staticZZScannerMatchesReference() {
    // The benchmark's scan (3-level modes, full x·x, coupler 5.6–6.4 GHz) plus points through the
    // qubit–coupler region where labels are least clear-cut, and a 2-level model.
    for levels in [3, 2] {
        let pair = SubsystemModel.twoTransmonsWithCoupler(levels: levels)
        var scanner = StaticZZScanner(model: pair, qubit: 0, 1)
        for fc in stride(from: 5.0, through: 6.8, by: 0.05) {
            let model = pair.tuning(mode: 2, toFrequencyGHz: fc)
            let reference = model.staticZZGHz(qubit: 0, 1)
            let fast = scanner.zzGHz(model)
            #expect(abs(fast - reference) < 1e-10, "levels \(levels), f_c = \(fc): \(fast) vs \(reference)")
        }
        // Extra flux on a qubit goes through the same path.
        let flux = [0.0, 0.05, 0.0]
        #expect(abs(scanner.zzGHz(pair, extraFluxPhi0: flux) - pair.staticZZGHz(qubit: 0, 1, extraFluxPhi0: flux)) < 1e-10)
    }
}

@Test func closedFormThreeLevelStepsMatchTheReference() throws {
    // The 3 × 3 closed-form exponential (ClosedStepper.applyHermitian3) against the Jacobi reference
    // path: on and off resonance, a phase, sub-steps, the lab frame without RWA (complex H with a
    // wide spectrum), and a drive so weak that the |0⟩,|1⟩ pair is nearly degenerate in the carrier
    // frame (the closed form declines and the general path runs).
    let one = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 3)
    let drag = try Envelope.drag(durationNs: 20, sigmaNs: 5, betaNs: 0.4, amp: 0.7).samples()
    let tiny = drag.map { $0.multiplied(by: 1e-6) }
    let cases: [([Complex<Double>], Double, SolverOptions)] = [
        (drag, 4.5, SolverOptions()),
        (drag, 4.47, SolverOptions(substeps: 3)),
        (tiny, 4.5, SolverOptions()),
        (drag, 4.5, SolverOptions(frame: .lab, driveRWA: false, substeps: 4, drivenScheme: .frameMidpoint)),
    ]
    for (i, (samples, f, options)) in cases.enumerated() {
        let seq = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: f, phaseRad: 0.7, samples: samples)])
        let solver = SchrodingerSolver(model: one, options: options)
        let u = solver.propagator(seq)
        #expect(u.maxAbsDifference(solver.referencePropagator(seq)) < 1e-10, "case \(i)")
        #expect((u.adjoint * u).maxAbsDifference(.identity(3)) < 1e-12, "case \(i)")
        // States take the same closed-form steps (the Rabi sweep's path).
        let psi = solver.finalState(one.groundState, seq), ref = solver.referencePropagator(seq).column(0)
        #expect(zip(psi, ref).map { ($0 - $1).length }.max()! < 1e-10, "state, case \(i)")
    }
}

@Test func staticZZFrequencyScanMatchesReference() {
    // The benchmark's path: mode frequencies given directly, Rayleigh-quotient eigenpairs, 2 threads.
    for levels in [3, 2] {
        let pair = SubsystemModel.twoTransmonsWithCoupler(levels: levels)
        let idle = pair.frequenciesGHz()
        let grid = Array(stride(from: 5.0, through: 6.8, by: 0.05))
        var scanner = StaticZZScanner(model: pair, qubit: 0, 1)
        let points = grid.map { [idle[0], idle[1], $0] }
        let serial = points.map { scanner.zzGHz(frequenciesGHz: $0) }
        for (fc, fast) in zip(grid, serial) {
            let reference = pair.tuning(mode: 2, toFrequencyGHz: fc).staticZZGHz(qubit: 0, 1)
            #expect(abs(fast - reference) < 1e-10, "levels \(levels), f_c = \(fc): \(fast) vs \(reference)")
        }
        // The fast path served the scan (fallbacks are the exception, not the rule).
        #expect(scanner.fullFallbacks == 0 && scanner.qlFallbacks * 4 < grid.count, "QL \(scanner.qlFallbacks), full \(scanner.fullFallbacks)")
        // The scan: four points per SIMD batch (lanes it cannot label go scalar), 1 and 2 threads.
        for workers in [1, 2] {
            let scanned = scanner.scan(frequenciesGHz: points, workers: workers)
            let worst = zip(scanned, serial).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-13, "levels \(levels), workers \(workers): batch vs scalar \(worst) GHz")
        }
        // A qubit moved too: the same diagonal as the flux path.
        let moved = pair.frequenciesGHz(extraFluxPhi0: [0.0, 0.05, 0.0])
        #expect(abs(scanner.zzGHz(frequenciesGHz: moved) - pair.staticZZGHz(qubit: 0, 1, extraFluxPhi0: [0.0, 0.05, 0.0])) < 1e-10)
    }
}

@Test func blockedFluxPropagatorMatchesReference() throws {
    // Flux-only sequences take the block-by-block path (parity sectors for x·x couplings, excitation
    // sectors for RWA ones): a CZ pulse on coupler and moving qubit, in the automatic and lab frames.
    let cz = CZPulseParameters(coupler: 2, movingQubit: 1, durationNs: 40, riseNs: 5, couplerFluxPhi0: 0.09, qubitFluxPhi0: 0.05)
    for form in [CouplingForm.full, .rotatingWave] {
        let model = SubsystemModel.twoTransmonsWithCoupler(couplingForm: form).tuning(mode: 2, toFrequencyGHz: 6.05)
        for options in [SolverOptions(), SolverOptions(frame: .lab)] {
            let solver = SchrodingerSolver(model: model, options: options)
            let seq = cz.sequence().thenIdle(7.5)
            let u = solver.propagator(seq)
            #expect(u.maxAbsDifference(solver.referencePropagator(seq)) < 1e-10, "\(form), frame \(options.frame)")
            #expect((u.adjoint * u).maxAbsDifference(.identity(model.dimension)) < 1e-12)
        }
    }
}
