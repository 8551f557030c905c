// Lexing and expressions of the OpenPulse front end: tokens with line/column, top-level statement
// splitting, and a small typed expression evaluator (numbers, complex `im` literals, durations,
// π, arithmetic, named values).
import Foundation
import Numerics
import WukongCircuits

/// A token of an OpenQASM 3 / OpenPulse program.
struct PulseToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case identifier, number, string, symbol, end }
    var kind: Kind
    var text: String
    /// For numbers: a unit or `im` written right after the digits (`ns`, `us`, `µs`, `ms`, `s`, `dt`, `im`).
    var suffix: String = ""
    var line: Int
    var column: Int
    /// UTF-8 offsets of the token in the source.
    var start: Int, end: Int
}

/// Splits `source` into tokens, skipping `//` and `/* */` comments.
func pulseTokenize(_ source: String, file: String) throws -> [PulseToken] {
    let scalars = Array(source.unicodeScalars)
    // UTF-8 offset of each scalar, for slicing the source.
    var offsets = [Int](repeating: 0, count: scalars.count + 1)
    for (i, s) in scalars.enumerated() { offsets[i + 1] = offsets[i] + String(s).utf8.count }
    var out: [PulseToken] = []
    var i = 0, line = 1, column = 1
    func advance() {
        if scalars[i] == "\n" { line += 1; column = 1 } else { column += 1 }
        i += 1
    }
    func isIdentStart(_ c: Unicode.Scalar) -> Bool { c == "_" || c == "$" || c.properties.isAlphabetic }
    func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
    while i < scalars.count {
        let c = scalars[i]
        if c.properties.isWhitespace { advance(); continue }
        if c == "/" && i + 1 < scalars.count && scalars[i + 1] == "/" {
            while i < scalars.count && scalars[i] != "\n" { advance() }
            continue
        }
        if c == "/" && i + 1 < scalars.count && scalars[i + 1] == "*" {
            let (l0, c0) = (line, column)
            advance(); advance()
            while i < scalars.count && !(scalars[i] == "*" && i + 1 < scalars.count && scalars[i + 1] == "/") { advance() }
            guard i < scalars.count else {
                throw ParseError("unterminated /* comment", at: SourceLocation(file: file, line: l0, column: c0))
            }
            advance(); advance()
            continue
        }
        let (l0, c0, s0) = (line, column, i)
        if isIdentStart(c) {
            while i < scalars.count && (isIdentStart(scalars[i]) || isDigit(scalars[i])) { advance() }
            out.append(PulseToken(kind: .identifier, text: String(String.UnicodeScalarView(scalars[s0..<i])),
                                  line: l0, column: c0, start: offsets[s0], end: offsets[i]))
        } else if isDigit(c) || (c == "." && i + 1 < scalars.count && isDigit(scalars[i + 1])) {
            while i < scalars.count && (isDigit(scalars[i]) || scalars[i] == "." || scalars[i] == "_") { advance() }
            if i < scalars.count && (scalars[i] == "e" || scalars[i] == "E"),
               i + 1 < scalars.count, isDigit(scalars[i + 1]) || ((scalars[i + 1] == "+" || scalars[i + 1] == "-")
                                                                  && i + 2 < scalars.count && isDigit(scalars[i + 2])) {
                advance(); advance()
                while i < scalars.count && isDigit(scalars[i]) { advance() }
            }
            let digits = String(String.UnicodeScalarView(scalars[s0..<i])).replacingOccurrences(of: "_", with: "")
            let u0 = i
            while i < scalars.count && (scalars[i].properties.isAlphabetic) { advance() }
            let suffix = String(String.UnicodeScalarView(scalars[u0..<i]))
            guard ["", "ns", "us", "µs", "μs", "ms", "s", "dt", "im"].contains(suffix) else {
                throw ParseError("unknown unit '\(suffix)' after \(digits) (expected ns, us, ms, s, dt or im)",
                                 at: SourceLocation(file: file, line: l0, column: c0))
            }
            out.append(PulseToken(kind: .number, text: digits, suffix: suffix, line: l0, column: c0,
                                  start: offsets[s0], end: offsets[i]))
        } else if c == "\"" {
            advance()
            while i < scalars.count && scalars[i] != "\"" && scalars[i] != "\n" { advance() }
            guard i < scalars.count && scalars[i] == "\"" else {
                throw ParseError("unterminated string", at: SourceLocation(file: file, line: l0, column: c0))
            }
            advance()
            out.append(PulseToken(kind: .string, text: String(String.UnicodeScalarView(scalars[(s0 + 1)..<(i - 1)])),
                                  line: l0, column: c0, start: offsets[s0], end: offsets[i]))
        } else {
            let two = i + 1 < scalars.count ? String(String.UnicodeScalarView([c, scalars[i + 1]])) : ""
            if ["->", "==", "**", "!=", "<=", ">=", "+=", "-="].contains(two) {
                advance(); advance()
                out.append(PulseToken(kind: .symbol, text: two, line: l0, column: c0, start: offsets[s0], end: offsets[i]))
            } else if "{}[]()<>;,=+-*/^@:.".unicodeScalars.contains(c) {
                advance()
                out.append(PulseToken(kind: .symbol, text: String(c), line: l0, column: c0, start: offsets[s0], end: offsets[i]))
            } else {
                throw ParseError("unexpected character '\(c)'", at: SourceLocation(file: file, line: l0, column: c0))
            }
        }
    }
    out.append(PulseToken(kind: .end, text: "", line: line, column: column, start: offsets[scalars.count], end: offsets[scalars.count]))
    return out
}

