// One eigenpair of a real symmetric matrix, picked by the basis state it continues: after the
// Householder reduction A = Q·T·Qᵀ (only Q's needed rows accumulated), Rayleigh-quotient iteration on
// the tridiagonal T from the bare basis vector e_t (row t of Q in T's coordinates). Each iteration is
// one pivoted tridiagonal solve, O(n), and it converges cubically, so a labelled dressed energy costs
// the reduction plus a few O(n) passes instead of the O(n²) QL sweep and its latency-bound chain of
// square roots. The QL path (`decomposeRealTracking`) is the fallback and the reference in the tests.
import Numerics

extension EigenWorkspace {
    /// After `tridiagonalizeReal(qRows:)` with `row` among the rows: the eigenvalue reached by Rayleigh-
    /// quotient iteration from e_row and the squared overlap |⟨e_row|v⟩|² of its eigenvector v, or nil
    /// when within 16 iterations neither the residual r = ‖T x − σ x‖ falls below 64 ε‖T‖ (an
    /// eigenvalue lies within r of σ) nor σ stops moving (to 4 ε‖T‖) with r below 1e-7‖T‖.
    mutating func rayleighQuotientPair(row: Int) -> (value: Double, overlap: Double)? {
        let n = self.n
        if n == 1 { return (diag[0], 1) }
        var scale = 0.0
        for i in 0..<n { scale = max(scale, abs(diag[i]) + (i > 0 ? abs(off[i - 1]) : 0) + (i + 1 < n ? abs(off[i]) : 0)) }
        let tolerance = 64 * Double.ulpOfOne * max(scale, .leastNormalMagnitude)
        let tiny = Double.ulpOfOne * max(scale, .leastNormalMagnitude)
        // Scratch in the workspace's own buffers (ur, ui, pr, pi are free after the reduction) plus
        // three small stack arrays: no allocation, no copies of the workspace.
        return qr.withUnsafeBufferPointer { q in
        diag.withUnsafeBufferPointer { t in
        off.withUnsafeBufferPointer { e in
        ur.withUnsafeMutableBufferPointer { x in
        ui.withUnsafeMutableBufferPointer { y in
        pr.withUnsafeMutableBufferPointer { start in
        pi.withUnsafeMutableBufferPointer { tx in
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * n) { buffer -> (value: Double, overlap: Double)? in
            let base = buffer.baseAddress!
            let d = base, du = base + n, dl = base + 2 * n, inv = base + 3 * n
            for k in 0..<n { start[k] = q[row * n + k]; x[k] = start[k] }
            // σ = xᵀTx for a unit x (Q's rows are unit vectors); T·x kept in tx.
            @inline(__always) func rayleigh() -> Double {
                var s = 0.0
                for i in 0..<n {
                    var w = t[i] * x[i]
                    if i > 0 { w += e[i - 1] * x[i - 1] }
                    if i + 1 < n { w += e[i] * x[i + 1] }
                    tx[i] = w
                    s += x[i] * w
                }
                return s
            }
            var sigma = rayleigh()
            for _ in 0..<16 {
                // y = (T − σI)⁻¹ x by Gaussian elimination with partial pivoting (the tridiagonal
                // pattern plus one fill-in superdiagonal in dl); a zero pivot becomes ε‖T‖. The
                // pivots' reciprocals are kept for the back substitution (no division on its chain).
                for i in 0..<n {
                    d[i] = t[i] - sigma
                    y[i] = x[i]
                    if i + 1 < n { du[i] = e[i]; dl[i] = e[i] }
                }
                for i in 0..<(n - 1) {
                    if abs(d[i]) >= abs(dl[i]) {
                        if d[i] == 0 { d[i] = tiny }
                        let r = 1 / d[i]
                        inv[i] = r
                        let fact = dl[i] * r
                        d[i + 1] -= fact * du[i]
                        y[i + 1] -= fact * y[i]
                        dl[i] = 0
                    } else {
                        let r = 1 / dl[i]
                        inv[i] = r
                        let fact = d[i] * r
                        d[i] = dl[i]
                        let temp = d[i + 1]
                        d[i + 1] = du[i] - fact * temp
                        if i + 2 < n {
                            dl[i] = du[i + 1]
                            du[i + 1] = -fact * dl[i]
                        } else {
                            dl[i] = 0
                        }
                        du[i] = temp
                        let b = y[i]
                        y[i] = y[i + 1]
                        y[i + 1] = b - fact * y[i + 1]
                    }
                }
                if d[n - 1] == 0 { d[n - 1] = tiny }
                inv[n - 1] = 1 / d[n - 1]
                y[n - 1] *= inv[n - 1]
                y[n - 2] = (y[n - 2] - du[n - 2] * y[n - 1]) * inv[n - 2]
                if n > 2 {
                    for i in stride(from: n - 3, through: 0, by: -1) {
                        y[i] = (y[i] - du[i] * y[i + 1] - dl[i] * y[i + 2]) * inv[i]
                    }
                }
                var norm2 = 0.0
                for i in 0..<n { norm2 += y[i] * y[i] }
                guard norm2.isFinite, norm2 > 0 else { return nil }
                let scaleY = 1 / norm2.squareRoot()
                for i in 0..<n { x[i] = y[i] * scaleY }
                let previous = sigma
                sigma = rayleigh()
                var r2 = 0.0
                for i in 0..<n { let r = tx[i] - sigma * x[i]; r2 += r * r }
                // Converged: the residual at roundoff level, or σ stationary to roundoff while the
                // residual is already small (the Rayleigh quotient's error is then O(r²/gap)).
                let residual = r2.squareRoot()
                if residual <= tolerance || (abs(sigma - previous) <= 4 * Double.ulpOfOne * scale && residual <= 1e-7 * scale) {
                    var c = 0.0
                    for k in 0..<n { c += start[k] * x[k] }
                    return (sigma, c * c)
                }
            }
            return nil
        }}}}}}}}
    }
}

