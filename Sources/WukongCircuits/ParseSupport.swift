// What the front ends share: source locations, the parse error type, configurable limits,
// the tokenizer for OpenQASM 2/3 and OriginIR, and the parameter-expression grammar.

/// A position in a source file; line and column count from 1 (columns in Unicode scalars).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A front-end error, printed like a compiler diagnostic: `file:3:7: error: unknown gate 'foo'`.
public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var location: SourceLocation

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): error: \(message)" }
}

/// Limits that protect the front ends from hostile or runaway input.
public struct ParserLimits: Hashable, Sendable {
    /// Largest accepted source, in bytes of UTF-8.
    public var maxSourceBytes: Int = 16 << 20
    /// Deepest nesting of gate-definition expansion (a gate calling a gate …), and of
    /// OriginIR DAGGER/CONTROL blocks.
    public var maxNestingDepth: Int = 64
    /// Most qubits a program may declare (Wukong has 72; the default leaves room for tests).
    public var maxQubits: Int = 1024
    /// Most instructions the expanded circuit may hold (guards against exponential expansion).
    public var maxInstructions: Int = 10_000_000

    public init(maxSourceBytes: Int = 16 << 20, maxNestingDepth: Int = 64, maxQubits: Int = 1024,
                maxInstructions: Int = 10_000_000) {
        self.maxSourceBytes = maxSourceBytes
        self.maxNestingDepth = maxNestingDepth
        self.maxQubits = maxQubits
        self.maxInstructions = maxInstructions
    }
}

enum TokenKind: Hashable, Sendable {
    case identifier, integer, real, string, symbol, hardwareQubit, newline, end
}

struct Token: Hashable, Sendable {
    var kind: TokenKind
    var text: String
    var line: Int
    var column: Int
}

/// Splits source into tokens. `//` and `/* */` comments are skipped; `#` starts a comment when
/// `hashComments` is set (OriginIR); newlines become tokens when `newlines` is set.
func tokenize(_ source: String, file: String, newlines: Bool, hashComments: Bool) throws -> [Token] {
    let chars = Array(source.unicodeScalars)
    var tokens: [Token] = []
    var i = 0, line = 1, column = 1
    func advance() {
        if chars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }
    func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic }
    func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    while i < chars.count {
        let c = chars[i]
        let startLine = line, startColumn = column, start = i
        func emit(_ kind: TokenKind) {
            tokens.append(Token(kind: kind, text: String(String.UnicodeScalarView(chars[start..<i])),
                                line: startLine, column: startColumn))
        }
        if c == "\n" {
            advance()
            if newlines { tokens.append(Token(kind: .newline, text: "\n", line: startLine, column: startColumn)) }
        } else if c == " " || c == "\t" || c == "\r" {
            advance()
        } else if c == "/" && i + 1 < chars.count && chars[i + 1] == "/" || hashComments && c == "#" {
            while i < chars.count && chars[i] != "\n" { advance() }
        } else if c == "/" && i + 1 < chars.count && chars[i + 1] == "*" {
            advance(); advance()
            while i < chars.count && !(chars[i] == "*" && i + 1 < chars.count && chars[i + 1] == "/") { advance() }
            guard i < chars.count else {
                throw ParseError("unterminated comment", at: SourceLocation(file: file, line: startLine, column: startColumn))
            }
            advance(); advance()
        } else if isIdentStart(c) {
            while i < chars.count && (isIdentStart(chars[i]) || isDigit(chars[i])) { advance() }
            emit(.identifier)
        } else if isDigit(c) || c == "." && i + 1 < chars.count && isDigit(chars[i + 1]) {
            var kind = TokenKind.integer
            while i < chars.count && isDigit(chars[i]) { advance() }
            if i < chars.count && chars[i] == "." { kind = .real; advance() }
            while i < chars.count && isDigit(chars[i]) { advance() }
            if i < chars.count && (chars[i] == "e" || chars[i] == "E") {
                var j = i + 1
                if j < chars.count && (chars[j] == "+" || chars[j] == "-") { j += 1 }
                if j < chars.count && isDigit(chars[j]) {
                    kind = .real
                    while i < j { advance() }
                    while i < chars.count && isDigit(chars[i]) { advance() }
                }
            }
            emit(kind)
        } else if c == "\"" {
            advance()
            while i < chars.count && chars[i] != "\"" && chars[i] != "\n" { advance() }
            guard i < chars.count && chars[i] == "\"" else {
                throw ParseError("unterminated string", at: SourceLocation(file: file, line: startLine, column: startColumn))
            }
            advance()
            tokens.append(Token(kind: .string, text: String(String.UnicodeScalarView(chars[(start + 1)..<(i - 1)])),
                                line: startLine, column: startColumn))
        } else if c == "$" && i + 1 < chars.count && isDigit(chars[i + 1]) {
            advance()
            while i < chars.count && isDigit(chars[i]) { advance() }
            emit(.hardwareQubit)
        } else {
            let two = i + 1 < chars.count ? String(c) + String(chars[i + 1]) : ""
            if ["->", "==", "!=", "<=", ">=", "&&", "||", "**"].contains(two) {
                advance(); advance()
            } else if "+-*/^;,()[]{}@=<>!:~%&|".unicodeScalars.contains(c) {
                advance()
            } else {
                throw ParseError("unexpected character '\(c)'", at: SourceLocation(file: file, line: line, column: column))
            }
            emit(.symbol)
        }
    }
    tokens.append(Token(kind: .end, text: "", line: line, column: column))
    return tokens
}

