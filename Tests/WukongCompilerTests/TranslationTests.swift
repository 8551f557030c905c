// Basis translation, unrolling and 1-qubit synthesis: every gate-table gate (and controlled forms)
// becomes natives equal to it up to global phase, with at most one RPhi per 1-qubit run.
import Numerics
import Testing
import WukongCircuits
import WukongNumerics
@testable import WukongCompiler

private let line5 = Fixtures.target(rows: 1, cols: 5)

/// Runs passes on a logical circuit.
func run(_ passes: [any CompilerPass], on circuit: Circuit, target: CompilerTarget = line5) throws -> Circuit {
    var state = CompilationState(circuit: circuit)
    _ = try PassManager(passes).run(&state, target: target)
    return state.circuit
}

@Test func basisTranslationOfEveryGateMatchesUpToGlobalPhase() throws {
    var rng = SeededGenerator(seed: 11)
    for gate in StandardGate.allCases {
        for trial in 0..<3 {
            let params: [ParameterExpression] = (0..<gate.parameterCount).map { _ in .constant((rng.uniform() * 2 - 1) * 3) }
            var circuit = Circuit(numQubits: gate.arity)
            try circuit.append(gate, Array((0..<gate.arity).reversed()), params)
            let native = try run(Compiler.nativePipeline(optimize: trial == 0), on: circuit)
            #expect(native.instructions.allSatisfy(NativeGates.isNative), "\(gate) left non-native gates")
            let d = try unitary(native).distanceUpToGlobalPhase(to: try unitary(circuit))
            #expect(d < equivalenceTolerance, "\(gate) trial \(trial): distance \(d)")
        }
    }
}

@Test func multiControlledGatesUnrollExactly() throws {
    let cases: [GateApplication] = [
        GateApplication(.rx, [3], [0.7], controls: [0, 1, 2]),
        GateApplication(.h, [2], [], controls: [0, 1]),
        GateApplication(.ccx, [1, 2, 3], [], controls: [0]),
        GateApplication(.swap, [2, 3], [], controls: [0, 1]),
        GateApplication(.rzz, [1, 3], [1.1], controls: [0]),
        GateApplication(.cswap, [0, 2, 3], []),
    ]
    for g in cases {
        var circuit = Circuit(numQubits: 4)
        try circuit.append(Instruction(.gate(g)))
        let unrolled = try run([UnrollPass()], on: circuit)
        #expect(unrolled.instructions.allSatisfy { $0.operation.qubits.count <= 2 })
        let d = try unitary(unrolled).distanceUpToGlobalPhase(to: try unitary(circuit))
        #expect(d < equivalenceTolerance, "\(g): distance \(d)")
    }
}

@Test func oneQubitSynthesisUsesAtMostOnePulseAndNoneForDiagonals() throws {
    var rng = SeededGenerator(seed: 5)
    for _ in 0..<200 {
        let u = StandardGate.u3.matrix([rng.uniform() * 7 - 3.5, rng.uniform() * 7 - 3.5, rng.uniform() * 7 - 3.5])
        let natives = OneQubitSynthesis.natives(u)
        #expect(natives.filter { $0.gate == .rphi }.count <= 1)
        var product = GateMatrix.identity(2)
        for n in natives { product = n.gate.matrix(n.parameters) * product }
        #expect(product.distanceUpToGlobalPhase(to: u) < 1e-12)
        let v = OneQubitSynthesis.squareRoot(u)
        #expect((v * v).distance(to: u) < 1e-12)
    }
    for diagonal in [StandardGate.z, .s, .t, .tdg, .id] {
        #expect(OneQubitSynthesis.natives(diagonal.matrix()).allSatisfy { $0.gate == .rz })
    }
    #expect(OneQubitSynthesis.natives(StandardGate.p.matrix([0.3])).count == 1)
    #expect(OneQubitSynthesis.natives(.identity(2)).isEmpty)
}

@Test func rzThenRPhiEqualsShiftedRPhiThenRz() {
    // Time order RZ(λ), RPhi(θ, φ) is the matrix RPhi(θ, φ)·RZ(λ); the frame convention claims it
    // equals RZ(λ)·RPhi(θ, φ − λ) exactly (not just up to phase).
    for (theta, phi, lambda) in [(0.4, 1.3, -0.8), (3.0, -2.0, 2.5), (1.5707963, 0, 3.14159)] {
        let lhs = StandardGate.rphi.matrix([theta, phi]) * StandardGate.rz.matrix([lambda])
        let rhs = StandardGate.rz.matrix([lambda]) * StandardGate.rphi.matrix([theta, phi - lambda])
        #expect(lhs.distance(to: rhs) < 1e-14)
    }
}
