// Closed-system physics against closed forms and invariants: Rabi, generalized Rabi, the shared
// drive convention (oracle π amplitude), unitarity, and conservation without drive.
import Foundation
import Numerics
import Testing
import WukongDevice
import WukongEmulator
import WukongPulses

/// Closed-form agreement: the solver is exact for held samples in the carrier frame, so only rounding
/// remains (~1e-14 per step × ≤ 200 steps); 1e-6 is the bar, far above that floor.
private let closedFormTolerance = 1e-6
/// Unitarity: each step's eigenvectors are unitary to ~1e-14, products of ≤ 100 steps stay ≲ 1e-12.
private let unitarityTolerance = 1e-10

@Test func resonantRabiMatchesSinSquared() {
    let model = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 2, driveRabiGHz: 0.08)
    let a = 0.3
    let seq = ClosedForm.constantDrive(amplitude: a, samples: 200, frequencyGHz: 4.5)
    let run = SchrodingerSolver(model: model).evolve(model.groundState, seq)
    #expect(run.timesNs.count == 201)
    for (t, p) in zip(run.timesNs, run.populations) {
        #expect(abs(p[1] - ClosedForm.resonantRabiP1(rabiGHz: 0.08, amplitude: a, timeNs: t)) < closedFormTolerance, "t = \(t)")
    }
}

@Test func detunedRabiMatchesGeneralizedRabiFormula() {
    let model = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 2, driveRabiGHz: 0.08)
    let a = 0.25, detuning = 0.012
    let seq = ClosedForm.constantDrive(amplitude: a, samples: 300, frequencyGHz: 4.5 - detuning)
    let run = SchrodingerSolver(model: model).evolve(model.groundState, seq)
    var worst = 0.0
    for (t, p) in zip(run.timesNs, run.populations) {
        worst = max(worst, abs(p[1] - ClosedForm.detunedRabiP1(rabiGHz: 0.08, amplitude: a, detuningGHz: detuning, timeNs: t)))
    }
    #expect(worst < closedFormTolerance)
}

@Test func drivePhaseSetsRotationAxis() {
    // A π/2 pulse at phase φ on |0⟩ gives (|0⟩ − i e^{iφ}|1⟩)/√2 (RPhi(π/2, φ)); check the relative phase.
    let model = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 2, driveRabiGHz: 0.1)
    let samples = 20, dt = 0.5
    let a = 0.25 / (0.1 * Double(samples) * dt)   // θ = 2π f_R a T = π/2
    let phi = 0.7
    let psi = SchrodingerSolver(model: model).evolve(model.groundState,
        ClosedForm.constantDrive(amplitude: a, samples: samples, frequencyGHz: 4.5, phaseRad: phi)).finalState
    let ratio: Complex<Double> = psi[1] / psi[0]
    let expected = Complex<Double>(0, -1) * Complex(length: 1, phase: phi)
    #expect((ratio - expected).length < closedFormTolerance)
}

@Test func oraclePiAmplitudeRotatesByPiOnTrueDevice() throws {
    let spec = try DeviceSpec.load(path: Fixtures.packageRoot.appendingPathComponent("calibration/device.yaml").path)
    let device = try ChipDevice.generate(from: spec)
    let oracle = try CalibrationSnapshot.oracle(device: device, spec: spec)
    for q in [QubitIndex(0), QubitIndex(7)] {
        let model = SubsystemModel(device: device, qubits: [q], levels: 3)
        let env = try Envelope.drag(durationNs: oracle.value(.rphiDuration, q), sigmaNs: oracle.value(.rphiSigma, q),
                                    betaNs: oracle.value(.dragBeta, q), amp: oracle.value(.piAmplitude, q))
        let seq = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: oracle.value(.driveFrequency, q),
                                                       samples: try env.samples(sampleRateGHz: 2))])
        let p = SchrodingerSolver(model: model).evolve(model.groundState, seq).finalState.map(\.lengthSquared)
        #expect(p[1] > 0.999, "\(q): P1 = \(p[1]), leakage \(p[2])")
    }
}

@Test func propagatorIsUnitary() {
    // A driven 3-level transmon with a DRAG-like complex envelope and sub-steps.
    let model = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 3)
    let samples = (0..<60).map { k in Complex(0.4 * Double.sin(Double(k) * 0.05), 0.1 * Double.cos(Double(k) * 0.1)) }
    let u = SchrodingerSolver(model: model, options: SolverOptions(substeps: 3))
        .propagator(PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.49, samples: samples)]))
    #expect((u.adjoint * u).maxAbsDifference(.identity(3)) < unitarityTolerance)

    // Two transmons and a coupler (27 levels) under a coupler flux pulse and a qubit drive.
    let pair = SubsystemModel.twoTransmonsWithCoupler()
    let flux = FluxWaveform(element: 2, samplesPhi0: (0..<20).map { 0.05 * Double.sin(Double.pi * Double($0) / 20) })
    let drive = DriveWaveform(element: 0, frequencyGHz: 4.4, samples: Array(repeating: Complex(0.1, 0), count: 6))
    let v = SchrodingerSolver(model: pair).propagator(PulseSequence(drives: [drive], fluxes: [flux]))
    #expect((v.adjoint * v).maxAbsDifference(.identity(27)) < unitarityTolerance)
}

@Test func undrivenEvolutionConservesEnergyAndEigenstatePopulations() {
    // Lab frame, coupler held away from idle: the Hamiltonian is constant, so ⟨H⟩ and the
    // populations of its eigenstates must not change.
    var model = SubsystemModel.twoTransmonsWithCoupler(levels: 2)
    model = model.tuning(mode: 2, toFrequencyGHz: 5.2)
    let h = model.staticHamiltonian()
    let eig = HermitianEigen(h)
    var psi = (0..<model.dimension).map { Complex(1 + Double($0 % 3), Double($0 % 2)) }
    let norm = psi.reduce(0) { $0 + $1.lengthSquared }.squareRoot()
    psi = psi.map { $0.divided(by: norm) }
    func observables(_ s: [Complex<Double>]) -> (energy: Double, eigenPopulations: [Double]) {
        let hs = h.apply(s)
        let e = zip(s, hs).reduce(0.0) { $0 + ($1.0.conjugate * $1.1).real }
        return (e, eig.vectors.adjoint.apply(s).map(\.lengthSquared))
    }
    let before = observables(psi)
    let solver = SchrodingerSolver(model: model, options: SolverOptions(frame: .lab))
    for samples in [1, 15, 80] {
        let seq = PulseSequence(fluxes: [FluxWaveform(element: 2, samplesPhi0: Array(repeating: 0, count: samples))])
        let after = observables(solver.evolve(psi, seq).finalState)
        #expect(abs(after.energy - before.energy) < 1e-9 * abs(before.energy))
        #expect(zip(after.eigenPopulations, before.eigenPopulations).allSatisfy { abs($0 - $1) < 1e-10 })
    }
}
