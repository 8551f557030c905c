// OriginIR (QPanda) front end: QINIT/CREG, gate lines, MEASURE, RESET, BARRIER, DAGGER and
// CONTROL blocks, and QGATE definitions (chip-physics §4.1).

/// Parses OriginIR into a `Circuit` with one qubit register `q` and one classical register `c`.
///
/// - Gate names are case-insensitive; OriginIR spellings win (`CU` is `cu4`, `CR` is `cp`), then
///   canonical names and aliases from the gate table (so `SX`, `SDG`, `CSWAP` are accepted).
/// - `DAGGER … ENDDAGGER` reverses the enclosed gates and replaces each by its table inverse.
/// - `CONTROL q[a],… … ENDCONTROL` adds the listed controls to every enclosed gate (mapped onto
///   the table's controlled gate where one exists, e.g. `CONTROL q[1]` + `RX q[2]` is `crx`).
/// - `QGATE name a,b,(x,y) … ENDQGATE` defines a gate (its name is case-sensitive and shadows
///   built-in spellings) whose body is re-read at each call; a
///   definition named after a table gate of the same shape stands for that gate (exporters use
///   this for gates OriginIR lacks).
/// - `QIF`/`QWHILE` classical control is not supported and reported as an error.
public enum OriginIRParser {
    /// Parses a program.
    /// - Complexity: linear in the size of the expanded circuit.
    public static func parse(_ source: String, file: String = "<input>",
                             limits: ParserLimits = ParserLimits()) throws -> Circuit {
        guard source.utf8.count <= limits.maxSourceBytes else {
            throw ParseError("source is \(source.utf8.count) bytes, over the limit of \(limits.maxSourceBytes)",
                             at: SourceLocation(file: file, line: 1, column: 1))
        }
        let tokens = try tokenize(source, file: file, newlines: true, hashComments: true)
        return try OriginIRFrontEnd(TokenStream(tokens, file: file), limits: limits).run()
    }
}

final class OriginIRFrontEnd {
    struct QGate {
        var qubits: [String]
        var parameters: [String]
        var bodyStart: Int
        var bodyEnd: Int
        var tableGate: StandardGate?
    }
    enum FrameKind { case root, dagger, control([Int]), call }
    struct Frame {
        var kind: FrameKind
        var opener: Token
        var instructions: [Instruction] = []
    }
    struct Environment {
        var qubits: [String: Int] = [:]
        var parameters: [String: ParameterExpression] = [:]
    }

    var stream: TokenStream
    let limits: ParserLimits
    var numQubits = -1
    var numClbits = 0
    var frames: [Frame]
    var gates: [String: QGate] = [:]
    var environment = Environment()
    var emitted = 0

    init(_ stream: TokenStream, limits: ParserLimits) {
        self.stream = stream
        self.limits = limits
        frames = [Frame(kind: .root, opener: stream.peek)]
    }

    func run() throws -> Circuit {
        skipBlankLines()
        let first = stream.peek
        guard first.kind == .identifier, first.text.uppercased() == "QINIT" else {
            throw stream.error("program must start with QINIT", at: first)
        }
        _ = stream.next()
        let n = try stream.integer("qubit count")
        guard n <= limits.maxQubits else {
            throw stream.error("\(n) qubits exceed the limit of \(limits.maxQubits)", at: first)
        }
        numQubits = n
        try endOfLine()
        skipBlankLines()
        if stream.peek.kind == .identifier && stream.peek.text.uppercased() == "CREG" {
            _ = stream.next()
            numClbits = try stream.integer("classical bit count")
            try endOfLine()
        }
        while true {
            skipBlankLines()
            if stream.peek.kind == .end { break }
            try statement()
        }
        if frames.count > 1, let open = frames.last {
            throw stream.error("'\(open.opener.text)' is never closed", at: open.opener)
        }
        var circuit = Circuit(numQubits: numQubits, numClbits: numClbits)
        for i in frames[0].instructions { circuit.appendUnchecked(i) }
        return circuit
    }

    func skipBlankLines() { while stream.peek.kind == .newline { _ = stream.next() } }

    func endOfLine() throws {
        guard stream.peek.kind == .newline || stream.peek.kind == .end else {
            throw stream.error("expected end of line, found \(stream.describe(stream.peek))")
        }
        if stream.peek.kind == .newline { _ = stream.next() }
    }

    func emit(_ operation: Operation, at t: Token) throws {
        emitted += 1
        guard emitted <= limits.maxInstructions else {
            throw stream.error("expanded circuit exceeds \(limits.maxInstructions) instructions", at: t)
        }
        frames[frames.count - 1].instructions.append(Instruction(operation))
    }

    func push(_ kind: FrameKind, at t: Token) throws {
        guard frames.count <= limits.maxNestingDepth else {
            throw stream.error("blocks and gate calls nested deeper than \(limits.maxNestingDepth)", at: t)
        }
        frames.append(Frame(kind: kind, opener: t))
    }

    /// Whether a DAGGER or CONTROL block is open in the current scope.
    var insideBlock: Bool {
        for f in frames.reversed() {
            switch f.kind {
            case .dagger, .control: return true
            case .root, .call: return false
            }
        }
        return false
    }

