// OpenQASM 2.0 and the gate-level subset of OpenQASM 3: header, includes, declarations and
// statements. Gate definitions, calls, modifiers and broadcasting are in QASMParser+Gates.swift.

/// Parses OpenQASM 2.0 and (a gate-level subset of) OpenQASM 3 into a `Circuit`.
///
/// - `include "qelib1.inc"` (version 2) and `include "stdgates.inc"` (version 3) are built in;
///   any other include is an error, and no file is ever read.
/// - User `gate` definitions are inlined at each call. A definition whose name is the canonical
///   name of a gate-table entry (e.g. `rphi`, `iswap`) with the same arity and parameter count is
///   taken to be that gate: its body is checked but the table gate is emitted. Exporters rely on
///   this to write gates the language lacks, so round trips are exact.
/// - `opaque` gates are kept as `Operation.opaque`; simulators reject them.
/// - OpenQASM 3 `input float` / `input angle` declarations become free symbols (see `Circuit.bind`).
/// - Modifiers `inv @`, `pow(k) @` (integer k), `ctrl(n) @`, `negctrl(n) @` are applied at parse
///   time; a control on a gate with a table controlled form becomes that gate (`ctrl @ x` is `cx`).
public enum OpenQASMParser {
    /// Parses a program; the version comes from the `OPENQASM` header (3 when absent).
    /// - Complexity: linear in the size of the expanded circuit.
    public static func parse(_ source: String, file: String = "<input>",
                             limits: ParserLimits = ParserLimits()) throws -> Circuit {
        guard source.utf8.count <= limits.maxSourceBytes else {
            throw ParseError("source is \(source.utf8.count) bytes, over the limit of \(limits.maxSourceBytes)",
                             at: SourceLocation(file: file, line: 1, column: 1))
        }
        let tokens = try tokenize(source, file: file, newlines: false, hashComments: false)
        let parser = QASMFrontEnd(TokenStream(tokens, file: file), limits: limits)
        return try parser.run()
    }
}

/// A user gate definition, kept as an unexpanded body.
struct UserGate {
    enum Statement {
        case call(GateCall)
        case barrier([String])
    }
    var name: String
    var parameters: [String]
    var qubits: [String]
    var body: [Statement]
    /// The table gate this definition stands for (see `OpenQASMParser`), if any.
    var tableGate: StandardGate?
}

/// A gate modifier of OpenQASM 3.
enum GateModifier {
    case inv
    case pow(Int)
    case ctrl(Int)
    case negctrl(Int)

    var controlCount: Int {
        switch self {
        case .ctrl(let n), .negctrl(let n): return n
        default: return 0
        }
    }
}

/// A call as written: modifiers, name, parameter expressions and qubit arguments.
struct GateCall {
    var modifiers: [GateModifier]
    var name: Token
    var parameters: [ParameterExpression]
    /// Arguments; in definitions each is a formal qubit name.
    var arguments: [QubitArgument]
}

/// A qubit argument: a whole register, one element, a hardware qubit, or a formal name.
enum QubitArgument {
    case register(Token)
    case element(Token, Int)
    case hardware(Token, Int)
}

final class QASMFrontEnd {
    var stream: TokenStream
    let limits: ParserLimits
    var version = 3
    var stdlibIncluded = false
    var quantumRegisters: [Register] = []
    var classicalRegisters: [Register] = []
    var numQubits = 0
    var numClbits = 0
    var physicalQubits = 0
    var usesPhysicalQubits = false
    var gates: [String: UserGate] = [:]
    var opaqueGates: [String: (parameters: Int, qubits: Int)] = [:]
    var inputs: Set<String> = []
    var instructions: [Instruction] = []

    init(_ stream: TokenStream, limits: ParserLimits) {
        self.stream = stream
        self.limits = limits
    }

