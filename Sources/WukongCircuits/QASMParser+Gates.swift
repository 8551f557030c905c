// OpenQASM gate definitions, opaque declarations, gate calls with broadcasting, modifiers
// (inv, pow, ctrl, negctrl) and the inlining of user gates under a nesting-depth limit.

extension QASMFrontEnd {
    /// Gates available without an include.
    var builtinNames: Set<String> { version == 2 ? ["U", "CX"] : ["U"] }

    /// The table gate a name denotes in this program, if any.
    func tableGate(named name: String) -> StandardGate? {
        guard stdlibIncluded || builtinNames.contains(name) else { return nil }
        return GateTable.lookup(name, dialect: version == 2 ? .qasm2 : .qasm3)
    }

    /// (parameter count, qubit count) of a callable name.
    func signature(_ name: String) -> (parameters: Int, qubits: Int)? {
        if let g = gates[name] { return (g.parameters.count, g.qubits.count) }
        if let o = opaqueGates[name] { return o }
        if let t = tableGate(named: name) { return (t.parameterCount, t.arity) }
        return nil
    }

    // MARK: Definitions

    func gateDefinition() throws {
        _ = stream.next()
        let name = try stream.identifier("gate name")
        var parameters: [String] = []
        if stream.accept("(") && !stream.accept(")") {
            repeat { parameters.append(try stream.identifier("parameter name").text) } while stream.accept(",")
            try stream.expect(")")
        }
        var qubits: [String] = []
        repeat { qubits.append(try stream.identifier("qubit name").text) } while stream.accept(",")
        guard Set(qubits).count == qubits.count else { throw stream.error("duplicate qubit name in gate definition", at: name) }
        guard gates[name.text] == nil, opaqueGates[name.text] == nil, lookupRegister(name.text) == nil else {
            throw stream.error("'\(name.text)' is already defined", at: name)
        }
        // A definition named after a table gate with the same shape stands for that gate.
        var standsFor = StandardGate(rawValue: name.text) ?? tableGate(named: name.text)
        if let g = standsFor, g.arity != qubits.count || g.parameterCount != parameters.count {
            if tableGate(named: name.text) != nil {
                throw stream.error("'\(name.text)' is already defined with \(g.parameterCount) parameters and \(g.arity) qubits", at: name)
            }
            standsFor = nil
        }
        try stream.expect("{")
        var body: [UserGate.Statement] = []
        while !stream.accept("}") {
            let t = stream.peek
            guard t.kind != .end else { throw stream.error("expected '}' to close gate '\(name.text)'") }
            if t.kind == .identifier && t.text == "barrier" {
                _ = stream.next()
                var args: [String] = []
                repeat { args.append(try formalQubit(qubits)) } while stream.accept(",")
                try stream.expect(";")
                body.append(.barrier(args))
                continue
            }
            let call = try parseCall { t in parameters.contains(t.text) ? .symbol(t.text) : nil }
            for arg in call.arguments {
                guard case .register(let a) = arg, qubits.contains(a.text) else {
                    throw stream.error("gate bodies may only use the gate's own qubit names", at: call.name)
                }
            }
            try checkShape(call)
            body.append(.call(call))
        }
        gates[name.text] = UserGate(name: name.text, parameters: parameters, qubits: qubits, body: body,
                                    tableGate: standsFor)
    }

    func formalQubit(_ qubits: [String]) throws -> String {
        let t = try stream.identifier("qubit name")
        guard qubits.contains(t.text) else { throw stream.error("unknown qubit '\(t.text)' in gate body", at: t) }
        return t.text
    }

    func opaqueDeclaration() throws {
        _ = stream.next()
        let name = try stream.identifier("gate name")
        var parameters = 0
        if stream.accept("(") && !stream.accept(")") {
            repeat { _ = try stream.identifier("parameter name"); parameters += 1 } while stream.accept(",")
            try stream.expect(")")
        }
        var qubits = 0
        repeat { _ = try stream.identifier("qubit name"); qubits += 1 } while stream.accept(",")
        try stream.expect(";")
        guard signature(name.text) == nil else { throw stream.error("'\(name.text)' is already defined", at: name) }
        opaqueGates[name.text] = (parameters, qubits)
    }

