// Gate-parameter expressions compiled against an ordered symbol list, with exact forward-mode
// (dual-number) derivatives: the chain-rule factor ∂p/∂θ_s for every gate parameter p.
import Foundation
import WukongCircuits

/// A `ParameterExpression` whose symbols are replaced by indices into a parameter vector, so that
/// evaluation needs no dictionary and no tree rebuilding.
///
/// Derivatives are exact (to rounding): `dual(_:withRespectTo:)` propagates the pair
/// (value, ∂value/∂θ_s) through the tree with the textbook rules — no numeric differentiation of
/// the expression is involved.
public indirect enum CompiledExpression: Sendable, Hashable {
    case constant(Double)
    case symbol(Int)
    case negate(CompiledExpression)
    case binary(BinaryOperator, CompiledExpression, CompiledExpression)
    case function(MathFunction, CompiledExpression)

    /// Compiles `expression`; every free symbol must appear in `symbolIndex`.
    public init(_ expression: ParameterExpression, symbolIndex: [String: Int]) throws {
        switch expression {
        case .constant(let v): self = .constant(v)
        case .symbol(let s):
            guard let k = symbolIndex[s] else { throw GateSimulatorError.unboundParameter(s) }
            self = .symbol(k)
        case .negate(let e): self = .negate(try CompiledExpression(e, symbolIndex: symbolIndex))
        case .function(let f, let e): self = .function(f, try CompiledExpression(e, symbolIndex: symbolIndex))
        case .binary(let op, let a, let b):
            self = .binary(op, try CompiledExpression(a, symbolIndex: symbolIndex),
                           try CompiledExpression(b, symbolIndex: symbolIndex))
        }
    }

    /// Indices of the symbols the expression depends on, sorted, without repetition.
    public var symbols: [Int] {
        var found = Set<Int>()
        collect(into: &found)
        return found.sorted()
    }

    private func collect(into found: inout Set<Int>) {
        switch self {
        case .constant: break
        case .symbol(let k): found.insert(k)
        case .negate(let e), .function(_, let e): e.collect(into: &found)
        case .binary(_, let a, let b):
            a.collect(into: &found)
            b.collect(into: &found)
        }
    }

    /// The value at parameter vector `x`.
    /// - Complexity: O(size of the tree).
    public func evaluate(_ x: [Double]) -> Double {
        switch self {
        case .constant(let v): return v
        case .symbol(let k): return x[k]
        case .negate(let e): return -e.evaluate(x)
        case .function(let f, let e): return Self.apply(f, e.evaluate(x)).value
        case .binary(let op, let a, let b): return Self.apply(op, a.evaluate(x), b.evaluate(x))
        }
    }

    /// The value and its partial derivative ∂/∂x_s at `x` (forward-mode automatic differentiation).
    ///
    /// Rules: (a·b)' = a'b + ab', (a/b)' = (a'b − ab')/b², (aᵇ)' = b·aᵇ⁻¹·a' when b does not depend
    /// on x_s (so negative bases work) and aᵇ(b' ln a + b a'/a) otherwise; sin' = cos, cos' = −sin,
    /// tan' = 1/cos², exp' = exp, ln' = 1/x, sqrt' = 1/(2√x), asin' = 1/√(1−x²),
    /// acos' = −1/√(1−x²), atan' = 1/(1+x²).
    /// - Complexity: O(size of the tree).
    public func dual(_ x: [Double], withRespectTo s: Int) -> (value: Double, derivative: Double) {
        switch self {
        case .constant(let v): return (v, 0)
        case .symbol(let k): return (x[k], k == s ? 1 : 0)
        case .negate(let e):
            let (v, d) = e.dual(x, withRespectTo: s)
            return (-v, -d)
        case .function(let f, let e):
            let (v, d) = e.dual(x, withRespectTo: s)
            let (value, slope) = Self.apply(f, v)
            return (value, slope * d)
        case .binary(let op, let a, let b):
            let (u, du) = a.dual(x, withRespectTo: s)
            let (v, dv) = b.dual(x, withRespectTo: s)
            switch op {
            case .add: return (u + v, du + dv)
            case .subtract: return (u - v, du - dv)
            case .multiply: return (u * v, du * v + u * dv)
            case .divide: return (u / v, (du * v - u * dv) / (v * v))
            case .power:
                let value = Foundation.pow(u, v)
                if dv == 0 { return (value, du == 0 ? 0 : v * Foundation.pow(u, v - 1) * du) }
                return (value, value * (dv * Foundation.log(u) + v * du / u))
            }
        }
    }

    static func apply(_ op: BinaryOperator, _ a: Double, _ b: Double) -> Double {
        switch op {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power: return Foundation.pow(a, b)
        }
    }

    /// f(x) and f′(x).
    static func apply(_ f: MathFunction, _ x: Double) -> (value: Double, slope: Double) {
        switch f {
        case .sin: return (Foundation.sin(x), Foundation.cos(x))
        case .cos: return (Foundation.cos(x), -Foundation.sin(x))
        case .tan:
            let c = Foundation.cos(x)
            return (Foundation.tan(x), 1 / (c * c))
        case .exp:
            let e = Foundation.exp(x)
            return (e, e)
        case .ln: return (Foundation.log(x), 1 / x)
        case .sqrt:
            let r = x.squareRoot()
            return (r, 1 / (2 * r))
        case .asin: return (Foundation.asin(x), 1 / (1 - x * x).squareRoot())
        case .acos: return (Foundation.acos(x), -1 / (1 - x * x).squareRoot())
        case .atan: return (Foundation.atan(x), 1 / (1 + x * x))
        }
    }
}
