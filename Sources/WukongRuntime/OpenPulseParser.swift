// The OpenQASM 3 + OpenPulse front end (Braket's dialect first): splits a program into its
// gate-level part (parsed by WukongCircuits' OpenQASMParser, with line and column kept) and its
// pulse-level part (`defcalgrammar`, `cal { }` blocks, `defcal`s), and records where each `cal`
// block falls among the circuit's instructions. Pulse statements are interpreted by
// `OpenPulseTimelineBuilder` (defcal bodies are checked once here with their angles set to 0).
import Foundation
import WukongCircuits

/// A `defcal` parameter: a name bound at each call, or a value the call must match.
public enum DefcalParameter: Sendable, Equatable {
    case name(String)
    case value(Double)
}

/// A parsed `defcal`.
public struct Defcal: Sendable {
    /// The gate name as written (`x`, `rx`, `measure`, or a name declared only by this defcal).
    public let name: String
    /// The table gate the name stands for, if any.
    public let gate: StandardGate?
    public let parameters: [DefcalParameter]
    /// Physical qubits.
    public let qubits: [Int]
    /// True when declared `-> bit` (measure calibrations).
    public let returnsBit: Bool
    /// Token range of the body (between the braces).
    let body: Range<Int>
    let nameToken: PulseToken
}

/// One item of the program in order: a circuit instruction or a `cal` block.
enum OpenPulseItem: Sendable {
    case instruction(Int)
    case cal(Range<Int>)
}

/// A parsed OpenQASM 3 + OpenPulse program.
public struct OpenPulseProgram: Sendable {
    /// The gate-level part (physical qubits; bit registers of `cal` blocks included in order).
    public let circuit: Circuit
    public let defcals: [Defcal]
    /// Number of `cal` blocks.
    public var calBlockCount: Int { items.reduce(0) { if case .cal = $1 { return $0 + 1 } else { return $0 } } }
    let items: [OpenPulseItem]
    let tokens: [PulseToken]
    let file: String

    /// A gate-level circuit on physical qubits as a program without pulse parts.
    public init(physicalCircuit circuit: Circuit) {
        self.init(circuit: circuit, defcals: [], items: circuit.instructions.indices.map { .instruction($0) }, tokens: [],
                  file: "<circuit>")
    }

    init(circuit: Circuit, defcals: [Defcal], items: [OpenPulseItem], tokens: [PulseToken], file: String) {
        self.circuit = circuit
        self.defcals = defcals
        self.items = items
        self.tokens = tokens
        self.file = file
    }

    /// True when `source` uses OpenPulse (`defcalgrammar`, `cal` or `defcal` at statement level).
    public static func isPulseProgram(_ source: String) -> Bool {
        guard let tokens = try? pulseTokenize(source, file: "") else { return false }
        return tokens.enumerated().contains { k, t in
            t.kind == .identifier && (t.text == "defcalgrammar" || t.text == "defcal"
                                      || (t.text == "cal" && k + 1 < tokens.count && tokens[k + 1].text == "{"))
        }
    }

