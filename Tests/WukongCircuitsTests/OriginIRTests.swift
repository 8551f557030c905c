// OriginIR front end: the official example, DAGGER and CONTROL semantics checked on unitaries,
// QGATE definitions and register broadcast.
import Testing
@testable import WukongCircuits

@Test func officialPhaseEstimationExampleParses() throws {
    let c = try OriginIRParser.parse("""
        QINIT 3
        CREG 2
        H q[2]
        H q[0]
        H q[1]
        CONTROL q[1]
        RX q[2],(-3.141593)
        ENDCONTROL
        CONTROL q[0]
        RX q[2],(-3.141593)
        RX q[2],(-3.141593)
        ENDCONTROL
        DAGGER
        H q[1]
        CR q[0],q[1],(1.570796)
        H q[0]
        ENDDAGGER
        MEASURE q[0],c[0]
        MEASURE q[1],c[1]
        """)
    #expect(c.numQubits == 3 && c.numClbits == 2)
    let ops = c.instructions.map(\.operation)
    #expect(ops[3] == .gate(GateApplication(.crx, [1, 2], [-3.141593])))
    #expect(ops[6] == .gate(GateApplication(.h, [0])))
    #expect(ops[7] == .gate(GateApplication(.cp, [0, 1], [-1.570796])))
    #expect(ops[9] == .measure(qubit: 0, clbit: 0))
}

@Test func daggerBlockIsInverseOfItsBody() throws {
    let body = "H q[0]\nRX q[1],(0.3)\nCNOT q[0],q[1]\nU4 q[1],(0.1,0.2,0.3,0.4)\nISWAP q[0],q[1]\nS q[1]\n"
    let forward = try OriginIRParser.parse("QINIT 2\nCREG 0\n" + body)
    let dagger = try OriginIRParser.parse("QINIT 2\nCREG 0\nDAGGER\n" + body + "ENDDAGGER\n")
    let product = try circuitUnitary(dagger).multiplied(by: circuitUnitary(forward))
    #expect(product.distance(to: .identity(4)) < unitaryTolerance)
}

@Test func controlBlockControlsEveryEnclosedGate() throws {
    let c = try OriginIRParser.parse("""
        QINIT 3
        CREG 0
        CONTROL q[2]
        RY q[0],(0.7)
        SQISWAP q[0],q[1]
        RPHI q[1],(0.4,1.2)
        ENDCONTROL
        """)
    // Reference: the 2-qubit body, embedded as the |1⟩ block of control qubit 2 (most significant).
    var body = Circuit(numQubits: 2)
    try body.append(.ry, [0], [0.7])
    try body.append(.sqiswap, [0, 1])
    try body.append(.rphi, [1], [0.4, 1.2])
    let expected = try circuitUnitary(body).controlled()
    #expect(try circuitUnitary(c).distance(to: expected) < unitaryTolerance)
}

@Test func nestedDaggerAndControlCompose() throws {
    let c = try OriginIRParser.parse("QINIT 2\nCREG 0\nDAGGER\nCONTROL q[0]\nS q[1]\nT q[1]\nENDCONTROL\nENDDAGGER\n")
    #expect(c.instructions.map(\.operation) == [
        .gate(GateApplication(.tdg, [1], controls: [0])),
        .gate(GateApplication(.sdg, [1], controls: [0])),
    ])
    let expected = GateMatrix.diagonal([.one, .one, .one, M.phase(-3 * .pi / 4)])
    #expect(try circuitUnitary(c).distance(to: expected) < unitaryTolerance)
}

@Test func qgateDefinitionsExpandWithParameters() throws {
    let c = try OriginIRParser.parse("""
        QINIT 2
        CREG 2
        QGATE new_RX a,(b)
        RX a,(PI/2+b)
        X a
        ENDQGATE
        new_RX q[1],(PI/4)
        H q
        MEASURE q,c
        """)
    let ops = c.instructions.map(\.operation)
    #expect(ops[0] == .gate(GateApplication(.rx, [1], [.constant(.pi / 2 + .pi / 4)])))
    #expect(ops[1] == .gate(GateApplication(.x, [1])))
    #expect(ops[2] == .gate(GateApplication(.h, [0])) && ops[3] == .gate(GateApplication(.h, [1])))
    #expect(ops[5] == .measure(qubit: 1, clbit: 1))
}
