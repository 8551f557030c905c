// Four scan points at once: the static-ZZ scanner's arithmetic (lower-triangle Householder reduction
// tracking the needed rows of Q, then Rayleigh-quotient iteration from each bare state) on
// SIMD4<Double> lanes, one operating point per lane. The blocks' structure (members, couplings,
// targets) is the same at every point, so only the values differ per lane; pivoting choices and
// convergence are decided lane by lane. The scalar path is latency-bound (chains of divisions and
// short loops), so four independent problems in lanes cost little more than one. A lane whose
// labelling is not certain (no convergence, or overlap ≤ ½) is recomputed by the scalar path with
// its fallbacks; the tests compare the batch with `staticZZGHz`.
import Numerics

extension StaticZZScanner {
    typealias Lanes = SIMD4<Double>
    typealias LaneMask = SIMDMask<SIMD4<Int64>>

    @inline(__always) static func magnitude(_ x: Lanes) -> Lanes { pointwiseMax(x, -x) }

    /// ζ/2π (GHz) at four points (mode frequencies, GHz, one array per lane); nil for a lane the
    /// batch could not label with certainty.
    func zzBatch(_ points: [[Double]]) -> [Double?] {
        precondition(points.count == 4, "a batch is four points")
        let modes = anharmonicityRad.count
        var omega = [Lanes](repeating: .zero, count: modes)
        for k in 0..<modes {
            omega[k] = Lanes(points[0][k], points[1][k], points[2][k], points[3][k]) * (2 * Double.pi)
        }
        var energy = [Lanes](repeating: .zero, count: 4)
        var good = LaneMask(repeating: true)
        for bi in blocks.indices {
            let block = blocks[bi], m = block.members.count
            var a = [Lanes](repeating: .zero, count: m * m)
            for k in 0..<m {
                var e = Lanes.zero
                for mode in 0..<modes {
                    let nk = block.occupations[k * modes + mode]
                    e += omega[mode] * nk + Lanes(repeating: anharmonicityRad[mode] / 2 * nk * (nk - 1))
                }
                a[k * m + k] = e
            }
            for (p, q, g) in block.entries where p >= q { a[p * m + q] += Lanes(repeating: g) }
            let rows = block.targets
            var qRows = [Lanes](repeating: .zero, count: rows.count * m)
            for (t, r) in rows.enumerated() { qRows[t * m + r] = Lanes(repeating: 1) }
            var diag = [Lanes](repeating: .zero, count: m), off = [Lanes](repeating: .zero, count: m)
            Self.tridiagonalize(&a, m: m, qRows: &qRows, diag: &diag, off: &off)
            for (slot, (b, row)) in where_.enumerated() where b == bi {
                let t = rows.firstIndex(of: row)!
                let start = Array(qRows[(t * m)..<((t + 1) * m)])
                let (value, overlap, converged) = Self.rayleighQuotient(diag: diag, off: off, start: start)
                energy[slot] = value
                good = good .& converged .& (overlap .> Lanes(repeating: 0.5 + 1e-9))
            }
        }
        let zz = (energy[0] - energy[1] - energy[2] + energy[3]) / (2 * Double.pi)
        return (0..<4).map { good[$0] ? zz[$0] : nil }
    }

    /// Householder reduction of the m × m symmetric matrices in `a` (lower triangle, per lane) to
    /// tridiagonal (diag, off), accumulating the rows of Q given in `qRows` (row-major, one row per
    /// target). A lane whose column is already reduced gets the (harmless) sign-flip reflection; a
    /// zero column the identity.
    static func tridiagonalize(_ a: inout [Lanes], m: Int, qRows: inout [Lanes], diag: inout [Lanes], off: inout [Lanes]) {
        let tracked = qRows.count / max(m, 1)
        var v = [Lanes](repeating: .zero, count: m), w = v
        a.withUnsafeMutableBufferPointer { a in
        qRows.withUnsafeMutableBufferPointer { q in
        v.withUnsafeMutableBufferPointer { v in
        w.withUnsafeMutableBufferPointer { w in
            if m > 2 {
                for k in 0..<(m - 2) {
                    let lo = k + 1
                    var norm2 = Lanes.zero, rest = Lanes.zero
                    for i in lo..<m { norm2 += a[i * m + k] * a[i * m + k] }
                    for i in (lo + 1)..<m { rest += a[i * m + k] * a[i * m + k] }
                    if rest == .zero { continue }  // structurally reduced in every lane
                    let x0 = a[lo * m + k]
                    let s = norm2.squareRoot()
                    let alpha = (-s).replacing(with: s, where: x0 .< 0)
                    for i in lo..<m { v[i] = a[i * m + k] }
                    v[lo] -= alpha
                    var vv = Lanes.zero
                    for i in lo..<m { vv += v[i] * v[i] }
                    let tau = (2 / vv).replacing(with: 0, where: vv .== 0)
                    for i in lo..<m { w[i] = .zero }
                    for i in lo..<m {
                        let vi = v[i], row = i * m
                        var sum = a[row + i] * vi
                        for j in lo..<i {
                            let x = a[row + j]
                            sum += x * v[j]
                            w[j] += x * vi
                        }
                        w[i] += sum
                    }
                    var kk = Lanes.zero
                    for i in lo..<m { w[i] *= tau; kk += v[i] * w[i] }
                    kk *= tau / 2
                    for i in lo..<m { w[i] -= kk * v[i] }
                    for i in lo..<m {
                        let vi = v[i], wi = w[i], row = i * m
                        for j in lo...i { a[row + j] -= vi * w[j] + wi * v[j] }
                    }
                    a[lo * m + k] = alpha
                    for i in (lo + 1)..<m { a[i * m + k] = .zero }
                    for r in 0..<tracked {
                        var dot = Lanes.zero
                        for j in lo..<m { dot += q[r * m + j] * v[j] }
                        dot *= tau
                        for j in lo..<m { q[r * m + j] -= dot * v[j] }
                    }
                }
            }
            for i in 0..<m {
                diag[i] = a[i * m + i]
                off[i] = i + 1 < m ? a[(i + 1) * m + i] : .zero
            }
        }}}}
    }

