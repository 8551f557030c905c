// The general matrix exponential (for Lindblad superoperators, which are not Hermitian):
// scaling and squaring with the diagonal [6/6] Padé approximant, plus an LU solver and a
// Taylor-series reference for tests. Goals: 1. relative error ~1e-15 for ‖A‖₁ ≤ ½ after scaling
// (Moler & Van Loan 2003: the [6/6] Padé error bound there is ≈ 3.4e-16); 2. simplicity; 3. speed.
import Numerics

/// Solves A·X = B by LU decomposition with partial pivoting (A square, B any column count).
/// - Precondition: A is non-singular (a zero pivot is a precondition failure).
/// - Complexity: O(n³ + n²·m).
public func solveLinear(_ a: ComplexMatrix, _ b: ComplexMatrix) -> ComplexMatrix {
    precondition(a.isSquare && a.rows == b.rows, "solveLinear: shape mismatch")
    let n = a.rows, m = b.cols
    var lu = a, x = b
    for k in 0..<n {
        var pivot = k, best = -1.0
        for i in k..<n {
            let v = lu[i, k].length
            if v > best { best = v; pivot = i }
        }
        precondition(best > 0, "solveLinear: singular matrix")
        if pivot != k {
            for j in 0..<n { let t = lu[k, j]; lu[k, j] = lu[pivot, j]; lu[pivot, j] = t }
            for j in 0..<m { let t = x[k, j]; x[k, j] = x[pivot, j]; x[pivot, j] = t }
        }
        let d = lu[k, k]
        for i in (k + 1)..<max(k + 1, n) {
            let f: Complex<Double> = lu[i, k] / d
            if f == .zero { continue }
            for j in k..<n { lu[i, j] = lu[i, j] - f * lu[k, j] }
            for j in 0..<m { x[i, j] = x[i, j] - f * x[k, j] }
        }
    }
    for k in stride(from: n - 1, through: 0, by: -1) {
        let d = lu[k, k]
        for j in 0..<m {
            var s = x[k, j]
            for i in (k + 1)..<max(k + 1, n) { s = s - lu[k, i] * x[i, j] }
            x[k, j] = s / d
        }
    }
    return x
}

/// e^A for any square complex A, by scaling and squaring: e^A = (r₆(A/2^s))^{2^s}, where
/// r₆ = q₆(X)⁻¹p₆(X) is the [6/6] Padé approximant, cₖ = c_{k−1}·(7 − k)/(k·(13 − k)),
/// p₆(X) = Σ cₖXᵏ, q₆(X) = Σ cₖ(−X)ᵏ, and s is the least integer with ‖A‖₁/2^s ≤ ½.
/// - Complexity: O(n³·(6 + s)).
public func matrixExponential(_ a: ComplexMatrix) -> ComplexMatrix {
    precondition(a.isSquare, "matrixExponential needs a square matrix")
    let n = a.rows
    let norm = a.oneNorm
    var s = 0
    var scaledNorm = norm
    while scaledNorm > 0.5 { scaledNorm /= 2; s += 1 }
    let x = a.scaled(by: 1 / Double(1 << min(s, 62)))
    var c = [1.0]
    for k in 1...6 { c.append(c[k - 1] * Double(7 - k) / Double(k * (13 - k))) }
    var p = ComplexMatrix.identity(n), q = ComplexMatrix.identity(n)
    var power = ComplexMatrix.identity(n)
    for k in 1...6 {
        power = power * x
        p.add(power, times: Complex(c[k], 0))
        q.add(power, times: Complex(k % 2 == 0 ? c[k] : -c[k], 0))
    }
    var r = solveLinear(q, p)
    for _ in 0..<s { r = r * r }
    return r
}

/// e^A by the plain Taylor series Σ Aᵏ/k! until terms fall below 1e-18·‖sum‖; the slow,
/// obviously correct reference for `matrixExponential`. Accurate only for modest ‖A‖ (≲ 5).
public func taylorExponential(_ a: ComplexMatrix) -> ComplexMatrix {
    let n = a.rows
    var sum = ComplexMatrix.identity(n), term = ComplexMatrix.identity(n)
    for k in 1..<200 {
        term = term.referenceProduct(a).scaled(by: 1 / Double(k))
        sum = sum + term
        if term.frobeniusNorm < 1e-18 * sum.frobeniusNorm { break }
    }
    return sum
}
