// The fast Hermitian eigen-decomposition behind the solvers: Householder reduction to a tridiagonal
// matrix (real reflections for real symmetric input, complex ones otherwise, then a diagonal phase
// that makes the tridiagonal real), and the implicit-shift QL iteration on it. All buffers live in a
// reusable workspace, so a solver decomposes one matrix per step without allocating. The cyclic
// Jacobi `HermitianEigen(_:)` is the reference the tests compare it against.
// Goals: 1. reconstruction to ~1e-14·‖H‖ and unitary eigenvectors; 2. no allocation per call;
// 3. speed: ~(4/3 + 3)n³ real flops for real input (the static Hamiltonians), ~4× that for complex.
import Numerics

/// Reusable buffers for eigen-decompositions of n × n Hermitian matrices (a value: one per thread).
///
/// After `decompose`, `values[j]` is eigenvalue j (unsorted) and column j of the row-major
/// (`vr`, `vi`) is its unit eigenvector; `isReal` tells whether `vi` is identically zero.
struct EigenWorkspace {
    let n: Int
    /// Input/working matrix, row-major (overwritten).
    var ar: [Double], ai: [Double]
    /// Eigenvalues (after `decompose`).
    var values: [Double]
    /// Eigenvectors as columns, row-major.
    var vr: [Double], vi: [Double]
    var isReal = true
    // Scratch: Householder vector, p/q vectors, tridiagonal, accumulated reflections, QL rotations.
    var ur: [Double], ui: [Double], pr: [Double], pi: [Double]
    /// The tridiagonal T (diagonal, off[k] = T[k+1, k]) and the accumulated reflections Q (A = Q·T·Qᵀ).
    var diag: [Double], off: [Double]
    private var offR: [Double], offI: [Double]
    var qr: [Double]
    private var qi: [Double], zt: [Double]

    init(dimension n: Int) {
        self.n = n
        ar = Array(repeating: 0, count: n * n); ai = ar
        values = Array(repeating: 0, count: n)
        vr = ar; vi = ar
        ur = values; ui = values; pr = values; pi = values
        diag = values; off = values; offR = values; offI = values
        qr = ar; qi = ar; zt = ar
    }

    /// Decomposes the matrix currently in (`ar`, `ai`) (Hermitian; only read, then overwritten).
    /// `real` skips the imaginary arithmetic when the caller knows `ai` is zero.
    mutating func decompose(real: Bool) {
        if real { tridiagonalizeReal() } else { tridiagonalizeComplex() }
        isReal = real
        implicitQL(startFromQ: real)
        if real {
            // The QL rotations ran on Qᵀ itself: its rows are the eigenvectors.
            let n = self.n
            for i in 0..<n { for j in 0..<n { vr[i * n + j] = zt[j * n + i]; vi[i * n + j] = 0 } }
            return
        }
        // Eigenvectors: V = Q·D·Z, with Q the accumulated reflections, D the phase fix (folded into
        // Q's columns already) and Z (stored transposed in zt) from the QL rotations.
        let n = self.n
        zt.withUnsafeBufferPointer { z in
        qr.withUnsafeBufferPointer { q in
        qi.withUnsafeBufferPointer { qim in
        vr.withUnsafeMutableBufferPointer { outR in
        vi.withUnsafeMutableBufferPointer { outI in
            for i in 0..<n {
                for j in 0..<n {
                    var sr = 0.0, si = 0.0
                    for k in 0..<n {
                        let zz = z[j * n + k]
                        sr += q[i * n + k] * zz
                        si += qim[i * n + k] * zz
                    }
                    outR[i * n + j] = sr
                    outI[i * n + j] = real ? 0 : si
                }
            }
        }}}}}
    }