    /// Rayleigh-quotient iteration on the tridiagonal (diag, off) from `start` (unit, per lane), as
    /// `EigenWorkspace.rayleighQuotientPair`: the eigenvalue, the squared overlap with `start`, and
    /// whether the lane converged (residual ≤ 64 ε‖T‖, or σ stationary with residual ≤ 1e-7‖T‖).
    static func rayleighQuotient(diag t: [Lanes], off e: [Lanes], start: [Lanes])
        -> (value: Lanes, overlap: Lanes, converged: LaneMask) {
        let n = t.count
        if n == 1 { return (t[0], Lanes(repeating: 1), SIMDMask(repeating: true)) }
        var scale = Lanes.zero
        for i in 0..<n {
            var row = magnitude(t[i])
            if i > 0 { row += magnitude(e[i - 1]) }
            if i + 1 < n { row += magnitude(e[i]) }
            scale = pointwiseMax(scale, row)
        }
        scale = pointwiseMax(scale, Lanes(repeating: .leastNormalMagnitude))
        let tolerance = scale * (64 * Double.ulpOfOne), tiny = scale * Double.ulpOfOne
        var x = start, y = start, tx = start
        var d = t, du = e, dl = e, inv = t
        func rayleigh() -> Lanes {
            var s = Lanes.zero
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
        var done = LaneMask(repeating: false)
        var value = Lanes.zero, overlap = Lanes.zero
        for _ in 0..<16 {
            for i in 0..<n {
                d[i] = t[i] - sigma
                y[i] = x[i]
                du[i] = e[i]
                dl[i] = e[i]
            }
            for i in 0..<(n - 1) {
                let di = d[i], li = dl[i], ui = du[i], di1 = d[i + 1], yi = y[i], yi1 = y[i + 1]
                let swap = magnitude(di) .< magnitude(li)
                let dSafe = di.replacing(with: tiny, where: di .== 0)
                let rN = 1 / dSafe, fN = li * rN
                let rS = 1 / li, fS = di * rS
                inv[i] = rN.replacing(with: rS, where: swap)
                d[i] = dSafe.replacing(with: li, where: swap)
                d[i + 1] = (di1 - fN * ui).replacing(with: ui - fS * di1, where: swap)
                y[i] = yi.replacing(with: yi1, where: swap)
                y[i + 1] = (yi1 - fN * yi).replacing(with: yi - fS * yi1, where: swap)
                du[i] = ui.replacing(with: di1, where: swap)
                if i + 2 < n {
                    let next = du[i + 1]
                    dl[i] = Lanes.zero.replacing(with: next, where: swap)
                    du[i + 1] = next.replacing(with: -fS * next, where: swap)
                } else {
                    dl[i] = .zero
                }
            }
            d[n - 1] = d[n - 1].replacing(with: tiny, where: d[n - 1] .== 0)
            inv[n - 1] = 1 / d[n - 1]
            y[n - 1] *= inv[n - 1]
            y[n - 2] = (y[n - 2] - du[n - 2] * y[n - 1]) * inv[n - 2]
            if n > 2 {
                for i in stride(from: n - 3, through: 0, by: -1) {
                    y[i] = (y[i] - du[i] * y[i + 1] - dl[i] * y[i + 2]) * inv[i]
                }
            }
            var norm2 = Lanes.zero
            for i in 0..<n { norm2 += y[i] * y[i] }
            let usable: LaneMask = (norm2 .> Lanes.zero) .& (norm2 .< Lanes(repeating: .infinity))
            let factor = (1 / norm2.squareRoot()).replacing(with: 0, where: .!usable)
            for i in 0..<n { x[i] = y[i] * factor }
            let previous = sigma
            sigma = rayleigh()
            var r2 = Lanes.zero
            for i in 0..<n { let r = tx[i] - sigma * x[i]; r2 += r * r }
            let residual = r2.squareRoot()
            let atRoundoff: LaneMask = residual .<= tolerance
            let stationary: LaneMask = magnitude(sigma - previous) .<= scale * (4 * Double.ulpOfOne)
            let small: LaneMask = residual .<= scale * 1e-7
            let converged: LaneMask = usable .& (atRoundoff .| (stationary .& small))
            let fresh: LaneMask = converged .& .!done
            if any(fresh) {
                var c = Lanes.zero
                for k in 0..<n { c += start[k] * x[k] }
                value.replace(with: sigma, where: fresh)
                overlap.replace(with: c * c, where: fresh)
                done = done .| fresh
            }
            if all(done) { break }
        }
        return (value, overlap, done)
    }
}
