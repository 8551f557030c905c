// Properties of every gate-table entry: unitarity, exact inverses, decompositions, controlled
// forms, aliases and the documented operand order.
import Numerics
import Testing
@testable import WukongCircuits

private func sampleParameters(_ gate: StandardGate, seed: UInt64) -> [Double] {
    var rng = SeededAngles(seed: seed &* 7919 &+ UInt64(StandardGate.allCases.firstIndex(of: gate)!))
    return (0..<gate.parameterCount).map { _ in rng.next() }
}

@Test(arguments: StandardGate.allCases)
func everyGateIsUnitary(gate: StandardGate) {
    for seed: UInt64 in [1, 2, 3] {
        let m = gate.matrix(sampleParameters(gate, seed: seed))
        #expect(m.dimension == 1 << gate.arity)
        let product = m.adjoint.multiplied(by: m)
        #expect(product.distance(to: .identity(m.dimension)) < unitaryTolerance, "seed \(seed)")
    }
}

@Test(arguments: StandardGate.allCases)
func inverseTimesGateIsIdentity(gate: StandardGate) {
    for seed: UInt64 in [4, 5] {
        let params = sampleParameters(gate, seed: seed)
        let inv = gate.definition.inverse(params.map { .constant($0) })
        let product = inv.gate.matrix(inv.parameters.map { $0.value! }).multiplied(by: gate.matrix(params))
        // Inverses are exact, so no global phase is allowed here.
        #expect(product.distance(to: .identity(1 << gate.arity)) < unitaryTolerance, "seed \(seed)")
    }
}

@Test(arguments: StandardGate.allCases)
func decompositionMatchesMatrixUpToGlobalPhase(gate: StandardGate) {
    guard gate.definition.decomposition != nil else { return }
    for seed: UInt64 in [6, 7] {
        let params = sampleParameters(gate, seed: seed)
        let target = gate.matrix(params)
        let direct = decompositionUnitary(gate, params, recursive: false)
        #expect(direct.distanceUpToGlobalPhase(to: target) < unitaryTolerance, "one level, seed \(seed)")
        let full = decompositionUnitary(gate, params, recursive: true)
        #expect(full.distanceUpToGlobalPhase(to: target) < unitaryTolerance, "to u3/cx, seed \(seed)")
    }
}

@Test(arguments: StandardGate.allCases)
func controlledFormIsControlledMatrix(gate: StandardGate) {
    guard let controlled = gate.definition.controlled else { return }
    let params = sampleParameters(gate, seed: 8)
    let c = controlled(params.map { .constant($0) })
    #expect(c.gate.arity == gate.arity + 1)
    let m = c.gate.matrix(c.parameters.map { $0.value! })
    #expect(m.distance(to: gate.matrix(params).controlled()) < unitaryTolerance)
}

@Test func onlyPrimitivesLackDecompositions() {
    let primitives = StandardGate.allCases.filter { $0.definition.decomposition == nil }
    #expect(Set(primitives) == [.id, .u3, .cx])
}

@Test func aliasesResolveCaseInsensitively() {
    let expected: [String: StandardGate] = [
        "CNOT": .cx, "cnot": .cx, "TOFFOLI": .ccx, "Toffoli": .ccx, "ISWAP": .iswap, "SQISWAP": .sqiswap,
        "RPHI": .rphi, "U4": .u4, "CR": .cp, "cu1": .cp, "cphase": .cp, "phase": .p, "u1": .p, "U": .u3,
        "I": .id, "ECHO": .id, "fredkin": .cswap, "H": .h,
    ]
    for (name, gate) in expected { #expect(GateTable.lookup(name) == gate, "\(name)") }
    #expect(GateTable.lookup("CU", dialect: .originIR) == .cu4)
    #expect(GateTable.lookup("cu", dialect: .qasm2) == .cu)
    #expect(GateTable.lookup("CX", dialect: .qasm2) == .cx)
    #expect(GateTable.lookup("U", dialect: .qasm3) == .u3)
    #expect(GateTable.lookup("H", dialect: .qasm2) == nil, "OpenQASM names are case-sensitive")
    #expect(GateTable.lookup("rphi", dialect: .originIR) == .rphi)
    #expect(GateTable.lookup("nosuchgate") == nil)
}

@Test func qelib1AndStdgatesAreCovered() {
    let qelib1 = "u3 u2 u1 u p cx id x y z h s sdg t tdg rx ry rz sx sxdg cz cy swap ch ccx cswap crx cry crz cu1 cp cu3 csx cu rxx rzz"
    for name in qelib1.split(separator: " ") {
        #expect(GateTable.lookup(String(name), dialect: .qasm2) != nil, "qelib1 \(name)")
    }
    let stdgates = "p x y z h s sdg t tdg sx rx ry rz cx cy cz cp crx cry crz ch swap ccx cswap cu CX phase cphase id u1 u2 u3 U"
    for name in stdgates.split(separator: " ") {
        #expect(GateTable.lookup(String(name), dialect: .qasm3) != nil, "stdgates \(name)")
    }
    let origin = "H X Y Z S T RX RY RZ U1 U2 U3 U4 RPHI CNOT CZ CR SWAP ISWAP SQISWAP TOFFOLI I X1 Y1 Z1 P CP RXX RYY RZZ RZX CU"
    for name in origin.split(separator: " ") {
        #expect(GateTable.lookup(String(name), dialect: .originIR) != nil, "OriginIR \(name)")
    }
}

@Test func firstOperandIsMostSignificantInGateMatrix() {
    // cx with operand 0 as control flips the low matrix bit when the high bit is set: |10⟩ → |11⟩.
    let cx = StandardGate.cx.matrix()
    #expect(cx[3, 2] == .one && cx[2, 3] == .one && cx[0, 0] == .one && cx[1, 1] == .one)
}

@Test func rphiMatchesNativeDefinition() {
    let theta = 0.7, phi = -1.3
    let m = StandardGate.rphi.matrix([theta, phi])
    let s = Double.sin(theta / 2)
    let upper = Complex<Double>(0, -s) * Complex(Double.cos(-phi), Double.sin(-phi))
    let lower = Complex<Double>(0, -s) * Complex(Double.cos(phi), Double.sin(phi))
    #expect((m[0, 1] - upper).length < unitaryTolerance)
    #expect((m[1, 0] - lower).length < unitaryTolerance)
    #expect((m[0, 0] - Complex(Double.cos(theta / 2))).length < unitaryTolerance)
}
