// Stochastic open-system methods against exact results: quantum trajectories vs the Lindblad
// density matrix (within statistical error, seeded), and quasi-static flux noise vs the closed-form
// Gaussian Ramsey decay.
import Numerics
import Testing
import WukongEmulator

@Test func trajectoryAverageConvergesToLindblad() {
    // A driven 3-level transmon with strong T1/T2, then a 1-µs idle: relaxation, dephasing and
    // leakage-level decay all act. Every recorded mean population must lie within 4.5 standard
    // errors of the Lindblad value (≈ 130 comparisons; seeded, so the outcome is fixed).
    let model = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 3, t1Us: 2, t2StarUs: 1.5)
    let samples = (0..<40).map { Complex(0.25 * Double.sin(Double.pi * (Double($0) + 0.5) / 40), 0.05) }
    let seq = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.49, samples: samples)]).thenIdle(1000)
    let exact = LindbladSolver(model: model).evolve(.projector(model.groundState), seq)
    let ensemble = TrajectorySolver(model: model).evolve(model.groundState, seq,
                                                         trajectories: TrajectoryOptions(trajectories: 2000, seed: 7, maxStepNs: 2))
    #expect(ensemble.timesNs == exact.timesNs)
    #expect(ensemble.jumps > 500, "jumps \(ensemble.jumps)")
    var worst = 0.0
    for k in exact.timesNs.indices {
        for m in 0..<model.dimension {
            let sigma = max(ensemble.standardErrors[k][m], 2e-3)
            worst = max(worst, abs(ensemble.populations[k][m] - exact.populations[k][m]) / sigma)
        }
    }
    #expect(worst < 4.5, "largest deviation \(worst) standard errors")
    // The final ensemble ρ against the Lindblad ρ (coherences included), same statistical scale.
    #expect(ensemble.densityMatrix.maxAbsDifference(exact.finalState) < 0.05)
    #expect(abs(ensemble.densityMatrix.trace.real - 1) < 1e-12)
}

@Test func trajectoryWithoutDissipationIsTheSchrodingerState() {
    // No collapse operators: no jumps, every trajectory is the closed-system state of the same step
    // plan (frame midpoints, or the interaction picture for the coupled drive). A coupled model whose
    // idle does not commute with the frame exercises the lab-step phases.
    let pair = SubsystemModel.twoTransmonsWithCoupler(levels: 2).tuning(mode: 2, toFrequencyGHz: 5.5)
    let flux = FluxWaveform(element: 2, samplesPhi0: (0..<20).map { 0.02 * Double($0) / 20 })
    let seq = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.4, samples: Array(repeating: Complex(0.5, 0), count: 20))],
                            fluxes: [flux]).thenIdle(37.5)
    let psi0 = pair.basisState([1, 0, 0])
    for scheme in [DrivenStepScheme.frameMidpoint, .automatic] {
        // automatic = the interaction picture here (full x·x couplings rotate in the frame).
        let options = SolverOptions(substeps: 4, drivenScheme: scheme)
        let closed = SchrodingerSolver(model: pair, options: options).evolve(psi0, seq)
        let traj = TrajectorySolver(model: pair, options: options).evolve(psi0, seq, trajectories: TrajectoryOptions(trajectories: 3, seed: 1))
        #expect(traj.jumps == 0)
        #expect(traj.timesNs == closed.timesNs)
        #expect(zip(traj.populations.last!, closed.populations.last!).map { abs($0 - $1) }.max()! < 1e-10, "\(scheme)")
        #expect(traj.densityMatrix.maxAbsDifference(.projector(closed.finalState)) < 1e-10, "\(scheme)")
    }
}