    /// Real Householder: A = Q·T·Qᵀ, T symmetric tridiagonal (diag, off), Q in qr. With `qRows`,
    /// only those rows of Q are accumulated (the others stay garbage): what a caller that tracks
    /// only some eigenvector components needs, at O(n²·|rows|) instead of O(n³).
    mutating func tridiagonalizeReal(qRows: [Int]? = nil) {
        let n = self.n
        var ar: [Double] = [], ai: [Double] = [], qr: [Double] = [], qi: [Double] = [], ur: [Double] = [], ui: [Double] = [], pr: [Double] = [], pi: [Double] = [], diag: [Double] = [], off: [Double] = []
        swap(&ar, &self.ar)
        swap(&ai, &self.ai)
        swap(&qr, &self.qr)
        swap(&qi, &self.qi)
        swap(&ur, &self.ur)
        swap(&ui, &self.ui)
        swap(&pr, &self.pr)
        swap(&pi, &self.pi)
        swap(&diag, &self.diag)
        swap(&off, &self.off)
        defer { swap(&ar, &self.ar); swap(&ai, &self.ai); swap(&qr, &self.qr); swap(&qi, &self.qi); swap(&ur, &self.ur); swap(&ui, &self.ui); swap(&pr, &self.pr); swap(&pi, &self.pi); swap(&diag, &self.diag); swap(&off, &self.off) }
        for i in 0..<(n * n) { qi[i] = 0 }
        ar.withUnsafeMutableBufferPointer { ar in
        qr.withUnsafeMutableBufferPointer { qr in
        ur.withUnsafeMutableBufferPointer { ur in
        pr.withUnsafeMutableBufferPointer { pr in
            for i in 0..<(n * n) { qr[i] = 0 }
            for i in 0..<n { qr[i * n + i] = 1 }
            if n > 2 {
                for k in 0..<(n - 2) {
                    // x = A[k+1..., k]; v = x − α e₁ with α = −sign(x₀)‖x‖.
                    var norm2 = 0.0
                    for i in (k + 1)..<n { norm2 += ar[i * n + k] * ar[i * n + k] }
                    let x0 = ar[(k + 1) * n + k]
                    let rest = norm2 - x0 * x0
                    if rest == 0 { continue }
                    let alpha = x0 >= 0 ? -norm2.squareRoot() : norm2.squareRoot()
                    for i in 0..<n { ur[i] = 0 }
                    for i in (k + 1)..<n { ur[i] = ar[i * n + k] }
                    ur[k + 1] -= alpha
                    var vv = 0.0
                    for i in (k + 1)..<n { vv += ur[i] * ur[i] }
                    if vv == 0 { continue }
                    let tau = 2 / vv
                    // p = τ·A·v, K = (τ/2)·vᵀp, q = p − K·v; A ← A − v qᵀ − q vᵀ (rows/cols k.. only matter).
                    for i in k..<n {
                        var s = 0.0
                        for j in (k + 1)..<n { s += ar[i * n + j] * ur[j] }
                        pr[i] = tau * s
                    }
                    var kk = 0.0
                    for i in (k + 1)..<n { kk += ur[i] * pr[i] }
                    kk *= tau / 2
                    for i in k..<n { pr[i] -= kk * ur[i] }
                    for i in k..<n {
                        for j in k..<n {
                            ar[i * n + j] -= ur[i] * pr[j] + pr[i] * ur[j]
                        }
                    }
                    // Q ← Q·P, P = I − τ v vᵀ (all rows, or only the tracked ones).
                    func updateRow(_ i: Int) {
                        var s = 0.0
                        for j in (k + 1)..<n { s += qr[i * n + j] * ur[j] }
                        s *= tau
                        if s == 0 { return }
                        for j in (k + 1)..<n { qr[i * n + j] -= s * ur[j] }
                    }
                    if let qRows {
                        for i in qRows { updateRow(i) }
                    } else {
                        for i in 0..<n { updateRow(i) }
                    }
                }
            }
        }}}}
        for i in 0..<n { diag[i] = ar[i * n + i] }
        for i in 0..<n { off[i] = i + 1 < n ? ar[(i + 1) * n + i] : 0 }
    }

