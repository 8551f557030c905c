// The singular value decomposition of a complex matrix by one-sided Jacobi (Hestenes) rotations, the
// factorization the matrix-product-state simulator truncates bonds with.
//
// Goals, in order: 1. A = U·diag(σ)·V† to ~1e-14 relative and U, V orthonormal to ~1e-13 for the well-
// separated singular values a bond keeps; 2. robust (no convergence failure: Jacobi always converges,
// and singular values come out with high relative accuracy); 3. fast for the small (≤ 256 × 256)
// matrices of an MPS with moderate bond dimension. Jacobi is O(m·n²) per sweep with ~6–10 sweeps, so
// it is not the method for large dense matrices; it needs no LAPACK (no new system library).
import Numerics

/// A thin SVD `A = U·diag(σ)·V†` of an m × n complex matrix (row-major), keeping only the singular
/// values above `rankTolerance·σ_max` (the numerically nonzero ones), in decreasing order.
public struct ComplexSVD: Sendable {
    /// Rows of A.
    public let rows: Int
    /// Columns of A.
    public let columns: Int
    /// Kept singular values, decreasing, all > 0.
    public let singularValues: [Double]
    /// U, rows × rank, row-major: `u[i * rank + k]`.
    public let u: [Complex<Double>]
    /// V, columns × rank, row-major: `v[j * rank + k]` (so A[i, j] = Σₖ u[i, k]·σₖ·conj(v[j, k])).
    public let v: [Complex<Double>]
    /// Number of kept singular values.
    public var rank: Int { singularValues.count }

    /// The default relative tolerance below which a singular value counts as zero: a few units of
    /// roundoff of the largest one (Jacobi's columns carry absolute errors of ~n·ε·σ_max).
    public static let defaultRankTolerance = 1e-15

    /// Decomposes `matrix` (row-major, rows × columns).
    /// - Parameter rankTolerance: singular values ≤ rankTolerance·σ_max are dropped (with their
    ///   vectors, which are not determined by the data).
    /// - Complexity: O(min(m, n)²·max(m, n)) per sweep; sweeps until every column pair is orthogonal
    ///   to 1e-15 relative (typically 6–10, at most `maxSweeps`).
    public init(_ matrix: [Complex<Double>], rows: Int, columns: Int, rankTolerance: Double = defaultRankTolerance) {
        precondition(rows > 0 && columns > 0 && matrix.count == rows * columns,
                     "ComplexSVD: a \(rows) x \(columns) matrix needs \(rows * columns) entries, got \(matrix.count)")
        self.rows = rows
        self.columns = columns
        if rows >= columns {
            let (s, u, v) = Self.jacobi(matrix, rows: rows, columns: columns, rankTolerance: rankTolerance)
            (singularValues, self.u, self.v) = (s, u, v)
        } else {
            // A = (A†)† : decompose the tall A† = U'ΣV'†, then A = V'ΣU'†.
            var adjoint = [Complex<Double>](repeating: .zero, count: matrix.count)
            for i in 0..<rows { for j in 0..<columns { adjoint[j * rows + i] = matrix[i * columns + j].conjugate } }
            let (s, u, v) = Self.jacobi(adjoint, rows: columns, columns: rows, rankTolerance: rankTolerance)
            (singularValues, self.u, self.v) = (s, v, u)
        }
    }

    /// Sweep limit; Jacobi converges quadratically, so this is never reached in practice.
    static let maxSweeps = 80

    /// One-sided Jacobi on a tall matrix (rows ≥ columns). Column pairs (i, j) are rotated by the 2 × 2
    /// unitary that zeroes their inner product γ = aᵢ†aⱼ: with φ = arg γ, ζ = (‖aⱼ‖² − ‖aᵢ‖²)/(2|γ|),
    /// t = sign(ζ)/(|ζ| + √(1 + ζ²)), c = 1/√(1 + t²), s = c·t,
    /// aᵢ ← c·aᵢ − s·e^{−iφ}·aⱼ,  aⱼ ← s·aᵢ + c·e^{−iφ}·aⱼ (the same on V's columns).
    /// At convergence the columns are A·V = U·Σ.
    static func jacobi(_ matrix: [Complex<Double>], rows m: Int, columns n: Int, rankTolerance: Double)
        -> ([Double], [Complex<Double>], [Complex<Double>]) {
        // Column-major working copies: column k of A at a[k*m ..< (k+1)*m].
        var a = [Complex<Double>](repeating: .zero, count: m * n)
        for i in 0..<m { for j in 0..<n { a[j * m + i] = matrix[i * n + j] } }
        var v = [Complex<Double>](repeating: .zero, count: n * n)  // column-major too
        for k in 0..<n { v[k * n + k] = .one }
        var norms = (0..<n).map { k in (0..<m).reduce(0.0) { $0 + a[k * m + $1].lengthSquared } }
        let tolerance = 1e-15
        for _ in 0..<maxSweeps {
            var rotated = false
            for i in 0..<(n - 1) {
                for j in (i + 1)..<n {
                    let alpha = norms[i], beta = norms[j]
                    if alpha == 0 || beta == 0 { continue }
                    var gamma = Complex<Double>.zero
                    for r in 0..<m { gamma = gamma + a[i * m + r].conjugate * a[j * m + r] }
                    let g = gamma.length
                    if g <= tolerance * (alpha * beta).squareRoot() { continue }
                    rotated = true
                    let phase = gamma.divided(by: g).conjugate   // e^{−iφ}
                    let zeta = (beta - alpha) / (2 * g)
                    let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = c * t
                    var ni = 0.0, nj = 0.0
                    for r in 0..<m {
                        let x = a[i * m + r], y = a[j * m + r] * phase
                        let xi = x.multiplied(by: c) - y.multiplied(by: s)
                        let yj = x.multiplied(by: s) + y.multiplied(by: c)
                        a[i * m + r] = xi
                        a[j * m + r] = yj
                        ni += xi.lengthSquared
                        nj += yj.lengthSquared
                    }
                    norms[i] = ni
                    norms[j] = nj
                    for r in 0..<n {
                        let x = v[i * n + r], y = v[j * n + r] * phase
                        v[i * n + r] = x.multiplied(by: c) - y.multiplied(by: s)
                        v[j * n + r] = x.multiplied(by: s) + y.multiplied(by: c)
                    }
                }
            }
            if !rotated { break }
        }
        let sigma = norms.map { $0.squareRoot() }
        let order = (0..<n).sorted { sigma[$0] > sigma[$1] }
        let largest = sigma[order[0]]
        let kept = order.filter { sigma[$0] > rankTolerance * largest && sigma[$0] > 0 }
        let rank = kept.count
        var u = [Complex<Double>](repeating: .zero, count: m * rank)
        var vOut = [Complex<Double>](repeating: .zero, count: n * rank)
        for (k, col) in kept.enumerated() {
            let inv = 1 / sigma[col]
            for r in 0..<m { u[r * rank + k] = a[col * m + r].multiplied(by: inv) }
            for r in 0..<n { vOut[r * rank + k] = v[col * n + r] }
        }
        return (kept.map { sigma[$0] }, u, vOut)
    }

    /// U·diag(σ)·V†, row-major — the reconstruction the tests compare with the input.
    /// - Complexity: O(m·n·rank).
    public func reconstructed() -> [Complex<Double>] {
        var out = [Complex<Double>](repeating: .zero, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns {
                var acc = Complex<Double>.zero
                for k in 0..<rank { acc = acc + u[i * rank + k] * v[j * rank + k].conjugate.multiplied(by: singularValues[k]) }
                out[i * columns + j] = acc
            }
        }
        return out
    }
}
