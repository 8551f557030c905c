// Front-end diagnostics: malformed programs report the right line and column, and the
// configurable limits (source size, nesting depth, qubit count) are enforced.
import Testing
@testable import WukongCircuits

private func qasmError(_ source: String, limits: ParserLimits = ParserLimits()) -> ParseError? {
    do { _ = try OpenQASMParser.parse(source, file: "t.qasm", limits: limits) } catch let e as ParseError { return e } catch {}
    return nil
}

private func originError(_ source: String, limits: ParserLimits = ParserLimits()) -> ParseError? {
    do { _ = try OriginIRParser.parse(source, file: "t.ir", limits: limits) } catch let e as ParseError { return e } catch {}
    return nil
}

@Test func qasmErrorsReportLineAndColumn() {
    let header = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\n"
    let cases: [(String, Int, Int, String)] = [
        (header + "h q[0];\n  foo q[1];\n", 5, 3, "unknown gate 'foo'"),
        (header + "cx q[0], q[2];\n", 4, 10, "index 2 out of range"),
        (header + "cx q[0], q[0];\n", 4, 1, "duplicate qubit"),
        (header + "rx q[0];\n", 4, 1, "takes 1 parameters, got 0"),
        (header + "h q[0]\nh q[1];\n", 5, 1, "expected ';'"),
        ("OPENQASM 2.0;\ninclude \"other.inc\";\n", 2, 9, "cannot include"),
        ("OPENQASM 2.0;\nqreg q[1];\nh q[0];\n", 3, 1, "missing include"),
        (header + "rz(pi + bogus) q[0];\n", 4, 9, "unknown identifier 'bogus'"),
    ]
    for (source, line, column, message) in cases {
        guard let e = qasmError(source) else { Issue.record("no error for \(message)"); continue }
        #expect(e.location.line == line && e.location.column == column, "\(e)")
        #expect(e.message.contains(message), "\(e)")
    }
}

@Test func errorDescriptionLooksLikeACompilerDiagnostic() {
    let e = qasmError("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\n      foo q[0];\n")
    #expect(e?.description == "t.qasm:4:7: error: unknown gate 'foo'")
}

@Test func originIRErrorsReportLineAndColumn() {
    let cases: [(String, Int, Int, String)] = [
        ("H q[0]\n", 1, 1, "must start with QINIT"),
        ("QINIT 2\nCREG 1\nH q[0]\nFOO q[1]\n", 4, 1, "unknown gate 'FOO'"),
        ("QINIT 2\nCREG 1\nCNOT q[0],q[5]\n", 3, 11, "out of range"),
        ("QINIT 2\nCREG 1\nDAGGER\nH q[0]\n", 3, 1, "never closed"),
        ("QINIT 2\nCREG 1\nDAGGER\nMEASURE q[0],c[0]\nENDDAGGER\n", 4, 1, "MEASURE cannot appear"),
        ("QINIT 2\nCREG 1\nCONTROL q[0]\nENDDAGGER\n", 4, 1, "does not match"),
        ("QINIT 2\nCREG 1\nRX q[0]\n", 3, 1, "takes 1 parameters"),
        ("QINIT 2\nCREG 1\nQIF c[0]\n", 3, 1, "not supported"),
    ]
    for (source, line, column, message) in cases {
        guard let e = originError(source) else { Issue.record("no error for \(message)"); continue }
        #expect(e.location.line == line && e.location.column == column, "\(e)")
        #expect(e.message.contains(message), "\(e)")
    }
}

@Test func sourceSizeLimitIsEnforced() {
    let limits = ParserLimits(maxSourceBytes: 64)
    let source = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\nh q[0];\nh q[0];\nh q[0];\n"
    #expect(qasmError(source, limits: limits)?.message.contains("over the limit") == true)
    #expect(originError("QINIT 1\n" + String(repeating: "H q[0]\n", count: 20), limits: limits) != nil)
}

@Test func qubitLimitIsEnforced() {
    let limits = ParserLimits(maxQubits: 8)
    #expect(qasmError("OPENQASM 2.0;\nqreg a[4];\nqreg b[5];\n", limits: limits)?.location.line == 3)
    #expect(qasmError("OPENQASM 3;\ninclude \"stdgates.inc\";\nh $8;\n", limits: limits) != nil)
    #expect(originError("QINIT 9\n", limits: limits) != nil)
    #expect(qasmError("OPENQASM 2.0;\nqreg a[8];\n", limits: limits) == nil)
}

@Test func nestingDepthLimitIsEnforced() {
    // A chain of gates g0 … g9, each calling the previous one.
    var source = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g0 a { h a; }\n"
    for k in 1...9 { source += "gate g\(k) a { g\(k - 1) a; }\n" }
    source += "qreg q[1];\ng9 q[0];\n"
    #expect(qasmError(source, limits: ParserLimits(maxNestingDepth: 5))?.message.contains("nested deeper") == true)
    #expect(qasmError(source, limits: ParserLimits(maxNestingDepth: 10)) == nil)
    let blocks = "QINIT 1\n" + String(repeating: "DAGGER\n", count: 6) + "H q[0]\n" + String(repeating: "ENDDAGGER\n", count: 6)
    #expect(originError(blocks, limits: ParserLimits(maxNestingDepth: 4)) != nil)
    #expect(originError(blocks, limits: ParserLimits(maxNestingDepth: 8)) == nil)
}

@Test func expansionSizeLimitIsEnforced() {
    // Each level doubles the body: 2^12 gates from a dozen lines.
    var source = "OPENQASM 3;\ninclude \"stdgates.inc\";\ngate g0 a { x a; x a; }\n"
    for k in 1...11 { source += "gate g\(k) a { g\(k - 1) a; g\(k - 1) a; }\n" }
    source += "qubit q;\ng11 q;\n"
    #expect(qasmError(source, limits: ParserLimits(maxInstructions: 1000))?.message.contains("exceeds") == true)
    #expect(qasmError(source) == nil)
}

@Test func circuitValidationRejectsBadOperands() {
    var c = Circuit(numQubits: 2, numClbits: 1)
    #expect(throws: CircuitError.qubitOutOfRange(2, numQubits: 2)) { try c.append(.h, [2]) }
    #expect(throws: CircuitError.duplicateOperand(0)) { try c.append(.cx, [0, 0]) }
    #expect(throws: CircuitError.wrongParameterCount(gate: "rx", expected: 1, got: 0)) { try c.append(.rx, [0]) }
    #expect(throws: CircuitError.wrongArity(gate: "cx", expected: 2, got: 1)) { try c.append(.cx, [0]) }
    #expect(throws: CircuitError.clbitOutOfRange(1, numClbits: 1)) { try c.measure(0, 1) }
    #expect(c.instructions.isEmpty)
}