    /// Complex Householder: A = Q·T·Q†, then T's subdiagonal made real and non-negative by a diagonal
    /// phase D (folded into Q's columns), leaving a real symmetric tridiagonal (diag, off).
    private mutating func tridiagonalizeComplex() {
        let n = self.n
        var ar: [Double] = [], ai: [Double] = [], qr: [Double] = [], qi: [Double] = [], ur: [Double] = [], ui: [Double] = [], pr: [Double] = [], pi: [Double] = [], diag: [Double] = [], off: [Double] = []
        swap(&ar, &self.ar)
        swap(&ai, &self.ai)
        swap(&qr, &self.qr)
        swap(&qi, &self.qi)
        swap(&ur, &self.ur)
        swap(&ui, &self.ui)
        swap(&pr, &self.pr)
        swap(&pi, &self.pi)
        swap(&diag, &self.diag)
        swap(&off, &self.off)
        defer { swap(&ar, &self.ar); swap(&ai, &self.ai); swap(&qr, &self.qr); swap(&qi, &self.qi); swap(&ur, &self.ur); swap(&ui, &self.ui); swap(&pr, &self.pr); swap(&pi, &self.pi); swap(&diag, &self.diag); swap(&off, &self.off) }
        for i in 0..<(n * n) { qr[i] = 0; qi[i] = 0 }
        for i in 0..<n { qr[i * n + i] = 1 }
        if n > 2 {
            for k in 0..<(n - 2) {
                var norm2 = 0.0
                for i in (k + 1)..<n { norm2 += ar[i * n + k] * ar[i * n + k] + ai[i * n + k] * ai[i * n + k] }
                let x0r = ar[(k + 1) * n + k], x0i = ai[(k + 1) * n + k]
                let x0abs = (x0r * x0r + x0i * x0i).squareRoot()
                if norm2 - x0abs * x0abs == 0 { continue }
                // α = −e^{i·arg x₀}‖x‖, v = x − α e₁.
                let norm = norm2.squareRoot()
                let (er, ei) = x0abs > 0 ? (x0r / x0abs, x0i / x0abs) : (1.0, 0.0)
                for i in 0..<n { ur[i] = 0; ui[i] = 0 }
                for i in (k + 1)..<n { ur[i] = ar[i * n + k]; ui[i] = ai[i * n + k] }
                ur[k + 1] += er * norm
                ui[k + 1] += ei * norm
                var vv = 0.0
                for i in (k + 1)..<n { vv += ur[i] * ur[i] + ui[i] * ui[i] }
                if vv == 0 { continue }
                let tau = 2 / vv
                // p = τ·A·v; K = (τ/2)·v†p (real); q = p − K·v; A ← A − v q† − q v†.
                for i in k..<n {
                    var sr = 0.0, si = 0.0
                    for j in (k + 1)..<n {
                        let a = ar[i * n + j], b = ai[i * n + j]
                        sr += a * ur[j] - b * ui[j]
                        si += a * ui[j] + b * ur[j]
                    }
                    pr[i] = tau * sr
                    pi[i] = tau * si
                }
                var kk = 0.0
                for i in (k + 1)..<n { kk += ur[i] * pr[i] + ui[i] * pi[i] }
                kk *= tau / 2
                for i in k..<n { pr[i] -= kk * ur[i]; pi[i] -= kk * ui[i] }
                for i in k..<n {
                    for j in k..<n {
                        // (v q†)_ij = v_i·conj(q_j), (q v†)_ij = q_i·conj(v_j).
                        let r = (ur[i] * pr[j] + ui[i] * pi[j]) + (pr[i] * ur[j] + pi[i] * ui[j])
                        let m = (ui[i] * pr[j] - ur[i] * pi[j]) + (pi[i] * ur[j] - pr[i] * ui[j])
                        ar[i * n + j] -= r
                        ai[i * n + j] -= m
                    }
                }
                // Q ← Q·P, P = I − τ v v†: Q − τ (Q v) v†.
                for i in 0..<n {
                    var sr = 0.0, si = 0.0
                    for j in (k + 1)..<n {
                        let a = qr[i * n + j], b = qi[i * n + j]
                        sr += a * ur[j] - b * ui[j]
                        si += a * ui[j] + b * ur[j]
                    }
                    sr *= tau; si *= tau
                    if sr == 0 && si == 0 { continue }
                    for j in (k + 1)..<n {
                        // s·conj(v_j)
                        qr[i * n + j] -= sr * ur[j] + si * ui[j]
                        qi[i * n + j] -= si * ur[j] - sr * ui[j]
                    }
                }
            }
        }
        for i in 0..<n { diag[i] = ar[i * n + i] }
        // Phase fix: δ₀ = 1, δ_{k+1} = δ_k·e_k/|e_k| with e_k = T[k+1, k]; column k of Q times δ_k.
        var dr = 1.0, di = 0.0
        for k in 0..<n {
            if k > 0 {
                for i in 0..<n {
                    let a = qr[i * n + k], b = qi[i * n + k]
                    qr[i * n + k] = a * dr - b * di
                    qi[i * n + k] = a * di + b * dr
                }
            }
            if k + 1 < n {
                let xr = ar[(k + 1) * n + k], xi = ai[(k + 1) * n + k]
                let mag = (xr * xr + xi * xi).squareRoot()
                off[k] = mag
                if mag > 0 {
                    let (pr0, pi0) = (xr / mag, xi / mag)
                    (dr, di) = (dr * pr0 - di * pi0, dr * pi0 + di * pr0)
                }
            } else {
                off[k] = 0
            }
        }
    }

