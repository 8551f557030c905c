// The calibration-derived noise model and the noisy runners: recorded fidelities reproduced,
// idle relaxation of waiting qubits, readout statistics, trajectories vs density matrix.
import Foundation
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct NoiseModelTests {
    @Test(arguments: [0.995, 0.99, 0.9])
    func oneQubitGateFidelityEqualsRecordedFidelity(recorded: Double) throws {
        var device = noisyChain(2)
        device.qubits[0].rphiFidelity = recorded
        let model = GateNoiseModel(device: device)
        for gate in [StandardGate.h, .x, .sx] {
            let ch = try model.noisyChannel(GateApplication(gate, [0]))
            #expect(abs(ch.averageGateFidelity(to: gate.matrix()) - recorded) < fidelityTolerance, "\(gate)")
            #expect(ch.isTracePreserving())
        }
    }

    @Test func twoQubitGateFidelityEqualsRecordedCZFidelity() throws {
        var device = noisyChain(3)
        device.qubits = device.qubits.map { var q = $0; q.rphiFidelity = .nan; return q }
        let model = GateNoiseModel(device: device)
        for gate in [StandardGate.cz, .cx] {
            let ch = try model.noisyChannel(GateApplication(gate, [1, 2]))
            #expect(abs(ch.averageGateFidelity(to: gate.matrix()) - 0.95) < fidelityTolerance, "\(gate)")
        }
        // Qubits 0 and 2 are not coupled: the chip-mean CZ (here the same 0.95) is used.
        let far = try model.noisyChannel(GateApplication(.cz, [0, 2]))
        #expect(abs(far.averageGateFidelity(to: StandardGate.cz.matrix()) - 0.95) < fidelityTolerance)
    }

    @Test func fidelityAboveTheCoherenceLimitAddsNoDepolarizing() throws {
        var device = noisyChain(1)
        device.qubits[0].rphiFidelity = 0.99999
        let model = GateNoiseModel(device: device)
        let ch = try model.noisyChannel(GateApplication(.x, [0]))
        let relax = KrausChannel.thermalRelaxation(durationNs: 30, t1Us: 10, t2Us: 6, excitedPopulation: 0.02)
        #expect(abs(ch.averageGateFidelity(to: StandardGate.x.matrix()) - relax.averageGateFidelity) < fidelityTolerance)
    }

    @Test func virtualGatesTakeNoTimeAndAddNoNoise() throws {
        let model = GateNoiseModel(device: noisyChain(1))
        for gate in [StandardGate.rz, .s, .t, .z, .p] {
            let ps = (0..<gate.parameterCount).map { _ in ParameterExpression.constant(0.7) }
            let ch = try model.noisyChannel(GateApplication(gate, [0], ps))
            #expect(ch.operators.count == 1 && abs(ch.averageGateFidelity(to: gate.matrix(ps.map { _ in 0.7 })) - 1) < 1e-15)
        }
        #expect(StandardGate.swap.czCount == 3 && StandardGate.cx.czCount == 1 && StandardGate.ccx.czCount == 6)
    }

    @Test func idleRelaxationDecaysAWaitingQubit() throws {
        // X on q0, then 40 X gates on q1: q0 waits 39 layers of 30 ns after its own 30-ns gate.
        var device = noisyChain(2)
        device.qubits = device.qubits.map { var q = $0; q.rphiFidelity = .nan; return q }
        var options = NoiseOptions()
        options.residualZZ = false
        let model = GateNoiseModel(device: device, options: options)
        var c = Circuit(numQubits: 2)
        try c.append(.x, [0])
        for _ in 0..<40 { try c.append(.x, [1]) }
        let t = try NoisySimulator.scheduledDurationNs(c, noise: model)
        #expect(abs(t - 1200) < 1e-9)
        let rho = try NoisySimulator.finalDensityMatrix(c, noise: model)
        let decay = Foundation.exp(-t / 1000 / 10)
        #expect(abs(rho.probabilityOfOne(0) - (decay + 0.02 * (1 - decay))) < closedFormTolerance)
        // Without idle noise only the gate's own 30 ns count.
        var noIdle = model
        noIdle.options.idleRelaxation = false
        let short = Foundation.exp(-30.0 / 1000 / 10)
        let rho2 = try NoisySimulator.finalDensityMatrix(c, noise: noIdle)
        #expect(abs(rho2.probabilityOfOne(0) - (short + 0.02 * (1 - short))) < closedFormTolerance)
    }

    @Test func residualZZAccumulatesAPhaseBetweenCoupledQubits() throws {
        // |++⟩ on q0, q1 while q2 runs 10 X gates (30 ns each): only the (0, 1) coupler has ZZ, so
        // the |11⟩ component of q0 q1 picks up e^{−i·2π·ζ·300 ns}.
        var options = NoiseOptions.none
        options.enabled = true
        options.residualZZ = true
        var device = noisyChain(3, zzGHz: 1e-3)
        device.couplers[QubitPair(1, 2)]?.residualZZGHz = .nan
        let model = GateNoiseModel(device: device, options: options)
        var c = Circuit(numQubits: 3)
        try c.append(.h, [0]); try c.append(.h, [1])
        for _ in 0..<10 { try c.append(.x, [2]) }
        let rho = try NoisySimulator.finalDensityMatrix(c, noise: model)
        let t = try NoisySimulator.scheduledDurationNs(c, noise: model)
        #expect(abs(t - 300) < 1e-9)
        // ρ[00][11] = ψ₀₀·ψ₁₁* = ¼·e^{+i·2πζt}.
        let phase = 2 * Double.pi * 1e-3 * t
        let expected = Complex(Foundation.cos(phase), Foundation.sin(phase)).multiplied(by: 0.25)
        #expect((rho[0, 3] - expected).length < closedFormTolerance, "t = \(t)")
    }

    @Test func readoutConfusionReproducesTheAssignmentMatrix() throws {
        let confusion = ReadoutConfusion(rowMajor: [0.96, 0.09, 0.04, 0.91])
        var options = NoiseOptions.none
        options.enabled = true
        options.readout = true
        let model = GateNoiseModel(device: noisyChain(2, readout: confusion), options: options)
        var c = Circuit(numQubits: 2, numClbits: 2)
        try c.append(.x, [0])
        try c.measure(0, 0); try c.measure(1, 1)
        var run = GateRunOptions()
        run.shots = 20_000
        run.seed = 77
        let counts = try NoisySimulator.run(c, noise: model, options: run).counts
        let q0reads1 = counts.filter { $0.key.last == "1" }.values.reduce(0, +)
        let q1reads1 = counts.filter { $0.key.first == "1" }.values.reduce(0, +)
        #expect(withinFiveSigma(count: q0reads1, shots: run.shots, probability: 0.91), "seed 77: \(counts)")
        #expect(withinFiveSigma(count: q1reads1, shots: run.shots, probability: 0.04), "seed 77: \(counts)")
    }

    /// A 3-qubit circuit with entanglement and noise on every ingredient except readout.
    static func ghzLike() throws -> Circuit {
        var c = Circuit(numQubits: 3, numClbits: 3)
        try c.append(.h, [0]); try c.append(.cx, [0, 1]); try c.append(.ry, [2], [.constant(1.1)])
        try c.append(.cx, [1, 2]); try c.append(.sx, [0]); try c.append(.cz, [0, 1])
        for q in 0..<3 { try c.measure(q, q) }
        return c
    }

    @Test func trajectoriesAgreeWithTheDensityMatrix() throws {
        let model = GateNoiseModel(device: noisyChain(3, zzGHz: 5e-4))
        let c = try Self.ghzLike()
        let probabilities = try NoisySimulator.finalDensityMatrix(c, noise: model).probabilities()
        var run = GateRunOptions()
        run.shots = 3000
        run.seed = 2024
        var traj = NoisyRunOptions()
        traj.method = .trajectories
        traj.maxTrajectories = run.shots
        let counts = try NoisySimulator.run(c, noise: model, options: run, noisyOptions: traj).counts
        for (i, p) in probabilities.enumerated() {
            let key = StateVector.bitstring(i, qubitCount: 3)
            #expect(withinFiveSigma(count: counts[key] ?? 0, shots: run.shots, probability: p), "seed 2024, \(key): p = \(p), counts \(counts)")
        }
    }

    @Test func midCircuitMeasurementBranchesAgreeWithTrajectories() throws {
        // h q0; measure q0 → c0; if (c0 == 1) x q1; measure q1 → c1, with noise and readout errors.
        let model = GateNoiseModel(device: noisyChain(2, readout: ReadoutConfusion(rowMajor: [0.95, 0.1, 0.05, 0.9])))
        var c = Circuit(numQubits: 2, numClbits: 2)
        try c.append(.h, [0]); try c.measure(0, 0)
        try c.append(Instruction(.gate(GateApplication(.x, [1])), condition: ClassicalCondition(clbits: 0..<1, value: 1)))
        try c.measure(1, 1)
        var run = GateRunOptions()
        run.shots = 4000
        run.seed = 99
        var dm = NoisyRunOptions()
        dm.method = .densityMatrix
        var traj = NoisyRunOptions()
        traj.method = .trajectories
        let a = try NoisySimulator.run(c, noise: model, options: run, noisyOptions: dm)
        run.seed = 100
        let b = try NoisySimulator.run(c, noise: model, options: run, noisyOptions: traj)
        #expect(a.perShot && a.counts.values.reduce(0, +) == run.shots)
        for key in ["00", "01", "10", "11"] {
            // Two independent samples of one distribution: their difference has variance 2·N·p(1−p).
            let p = Double((a.counts[key] ?? 0) + (b.counts[key] ?? 0)) / Double(2 * run.shots)
            let sigma = (2 * Double(run.shots) * p * (1 - p)).squareRoot()
            #expect(abs(Double((a.counts[key] ?? 0) - (b.counts[key] ?? 0))) <= 5 * sigma + 1, "\(key): \(a.counts) vs \(b.counts)")
        }
        // Without noise the conditional X copies the outcome: only 00 and 11.
        let ideal = try NoisySimulator.run(c, noise: .noiseless(qubitCount: 2), options: run, noisyOptions: dm)
        #expect(Set(ideal.counts.keys).isSubset(of: ["00", "11"]))
    }

    @Test func shippedCalibrationBuildsAModelAndRuns() throws {
        let model = try GateNoiseModel(calibrationFile: nominalCalibrationPath)
        #expect(model.qubitCount == 72)
        #expect(model.device.qubits.allSatisfy { $0.t2Us <= 2 * $0.t1Us && $0.rphiDurationNs > 0 })
        #expect(model.coupler(0, 1) != nil && model.coupler(0, 6) != nil && model.coupler(0, 7) == nil)
        var c = Circuit(numQubits: 2, numClbits: 2)
        try c.append(.h, [0]); try c.append(.cx, [0, 1])
        try c.measure(0, 0); try c.measure(1, 1)
        var run = GateRunOptions()
        run.shots = 500
        let result = try NoisySimulator.run(c, noise: model, options: run)
        #expect(result.counts.values.reduce(0, +) == 500)
        #expect((result.counts["00"] ?? 0) + (result.counts["11"] ?? 0) > 400)
    }

    @Test func circuitWiderThanTheChipIsRejected() throws {
        let model = GateNoiseModel(device: noisyChain(3))
        let c = Circuit(numQubits: 4)
        #expect(throws: NoisySimulatorError.circuitWiderThanChip(circuitQubits: 4, chipQubits: 3)) {
            try NoisySimulator.run(c, noise: model)
        }
    }
}

@Suite struct NoisyResetTests {
    @Test func resetWithoutMeasurementReadsEveryQubit() throws {
        // x q0; reset q0; x q1 — no measurement: both methods read all qubits, ideally "10".
        var c = Circuit(numQubits: 2)
        try c.append(.x, [0]); try c.reset(0); try c.append(.x, [1])
        var run = GateRunOptions()
        run.shots = 50
        for method in [NoisyRunOptions.Method.densityMatrix, .trajectories] {
            var o = NoisyRunOptions()
            o.method = method
            let r = try NoisySimulator.run(c, noise: .noiseless(qubitCount: 2), options: run, noisyOptions: o)
            #expect(r.counts == ["10": 50] && r.measuredAllImplicitly, "\(method): \(r.counts)")
        }
    }
}