    func run() throws -> Circuit {
        if stream.peek.kind == .identifier && stream.peek.text == "OPENQASM" {
            _ = stream.next()
            let t = stream.next()
            switch t.text {
            case "2.0", "2": version = 2
            case "3", "3.0", "3.1": version = 3
            default: throw stream.error("unsupported OpenQASM version \(stream.describe(t))", at: t)
            }
            try stream.expect(";")
        } else if stream.peek.kind != .end && stream.peek.text != "include" {
            // OpenQASM 2 requires the header; a headerless program is read as OpenQASM 3.
            version = 3
        }
        while stream.peek.kind != .end { try statement(condition: nil) }
        var circuit = Circuit(quantumRegisters: usesPhysicalQubits ? [] : quantumRegisters,
                              classicalRegisters: classicalRegisters,
                              numQubits: usesPhysicalQubits ? physicalQubits : numQubits, numClbits: numClbits)
        for i in instructions { circuit.appendUnchecked(i) }
        return circuit
    }

    func emit(_ operation: Operation, condition: ClassicalCondition?, at token: Token) throws {
        guard instructions.count < limits.maxInstructions else {
            throw stream.error("expanded circuit exceeds \(limits.maxInstructions) instructions", at: token)
        }
        instructions.append(Instruction(operation, condition: condition))
    }

    // MARK: Statements

    func statement(condition: ClassicalCondition?) throws {
        let t = stream.peek
        if condition != nil && ["include", "qreg", "creg", "qubit", "bit", "input", "gate", "opaque", "if"].contains(t.text) {
            throw stream.error("'\(t.text)' cannot be conditioned", at: t)
        }
        if t.kind == .identifier {
            switch t.text {
            case "include": return try include()
            case "qreg", "creg": return try legacyRegister()
            case "qubit" where version == 3, "bit" where version == 3: return try declaration()
            case "input" where version == 3: return try inputDeclaration()
            case "gate": return try gateDefinition()
            case "opaque": return try opaqueDeclaration()
            case "measure": return try measureArrow(condition: condition)
            case "reset": return try reset(condition: condition)
            case "barrier": return try barrier(condition: condition)
            case "if": return try ifStatement()
            case "OPENQASM": throw stream.error("OPENQASM header must be the first statement", at: t)
            default:
                if version == 3 && stream.peek(1).kind == .symbol
                    && (stream.peek(1).text == "=" || stream.peek(1).text == "[" && isAssignment()) {
                    return try measureAssignment(condition: condition)
                }
                return try gateCallStatement(condition: condition)
            }
        }
        throw stream.error("expected a statement, found \(stream.describe(t))", at: t)
    }

    /// Looks ahead past `name[...]` for `= measure`.
    func isAssignment() -> Bool {
        var k = 1
        while stream.peek(k).kind != .end && !(stream.peek(k).kind == .symbol && stream.peek(k).text == "]") { k += 1 }
        return stream.peek(k + 1).text == "="
    }

    func include() throws {
        _ = stream.next()
        let t = stream.next()
        guard t.kind == .string else { throw stream.error("expected a file name string", at: t) }
        let builtin = version == 2 ? "qelib1.inc" : "stdgates.inc"
        guard t.text == builtin else {
            throw stream.error("cannot include \"\(t.text)\": only \"\(builtin)\" is available (built in)", at: t)
        }
        stdlibIncluded = true
        try stream.expect(";")
    }

    func addRegister(quantum: Bool, name: Token, size: Int) throws {
        guard size > 0 else { throw stream.error("register size must be positive", at: name) }
        guard lookupRegister(name.text) == nil, gates[name.text] == nil else {
            throw stream.error("'\(name.text)' is already declared", at: name)
        }
        if quantum {
            guard !usesPhysicalQubits else {
                throw stream.error("cannot declare qubit registers after using physical qubits", at: name)
            }
            guard numQubits + size <= limits.maxQubits else {
                throw stream.error("\(numQubits + size) qubits exceed the limit of \(limits.maxQubits)", at: name)
            }
            quantumRegisters.append(Register(name: name.text, start: numQubits, size: size))
            numQubits += size
        } else {
            classicalRegisters.append(Register(name: name.text, start: numClbits, size: size))
            numClbits += size
        }
    }