    /// Implicit-shift QL on the symmetric tridiagonal (diag, off[k] = T[k+1, k]); eigenvalues into
    /// `values`, eigenvectors of T (or, from Qᵀ, of the original real matrix) as the rows of `zt`.
    private mutating func implicitQL(startFromQ: Bool, trackedRows: [Int]? = nil) {
        let n = self.n
        let q = qr
        // The components of the eigenvectors to carry through the rotations: all, or only `trackedRows`.
        let rows = trackedRows ?? [], tracking = trackedRows != nil
        var z: [Double] = [], d: [Double] = [], e: [Double] = []
        swap(&z, &zt)
        swap(&d, &diag)
        swap(&e, &off)
        defer { swap(&z, &zt); swap(&d, &diag); swap(&e, &off) }
        z.withUnsafeMutableBufferPointer { zp in
        d.withUnsafeMutableBufferPointer { dp in
        e.withUnsafeMutableBufferPointer { ep in
            if startFromQ {
                // zt = Qᵀ (real Q): the rotations then accumulate Q·Z directly.
                for i in 0..<n { for k in 0..<n { zp[i * n + k] = q[k * n + i] } }
            } else {
                for i in 0..<(n * n) { zp[i] = 0 }
                for i in 0..<n { zp[i * n + i] = 1 }
            }
            for l in 0..<n {
                var iterations = 0
                while true {
                    var m = l
                    while m < n - 1 {
                        let dd = abs(dp[m]) + abs(dp[m + 1])
                        if abs(ep[m]) <= Double.ulpOfOne * dd { break }
                        m += 1
                    }
                    if m == l { break }
                    iterations += 1
                    precondition(iterations <= 100, "QL iteration did not converge")
                    var g = (dp[l + 1] - dp[l]) / (2 * ep[l])
                    var r = (g * g + 1).squareRoot()
                    g = dp[m] - dp[l] + ep[l] / (g + (g >= 0 ? r : -r))
                    var s = 1.0, c = 1.0, p = 0.0
                    var i = m - 1
                    var deflated = false
                    while i >= l {
                        let f = s * ep[i], b = c * ep[i]
                        r = (f * f + g * g).squareRoot()
                        ep[i + 1] = r
                        if r == 0 {
                            dp[i + 1] -= p
                            ep[m] = 0
                            deflated = true
                            break
                        }
                        s = f / r
                        c = g / r
                        g = dp[i + 1] - p
                        r = (dp[i] - g) * s + 2 * c * b
                        p = s * r
                        dp[i + 1] = g + p
                        g = c * r - b
                        // Rows i and i+1 of zt (= columns of Z).
                        let ri = i * n, rj = (i + 1) * n
                        if tracking {
                            for k in rows {
                                let zf = zp[rj + k], zi = zp[ri + k]
                                zp[rj + k] = s * zi + c * zf
                                zp[ri + k] = c * zi - s * zf
                            }
                        } else {
                            for k in 0..<n {
                                let zf = zp[rj + k], zi = zp[ri + k]
                                zp[rj + k] = s * zi + c * zf
                                zp[ri + k] = c * zi - s * zf
                            }
                        }
                        i -= 1
                    }
                    if deflated { continue }
                    dp[l] -= p
                    ep[l] = g
                    ep[m] = 0
                }
            }
        }}}
        for i in 0..<n { values[i] = d[i] }
    }