/// A cursor over tokens with the helpers every front end uses.
struct TokenStream {
    let tokens: [Token]
    let file: String
    var position = 0

    init(_ tokens: [Token], file: String) {
        self.tokens = tokens
        self.file = file
    }

    var peek: Token { tokens[position] }
    func peek(_ offset: Int) -> Token { tokens[min(position + offset, tokens.count - 1)] }

    mutating func next() -> Token {
        let t = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    func location(_ t: Token) -> SourceLocation { SourceLocation(file: file, line: t.line, column: t.column) }

    func error(_ message: String, at t: Token? = nil) -> ParseError {
        ParseError(message, at: location(t ?? peek))
    }

    func isSymbol(_ s: String) -> Bool { peek.kind == .symbol && peek.text == s }

    mutating func accept(_ s: String) -> Bool {
        if isSymbol(s) { _ = next(); return true }
        return false
    }

    mutating func expect(_ s: String) throws {
        guard accept(s) else { throw error("expected '\(s)', found \(describe(peek))") }
    }

    mutating func identifier(_ what: String = "identifier") throws -> Token {
        guard peek.kind == .identifier else { throw error("expected \(what), found \(describe(peek))") }
        return next()
    }

    mutating func integer(_ what: String = "integer") throws -> Int {
        let t = peek
        guard t.kind == .integer, let v = Int(t.text) else { throw error("expected \(what), found \(describe(t))") }
        _ = next()
        return v
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .end: return "end of file"
        case .newline: return "end of line"
        case .string: return "string \"\(t.text)\""
        default: return "'\(t.text)'"
        }
    }

    /// Parses a parameter expression: `+ -` < `* /` < unary minus < `^` (right-associative) <
    /// numbers, `pi`, identifiers (via `resolve`), function calls and parentheses.
    mutating func expression(resolve: (Token) throws -> ParameterExpression?) throws -> ParameterExpression {
        var lhs = try term(resolve)
        while isSymbol("+") || isSymbol("-") {
            let op: BinaryOperator = next().text == "+" ? .add : .subtract
            lhs = .combine(op, lhs, try term(resolve))
        }
        return lhs
    }

    private mutating func term(_ resolve: (Token) throws -> ParameterExpression?) throws -> ParameterExpression {
        var lhs = try unary(resolve)
        while isSymbol("*") || isSymbol("/") {
            let op: BinaryOperator = next().text == "*" ? .multiply : .divide
            lhs = .combine(op, lhs, try unary(resolve))
        }
        return lhs
    }

    private mutating func unary(_ resolve: (Token) throws -> ParameterExpression?) throws -> ParameterExpression {
        if accept("-") { return -(try unary(resolve)) }
        if accept("+") { return try unary(resolve) }
        return try power(resolve)
    }

    private mutating func power(_ resolve: (Token) throws -> ParameterExpression?) throws -> ParameterExpression {
        let base = try primary(resolve)
        if accept("^") || accept("**") { return .combine(.power, base, try unary(resolve)) }
        return base
    }

    private mutating func primary(_ resolve: (Token) throws -> ParameterExpression?) throws -> ParameterExpression {
        let t = peek
        switch t.kind {
        case .integer, .real:
            _ = next()
            guard let v = Double(t.text) else { throw error("bad number \(describe(t))", at: t) }
            return .constant(v)
        case .identifier:
            _ = next()
            if isSymbol("("), let f = MathFunction.named(t.text.lowercased()) {
                _ = next()
                let argument = try expression(resolve: resolve)
                try expect(")")
                return .apply(f, argument)
            }
            if let e = try resolve(t) { return e }
            switch t.text {
            case "pi", "PI", "π": return .constant(.pi)
            case "tau", "τ": return .constant(2 * .pi)
            case "euler", "ℇ": return .constant(2.718281828459045)
            default: throw error("unknown identifier '\(t.text)' in expression", at: t)
            }
        case .symbol where t.text == "(":
            _ = next()
            let e = try expression(resolve: resolve)
            try expect(")")
            return e
        default:
            throw error("expected expression, found \(describe(t))", at: t)
        }
    }
}