/// A value of the OpenPulse expression language.
enum PulseValue: Sendable {
    case number(Double)
    case complex(Complex<Double>)
    case duration(Double)
    case bool(Bool)
    case samples([Complex<Double>])

    var typeName: String {
        switch self {
        case .number: return "float"
        case .complex: return "complex"
        case .duration: return "duration"
        case .bool: return "bool"
        case .samples: return "waveform"
        }
    }
}

/// A cursor over tokens with error helpers.
struct PulseTokenCursor {
    let tokens: [PulseToken]
    var position = 0
    let file: String

    init(_ tokens: [PulseToken], file: String) {
        self.tokens = tokens
        self.file = file
    }

    var peek: PulseToken { tokens[min(position, tokens.count - 1)] }
    func peek(_ k: Int) -> PulseToken { tokens[min(position + k, tokens.count - 1)] }
    var atEnd: Bool { peek.kind == .end }

    mutating func next() -> PulseToken {
        let t = peek
        if position < tokens.count - 1 { position += 1 }
        return t
    }

    func error(_ message: String, at t: PulseToken? = nil) -> ParseError {
        let t = t ?? peek
        return ParseError(message, at: SourceLocation(file: file, line: t.line, column: t.column))
    }

    func describe(_ t: PulseToken) -> String {
        switch t.kind {
        case .end: return "end of input"
        case .string: return "\"\(t.text)\""
        default: return "'\(t.text)\(t.suffix)'"
        }
    }

    func isSymbol(_ s: String) -> Bool { peek.kind == .symbol && peek.text == s }

    mutating func accept(_ s: String) -> Bool {
        if isSymbol(s) { _ = next(); return true }
        return false
    }

    mutating func expect(_ s: String) throws {
        guard accept(s) else { throw error("expected '\(s)', found \(describe(peek))") }
    }

    mutating func identifier(_ what: String = "a name") throws -> PulseToken {
        guard peek.kind == .identifier else { throw error("expected \(what), found \(describe(peek))") }
        return next()
    }

    // MARK: Expressions

    /// Parses and evaluates an expression; `lookup` resolves identifiers (nil: unknown).
    mutating func expression(_ lookup: (PulseToken) throws -> PulseValue?) throws -> PulseValue {
        var v = try term(lookup)
        while isSymbol("+") || isSymbol("-") {
            let op = next()
            let r = try term(lookup)
            v = try combine(v, r, op)
        }
        return v
    }

    private mutating func term(_ lookup: (PulseToken) throws -> PulseValue?) throws -> PulseValue {
        var v = try unary(lookup)
        while isSymbol("*") || isSymbol("/") {
            let op = next()
            let r = try unary(lookup)
            v = try combine(v, r, op)
        }
        return v
    }

    private mutating func unary(_ lookup: (PulseToken) throws -> PulseValue?) throws -> PulseValue {
        if isSymbol("-") {
            let op = next()
            return try combine(.number(-1), try unary(lookup), PulseToken(kind: .symbol, text: "*", line: op.line, column: op.column, start: op.start, end: op.end))
        }
        if accept("+") { return try unary(lookup) }
        return try power(lookup)
    }

