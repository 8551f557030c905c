// parse → export → parse gives the identical circuit, for every gate in the table, every
// QASMBench file and every target language.
import Foundation
import Testing
@testable import WukongCircuits

/// A 4-qubit circuit applying every table gate once with seeded parameters, plus measure,
/// reset and barrier.
func everyGateCircuit(seed: UInt64) throws -> Circuit {
    var rng = SeededAngles(seed: seed)
    var c = Circuit(numQubits: 4, numClbits: 2)
    for (k, gate) in StandardGate.allCases.enumerated() {
        let qubits = (0..<gate.arity).map { (k + $0) % 4 }
        try c.append(gate, qubits, (0..<gate.parameterCount).map { _ in .constant(rng.next()) })
    }
    try c.append(.rx, [0], [.constant(.pi / 2)])
    try c.append(.p, [1], [.constant(-3 * .pi / 4)])
    try c.barrier([0, 1, 2])
    try c.reset(3)
    try c.measure(0, 1)
    return c
}

@Test func everyGateRoundTripsThroughEachLanguage() throws {
    for seed: UInt64 in [11, 12] {
        let c = try everyGateCircuit(seed: seed)
        #expect(try OpenQASMParser.parse(CircuitExporter.qasm2(c)) == c, "qasm2, seed \(seed)")
        #expect(try OpenQASMParser.parse(CircuitExporter.qasm3(c)) == c, "qasm3, seed \(seed)")
        let back = try OriginIRParser.parse(CircuitExporter.originIR(c))
        #expect(back == c, "OriginIR, seed \(seed)")
        for (a, b) in zip(back.instructions, c.instructions) where a != b { Issue.record("\(a) != \(b)") }
    }
}

@Test func extraControlsRoundTripInQASM3AndOriginIR() throws {
    var c = Circuit(numQubits: 4, numClbits: 0)
    try c.append(.ch, [1, 2], controls: [0])
    try c.append(.rphi, [3], [0.25, 1.5], controls: [0, 1])
    try c.append(.iswap, [0, 3], controls: [2])
    #expect(try OpenQASMParser.parse(CircuitExporter.qasm3(c)) == c)
    #expect(try OriginIRParser.parse(CircuitExporter.originIR(c)) == c)
    #expect(throws: ExportError.self) { try CircuitExporter.qasm2(c) }
}

@Test func symbolicParametersRoundTripInQASM3() throws {
    let source = """
        OPENQASM 3.0;
        include "stdgates.inc";
        input float[64] alpha;
        input float[64] beta;
        qubit[2] q;
        rx(alpha ** 2 - sin(beta) / 3) q[0];
        cp(-alpha) q[0], q[1];
        rphi_like(beta) q[1];
        """.replacingOccurrences(of: "rphi_like", with: "u1")
    let c = try OpenQASMParser.parse(source)
    #expect(c.parameterNames == ["alpha", "beta"])
    #expect(try OpenQASMParser.parse(CircuitExporter.qasm3(c)) == c)
    #expect(throws: ExportError.self) { try CircuitExporter.qasm2(c) }
}

@Test func qasmBenchFilesRoundTrip() throws {
    #expect(qasmBenchFiles().count >= 10, "QASMBench fixtures not found")
    for url in qasmBenchFiles() {
        let c = try OpenQASMParser.parse(String(contentsOf: url, encoding: .utf8))
        let name = url.lastPathComponent
        #expect(try OpenQASMParser.parse(CircuitExporter.qasm2(c)) == c, "qasm2 \(name)")
        #expect(try OpenQASMParser.parse(CircuitExporter.qasm3(c)) == c, "qasm3 \(name)")
        // OriginIR has one register per kind, so compare the flattened program.
        let origin = try OriginIRParser.parse(CircuitExporter.originIR(c))
        #expect(origin.instructions == c.instructions && origin.numQubits == c.numQubits, "OriginIR \(name)")
        #expect(try OriginIRParser.parse(CircuitExporter.originIR(origin)) == origin, "OriginIR twice \(name)")
    }
}

@Test func conditionsAndOpaqueRoundTripInQASM2() throws {
    let c = try OpenQASMParser.parse("""
        OPENQASM 2.0; include "qelib1.inc"; opaque magic(a) p; qreg q[2]; creg a[1]; creg b[2];
        h q[0]; measure q[0] -> a[0]; if (a == 1) x q[1]; if (b == 3) magic(pi/3) q[0]; reset q;
        """)
    #expect(try OpenQASMParser.parse(CircuitExporter.qasm2(c)) == c)
    #expect(throws: ExportError.self) { try CircuitExporter.originIR(c) }
}

@Test func piMultiplesExportReadably() throws {
    var c = Circuit(numQubits: 1)
    try c.append(.rz, [0], [.constant(.pi / 2)])
    try c.append(.rz, [0], [.constant(-3 * .pi / 4)])
    let text = try CircuitExporter.qasm2(c)
    #expect(text.contains("rz(pi/2) q[0];"))
    #expect(text.contains("rz(-pi*3/4) q[0];"))
    #expect(try CircuitExporter.originIR(c).contains("RZ q[0],(PI/2)"))
}