    func lookupRegister(_ name: String) -> (Register, quantum: Bool)? {
        if let r = quantumRegisters.first(where: { $0.name == name }) { return (r, true) }
        if let r = classicalRegisters.first(where: { $0.name == name }) { return (r, false) }
        return nil
    }

    func legacyRegister() throws {
        let keyword = stream.next()
        let name = try stream.identifier("register name")
        try stream.expect("[")
        let size = try stream.integer("register size")
        try stream.expect("]")
        try stream.expect(";")
        try addRegister(quantum: keyword.text == "qreg", name: name, size: size)
    }

    func declaration() throws {
        let keyword = stream.next()
        var size = 1
        if stream.accept("[") {
            size = try stream.integer("register size")
            try stream.expect("]")
        }
        let name = try stream.identifier("register name")
        if stream.isSymbol("=") { throw stream.error("initialised declarations are not supported") }
        try stream.expect(";")
        try addRegister(quantum: keyword.text == "qubit", name: name, size: size)
    }

    func inputDeclaration() throws {
        _ = stream.next()
        let type = try stream.identifier("type")
        guard type.text == "float" || type.text == "angle" else {
            throw stream.error("only 'input float' and 'input angle' parameters are supported", at: type)
        }
        if stream.accept("[") {
            _ = try stream.integer("width")
            try stream.expect("]")
        }
        let name = try stream.identifier("parameter name")
        guard !inputs.contains(name.text), lookupRegister(name.text) == nil else {
            throw stream.error("'\(name.text)' is already declared", at: name)
        }
        inputs.insert(name.text)
        try stream.expect(";")
    }

    /// Top-level expression resolution: OpenQASM 3 inputs become symbols.
    func resolveTopLevel(_ t: Token) throws -> ParameterExpression? {
        inputs.contains(t.text) ? .symbol(t.text) : nil
    }

    // MARK: Measure, reset, barrier, if

    func measureArrow(condition: ClassicalCondition?) throws {
        let keyword = stream.next()
        let source = try qubitArgument()
        guard stream.accept("->") else {
            throw stream.error(version == 3 ? "measurement result must be assigned (use 'c = measure q;')"
                                            : "expected '->' after measured qubits")
        }
        let target = try clbitArgument()
        try stream.expect(";")
        try emitMeasure(source, target, condition: condition, at: keyword)
    }

    func measureAssignment(condition: ClassicalCondition?) throws {
        let first = stream.peek
        let target = try clbitArgument()
        try stream.expect("=")
        let keyword = try stream.identifier("'measure'")
        guard keyword.text == "measure" else { throw stream.error("expected 'measure'", at: keyword) }
        let source = try qubitArgument()
        try stream.expect(";")
        try emitMeasure(source, target, condition: condition, at: first)
    }

    func emitMeasure(_ source: [Int], _ target: [Int], condition: ClassicalCondition?, at t: Token) throws {
        guard source.count == target.count else {
            throw stream.error("measuring \(source.count) qubits into \(target.count) bits", at: t)
        }
        for (q, c) in zip(source, target) { try emit(.measure(qubit: q, clbit: c), condition: condition, at: t) }
    }

    func reset(condition: ClassicalCondition?) throws {
        let keyword = stream.next()
        let qubits = try qubitArgument()
        try stream.expect(";")
        for q in qubits { try emit(.reset(qubit: q), condition: condition, at: keyword) }
    }