    // MARK: Calls

    /// Parses `[modifiers] name [(params)] args ;`.
    func parseCall(resolve: (Token) throws -> ParameterExpression?) throws -> GateCall {
        var modifiers: [GateModifier] = []
        while version == 3, stream.peek.kind == .identifier,
              ["inv", "pow", "ctrl", "negctrl"].contains(stream.peek.text),
              stream.peek(1).text == "@" || stream.peek(1).text == "(" {
            let m = stream.next()
            var argument: Int?
            if stream.accept("(") {
                let e = try stream.expression(resolve: resolve)
                guard let v = e.value, v == v.rounded(), Swift.abs(v) < 1e6 else {
                    throw stream.error("modifier argument must be an integer constant", at: m)
                }
                argument = Int(v)
                try stream.expect(")")
            }
            try stream.expect("@")
            switch m.text {
            case "inv": modifiers.append(.inv)
            case "pow":
                guard let k = argument else { throw stream.error("pow needs an exponent", at: m) }
                modifiers.append(.pow(k))
            case "ctrl", "negctrl":
                let n = argument ?? 1
                guard n >= 1 else { throw stream.error("control count must be positive", at: m) }
                modifiers.append(m.text == "ctrl" ? .ctrl(n) : .negctrl(n))
            default: break
            }
        }
        let name = try stream.identifier("gate name")
        if name.text == "gphase" { throw stream.error("'gphase' is not supported", at: name) }
        var parameters: [ParameterExpression] = []
        if stream.accept("(") && !stream.accept(")") {
            repeat { parameters.append(try stream.expression(resolve: resolve)) } while stream.accept(",")
            try stream.expect(")")
        }
        var arguments: [QubitArgument] = []
        repeat { arguments.append(try rawArgument()) } while stream.accept(",")
        try stream.expect(";")
        return GateCall(modifiers: modifiers, name: name, parameters: parameters, arguments: arguments)
    }

    /// Checks that the callee exists and the parameter and qubit counts match.
    func checkShape(_ call: GateCall) throws {
        guard let sig = signature(call.name.text) else {
            let hint = !stdlibIncluded && GateTable.lookup(call.name.text, dialect: version == 2 ? .qasm2 : .qasm3) != nil
                ? " (missing include \"\(version == 2 ? "qelib1.inc" : "stdgates.inc")\"?)" : ""
            throw stream.error("unknown gate '\(call.name.text)'\(hint)", at: call.name)
        }
        guard sig.parameters == call.parameters.count else {
            throw stream.error("gate '\(call.name.text)' takes \(sig.parameters) parameters, got \(call.parameters.count)", at: call.name)
        }
        let controls = call.modifiers.reduce(0) { $0 + $1.controlCount }
        guard sig.qubits + controls == call.arguments.count else {
            throw stream.error("gate '\(call.name.text)' takes \(sig.qubits + controls) qubits, got \(call.arguments.count)", at: call.name)
        }
    }

    func gateCallStatement(condition: ClassicalCondition?) throws {
        let call = try parseCall(resolve: resolveTopLevel)
        try checkShape(call)
        let resolved = try call.arguments.map { try resolve($0, quantum: true) }
        // Broadcast: whole registers of equal size iterate together; single qubits repeat.
        let sizes = Set(zip(call.arguments, resolved).compactMap { arg, qs -> Int? in
            if case .register = arg { return qs.count }
            return nil
        })
        guard sizes.count <= 1 else { throw stream.error("registers of different sizes in one call", at: call.name) }
        let count = sizes.first ?? 1
        for k in 0..<count {
            let operands = zip(call.arguments, resolved).map { arg, qs -> Int in
                if case .register = arg { return qs[k] }
                return qs[0]
            }
            guard Set(operands).count == operands.count else {
                throw stream.error("duplicate qubit operand in call to '\(call.name.text)'", at: call.name)
            }
            for op in try expand(call, operands: operands, depth: 0) {
                try emit(op, condition: condition, at: call.name)
            }
        }
    }

