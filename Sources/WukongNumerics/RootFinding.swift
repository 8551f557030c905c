// Scalar root finding by bisection: slow but certain, used where a bracket is known
// (e.g. the coupler's decoupling point between the qubit and its maximum frequency).
import RealModule

/// Errors from the scalar solvers.
public enum RootFindingError: Error, CustomStringConvertible, Sendable {
    case noSignChange(lower: Double, upper: Double, fLower: Double, fUpper: Double)

    public var description: String {
        switch self {
        case let .noSignChange(a, b, fa, fb):
            return "no sign change in [\(a), \(b)]: f(a) = \(fa), f(b) = \(fb)"
        }
    }
}

/// Finds x in [lower, upper] with f(x) = 0 by bisection, to an absolute tolerance in x.
/// - Complexity: O(log₂((upper − lower)/tolerance)) evaluations of f.
public func bisect(lower: Double, upper: Double, tolerance: Double = 1e-12,
                   _ f: (Double) -> Double) throws -> Double {
    var a = lower, b = upper
    var fa = f(a)
    let fb = f(b)
    if fa == 0 { return a }
    if fb == 0 { return b }
    guard (fa < 0) != (fb < 0) else { throw RootFindingError.noSignChange(lower: a, upper: b, fLower: fa, fUpper: fb) }
    while b - a > tolerance {
        let m = 0.5 * (a + b)
        let fm = f(m)
        if fm == 0 { return m }
        if (fm < 0) == (fa < 0) { a = m; fa = fm } else { b = m }
    }
    return 0.5 * (a + b)
}
