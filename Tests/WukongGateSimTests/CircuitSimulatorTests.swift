// Circuits of the IR run on the state vector: counts, bit order, clbit mapping, mid-circuit
// measurement with conditions, reset, and agreement with the reference on random circuits.
import Foundation
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongHDF5
import WukongNumerics

func parse(_ text: String) throws -> Circuit { try ProgramReader.parse(text) }

@Suite struct CircuitSimulatorTests {
    @Test func bellStateGivesOnlyCorrelatedOutcomes() throws {
        let c = try parse("OPENQASM 2.0; include \"qelib1.inc\"; qreg q[2]; creg c[2]; h q[0]; cx q[0],q[1]; measure q -> c;")
        var o = GateRunOptions()
        o.shots = 4000
        o.seed = 7
        let r = try CircuitSimulator.run(c, options: o)
        #expect(Set(r.counts.keys) == ["00", "11"])
        // Binomial(4000, ½): sd = 31.6; 5 sd bounds a false failure at 6e-7.
        #expect(abs(r.counts["00"]! - 2000) < 160)
        #expect(!r.perShot)
    }

    @Test func countsPutClbitZeroRightmost() throws {
        let c = try parse("OPENQASM 2.0; include \"qelib1.inc\"; qreg q[3]; creg c[3]; x q[0]; measure q -> c;")
        #expect(try CircuitSimulator.run(c).counts == ["001": 1024])
        let mapped = try parse("OPENQASM 2.0; include \"qelib1.inc\"; qreg q[3]; creg c[3]; x q[0]; measure q[0] -> c[2];")
        #expect(try CircuitSimulator.run(mapped).counts == ["100": 1024])
        let originIR = try parse("QINIT 3\nCREG 3\nX q[1]\nMEASURE q[1],c[1]\n")
        #expect(try CircuitSimulator.run(originIR).counts == ["010": 1024])
    }

    @Test func teleportationWithConditionsDeliversTheState() throws {
        // Teleport |1⟩ from q0 to q2; corrections conditioned on the measured clbits.
        let source = """
            OPENQASM 2.0; include "qelib1.inc";
            qreg q[3]; creg m0[1]; creg m1[1]; creg out[1];
            x q[0];
            h q[1]; cx q[1],q[2];
            cx q[0],q[1]; h q[0];
            measure q[0] -> m0[0]; measure q[1] -> m1[0];
            if (m1 == 1) x q[2];
            if (m0 == 1) z q[2];
            measure q[2] -> out[0];
            """
        var o = GateRunOptions()
        o.shots = 200
        o.seed = 3
        let r = try CircuitSimulator.run(try parse(source), options: o)
        #expect(r.perShot)
        // clbit 2 (out) is the leftmost character and must always be 1; the others are uniform.
        #expect(r.counts.keys.allSatisfy { $0.first == "1" })
        #expect(r.counts.count == 4)
    }

    @Test func resetReturnsToZero() throws {
        let c = try parse("OPENQASM 2.0; include \"qelib1.inc\"; qreg q[1]; creg c[1]; h q[0]; reset q[0]; measure q[0] -> c[0];")
        #expect(try CircuitSimulator.run(c).counts == ["0": 1024])
    }

    @Test func sameSeedSameCountsDifferentSeedDifferentCounts() throws {
        let c = try parse("OPENQASM 2.0; include \"qelib1.inc\"; qreg q[3]; creg c[3]; h q; measure q -> c;")
        var a = GateRunOptions(); a.seed = 5
        var b = GateRunOptions(); b.seed = 6
        #expect(try CircuitSimulator.run(c, options: a).counts == CircuitSimulator.run(c, options: a).counts)
        #expect(try CircuitSimulator.run(c, options: a).counts != CircuitSimulator.run(c, options: b).counts)
    }

    @Test(arguments: [11, 12, 13, 14] as [UInt64])
    func randomCircuitsMatchTheReference(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let n = 5
        var circuit = Circuit(numQubits: n)
        var reference = ReferenceStateVector(qubitCount: n)
        let gates = StandardGate.allCases.filter { $0.arity <= 3 }
        for _ in 0..<60 {
            let gate = gates[Int(rng.next() % UInt64(gates.count))]
            var qubits = Array(0..<n)
            qubits.shuffle(using: &rng)
            let operands = Array(qubits.prefix(gate.arity))
            let params = (0..<gate.parameterCount).map { _ in ParameterExpression.constant(2 * Double.pi * rng.uniform()) }
            try circuit.append(gate, operands, params)
            reference.apply(gate.matrix(params.map { try! $0.evaluate([:]) }), on: operands)
        }
        for fusion in [0, 2, 4] {
            let state = try CircuitSimulator.finalState(circuit, fusionQubits: fusion)
            let worst = zip(state.amplitudes, reference.amplitudes).map { ($0 - $1).length }.max()!
            #expect(worst < 1e-12, "seed \(seed), fusion \(fusion): max amplitude error \(worst)")
        }
    }

    @Test func clearErrorsForUnrunnablePrograms() throws {
        let unbound = try parse("OPENQASM 3; include \"stdgates.inc\"; input float[64] theta; qubit[1] q; rx(theta) q[0];")
        #expect(throws: GateSimulatorError.unboundParameter("theta")) { try CircuitSimulator.run(unbound) }
        var bound = GateRunOptions()
        bound.parameters = ["theta": Double.pi]
        #expect(try CircuitSimulator.run(unbound, options: bound).counts == ["1": 1024])
        let opaque = try parse("OPENQASM 2.0; include \"qelib1.inc\"; opaque magic q; qreg q[1]; magic q[0];")
        #expect(throws: GateSimulatorError.opaqueGate(name: "magic")) { try CircuitSimulator.run(opaque) }
        var zero = GateRunOptions()
        zero.shots = 0
        #expect(throws: GateSimulatorError.invalidShots(0)) { try CircuitSimulator.run(unbound, options: zero) }
    }

    @Test func statevectorIsWrittenAsComplexDataset() throws {
        let c = try parse("OPENQASM 2.0; include \"qelib1.inc\"; qreg q[2]; h q[0]; cx q[0],q[1];")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sv-\(UUID().uuidString).h5").path
        try CircuitSimulator.finalState(c).writeHDF5(to: path)
        let data = try HDF5File.open(path: path).dataset("/statevector").readComplex()
        let h = 1 / 2.0.squareRoot()
        #expect(zip(data.real, [h, 0, 0, h]).allSatisfy { abs($0 - $1) < 1e-15 })
        #expect(data.imag.allSatisfy { $0 == 0 })
    }
}