    /// Expands a call on concrete qubits into operations, applying modifiers innermost first.
    func expand(_ call: GateCall, operands: [Int], depth: Int) throws -> [Operation] {
        var controlSets: [[Int]] = []
        var index = 0
        for m in call.modifiers {
            controlSets.append(Array(operands[index..<(index + m.controlCount)]))
            index += m.controlCount
        }
        var ops = try baseOperations(call, qubits: Array(operands[index...]), depth: depth)
        for (m, controls) in zip(call.modifiers, controlSets).reversed() {
            ops = try apply(m, controls: controls, to: ops, at: call.name)
        }
        return ops
    }

    func baseOperations(_ call: GateCall, qubits: [Int], depth: Int) throws -> [Operation] {
        let name = call.name.text
        if let g = gates[name] {
            if let t = g.tableGate { return [.gate(GateApplication(t, qubits, call.parameters))] }
            guard depth < limits.maxNestingDepth else {
                throw stream.error("gate expansion nested deeper than \(limits.maxNestingDepth)", at: call.name)
            }
            let parameterMap = Dictionary(uniqueKeysWithValues: zip(g.parameters, call.parameters))
            let qubitMap = Dictionary(uniqueKeysWithValues: zip(g.qubits, qubits))
            var ops: [Operation] = []
            for statement in g.body {
                switch statement {
                case .barrier(let names): ops.append(.barrier(qubits: names.map { qubitMap[$0]! }))
                case .call(var inner):
                    inner.parameters = inner.parameters.map { $0.substituting(parameterMap) }
                    let innerQubits = inner.arguments.map { arg -> Int in
                        if case .register(let t) = arg { return qubitMap[t.text]! }
                        return -1
                    }
                    ops += try expand(inner, operands: innerQubits, depth: depth + 1)
                }
                guard ops.count <= limits.maxInstructions else {
                    throw stream.error("expanded circuit exceeds \(limits.maxInstructions) instructions", at: call.name)
                }
            }
            return ops
        }
        if opaqueGates[name] != nil { return [.opaque(name: name, qubits: qubits, parameters: call.parameters)] }
        if let t = tableGate(named: name) { return [.gate(GateApplication(t, qubits, call.parameters))] }
        throw stream.error("unknown gate '\(name)'", at: call.name)
    }

    func apply(_ modifier: GateModifier, controls: [Int], to ops: [Operation], at t: Token) throws -> [Operation] {
        switch modifier {
        case .inv:
            return try ops.reversed().map { op in
                switch op {
                case .gate(let g): return .gate(g.inverse)
                case .barrier: return op
                default: throw stream.error("cannot invert this operation", at: t)
                }
            }
        case .pow(let k):
            let base = k < 0 ? try apply(.inv, controls: [], to: ops, at: t) : ops
            let total = base.count * Swift.abs(k)
            guard total <= limits.maxInstructions else { throw stream.error("pow expands too far", at: t) }
            return Array([[Operation]](repeating: base, count: Swift.abs(k)).joined())
        case .ctrl:
            return try controls.reversed().reduce(ops) { ops, c in
                try ops.map { op in
                    switch op {
                    case .gate(let g): return .gate(g.addingControl(c))
                    case .barrier: return op
                    default: throw stream.error("cannot control this operation", at: t)
                    }
                }
            }
        case .negctrl:
            var out = ops
            for c in controls.reversed() {
                let flip = Operation.gate(GateApplication(.x, [c]))
                out = [flip] + (try apply(.ctrl(1), controls: [c], to: out, at: t)) + [flip]
            }
            return out
        }
    }
}