@Test func quasiStaticFluxNoiseGivesGaussianRamseyDecay() {
    // A qubit biased off its sweet spot (d = 0.5, Φ = 0.2 Φ0), frame δ = 1 MHz below f01. Per shot
    // δΦ ~ N(0, σ_Φ); ideal X90 – idle τ – X90 gives P₁ = ½(1 + cos 2π(δ + δf)τ). Closed form for
    // δf = f′δΦ Gaussian: ⟨P₁⟩ = ½(1 + cos(2πδτ)·exp(−(2πσ_f τ)²/2)), σ_f = |f′|σ_Φ.
    // Tolerance: 4 standard errors of the shot mean plus the curvature bound ½|f″|σ_Φ²·2πτ·½.
    let q = ElementParameters(kind: .qubit, name: "q", maxFrequencyGHz: 5.0, anharmonicityGHz: -0.22,
                              squidAsymmetry: 0.5, idleFluxPhi0: 0.2)
    let model = SubsystemModel(elements: [q], levels: [2])
    expectGaussianRamseyEnvelope(model: model, noise: QuasiStaticFluxNoise(sigmaPhi0: [2e-4]), seed: 3)
}

/// The shot-averaged Ramsey fringe of a one-qubit `model` under quasi-static `noise` (4000 draws of
/// `seed`), frame δ = 1 MHz below f01, ideal X90 – idle τ – X90 for τ = 0…800 ns: checks
/// ⟨P₁⟩ = ½(1 + cos(2πδτ)·exp(−(2πσ_f τ)²/2)) within 4 standard errors plus the curvature bound
/// ½|f″|σ_Φ²·2πτ·½, and that the envelope has decayed below ½ at 800 ns.
func expectGaussianRamseyEnvelope(model: SubsystemModel, noise: QuasiStaticFluxNoise, seed: UInt64) {
    let q = model.elements[0]
    let sigmaPhi = noise.sigmaPhi0[0]
    let fq = model.frequenciesGHz()[0], detuning = 0.001
    let sigmaF = noise.frequencySpreadGHz(model, mode: 0)
    #expect(sigmaF > 2e-4 && sigmaF < 2e-3, "σ_f = \(sigmaF) GHz")
    let h = 1e-4
    let curvature = abs(q.frequencyGHz(fluxOffsetPhi0: h) - 2 * fq + q.frequencyGHz(fluxOffsetPhi0: -h)) / (h * h)
    let s = 0.5.squareRoot()
    let x90 = ComplexMatrix([[Complex(s, 0), Complex(0, -s)], [Complex(0, -s), Complex(s, 0)]])
    let taus = stride(from: 0.0, through: 800, by: 100).map { $0 }
    let draws = noise.draws(count: 4000, seed: seed)
    var sum = [Double](repeating: 0, count: taus.count), square = sum
    for d in draws {
        let m = noise.model(model, offsets: d)
        let solver = SchrodingerSolver(model: m, options: SolverOptions(frame: .custom([fq - detuning])))
        for (k, tau) in taus.enumerated() {
            let psi = x90.apply(solver.finalState(x90.apply(m.groundState), PulseSequence().thenIdle(tau)))
            sum[k] += psi[1].lengthSquared
            square[k] += psi[1].lengthSquared * psi[1].lengthSquared
        }
    }
    let n = Double(draws.count)
    for (k, tau) in taus.enumerated() {
        let mean = sum[k] / n
        let se = (max(0, square[k] / n - mean * mean) / n).squareRoot()
        let expected = 0.5 * (1 + Double.cos(2 * .pi * detuning * tau) * Double.exp(-0.5 * Double.pow(2 * .pi * sigmaF * tau, 2)))
        let bias = 0.5 * curvature * sigmaPhi * sigmaPhi * 2 * .pi * tau * 0.5
        #expect(abs(mean - expected) < 4 * se + bias + 1e-9, "τ = \(tau) ns: \(mean) vs \(expected) (se \(se))")
    }
    // The decay is really there: at 800 ns the envelope is well below 1.
    #expect(Double.exp(-0.5 * Double.pow(2 * .pi * sigmaF * 800, 2)) < 0.5)
}