extension EigenWorkspace {
    /// Householder reduction of the real symmetric matrix in `ar` (only its lower triangle is read)
    /// to the tridiagonal (`diag`, `off`), accumulating only `qRows` of Q: the same reflections as
    /// `tridiagonalizeReal(qRows:)`, with A·v and the rank-2 update on the lower triangle only (half
    /// the flops of the full-square form). For the small blocks of the static-spectrum scans.
    /// - Complexity: ~(2/3)n³ multiply-adds plus O(n²·|qRows|).
    mutating func tridiagonalizeSymmetricLower(qRows: [Int]) {
        let n = self.n
        var a: [Double] = [], q: [Double] = [], v: [Double] = [], w: [Double] = [], d: [Double] = [], e: [Double] = []
        swap(&a, &ar); swap(&q, &qr); swap(&v, &ur); swap(&w, &pr); swap(&d, &diag); swap(&e, &off)
        defer { swap(&a, &ar); swap(&q, &qr); swap(&v, &ur); swap(&w, &pr); swap(&d, &diag); swap(&e, &off) }
        a.withUnsafeMutableBufferPointer { a in
        q.withUnsafeMutableBufferPointer { q in
        v.withUnsafeMutableBufferPointer { v in
        w.withUnsafeMutableBufferPointer { w in
            for r in qRows {
                for j in 0..<n { q[r * n + j] = 0 }
                q[r * n + r] = 1
            }
            if n > 2 {
                for k in 0..<(n - 2) {
                    let lo = k + 1
                    var norm2 = 0.0
                    for i in lo..<n { norm2 += a[i * n + k] * a[i * n + k] }
                    let x0 = a[lo * n + k]
                    if norm2 - x0 * x0 == 0 { continue }
                    let alpha = x0 >= 0 ? -norm2.squareRoot() : norm2.squareRoot()
                    for i in lo..<n { v[i] = a[i * n + k] }
                    v[lo] -= alpha
                    var vv = 0.0
                    for i in lo..<n { vv += v[i] * v[i] }
                    let tau = 2 / vv
                    // p = τ·A·v over the trailing block, one pass over its lower triangle.
                    for i in lo..<n { w[i] = 0 }
                    for i in lo..<n {
                        let vi = v[i], row = i * n
                        var s = a[row + i] * vi
                        for j in lo..<i {
                            let x = a[row + j]
                            s += x * v[j]
                            w[j] += x * vi
                        }
                        w[i] += s
                    }
                    var kk = 0.0
                    for i in lo..<n { w[i] *= tau; kk += v[i] * w[i] }
                    kk *= tau / 2
                    for i in lo..<n { w[i] -= kk * v[i] }
                    // A ← A − v wᵀ − w vᵀ on the trailing lower triangle; column k becomes (α, 0, …).
                    for i in lo..<n {
                        let vi = v[i], wi = w[i], row = i * n
                        for j in lo...i { a[row + j] -= vi * w[j] + wi * v[j] }
                    }
                    a[lo * n + k] = alpha
                    for i in (lo + 1)..<n { a[i * n + k] = 0 }
                    // Q ← Q·(I − τ v vᵀ) on the tracked rows.
                    for r in qRows {
                        var s = 0.0
                        for j in lo..<n { s += q[r * n + j] * v[j] }
                        s *= tau
                        if s == 0 { continue }
                        for j in lo..<n { q[r * n + j] -= s * v[j] }
                    }
                }
            }
        }}}}
        for i in 0..<n { d[i] = a[i * n + i] }
        for i in 0..<n { e[i] = i + 1 < n ? a[(i + 1) * n + i] : 0 }
    }
}