    /// Parses a program. Errors are `ParseError`s with file:line:column.
    public static func parse(_ source: String, file: String = "<input>", limits: OpenPulseLimits = OpenPulseLimits(),
                             parserLimits: ParserLimits = ParserLimits()) throws -> OpenPulseProgram {
        let tokens = try pulseTokenize(source, file: file)
        var cursor = PulseTokenCursor(tokens, file: file)
        // Gate-level text: the source with every pulse-level statement blanked (newlines kept, so the
        // gate parser reports the original lines and columns); bit declarations in cal blocks are kept
        // and a defcal of a gate the table lacks leaves an `opaque` declaration in its place.
        var gateText = Array(source.utf8)
        func blank(_ from: Int, _ to: Int) {
            for k in from..<to where gateText[k] != UInt8(ascii: "\n") { gateText[k] = UInt8(ascii: " ") }
        }
        func write(_ s: String, at offset: Int) {
            for (k, b) in s.utf8.enumerated() { gateText[offset + k] = b }
        }
        var calBlocks: [(offset: Int, body: Range<Int>)] = []
        var defcals: [Defcal] = []
        while !cursor.atEnd {
            let t = cursor.peek
            if t.kind == .identifier && t.text == "defcalgrammar" {
                _ = cursor.next()
                let g = cursor.next()
                guard g.kind == .string else { throw cursor.error("expected a grammar name string", at: g) }
                guard g.text == "openpulse" else {
                    throw cursor.error("unsupported calibration grammar \"\(g.text)\" (only \"openpulse\")", at: g)
                }
                try cursor.expect(";")
                blank(t.start, tokens[cursor.position - 1].end)
            } else if t.kind == .identifier && t.text == "cal" && cursor.peek(1).text == "{" {
                _ = cursor.next()
                let body = try braceBlock(&cursor)
                guard calBlocks.count < limits.maxCalBlocks else {
                    throw cursor.error("more than \(limits.maxCalBlocks) cal blocks", at: t)
                }
                let end = tokens[cursor.position - 1].end
                blank(t.start, end)
                // Keep `bit` declarations (they number the clbits in program order).
                var k = body.lowerBound
                while k < body.upperBound {
                    let s = k
                    var depth = 0
                    while k < body.upperBound && !(depth == 0 && tokens[k].text == ";" && tokens[k].kind == .symbol) {
                        if tokens[k].text == "{" { depth += 1 } else if tokens[k].text == "}" { depth -= 1 }
                        k += 1
                    }
                    if tokens[s].kind == .identifier && tokens[s].text == "bit" {
                        // `bit name;`, `bit[n] name;`, possibly with `= capture…` (kept as a plain declaration).
                        var e = s + 1
                        if tokens[e].text == "[" { while e < k && tokens[e].text != "]" { e += 1 }; e += 1 }
                        guard e < k, tokens[e].kind == .identifier else {
                            throw cursor.error("expected a bit register name", at: tokens[min(e, k)])
                        }
                        let decl = String(decoding: Array(source.utf8)[tokens[s].start..<tokens[e].end], as: UTF8.self) + ";"
                        if !decl.contains("\n") { write(decl, at: tokens[s].start) }
                        else { write(String(decoding: Array(source.utf8)[tokens[s].start..<tokens[e].end], as: UTF8.self), at: tokens[s].start); write(";", at: tokens[e].end) }
                    }
                    k += 1
                }
                calBlocks.append((t.start, body))
            } else if t.kind == .identifier && t.text == "defcal" {
                let d = try defcalHeader(&cursor)
                defcals.append(d)
                let end = tokens[cursor.position - 1].end
                blank(t.start, end)
                let declared = defcals.dropLast().contains { $0.name == d.name && $0.gate == nil }
                if d.gate == nil && d.name != "measure" && !declared {
                    // Declare the gate for the gate-level parser, in the space the defcal occupied.
                    let params = d.parameters.indices.map { "p\($0)" }
                    let decl = "opaque \(d.name)" + (params.isEmpty ? "" : "(\(params.joined(separator: ",")))")
                        + " " + d.qubits.indices.map { "a\($0)" }.joined(separator: ",") + ";"
                    guard decl.utf8.count <= end - t.start else {
                        throw cursor.error("defcal '\(d.name)' is too short to declare", at: d.nameToken)
                    }
                    write(decl, at: t.start)
                }
            } else {
                try skipStatement(&cursor)
            }
        }
        let text = String(decoding: gateText, as: UTF8.self)
        let circuit = try OpenQASMParser.parse(text, file: file, limits: parserLimits)
        // Where each cal block falls: the instruction count of the program cut just before it.
        var items: [OpenPulseItem] = []
        var next = 0
        for block in calBlocks {
            let prefix = String(decoding: gateText[0..<block.offset], as: UTF8.self)
            let count = try OpenQASMParser.parse(prefix, file: file, limits: parserLimits).instructions.count
            while next < count { items.append(.instruction(next)); next += 1 }
            items.append(.cal(block.body))
        }
        while next < circuit.instructions.count { items.append(.instruction(next)); next += 1 }
        guard circuit.quantumRegisters.isEmpty || circuit.numQubits == 0 || defcals.isEmpty && calBlocks.isEmpty else {
            throw ParseError("OpenPulse programs address physical qubits ($0, $1, …), not declared qubit registers",
                             at: SourceLocation(file: file, line: 1, column: 1))
        }
        let program = OpenPulseProgram(circuit: circuit, defcals: defcals, items: items, tokens: tokens, file: file)
        return program
    }

    /// Reads a `{ … }` block; returns the token range inside the braces.
    static func braceBlock(_ cursor: inout PulseTokenCursor) throws -> Range<Int> {
        let open = cursor.peek
        try cursor.expect("{")
        let start = cursor.position
        var depth = 1
        while depth > 0 {
            let t = cursor.next()
            if t.kind == .end { throw cursor.error("unclosed '{'", at: open) }
            if t.kind == .symbol && t.text == "{" { depth += 1 }
            if t.kind == .symbol && t.text == "}" { depth -= 1 }
        }
        return start..<(cursor.position - 1)
    }

