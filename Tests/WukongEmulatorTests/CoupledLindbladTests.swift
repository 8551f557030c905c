// The Lindblad solver on coupled drives (two transmons + coupler, a DRAG drive and a coupler flux
// pulse): the interaction-picture CF4 path against a fine RK4 reference in the frame, against the
// closed solver without dissipation (full x·x couplings), trace and positivity of ρ, and the mean of
// quantum trajectories.
import Numerics
import Testing
import WukongEmulator
import WukongPulses

/// The pair with two-level modes and decoherence on every mode (T1 = 0.5 µs, T2* = 0.4 µs: strong, so
/// the open-system populations differ from the closed ones by ~1e-2, far above the 1e-6 asked for).
private func lossyPair(_ form: CouplingForm, lossy: Bool = true) -> SubsystemModel {
    let base = SubsystemModel.twoTransmonsWithCoupler(levels: 2, couplingForm: form)
    let elements = base.elements.map { e in
        ElementParameters(kind: e.kind, name: e.name, maxFrequencyGHz: e.maxFrequencyGHz, anharmonicityGHz: e.anharmonicityGHz,
                          squidAsymmetry: e.squidAsymmetry, idleFluxPhi0: e.idleFluxPhi0,
                          t1Us: lossy ? 0.5 : .infinity, t2StarUs: lossy ? 0.4 : .infinity, driveRabiGHz: e.driveRabiGHz)
    }
    return SubsystemModel(elements: elements, levels: base.levels, couplings: base.couplings, couplingForm: base.couplingForm)
        .tuning(mode: 2, toFrequencyGHz: 6.05)
}

/// An 8-ns DRAG pulse on q0 slightly off its frequency, then an 8-ns coupler flux excursion, then 2 ns idle.
private func driveThenFlux() throws -> PulseSequence {
    let drag = try Envelope.drag(durationNs: 8, sigmaNs: 2, betaNs: 0.3, amp: 0.8).samples()
    let flux = FluxWaveform(element: 2, samplesPhi0: (0..<16).map { 0.03 * Double.sin(Double.pi * (Double($0) + 0.5) / 16) })
    return PulseSequence(segments: [.block(PulseBlock(drives: [DriveWaveform(element: 0, frequencyGHz: 4.385, samples: drag)])),
                                    .block(PulseBlock(fluxes: [flux]))]).thenIdle(2)
}

@Test func coupledLindbladMatchesFineRK4Reference() throws {
    // RWA couplings keep the frame's fastest rotation at the qubit–coupler detunings (~10 rad/ns), so
    // RK4 at 0.01 ns converges; they still rotate in the frame, so the interaction picture is used.
    let pair = lossyPair(.rotatingWave)
    let seq = try driveThenFlux()
    #expect(SchrodingerSolver(model: pair).usesInteractionPicture(seq))
    let rho0 = ComplexMatrix.projector(pair.groundState)
    let solver = LindbladSolver(model: pair)
    // The RK4 reference at two step sizes (0.02 and 0.01 ns). Fourth order: the finer one's error is
    // ≈ gap/15, and Richardson's fine + (fine − coarse)/15 removes that leading term.
    let coarse = solver.referenceEvolve(rho0, seq, stepsPerSample: 25)
    let finer = solver.referenceEvolve(rho0, seq, stepsPerSample: 50)
    let referenceError = coarse.maxAbsDifference(finer)
    #expect(referenceError < 1e-6, "RK4 reference not converged: \(referenceError)")
    let fine = finer + (finer - coarse).scaled(by: 1.0 / 15)
    var errors: [Double] = []
    for m in [1, 2, 4] {
        let rho = LindbladSolver(model: pair, options: SolverOptions(substeps: m)).evolve(rho0, seq).finalState
        errors.append(rho.maxAbsDifference(fine))
        if m == 4 {
            let pops = (0..<pair.dimension).map { rho[$0, $0].real }
            let refPops = (0..<pair.dimension).map { fine[$0, $0].real }
            #expect(zip(pops, refPops).map { abs($0 - $1) }.max()! < 1e-6, "populations \(pops) vs \(refPops)")
            #expect(errors.last! < 1e-6, "ρ differs by \(errors.last!)")
        }
    }
    // The frame-midpoint path at the same sub-steps, for the record (the old behaviour).
    let midpoint = LindbladSolver(model: pair, options: SolverOptions(substeps: 4, drivenScheme: .frameMidpoint))
        .evolve(rho0, seq).finalState.maxAbsDifference(fine)
    print("coupled Lindblad vs RK4 (max |Δρ|): interaction picture 1/2/4 sub-steps \(errors), frame midpoint 4 sub-steps \(midpoint), RK4 step-halving gap \(referenceError), Richardson correction \(fine.maxAbsDifference(finer))")
    // The dissipation matters at this scale: the closed-system state is far from ρ.
    let closed = SchrodingerSolver(model: pair, options: SolverOptions(substeps: 4)).finalState(pair.groundState, seq)
    #expect(ComplexMatrix.projector(closed).maxAbsDifference(fine) > 1e-3)
}

