// Lindblad physics against closed forms and invariants: T1 decay, the Ramsey fringe with T2 decay,
// trace and positivity, and agreement with the Schrödinger solver when there is no dissipation.
import Numerics
import Testing
import WukongEmulator

/// Idle segments are one exact superoperator exponential; the Padé error (~1e-15 relative) grows
/// with the ~log₂‖LΔt‖ ≤ 25 squarings to ≲ 1e-13, so 1e-6 (the bar) is far above the floor.
private let closedFormTolerance = 1e-6
/// Trace and positivity: exact maps preserve trace to rounding, ~1e-14 per step over ≤ 100 steps.
private let traceTolerance = 1e-11

@Test func t1DecayIsExponential() {
    let t1Us = 20.0
    let model = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 2, t1Us: t1Us, t2StarUs: 2 * t1Us)
    let solver = LindbladSolver(model: model)
    let rho0 = ComplexMatrix.projector(model.basisState([1]))
    for tNs in [0.0, 1_000, 5_000, 20_000, 60_000] {
        let p1 = solver.evolve(rho0, PulseSequence().thenIdle(tNs)).finalState[1, 1].real
        #expect(abs(p1 - Double.exp(-tNs / (1000 * t1Us))) < closedFormTolerance, "t = \(tNs) ns")
    }
}

@Test func ramseyFringeOscillatesAtDetuningAndDecaysWithT2() {
    // Frame at f_q − δ: after an ideal X90 from |0⟩, ρ₁₀ = −i/2; idle τ gives ρ₁₁ = ½e^{−τ/T1} and
    // ρ₁₀ = −(i/2)e^{−τ/T2*}e^{−i2πδτ}; a second ideal X90 = exp(−iπX/4) maps that to P₁.
    let t1Us = 30.0, t2Us = 20.0, fq = 4.5, detuning = 0.0003
    let model = SubsystemModel.singleTransmon(frequencyGHz: fq, levels: 2, t1Us: t1Us, t2StarUs: t2Us)
    let solver = LindbladSolver(model: model, options: SolverOptions(frame: .custom([fq - detuning])))
    let s = 1 / 2.0.squareRoot()
    let x90 = ComplexMatrix([[Complex(s, 0), Complex(0, -s)], [Complex(0, -s), Complex(s, 0)]])
    let rho0 = x90 * ComplexMatrix.projector(model.groundState) * x90.adjoint
    for tau in stride(from: 0.0, through: 100_000, by: 12_500) {
        let rho = solver.evolve(rho0, PulseSequence().thenIdle(tau)).finalState
        let p1 = (x90 * rho * x90.adjoint)[1, 1].real
        let r11 = 0.5 * Double.exp(-tau / (1000 * t1Us))
        let r10 = Complex<Double>(0, -0.5) * Complex(length: Double.exp(-tau / (1000 * t2Us)), phase: -2 * .pi * detuning * tau)
        let expectedRho = ComplexMatrix([[Complex(1 - r11, 0), r10.conjugate], [r10, Complex(r11, 0)]])
        let expected = (x90 * expectedRho * x90.adjoint)[1, 1].real
        #expect(abs(p1 - expected) < closedFormTolerance, "τ = \(tau) ns")
    }
}

@Test func lindbladPreservesTraceAndPositivity() {
    let model = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 3, t1Us: 0.5, t2StarUs: 0.3,
                                              thermalPopulation: 0.05)
    let solver = LindbladSolver(model: model, options: SolverOptions(substeps: 2, recordEverySample: true),
                                dissipation: DissipationOptions(thermalExcitation: true))
    let samples = (0..<40).map { Complex(0.6 * Double.sin(Double.pi * Double($0) / 40), 0.05) }
    let seq = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.5, samples: samples)]).thenIdle(300)
    let run = solver.evolve(solver.thermalState(), seq)
    for p in run.populations {
        #expect(abs(p.reduce(0, +) - 1) < traceTolerance)
        #expect(p.allSatisfy { $0 > -traceTolerance })
    }
    let rho = run.finalState
    #expect(rho.hermiticityError < traceTolerance)
    let eig = HermitianEigen((rho + rho.adjoint).scaled(by: 0.5))
    #expect(eig.values.allSatisfy { $0 > -traceTolerance }, "eigenvalues \(eig.values)")
    #expect(abs(rho.trace.real - 1) < traceTolerance)
}

@Test func lindbladWithoutDissipationMatchesSchrodinger() {
    // Checks the vectorization convention: ρ(T) = U ρ₀ U† when there are no collapse operators.
    let model = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 3)
    let samples = (0..<30).map { Complex(0.5 * Double.sin(Double.pi * Double($0) / 30), 0.1) }
    let seq = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.47, samples: samples)]).thenIdle(7.3)
    let u = SchrodingerSolver(model: model).propagator(seq)
    let rho0 = ComplexMatrix.projector([Complex(0.6, 0), Complex(0, 0.8), .zero])
    let rho = LindbladSolver(model: model).evolve(rho0, seq).finalState
    #expect(rho.maxAbsDifference(u * rho0 * u.adjoint) < 1e-10)
}
