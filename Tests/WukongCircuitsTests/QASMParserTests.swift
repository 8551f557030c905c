// OpenQASM 2/3 front end: QASMBench files parse, semantics of definitions, broadcast,
// modifiers and conditions, error locations and limits.
import Foundation
import Testing
@testable import WukongCircuits

/// The QASMBench test data (a few public circuits with their licence) ships in Tests/Fixtures/qasmbench;
/// `WUKONG_QASMBENCH` may point elsewhere.
func qasmBenchDirectory() -> URL? {
    var candidates: [URL] = []
    if let env = ProcessInfo.processInfo.environment["WUKONG_QASMBENCH"] { candidates.append(URL(fileURLWithPath: env)) }
    let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    candidates.append(tests.appendingPathComponent("Fixtures/qasmbench"))
    return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
}

func qasmBenchFiles() -> [URL] {
    guard let dir = qasmBenchDirectory(),
          let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
    return names.filter { $0.hasSuffix(".qasm") }.sorted().map { dir.appendingPathComponent($0) }
}

@Test func qasmBenchFilesParseWithExpectedQubitCounts() throws {
    let files = qasmBenchFiles()
    #expect(files.count >= 10, "QASMBench folder not found or incomplete")
    for url in files {
        let source = try String(contentsOf: url, encoding: .utf8)
        let circuit = try OpenQASMParser.parse(source, file: url.lastPathComponent)
        // File names carry the qubit count: adder_n10.qasm has 10 qubits.
        let name = url.deletingPathExtension().lastPathComponent
        let expected = Int(name.split(separator: "_").last!.dropFirst())!
        #expect(circuit.numQubits == expected, "\(name)")
        #expect(circuit.instructions.count > 0, "\(name)")
        try circuit.validate()
    }
}

@Test func userGatesAreInlinedAndRegistersFlattened() throws {
    let c = try OpenQASMParser.parse("""
        OPENQASM 2.0;
        include "qelib1.inc";
        gate majority(t) a,b,c { cx c,b; rz(t/2) a; ccx a,b,c; }
        qreg x[2]; qreg y[1]; creg m[3];
        majority(pi) x[0],x[1],y[0];
        measure x[0] -> m[0]; measure x[1] -> m[1];
        """)
    #expect(c.numQubits == 3 && c.numClbits == 3)
    #expect(c.quantumRegisters.map(\.name) == ["x", "y"])
    let ops = c.instructions.map(\.operation)
    #expect(ops[0] == .gate(GateApplication(.cx, [2, 1])))
    #expect(ops[1] == .gate(GateApplication(.rz, [0], [.constant(.pi / 2)])))
    #expect(ops[2] == .gate(GateApplication(.ccx, [0, 1, 2])))
    #expect(ops[3] == .measure(qubit: 0, clbit: 0) && ops[4] == .measure(qubit: 1, clbit: 1))
}

@Test func gatesBroadcastOverRegisters() throws {
    let c = try OpenQASMParser.parse("""
        OPENQASM 2.0; include "qelib1.inc"; qreg a[3]; qreg b[3]; creg c[3];
        h a; cx a,b; cx a[0],b; measure b -> c;
        """)
    let gates = c.instructions.compactMap { i -> GateApplication? in
        if case .gate(let g) = i.operation { return g } else { return nil }
    }
    #expect(gates.count == 9)
    #expect(gates[3].qubits == [0, 3] && gates[5].qubits == [2, 5])
    #expect(gates[6].qubits == [0, 3] && gates[8].qubits == [0, 5])
    #expect(c.instructions.last?.operation == .measure(qubit: 5, clbit: 2))
}

@Test func expressionsEvaluateWithPiAndFunctions() throws {
    let c = try OpenQASMParser.parse("""
        OPENQASM 2.0; include "qelib1.inc"; qreg q[1];
        u3(-pi/2 + 2^3*0.5, sin(pi/2)*ln(exp(2)), sqrt(4)-cos(0)+tan(0)) q[0];
        """)
    guard case .gate(let g) = c.instructions[0].operation else { Issue.record("no gate"); return }
    let values = g.parameters.map { $0.value! }
    #expect(abs(values[0] - (-Double.pi / 2 + 4)) < 1e-15)
    #expect(abs(values[1] - 2) < 1e-15)
    #expect(abs(values[2] - 1) < 1e-15)
}