    // MARK: Statements

    func statement() throws {
        let keyword = try stream.identifier("statement")
        switch keyword.text.uppercased() {
        case "QINIT", "CREG": throw stream.error("'\(keyword.text)' may appear only at the start", at: keyword)
        case "MEASURE":
            guard !insideBlock else { throw stream.error("MEASURE cannot appear inside DAGGER or CONTROL", at: keyword) }
            let qubits = try qubitOperand(allowRegister: true)
            try stream.expect(",")
            let clbits = try clbitOperand()
            guard qubits.count == clbits.count else {
                throw stream.error("measuring \(qubits.count) qubits into \(clbits.count) bits", at: keyword)
            }
            for (q, c) in zip(qubits, clbits) { try emit(.measure(qubit: q, clbit: c), at: keyword) }
        case "RESET":
            guard !insideBlock else { throw stream.error("RESET cannot appear inside DAGGER or CONTROL", at: keyword) }
            for q in try qubitOperand(allowRegister: true) { try emit(.reset(qubit: q), at: keyword) }
        case "BARRIER":
            var qubits: [Int] = []
            repeat { qubits += try qubitOperand(allowRegister: true) } while stream.accept(",")
            guard Set(qubits).count == qubits.count else { throw stream.error("duplicate qubit in BARRIER", at: keyword) }
            try emit(.barrier(qubits: qubits), at: keyword)
        case "DAGGER":
            try push(.dagger, at: keyword)
        case "CONTROL":
            var controls: [Int] = []
            repeat { controls += try qubitOperand(allowRegister: false) } while stream.accept(",")
            guard Set(controls).count == controls.count else { throw stream.error("duplicate control qubit", at: keyword) }
            try push(.control(controls), at: keyword)
        case "ENDDAGGER", "ENDCONTROL":
            try closeBlock(keyword)
        case "QGATE":
            try definition(keyword)
            return
        case "ENDQGATE":
            throw stream.error("ENDQGATE without QGATE", at: keyword)
        case "QIF", "QELSEIF", "QELSE", "ELSE", "QENDIF", "ENDQIF", "QWHILE", "ENDQWHILE":
            throw stream.error("classical control ('\(keyword.text)') is not supported", at: keyword)
        default:
            try gateLine(keyword)
        }
        try endOfLine()
    }

    func closeBlock(_ keyword: Token) throws {
        let isDagger = keyword.text.uppercased() == "ENDDAGGER"
        guard let frame = frames.last else { throw stream.error("unbalanced \(keyword.text)", at: keyword) }
        var output: [Instruction]
        switch frame.kind {
        case .dagger where isDagger:
            output = try frame.instructions.reversed().map { i in
                switch i.operation {
                case .gate(let g): return Instruction(.gate(g.inverse))
                case .barrier: return i
                default: throw stream.error("cannot invert this block", at: keyword)
                }
            }
        case .control(let controls) where !isDagger:
            if stream.peek.kind == .identifier {
                var listed: [Int] = []
                repeat { listed += try qubitOperand(allowRegister: false) } while stream.accept(",")
                guard listed == controls else {
                    throw stream.error("ENDCONTROL qubits differ from CONTROL qubits", at: keyword)
                }
            }
            output = try frame.instructions.map { i in
                guard case .gate(var g) = i.operation else { return i }
                for c in controls.reversed() {
                    guard !g.operands.contains(c) else {
                        throw stream.error("control qubit \(c) is also a target of an enclosed gate", at: keyword)
                    }
                    g = g.addingControl(c)
                }
                return Instruction(.gate(g))
            }
        default:
            throw stream.error("'\(keyword.text)' does not match the open block", at: keyword)
        }
        frames.removeLast()
        frames[frames.count - 1].instructions += output
    }

    // MARK: Operands

    /// `q[i]`, whole register `q` (if allowed), or a formal qubit name inside a QGATE body.
    func qubitOperand(allowRegister: Bool) throws -> [Int] {
        let t = try stream.identifier("qubit")
        if let q = environment.qubits[t.text] { return [q] }
        guard t.text == "q" else { throw stream.error("unknown qubit '\(t.text)'", at: t) }
        if stream.accept("[") {
            let k = try index()
            guard k < numQubits else { throw stream.error("qubit index \(k) out of range (QINIT \(numQubits))", at: t) }
            return [k]
        }
        guard allowRegister else { throw stream.error("expected a single qubit 'q[i]'", at: t) }
        return Array(0..<numQubits)
    }

    func clbitOperand() throws -> [Int] {
        let t = try stream.identifier("classical bit")
        guard t.text == "c" else { throw stream.error("expected 'c[i]', found '\(t.text)'", at: t) }
        if stream.accept("[") {
            let k = try index()
            guard k < numClbits else { throw stream.error("bit index \(k) out of range (CREG \(numClbits))", at: t) }
            return [k]
        }
        return Array(0..<numClbits)
    }

    func index() throws -> Int {
        let k = try stream.integer("index")
        try stream.expect("]")
        return k
    }

    func expression() throws -> ParameterExpression {
        let env = environment
        return try stream.expression { t in env.parameters[t.text] }
    }
}
