// The fast solver kernels against their simple references: Householder–QL eigen-decomposition vs
// Jacobi, the in-place propagator vs the one-matrix-per-step path, exact idle Lindblad states vs
// chained `evolve`, and the state kernels vs the propagator.
import Numerics
import Testing
import WukongEmulator
import WukongPulses

/// Rounding bound for O(n³) kernels with entries ≲ 10 at n ≤ 27 (see LinearAlgebraTests), over ≤ 100
/// steps; lab-frame phases Eₘt reach ~2·10³ rad, whose cos/sin carry ~2e-13 each, so 1e-10 overall.
private let kernelTolerance = 1e-10

@Test func householderEigenMatchesJacobi() {
    var rng = TestRandom(seed: 77)
    for n in [1, 2, 3, 4, 9, 27] {
        for real in [true, false] {
            var h = rng.hermitian(n, scale: 3)
            if real { h.im = h.im.map { _ in 0 } }
            let fast = HermitianEigen(householder: h), jacobi = HermitianEigen(h)
            #expect(fast.reconstructed.maxAbsDifference(h) < kernelTolerance, "n = \(n), real \(real)")
            #expect((fast.vectors.adjoint * fast.vectors).maxAbsDifference(.identity(n)) < kernelTolerance)
            let worst = zip(fast.values, jacobi.values).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < kernelTolerance, "eigenvalues, n = \(n), real \(real)")
        }
    }
    // Degenerate spectrum (bare Duffing levels) and a diagonal matrix.
    let diag = ComplexMatrix.diagonal([1, 1, 2, 2, 2, 0])
    #expect(HermitianEigen(householder: diag).reconstructed.maxAbsDifference(diag) < kernelTolerance)
    let pair = SubsystemModel.twoTransmonsWithCoupler().staticHamiltonian()
    #expect(HermitianEigen(householder: pair).reconstructed.maxAbsDifference(pair) < 1e-12 * pair.frobeniusNorm)
}

@Test func fastPropagatorMatchesReferencePath() throws {
    // Driven coupled model (frame steps with rotating couplings, sub-steps), a flux pulse with an
    // idle, and an uncoupled DRAG pulse: every step kind of the planner.
    let pair = SubsystemModel.twoTransmonsWithCoupler().tuning(mode: 2, toFrequencyGHz: 6.05)
    let drag = try Envelope.drag(durationNs: 10, sigmaNs: 2.5, betaNs: 0.3, amp: 0.4).samples()
    let flux = FluxWaveform(element: 2, samplesPhi0: (0..<30).map { 0.05 * Double.sin(Double.pi * Double($0) / 30) })
    let sequences = [
        PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.39, phaseRad: 0.3, samples: drag)]).thenIdle(3.3),
        PulseSequence(fluxes: [flux]).thenIdle(12),
        PulseSequence(drives: [DriveWaveform(element: 1, frequencyGHz: 4.64, samples: drag)], fluxes: [flux]),
    ]
    for (i, seq) in sequences.enumerated() {
        for options in [SolverOptions(substeps: 3, drivenScheme: .frameMidpoint),
                        SolverOptions(frame: .lab, driveRWA: false, substeps: 2, drivenScheme: .frameMidpoint)] {
            let solver = SchrodingerSolver(model: pair, options: options)
            let u = solver.propagator(seq), ref = solver.referencePropagator(seq)
            #expect(u.maxAbsDifference(ref) < kernelTolerance, "sequence \(i), frame \(options.frame)")
            let psi = solver.finalState(pair.groundState, seq)
            #expect(zip(psi, ref.column(0)).map { ($0 - $1).length }.max()! < kernelTolerance)
        }
    }
    let one = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 3)
    let seq = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.5, samples: drag)])
    let solver = SchrodingerSolver(model: one)
    #expect(solver.propagator(seq).maxAbsDifference(solver.referencePropagator(seq)) < kernelTolerance)
}

