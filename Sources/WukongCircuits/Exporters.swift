// Exporters from the circuit IR to OpenQASM 2, OpenQASM 3 and OriginIR. A gate the target
// language lacks is written as a definition named after the table gate, with its decomposition
// as body; the front ends read such a definition back as the table gate, so round trips are exact.

/// Why a circuit cannot be written in a language.
public enum ExportError: Error, Hashable, Sendable, CustomStringConvertible {
    case unsupported(String)
    case unboundParameters([String])

    public var description: String {
        switch self {
        case .unsupported(let what): return "cannot export: \(what)"
        case .unboundParameters(let names): return "cannot export unbound parameters: \(names.joined(separator: ", "))"
        }
    }
}

/// Writes circuits as source text; `parse(export(c)) == c` for circuits the front ends produce.
public enum CircuitExporter {
    /// OpenQASM 2.0 with `qelib1.inc`. Fails on extra controls, free parameters, explicit unitaries,
    /// and conditions that do not cover exactly one classical register.
    public static func qasm2(_ circuit: Circuit) throws -> String {
        var writer = QASMWriter(circuit, version: 2)
        return try writer.write()
    }

    /// OpenQASM 3 with `stdgates.inc`; free parameters become `input float[64]`, extra controls
    /// `ctrl(n) @`, and a circuit without qubit registers uses physical qubits `$k`.
    public static func qasm3(_ circuit: Circuit) throws -> String {
        var writer = QASMWriter(circuit, version: 3)
        return try writer.write()
    }

    /// OriginIR; extra controls become CONTROL blocks. Fails on conditions, opaque gates,
    /// explicit unitaries and free parameters.
    public static func originIR(_ circuit: Circuit) throws -> String {
        try OriginIRWriter(circuit).write()
    }
}

/// Gates used by `circuit` that `dialect` lacks, plus those their decompositions need, in an
/// order where each definition only uses gates defined before it.
func missingGates(_ circuit: Circuit, dialect: GateDialect) -> [StandardGate] {
    var order: [StandardGate] = []
    var seen = Set<StandardGate>()
    func visit(_ g: StandardGate) {
        guard g.definition.spellings(in: dialect).isEmpty, seen.insert(g).inserted else { return }
        let symbols = g.definition.parameterNames.map { ParameterExpression.symbol($0) }
        for s in g.definition.decomposition?(symbols) ?? [] { visit(s.gate) }
        order.append(g)
    }
    for i in circuit.instructions { if case .gate(let app) = i.operation { visit(app.gate) } }
    return order
}

func gateName(_ g: StandardGate, _ dialect: GateDialect) -> String {
    g.definition.spellings(in: dialect).first ?? g.rawValue
}

private let formalQubits = ["a", "b", "c", "d"]

struct QASMWriter {
    let circuit: Circuit
    let version: Int
    var dialect: GateDialect { version == 2 ? .qasm2 : .qasm3 }
    var lines: [String] = []

    init(_ circuit: Circuit, version: Int) {
        self.circuit = circuit
        self.version = version
    }

    func render(_ e: ParameterExpression) -> String {
        e.render(piName: "pi", powerSymbol: version == 2 ? "^" : "**")
    }

    func parameterList(_ ps: [ParameterExpression]) -> String {
        ps.isEmpty ? "" : "(" + ps.map(render).joined(separator: ", ") + ")"
    }

    func qubitName(_ q: Int) -> String {
        if version == 3 && circuit.quantumRegisters.isEmpty { return "$\(q)" }
        let registers = circuit.quantumRegisters.isEmpty
            ? [Register(name: "q", start: 0, size: circuit.numQubits)] : circuit.quantumRegisters
        let r = registers.first { $0.range.contains(q) }!
        return "\(r.name)[\(q - r.start)]"
    }

    func clbitName(_ c: Int) -> String {
        let r = circuit.classicalRegisters.first { $0.range.contains(c) }!
        return "\(r.name)[\(c - r.start)]"
    }

    mutating func write() throws -> String {
        let free = circuit.parameterNames
        if version == 2 && !free.isEmpty { throw ExportError.unboundParameters(free) }
        let qubitsCovered = circuit.quantumRegisters.reduce(0) { $0 + $1.size }
        guard circuit.quantumRegisters.isEmpty || qubitsCovered == circuit.numQubits else {
            throw ExportError.unsupported("qubit registers do not cover all \(circuit.numQubits) qubits")
        }
        guard circuit.classicalRegisters.reduce(0, { $0 + $1.size }) == circuit.numClbits else {
            throw ExportError.unsupported("classical registers do not cover all \(circuit.numClbits) bits")
        }
        lines.append(version == 2 ? "OPENQASM 2.0;" : "OPENQASM 3.0;")
        lines.append(version == 2 ? "include \"qelib1.inc\";" : "include \"stdgates.inc\";")
        for g in missingGates(circuit, dialect: dialect) { lines.append(definition(g)) }
        var opaque: [String: (Int, Int)] = [:]
        for i in circuit.instructions { if case .opaque(let n, let qs, let ps) = i.operation { opaque[n] = (ps.count, qs.count) } }
        if !opaque.isEmpty && version == 3 { throw ExportError.unsupported("opaque gates in OpenQASM 3") }
        for (name, shape) in opaque.sorted(by: { $0.key < $1.key }) {
            let ps = (0..<shape.0).map { "p\($0)" }.joined(separator: ", ")
            let qs = (0..<shape.1).map { "q\($0)" }.joined(separator: ", ")
            lines.append("opaque \(name)\(shape.0 > 0 ? "(\(ps))" : "") \(qs);")
        }
        for name in free { lines.append("input float[64] \(name);") }
        if circuit.quantumRegisters.isEmpty {
            if version == 2 && circuit.numQubits > 0 { lines.append("qreg q[\(circuit.numQubits)];") }
        } else {
            for r in circuit.quantumRegisters {
                lines.append(version == 2 ? "qreg \(r.name)[\(r.size)];" : "qubit[\(r.size)] \(r.name);")
            }
        }
        for r in circuit.classicalRegisters {
            lines.append(version == 2 ? "creg \(r.name)[\(r.size)];" : "bit[\(r.size)] \(r.name);")
        }
        for i in circuit.instructions { lines.append(try condition(i.condition) + statement(i.operation)) }
        return lines.joined(separator: "\n") + "\n"
    }