    func barrier(condition: ClassicalCondition?) throws {
        let keyword = stream.next()
        var qubits: [Int] = []
        if stream.isSymbol(";") && version == 3 {
            qubits = Array(0..<(usesPhysicalQubits ? physicalQubits : numQubits))
        } else {
            repeat { qubits += try qubitArgument() } while stream.accept(",")
        }
        try stream.expect(";")
        guard Set(qubits).count == qubits.count else { throw stream.error("duplicate qubit in barrier", at: keyword) }
        try emit(.barrier(qubits: qubits), condition: condition, at: keyword)
    }

    func ifStatement() throws {
        _ = stream.next()
        try stream.expect("(")
        let negated = stream.accept("!")
        let nameToken = try stream.identifier("classical register")
        guard let (register, quantum) = lookupRegister(nameToken.text), !quantum else {
            throw stream.error("'\(nameToken.text)' is not a classical register", at: nameToken)
        }
        var bits = register.range
        if stream.accept("[") {
            guard version == 3 else { throw stream.error("OpenQASM 2 conditions compare a whole register") }
            let k = try stream.integer("bit index")
            guard k < register.size else { throw stream.error("bit index \(k) out of range for '\(register.name)'") }
            try stream.expect("]")
            bits = (register.start + k)..<(register.start + k + 1)
        }
        var value = 1
        if !negated && stream.accept("==") {
            value = try stream.integer("comparison value")
        } else if bits.count != 1 || version == 2 {
            throw stream.error("expected '==' in condition")
        }
        if negated { value = 0 }
        guard bits.count >= 63 || value < 1 << bits.count else {
            throw stream.error("value \(value) does not fit in \(bits.count) bits")
        }
        try stream.expect(")")
        let condition = ClassicalCondition(clbits: bits, value: value)
        if version == 3 && stream.accept("{") {
            while !stream.accept("}") {
                guard stream.peek.kind != .end else { throw stream.error("expected '}'") }
                try statement(condition: condition)
            }
        } else {
            try statement(condition: condition)
        }
    }

    // MARK: Arguments

    /// A register or element used as a qubit operand, resolved to flat indices.
    func qubitArgument() throws -> [Int] {
        try resolve(try rawArgument(), quantum: true)
    }

    func clbitArgument() throws -> [Int] {
        try resolve(try rawArgument(), quantum: false)
    }

    func rawArgument() throws -> QubitArgument {
        let t = stream.peek
        if t.kind == .hardwareQubit {
            guard version == 3 else { throw stream.error("physical qubits need OpenQASM 3", at: t) }
            _ = stream.next()
            guard let k = Int(t.text.dropFirst()) else { throw stream.error("bad physical qubit", at: t) }
            return .hardware(t, k)
        }
        let name = try stream.identifier("register")
        if stream.accept("[") {
            let k = try stream.integer("index")
            try stream.expect("]")
            return .element(name, k)
        }
        return .register(name)
    }

    func resolve(_ argument: QubitArgument, quantum: Bool) throws -> [Int] {
        switch argument {
        case .hardware(let t, let k):
            guard quantum else { throw stream.error("expected classical bits", at: t) }
            guard quantumRegisters.isEmpty else {
                throw stream.error("cannot mix physical qubits with declared qubit registers", at: t)
            }
            guard k < limits.maxQubits else {
                throw stream.error("physical qubit $\(k) exceeds the limit of \(limits.maxQubits) qubits", at: t)
            }
            usesPhysicalQubits = true
            physicalQubits = max(physicalQubits, k + 1)
            return [k]
        case .register(let t), .element(let t, _):
            guard let (register, isQuantum) = lookupRegister(t.text) else {
                throw stream.error("unknown register '\(t.text)'", at: t)
            }
            guard isQuantum == quantum else {
                throw stream.error("'\(t.text)' is a \(isQuantum ? "qubit" : "bit") register; expected \(quantum ? "qubits" : "bits")", at: t)
            }
            if case .element(_, let k) = argument {
                guard k < register.size else {
                    throw stream.error("index \(k) out of range for '\(t.text)' of size \(register.size)", at: t)
                }
                return [register.start + k]
            }
            return Array(register.range)
        }
    }
}