@Test func coupledLindbladWithoutDissipationIsTheClosedSolver() throws {
    // Full x·x couplings (counter-rotating terms at ~10 GHz in the frame): with no collapse operators
    // the Lindblad interaction-picture step is the closed solver's CF4 step, so ρ = UρU†.
    let pair = lossyPair(.full, lossy: false)
    let seq = try driveThenFlux()
    let options = SolverOptions(substeps: 4)
    let u = SchrodingerSolver(model: pair, options: options).propagator(seq)
    var psi = [Complex<Double>](repeating: .zero, count: pair.dimension)
    psi[0] = Complex(0.6, 0)
    psi[pair.basisIndex([1, 0, 0])] = Complex(0, 0.8)
    let rho0 = ComplexMatrix.projector(psi)
    let rho = LindbladSolver(model: pair, options: options).evolve(rho0, seq).finalState
    #expect(rho.maxAbsDifference(u * rho0 * u.adjoint) < 1e-10)
}

@Test func coupledLindbladKeepsTraceAndPositivity() throws {
    let model = lossyPair(.full)
    let seq = try driveThenFlux().thenIdle(50)
    let run = LindbladSolver(model: model, options: SolverOptions(substeps: 2, recordEverySample: true))
        .evolve(.projector(model.groundState), seq)
    #expect(run.populations.count > 30)
    for p in run.populations {
        #expect(abs(p.reduce(0, +) - 1) < 1e-11)
        #expect(p.allSatisfy { $0 > -1e-11 })
    }
    let rho = run.finalState
    #expect(rho.hermiticityError < 1e-11)
    let eig = HermitianEigen((rho + rho.adjoint).scaled(by: 0.5))
    #expect(eig.values.allSatisfy { $0 > -1e-11 }, "eigenvalues \(eig.values)")
}

@Test func coupledLindbladAgreesWithTrajectoryMean() throws {
    // Same physics, different method: every recorded mean population of 2000 trajectories lies within
    // 5 standard errors (floor 1e-3) of the Lindblad value (seeded, so the outcome is fixed).
    let model = lossyPair(.full)
    let seq = try driveThenFlux().thenIdle(300)
    let options = SolverOptions(substeps: 4)
    let exact = LindbladSolver(model: model, options: options).evolve(.projector(model.groundState), seq)
    let ensemble = TrajectorySolver(model: model, options: options)
        .evolve(model.groundState, seq, trajectories: TrajectoryOptions(trajectories: 2000, seed: 11, maxStepNs: 2))
    #expect(ensemble.timesNs == exact.timesNs)
    #expect(ensemble.jumps > 100, "jumps \(ensemble.jumps)")
    var worst = 0.0
    for k in exact.timesNs.indices {
        for m in 0..<model.dimension {
            let sigma = max(ensemble.standardErrors[k][m], 1e-3)
            worst = max(worst, abs(ensemble.populations[k][m] - exact.populations[k][m]) / sigma)
        }
    }
    #expect(worst < 5, "largest deviation \(worst) standard errors")
}