    func definition(_ g: StandardGate) -> String {
        let d = g.definition
        let symbols = d.parameterNames.map { ParameterExpression.symbol($0) }
        let params = d.parameterNames.isEmpty ? "" : "(" + d.parameterNames.joined(separator: ", ") + ")"
        let qubits = formalQubits.prefix(d.arity).joined(separator: ", ")
        let body = d.decomposition!(symbols).map { s in
            gateName(s.gate, dialect) + parameterList(s.parameters) + " "
                + s.operands.map { formalQubits[$0] }.joined(separator: ", ") + ";"
        }
        return "gate \(g.rawValue)\(params) \(qubits) { \(body.joined(separator: " ")) }"
    }

    func condition(_ c: ClassicalCondition?) throws -> String {
        guard let c else { return "" }
        if let r = circuit.classicalRegisters.first(where: { $0.range == c.clbits }) {
            return "if (\(r.name) == \(c.value)) "
        }
        if version == 3 && c.clbits.count == 1 { return "if (\(clbitName(c.clbits.lowerBound)) == \(c.value)) " }
        throw ExportError.unsupported("condition on clbits \(c.clbits) that are not one register")
    }

    func statement(_ op: Operation) throws -> String {
        switch op {
        case .gate(let g):
            var prefix = ""
            if !g.controls.isEmpty {
                guard version == 3 else { throw ExportError.unsupported("extra controls on '\(g.gate.rawValue)' in OpenQASM 2") }
                prefix = g.controls.count == 1 ? "ctrl @ " : "ctrl(\(g.controls.count)) @ "
            }
            return prefix + gateName(g.gate, dialect) + parameterList(g.parameters) + " "
                + g.operands.map(qubitName).joined(separator: ", ") + ";"
        case .measure(let q, let c):
            return version == 2 ? "measure \(qubitName(q)) -> \(clbitName(c));"
                                : "\(clbitName(c)) = measure \(qubitName(q));"
        case .reset(let q): return "reset \(qubitName(q));"
        case .barrier(let qs):
            guard !qs.isEmpty else { throw ExportError.unsupported("empty barrier") }
            return "barrier " + qs.map(qubitName).joined(separator: ", ") + ";"
        case .opaque(let n, let qs, let ps):
            return n + parameterList(ps) + " " + qs.map(qubitName).joined(separator: ", ") + ";"
        case .unitary: throw ExportError.unsupported("explicit unitary matrices")
        }
    }
}

struct OriginIRWriter {
    let circuit: Circuit

    init(_ circuit: Circuit) { self.circuit = circuit }

    func parameterList(_ ps: [ParameterExpression]) -> String {
        ps.isEmpty ? "" : ",(" + ps.map { $0.render(piName: "PI") }.joined(separator: ",") + ")"
    }

    func write() throws -> String {
        let free = circuit.parameterNames
        guard free.isEmpty else { throw ExportError.unboundParameters(free) }
        var lines = ["QINIT \(circuit.numQubits)", "CREG \(circuit.numClbits)"]
        for g in missingGates(circuit, dialect: .originIR) {
            let d = g.definition
            let formals = Array(formalQubits.prefix(d.arity))
            let params = d.parameterNames.isEmpty ? "" : ",(" + d.parameterNames.joined(separator: ",") + ")"
            lines.append("QGATE \(g.rawValue) " + formals.joined(separator: ",") + params)
            for s in d.decomposition!(d.parameterNames.map { .symbol($0) }) {
                lines.append(gateName(s.gate, .originIR) + " "
                             + s.operands.map { formals[$0] }.joined(separator: ",") + parameterList(s.parameters))
            }
            lines.append("ENDQGATE")
        }
        for i in circuit.instructions {
            guard i.condition == nil else { throw ExportError.unsupported("classical conditions in OriginIR") }
            switch i.operation {
            case .gate(let g):
                let line = gateName(g.gate, .originIR) + " "
                    + g.qubits.map { "q[\($0)]" }.joined(separator: ",") + parameterList(g.parameters)
                if g.controls.isEmpty {
                    lines.append(line)
                } else {
                    lines.append("CONTROL " + g.controls.map { "q[\($0)]" }.joined(separator: ","))
                    lines.append(line)
                    lines.append("ENDCONTROL")
                }
            case .measure(let q, let c): lines.append("MEASURE q[\(q)],c[\(c)]")
            case .reset(let q): lines.append("RESET q[\(q)]")
            case .barrier(let qs):
                guard !qs.isEmpty else { throw ExportError.unsupported("empty barrier") }
                lines.append("BARRIER " + qs.map { "q[\($0)]" }.joined(separator: ","))
            case .opaque(let n, _, _): throw ExportError.unsupported("opaque gate '\(n)' in OriginIR")
            case .unitary: throw ExportError.unsupported("explicit unitary matrices")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
