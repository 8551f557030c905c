// OriginIR gate lines and QGATE definitions: operand and parameter lists, whole-register
// broadcast for single-qubit gates, and re-reading a definition's body at each call.

extension OriginIRFrontEnd {
    func gateLine(_ name: Token) throws {
        var operands: [[Int]] = []
        var parameters: [ParameterExpression] = []
        var whole = false
        repeat {
            if stream.isSymbol("(") {
                _ = stream.next()
                repeat { parameters.append(try expression()) } while stream.accept(",")
                try stream.expect(")")
                break
            }
            let isRegister = stream.peek.text == "q" && stream.peek(1).text != "["
                && environment.qubits["q"] == nil
            whole = whole || isRegister
            operands.append(try qubitOperand(allowRegister: true))
        } while stream.accept(",")

        let key = name.text
        let arity: Int, parameterCount: Int
        if let g = gates[key] {
            arity = g.qubits.count; parameterCount = g.parameters.count
        } else if let t = GateTable.lookup(name.text, dialect: .originIR) {
            arity = t.arity; parameterCount = t.parameterCount
        } else {
            throw stream.error("unknown gate '\(name.text)'", at: name)
        }
        guard parameters.count == parameterCount else {
            throw stream.error("gate '\(name.text)' takes \(parameterCount) parameters, got \(parameters.count)", at: name)
        }
        guard operands.count == arity else {
            throw stream.error("gate '\(name.text)' takes \(arity) qubits, got \(operands.count)", at: name)
        }
        if whole && arity != 1 {
            throw stream.error("only single-qubit gates may act on the whole register 'q'", at: name)
        }
        for column in 0..<(operands.first?.count ?? 1) {
            let qubits = operands.map { $0[column] }
            guard Set(qubits).count == qubits.count else {
                throw stream.error("duplicate qubit operand in '\(name.text)'", at: name)
            }
            try call(name, qubits: qubits, parameters: parameters)
        }
    }

    func call(_ name: Token, qubits: [Int], parameters: [ParameterExpression]) throws {
        let key = name.text
        guard let g = gates[key] else {
            let t = GateTable.lookup(name.text, dialect: .originIR)!
            return try emit(.gate(GateApplication(t, qubits, parameters)), at: name)
        }
        if let t = g.tableGate { return try emit(.gate(GateApplication(t, qubits, parameters)), at: name) }
        // Re-read the body with the formal names bound; the call frame keeps the body's
        // DAGGER/CONTROL blocks from closing blocks opened outside it.
        try push(.call, at: name)
        let savedPosition = stream.position, savedEnvironment = environment
        environment = Environment(qubits: Dictionary(uniqueKeysWithValues: zip(g.qubits, qubits)),
                                  parameters: Dictionary(uniqueKeysWithValues: zip(g.parameters, parameters)))
        stream.position = g.bodyStart
        while stream.position < g.bodyEnd {
            skipBlankLines()
            if stream.position >= g.bodyEnd { break }
            try statement()
        }
        guard case .call = frames.last!.kind else {
            throw stream.error("'\(frames.last!.opener.text)' is not closed inside QGATE \(name.text)", at: frames.last!.opener)
        }
        stream.position = savedPosition
        environment = savedEnvironment
        let body = frames.removeLast().instructions
        frames[frames.count - 1].instructions += body
    }

    /// `QGATE name a,b,(x,y)` NL body `ENDQGATE`; the body is checked when the gate is called.
    func definition(_ keyword: Token) throws {
        guard frames.count == 1 else { throw stream.error("QGATE must be at top level", at: keyword) }
        let name = try stream.identifier("gate name")
        var qubits: [String] = [], parameters: [String] = []
        repeat {
            if stream.accept("(") {
                repeat { parameters.append(try stream.identifier("parameter name").text) } while stream.accept(",")
                try stream.expect(")")
                break
            }
            qubits.append(try stream.identifier("qubit name").text)
        } while stream.accept(",")
        guard Set(qubits).count == qubits.count, Set(parameters).count == parameters.count else {
            throw stream.error("duplicate name in QGATE", at: name)
        }
        try endOfLine()
        let key = name.text
        guard gates[key] == nil else { throw stream.error("gate '\(name.text)' is already defined", at: name) }
        var standsFor = StandardGate(rawValue: name.text.lowercased()) ?? GateTable.lookup(name.text, dialect: .originIR)
        if let t = standsFor, t.arity != qubits.count || t.parameterCount != parameters.count {
            if GateTable.lookup(name.text, dialect: .originIR) != nil && StandardGate(rawValue: name.text.lowercased()) == nil {
                throw stream.error("'\(name.text)' is a built-in gate with \(t.parameterCount) parameters and \(t.arity) qubits", at: name)
            }
            standsFor = nil
        }
        let start = stream.position
        while true {
            let t = stream.peek
            if t.kind == .end { throw stream.error("QGATE '\(name.text)' has no ENDQGATE", at: keyword) }
            if t.kind == .identifier && t.text.uppercased() == "ENDQGATE" && stream.position > 0
                && stream.tokens[stream.position - 1].kind == .newline { break }
            if t.kind == .identifier && t.text.uppercased() == "QGATE" {
                throw stream.error("QGATE definitions cannot nest", at: t)
            }
            _ = stream.next()
        }
        let end = stream.position
        _ = stream.next()
        try endOfLine()
        gates[key] = QGate(qubits: qubits, parameters: parameters, bodyStart: start, bodyEnd: end, tableGate: standsFor)
    }
}