    private mutating func power(_ lookup: (PulseToken) throws -> PulseValue?) throws -> PulseValue {
        let base = try primary(lookup)
        if isSymbol("**") || isSymbol("^") {
            let op = next()
            let e = try unary(lookup)
            guard case let .number(b) = base, case let .number(x) = e else {
                throw error("'\(op.text)' needs real operands", at: op)
            }
            return .number(Double.pow(b, x))
        }
        return base
    }

    private mutating func primary(_ lookup: (PulseToken) throws -> PulseValue?) throws -> PulseValue {
        let t = next()
        switch t.kind {
        case .number:
            guard let x = Double(t.text) else { throw error("bad number '\(t.text)'", at: t) }
            switch t.suffix {
            case "": return .number(x)
            case "im": return .complex(Complex(0, x))
            case "ns": return .duration(x)
            case "us", "µs", "μs": return .duration(x * 1e3)
            case "ms": return .duration(x * 1e6)
            case "s": return .duration(x * 1e9)
            case "dt": return .duration(x * OpenPulseDevice.dtNs)
            default: throw error("unknown unit '\(t.suffix)'", at: t)
            }
        case .identifier:
            switch t.text {
            case "pi", "π": return .number(.pi)
            case "tau", "τ": return .number(2 * .pi)
            case "euler", "ℇ": return .number(Double.exp(1))
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "im": return .complex(Complex(0, 1))
            default:
                if isSymbol("(") {
                    // Math functions of one real argument.
                    let fns: [String: (Double) -> Double] = ["sin": Double.sin, "cos": Double.cos, "tan": Double.tan,
                                                              "exp": { Double.exp($0) }, "sqrt": { $0.squareRoot() }, "ln": { Double.log($0) },
                                                              "arcsin": Double.asin, "arccos": Double.acos, "arctan": Double.atan]
                    if let f = fns[t.text] {
                        _ = next()
                        let a = try expression(lookup)
                        try expect(")")
                        guard case let .number(x) = a else { throw error("\(t.text) needs a real argument, got \(a.typeName)", at: t) }
                        return .number(f(x))
                    }
                }
                if let v = try lookup(t) { return v }
                throw error("unknown name '\(t.text)'", at: t)
            }
        case .symbol where t.text == "(":
            let v = try expression(lookup)
            try expect(")")
            return v
        case .symbol where t.text == "{":
            // A literal sample array.
            var values: [Complex<Double>] = []
            if !accept("}") {
                repeat {
                    let at = peek
                    switch try expression(lookup) {
                    case let .number(x): values.append(Complex(x, 0))
                    case let .complex(z): values.append(z)
                    case let other: throw error("waveform samples must be numbers, got \(other.typeName)", at: at)
                    }
                } while accept(",")
                try expect("}")
            }
            return .samples(values)
        default:
            throw error("expected a value, found \(describe(t))", at: t)
        }
    }

    private func combine(_ a: PulseValue, _ b: PulseValue, _ op: PulseToken) throws -> PulseValue {
        func z(_ v: PulseValue) -> Complex<Double>? {
            switch v {
            case let .number(x): return Complex(x, 0)
            case let .complex(c): return c
            default: return nil
            }
        }
        switch (a, b, op.text) {
        case let (.number(x), .number(y), "+"): return .number(x + y)
        case let (.number(x), .number(y), "-"): return .number(x - y)
        case let (.number(x), .number(y), "*"): return .number(x * y)
        case let (.number(x), .number(y), "/"):
            guard y != 0 else { throw error("division by zero", at: op) }
            return .number(x / y)
        case let (.duration(x), .duration(y), "+"): return .duration(x + y)
        case let (.duration(x), .duration(y), "-"): return .duration(x - y)
        case let (.duration(x), .number(y), "*"), let (.number(y), .duration(x), "*"): return .duration(x * y)
        case let (.duration(x), .number(y), "/"):
            guard y != 0 else { throw error("division by zero", at: op) }
            return .duration(x / y)
        case let (.duration(x), .duration(y), "/"):
            guard y != 0 else { throw error("division by zero", at: op) }
            return .number(x / y)
        default:
            if let x = z(a), let y = z(b) {
                switch op.text {
                case "+": return .complex(x + y)
                case "-": return .complex(x - y)
                case "*": return .complex(x * y)
                case "/":
                    guard y != .zero else { throw error("division by zero", at: op) }
                    return .complex(x / y)
                default: break
                }
            }
            throw error("cannot apply '\(op.text)' to \(a.typeName) and \(b.typeName)", at: op)
        }
    }
}
