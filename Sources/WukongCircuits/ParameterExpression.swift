// Gate parameters as expression trees: numeric constants, named symbols bound later, and the
// arithmetic and functions the front ends accept. Construction folds constants eagerly.
import Foundation

/// A binary arithmetic operator in a parameter expression.
public enum BinaryOperator: String, Hashable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"

    func apply(_ a: Double, _ b: Double) -> Double {
        switch self {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power: return Foundation.pow(a, b)
        }
    }
}

/// A unary function allowed in parameter expressions (OpenQASM 2 set plus inverse trigonometry).
public enum MathFunction: String, Hashable, Sendable, CaseIterable {
    case sin, cos, tan, exp, ln, sqrt, asin, acos, atan

    func apply(_ x: Double) -> Double {
        switch self {
        case .sin: return Foundation.sin(x)
        case .cos: return Foundation.cos(x)
        case .tan: return Foundation.tan(x)
        case .exp: return Foundation.exp(x)
        case .ln: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .asin: return Foundation.asin(x)
        case .acos: return Foundation.acos(x)
        case .atan: return Foundation.atan(x)
        }
    }

    /// Looks a function up by its spelling in source (`arcsin` is accepted for `asin`, etc.).
    public static func named(_ name: String) -> MathFunction? {
        switch name {
        case "arcsin": return .asin
        case "arccos": return .acos
        case "arctan": return .atan
        case "log": return .ln
        default: return MathFunction(rawValue: name)
        }
    }
}

/// A gate parameter (angle in rad): a number, a free symbol, or arithmetic on them.
///
/// Constructors fold constants, so an expression without symbols is always `.constant`; the
/// front ends rely on that to make parse → export → parse round trips exact.
public indirect enum ParameterExpression: Hashable, Sendable, CustomStringConvertible {
    case constant(Double)
    case symbol(String)
    case negate(ParameterExpression)
    case binary(BinaryOperator, ParameterExpression, ParameterExpression)
    case function(MathFunction, ParameterExpression)

    /// The value if the expression holds no free symbol.
    public var value: Double? {
        if case .constant(let v) = self { return v }
        return nil
    }

    /// Free symbol names, sorted.
    public var freeSymbols: [String] {
        var names = Set<String>()
        collectSymbols(into: &names)
        return names.sorted()
    }

    func collectSymbols(into names: inout Set<String>) {
        switch self {
        case .constant: break
        case .symbol(let s): names.insert(s)
        case .negate(let e), .function(_, let e): e.collectSymbols(into: &names)
        case .binary(_, let a, let b):
            a.collectSymbols(into: &names)
            b.collectSymbols(into: &names)
        }
    }

    /// Replaces symbols by expressions (used to inline gate definitions) and refolds constants.
    public func substituting(_ map: [String: ParameterExpression]) -> ParameterExpression {
        switch self {
        case .constant: return self
        case .symbol(let s): return map[s] ?? self
        case .negate(let e): return -e.substituting(map)
        case .function(let f, let e): return .apply(f, e.substituting(map))
        case .binary(let op, let a, let b):
            return .combine(op, a.substituting(map), b.substituting(map))
        }
    }

    /// Binds symbols to numbers; symbols absent from `values` stay free.
    public func binding(_ values: [String: Double]) -> ParameterExpression {
        substituting(values.mapValues { .constant($0) })
    }

    /// Evaluates the expression; throws if a symbol is unbound.
    public func evaluate(_ values: [String: Double] = [:]) throws -> Double {
        let bound = binding(values)
        guard let v = bound.value else {
            throw CircuitError.unboundParameters(bound.freeSymbols)
        }
        return v
    }

    /// Folding constructor for a binary operation.
    public static func combine(_ op: BinaryOperator, _ a: ParameterExpression,
                               _ b: ParameterExpression) -> ParameterExpression {
        if let x = a.value, let y = b.value { return .constant(op.apply(x, y)) }
        return .binary(op, a, b)
    }

    /// Folding constructor for a function call.
    public static func apply(_ f: MathFunction, _ e: ParameterExpression) -> ParameterExpression {
        if let x = e.value { return .constant(f.apply(x)) }
        return .function(f, e)
    }

    public static prefix func - (e: ParameterExpression) -> ParameterExpression {
        if let x = e.value { return .constant(-x) }
        return .negate(e)
    }
    public static func + (a: ParameterExpression, b: ParameterExpression) -> ParameterExpression {
        combine(.add, a, b)
    }
    public static func - (a: ParameterExpression, b: ParameterExpression) -> ParameterExpression {
        combine(.subtract, a, b)
    }
    public static func * (a: ParameterExpression, b: ParameterExpression) -> ParameterExpression {
        combine(.multiply, a, b)
    }
    public static func / (a: ParameterExpression, b: ParameterExpression) -> ParameterExpression {
        combine(.divide, a, b)
    }

    /// Source text in OpenQASM spelling (`pi`); see `render(piName:)`.
    public var description: String { render(piName: "pi") }

    /// Renders the expression so that the front ends parse it back to the identical tree.
    ///
    /// Every binary sub-expression is parenthesised; constants print as `pi*p/q` when that
    /// expression evaluates bit-for-bit to the same double, and otherwise as the shortest decimal
    /// that round-trips (Swift's `Double.description`).
    public func render(piName: String, powerSymbol: String = "^") -> String {
        switch self {
        case .constant(let v): return Self.renderConstant(v, piName: piName)
        case .symbol(let s): return s
        case .negate(let e): return "-(" + e.render(piName: piName, powerSymbol: powerSymbol) + ")"
        case .function(let f, let e): return f.rawValue + "(" + e.render(piName: piName, powerSymbol: powerSymbol) + ")"
        case .binary(let op, let a, let b):
            // A negative constant operand is parenthesised so that `(-2) ^ x` keeps its meaning.
            func operand(_ e: ParameterExpression) -> String {
                if let v = e.value, v.sign == .minus { return "(" + e.render(piName: piName, powerSymbol: powerSymbol) + ")" }
                return e.render(piName: piName, powerSymbol: powerSymbol)
            }
            return "(" + operand(a) + " " + (op == .power ? powerSymbol : op.rawValue) + " " + operand(b) + ")"
        }
    }

    static func renderConstant(_ v: Double, piName: String) -> String {
        if v == 0 { return v.sign == .minus ? "-0.0" : "0" }
        let magnitude = Swift.abs(v)
        let sign = v < 0 ? "-" : ""
        for q in 1...16 {
            let p = (magnitude / Double.pi * Double(q)).rounded()
            guard p >= 1, p <= 64 else { continue }
            // The parser folds `pi*p/q` left to right, so test exactly that evaluation order.
            let candidate = p == 1 ? Double.pi / Double(q) : Double.pi * p / Double(q)
            if candidate == magnitude {
                let numerator = p == 1 ? piName : piName + "*" + String(Int(p))
                return sign + numerator + (q == 1 ? "" : "/" + String(q))
            }
        }
        var text = "\(v)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

extension ParameterExpression: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public init(floatLiteral value: Double) { self = .constant(value) }
    public init(integerLiteral value: Int) { self = .constant(Double(value)) }
}