@Test func exactIdleStatesMatchChainedEvolution() {
    // Frame-commuting (single transmon) and non-commuting (coupled pair, 2 levels) idle Lindblad.
    let q = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 3, t1Us: 3, t2StarUs: 2)
    let pair = SubsystemModel(elements: SubsystemModel.twoTransmonsWithCoupler().elements.map {
        var e = $0
        e.t1Us = 2; e.t2StarUs = 1.5
        return e
    }, levels: [2, 2, 2], couplings: SubsystemModel.twoTransmonsWithCoupler().couplings)
    for model in [q, pair] {
        let solver = LindbladSolver(model: model)
        var psi = [Complex<Double>](repeating: Complex(1 / Double(model.dimension).squareRoot(), 0), count: model.dimension)
        psi[1] = Complex(0, psi[1].real)
        let rho0 = ComplexMatrix.projector(psi)
        let times = [0.0, 0.7, 250, 500, 750, 2000.25]
        let states = solver.idleStates(rho0, timesNs: times)
        for (t, rho) in zip(times, states) {
            let ref = solver.evolve(rho0, PulseSequence().thenIdle(t)).finalState
            #expect(rho.maxAbsDifference(ref) < 1e-10, "t = \(t), dimension \(model.dimension)")
        }
    }
}

@Test func interactionPictureStepsConvergeAtFourthOrder() throws {
    // A DRAG pulse on q0 of the full x·x two-transmon + coupler model: the coupler's counter-rotating
    // terms rotate at ~11 GHz in the frame. In the interaction picture of H₀ they are exact, and CF4
    // sub-steps converge at fourth order (a change shrinking ~16× per doubling once resolved).
    let pair = SubsystemModel.twoTransmonsWithCoupler().tuning(mode: 2, toFrequencyGHz: 6.05)
    let drag = try Envelope.drag(durationNs: 12, sigmaNs: 3, betaNs: 0.3, amp: 0.5).samples()
    let seq = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.39, samples: drag)]).thenIdle(2)
    func ip(_ m: Int) -> ComplexMatrix {
        SchrodingerSolver(model: pair, options: SolverOptions(substeps: m, drivenScheme: .interactionPicture)).propagator(seq)
    }
    #expect(SchrodingerSolver(model: pair).usesInteractionPicture(seq))
    let u = [2, 4, 8, 16].map(ip)
    let changes = zip(u, u.dropFirst()).map { $0.maxAbsDifference($1) }
    #expect(changes[2] < 1e-6, "changes \(changes)")
    #expect(changes[1] / changes[2] > 8, "order: changes \(changes)")
    print("interaction-picture CF4 changes per doubling (2→4→8→16 sub-steps): \(changes)")
    #expect((u[3].adjoint * u[3]).maxAbsDifference(.identity(pair.dimension)) < 1e-10)
    // The state kernel follows the same path.
    let psi = SchrodingerSolver(model: pair, options: SolverOptions(substeps: 16, drivenScheme: .interactionPicture))
        .finalState(pair.groundState, seq)
    #expect(zip(psi, u[3].column(0)).map { ($0 - $1).length }.max()! < kernelTolerance)
}

@Test func interactionPictureAgreesWithResolvedFrameSteps() throws {
    // Two-level modes keep the brute-force reference affordable: frame midpoints with m sub-steps
    // err ∝ 1/m²; the interaction-picture result must be what they converge to.
    let pair = SubsystemModel.twoTransmonsWithCoupler(levels: 2).tuning(mode: 2, toFrequencyGHz: 6.05)
    let drag = try Envelope.drag(durationNs: 8, sigmaNs: 2, betaNs: 0, amp: 0.6).samples()
    let seq = PulseSequence(drives: [DriveWaveform(element: 1, frequencyGHz: 4.64, samples: drag)])
    let exact = SchrodingerSolver(model: pair, options: SolverOptions(substeps: 16, drivenScheme: .interactionPicture)).propagator(seq)
    let errors = [200, 400].map { m in
        SchrodingerSolver(model: pair, options: SolverOptions(substeps: m, drivenScheme: .frameMidpoint)).propagator(seq)
            .maxAbsDifference(exact)
    }
    #expect(errors[1] < 1e-3, "errors \(errors)")
    #expect(errors[0] / errors[1] > 3, "midpoint error must shrink ~4× towards the interaction-picture result: \(errors)")
}