@Test func conditionsOpaqueResetAndBarrierAreKept() throws {
    let c = try OpenQASMParser.parse("""
        OPENQASM 2.0; include "qelib1.inc"; opaque magic(a) p, q; qreg q[2]; creg c0[1]; creg c1[2];
        reset q[0]; barrier q; if (c1 == 2) x q[1]; magic(0.5) q[0], q[1];
        """)
    #expect(c.instructions[0].operation == .reset(qubit: 0))
    #expect(c.instructions[1].operation == .barrier(qubits: [0, 1]))
    #expect(c.instructions[2].condition == ClassicalCondition(clbits: 1..<3, value: 2))
    #expect(c.instructions[3].operation == .opaque(name: "magic", qubits: [0, 1], parameters: [0.5]))
}

@Test func qasm3ModifiersInputsAndMeasureForms() throws {
    let c = try OpenQASMParser.parse("""
        OPENQASM 3.0;
        include "stdgates.inc";
        input float[64] theta;
        qubit[3] q;
        bit[3] c;
        gate g(a) x, y { ctrl @ rx(a) x, y; }
        inv @ s q[0];
        ctrl @ x q[0], q[1];
        ctrl(2) @ x q[0], q[1], q[2];
        ctrl @ h q[0], q[1];
        ctrl @ ch q[0], q[1], q[2];
        pow(2) @ t q[1];
        g(theta * 2) q[1], q[2];
        c[0] = measure q[0];
        c = measure q;
        if (c[0]) { x q[1]; }
        if (c == 5) z q[2];
        """)
    let ops = c.instructions.map(\.operation)
    #expect(ops[0] == .gate(GateApplication(.sdg, [0])))
    #expect(ops[1] == .gate(GateApplication(.cx, [0, 1])))
    #expect(ops[2] == .gate(GateApplication(.ccx, [0, 1, 2])))
    #expect(ops[3] == .gate(GateApplication(.ch, [0, 1])))
    #expect(ops[4] == .gate(GateApplication(.ch, [1, 2], controls: [0])))
    #expect(ops[5] == ops[6] && ops[5] == .gate(GateApplication(.t, [1])))
    #expect(ops[7] == .gate(GateApplication(.crx, [1, 2], [.symbol("theta") * 2])))
    #expect(c.parameterNames == ["theta"])
    #expect(ops[8] == .measure(qubit: 0, clbit: 0) && ops[11] == .measure(qubit: 2, clbit: 2))
    #expect(c.instructions[12].condition == ClassicalCondition(clbits: 0..<1, value: 1))
    #expect(c.instructions[13].condition == ClassicalCondition(clbits: 0..<3, value: 5))
    let bound = c.bind(["theta": 0.25])
    #expect(bound.parameterNames.isEmpty)
    #expect(bound.instructions[7].operation == .gate(GateApplication(.crx, [1, 2], [0.5])))
}

@Test func qasm3PhysicalQubitsAndNegativeControls() throws {
    let c = try OpenQASMParser.parse("OPENQASM 3; include \"stdgates.inc\"; negctrl @ x $0, $3; barrier;")
    #expect(c.numQubits == 4 && c.quantumRegisters.isEmpty)
    #expect(c.instructions.map(\.operation) == [
        .gate(GateApplication(.x, [0])), .gate(GateApplication(.cx, [0, 3])), .gate(GateApplication(.x, [0])),
        .barrier(qubits: [0, 1, 2, 3]),
    ])
}

@Test func inverseModifierOnDefinitionInvertsItsUnitary() throws {
    let c = try OpenQASMParser.parse("""
        OPENQASM 3; include "stdgates.inc"; qubit[2] q;
        gate w(a, b) x, y { rx(a) x; cry(b) x, y; sx y; iswap_like x, y; }
        """.replacingOccurrences(of: " iswap_like x, y;", with: " swap x, y;") + """
        w(0.3, 1.1) q[0], q[1]; inv @ w(0.3, 1.1) q[0], q[1];
        """)
    let u = try circuitUnitary(c)
    #expect(u.distance(to: .identity(4)) < unitaryTolerance)
}