    /// Skips one gate-level statement: up to `;` at depth 0, or a brace block closing at depth 0.
    static func skipStatement(_ cursor: inout PulseTokenCursor) throws {
        var depth = 0
        while true {
            let t = cursor.next()
            if t.kind == .end { return }
            if t.kind == .symbol && t.text == "{" { depth += 1 }
            if t.kind == .symbol && t.text == "}" {
                depth -= 1
                if depth == 0 {
                    if cursor.peek.text == "else" { continue }
                    return
                }
            }
            if depth == 0 && t.kind == .symbol && t.text == ";" { return }
        }
    }

    /// `defcal NAME[(params)] $q… [-> bit] { body }`.
    static func defcalHeader(_ cursor: inout PulseTokenCursor) throws -> Defcal {
        _ = cursor.next()
        let name = try cursor.identifier("a gate name after defcal")
        var parameters: [DefcalParameter] = []
        if cursor.accept("(") && !cursor.accept(")") {
            repeat {
                if cursor.peek.kind == .identifier && ["pi", "π", "tau", "τ"].contains(cursor.peek.text) == false
                    && (cursor.peek(1).text == "," || cursor.peek(1).text == ")") {
                    // `angle theta` or `theta`: a name (a type keyword before it is skipped).
                    parameters.append(.name(cursor.next().text))
                } else if cursor.peek.kind == .identifier && ["angle", "float"].contains(cursor.peek.text) {
                    _ = cursor.next()
                    if cursor.accept("[") { _ = cursor.next(); try cursor.expect("]") }
                    parameters.append(.name(try cursor.identifier("a parameter name").text))
                } else {
                    let at = cursor.peek
                    guard case let .number(x) = try cursor.expression({ _ in nil }) else {
                        throw cursor.error("a defcal parameter must be a name or a real number", at: at)
                    }
                    parameters.append(.value(x))
                }
            } while cursor.accept(",")
            try cursor.expect(")")
        }
        var qubits: [Int] = []
        while cursor.peek.kind == .identifier && cursor.peek.text.hasPrefix("$") {
            let q = cursor.next()
            guard let k = Int(q.text.dropFirst()), k >= 0 else { throw cursor.error("bad physical qubit \(q.text)", at: q) }
            guard !qubits.contains(k) else { throw cursor.error("qubit \(q.text) appears twice", at: q) }
            qubits.append(k)
            _ = cursor.accept(",")
        }
        guard !qubits.isEmpty else {
            throw cursor.error("defcal '\(name.text)' must name physical qubits ($0, $1, …); found \(cursor.describe(cursor.peek))")
        }
        var returnsBit = false
        if cursor.accept("->") {
            let b = try cursor.identifier("'bit'")
            guard b.text == "bit" else { throw cursor.error("a defcal can only return bit", at: b) }
            returnsBit = true
        }
        let body = try braceBlock(&cursor)
        let gate: StandardGate? = name.text == "measure" ? nil : GateTable.lookup(name.text, dialect: .qasm3)
        if let gate {
            let def = GateTable.definition(gate)
            guard def.arity == qubits.count else {
                throw cursor.error("defcal '\(name.text)': the gate acts on \(def.arity) qubit(s), got \(qubits.count)", at: name)
            }
            guard def.parameterNames.count == parameters.count else {
                throw cursor.error("defcal '\(name.text)': the gate takes \(def.parameterNames.count) parameter(s), got \(parameters.count)", at: name)
            }
        }
        if name.text == "measure" {
            guard qubits.count == 1, parameters.isEmpty else { throw cursor.error("defcal measure takes one qubit and no parameters", at: name) }
        }
        return Defcal(name: name.text, gate: gate, parameters: parameters, qubits: qubits, returnsBit: returnsBit,
                      body: body, nameToken: name)
    }

    /// The defcal for `operation`, with its parameter bindings, if one matches.
    func defcal(for operation: WukongCircuits.Operation) throws -> (Defcal, [String: Double])? {
        func bind(_ d: Defcal, _ values: [Double]) -> [String: Double]? {
            var b: [String: Double] = [:]
            for (p, v) in zip(d.parameters, values) {
                switch p {
                case let .name(n): b[n] = v
                case let .value(x): if abs(x - v) > 1e-9 { return nil }
                }
            }
            return b
        }
        switch operation {
        case let .gate(g) where g.controls.isEmpty:
            let values = try g.parameters.map { try $0.evaluate() }
            for d in defcals where d.gate == g.gate && d.qubits == g.qubits {
                if let b = bind(d, values) { return (d, b) }
            }
            return nil
        case let .opaque(name, qubits, parameters):
            let values = try parameters.map { try $0.evaluate() }
            for d in defcals where d.name == name && d.qubits == qubits {
                if let b = bind(d, values) { return (d, b) }
            }
            return nil
        case let .measure(q, _):
            return defcals.first { $0.name == "measure" && $0.qubits == [q] }.map { ($0, [:]) }
        default:
            return nil
        }
    }
}