    /// The eigenvalues of the real symmetric matrix in `ar` (as `decompose(real: true)`, same
    /// arithmetic) but only the eigenvector components at `rows` carried through the QL rotations:
    /// O(n³) for the tridiagonalization, O(n²·|rows|) for QL instead of O(n³). Read them with
    /// `trackedComponent(row:vector:)`; they equal `vr` of the full decomposition bit for bit.
    mutating func decomposeRealTracking(rows: [Int]) {
        tridiagonalizeReal(qRows: rows)
        isReal = true
        implicitQL(startFromQ: true, trackedRows: rows)
    }

    /// Component `row` (one of the tracked rows) of eigenvector `vector` after `decomposeRealTracking`.
    func trackedComponent(row: Int, vector: Int) -> Double { zt[vector * n + row] }

    /// Workspaces for the diagonal blocks found by `decomposeBlocks`, by block size.
    private var blockWorkspaces: [Int: EigenWorkspace] = [:]
    private var component: [Int] = []

    /// As `decompose`, but first splits the matrix into the connected components of its nonzero
    /// pattern (e.g. the excitation-parity sectors of a static Hamiltonian with x·x couplings) and
    /// decomposes each block on its own: 2 equal blocks cost ¼ of the whole. Eigenvectors are zero
    /// outside their block.
    mutating func decomposeBlocks(real: Bool) {
        if component.count != n { component = Array(repeating: -1, count: n) }
        for i in 0..<n { component[i] = -1 }
        var count = 0
        var stack: [Int] = []
        for root in 0..<n where component[root] < 0 {
            component[root] = count
            stack.append(root)
            while let i = stack.popLast() {
                for j in 0..<n where component[j] < 0 && (ar[i * n + j] != 0 || ai[i * n + j] != 0) {
                    component[j] = count
                    stack.append(j)
                }
            }
            count += 1
        }
        if count == 1 {
            decompose(real: real)
            return
        }
        for i in 0..<(n * n) { vr[i] = 0; vi[i] = 0 }
        isReal = real
        var slot = 0
        for c in 0..<count {
            let members = (0..<n).filter { component[$0] == c }
            let m = members.count
            var ws = blockWorkspaces[m] ?? EigenWorkspace(dimension: m)
            blockWorkspaces[m] = nil
            for (a, i) in members.enumerated() {
                for (b, j) in members.enumerated() {
                    ws.ar[a * m + b] = ar[i * n + j]
                    ws.ai[a * m + b] = ai[i * n + j]
                }
            }
            if m == 1 {
                ws.values[0] = ws.ar[0]
                ws.vr[0] = 1
                ws.vi[0] = 0
            } else {
                ws.decompose(real: real)
            }
            for k in 0..<m {
                values[slot + k] = ws.values[k]
                for (a, i) in members.enumerated() {
                    vr[i * n + slot + k] = ws.vr[a * m + k]
                    vi[i * n + slot + k] = ws.vi[a * m + k]
                }
            }
            slot += m
            blockWorkspaces[m] = ws
        }
    }

    /// Loads a ComplexMatrix into the input buffers.
    mutating func load(_ h: ComplexMatrix) {
        precondition(h.rows == n && h.cols == n, "workspace is \(n)×\(n), matrix \(h.rows)×\(h.cols)")
        for i in 0..<(n * n) { ar[i] = h.re[i]; ai[i] = h.im[i] }
    }
}

extension HermitianEigen {
    /// The same decomposition as `init(_:)` (ascending eigenvalues, unitary eigenvectors) by
    /// Householder tridiagonalization and implicit QL: the fast path for the static spectra, with
    /// the Jacobi initializer as its test reference.
    /// - Complexity: O(n³), a few times faster than one Jacobi sweep set.
    public init(householder h: ComplexMatrix) {
        precondition(h.isSquare, "eigen-decomposition needs a square matrix")
        let n = h.rows
        var ws = EigenWorkspace(dimension: n)
        ws.load(h)
        ws.decomposeBlocks(real: h.im.allSatisfy { $0 == 0 })
        let order = ws.values.indices.sorted { ws.values[$0] < ws.values[$1] }
        var w = ComplexMatrix(rows: n, cols: n)
        for (newCol, oldCol) in order.enumerated() {
            for i in 0..<n {
                w.re[i * n + newCol] = ws.vr[i * n + oldCol]
                w.im[i * n + newCol] = ws.vi[i * n + oldCol]
            }
        }
        self.init(values: order.map { ws.values[$0] }, vectors: w)
    }
}
