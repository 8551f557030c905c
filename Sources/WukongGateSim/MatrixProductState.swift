// A matrix-product-state simulator: the state of n qubits as a chain of site tensors A[k] of shape
// (χₖ, 2, χₖ₊₁), so a weakly entangled state of many qubits (a GHZ ladder on 72 qubits has χ = 2)
// costs O(n·χ²) memory instead of 2ⁿ.
//
// Goals, in order: 1. exact (to roundoff) when no bond is truncated, checked against `StateVector` and
// `ReferenceStateVector` on random circuits; 2. every truncation is counted (`discardedWeight`), so a
// result can state its error; 3. non-unitary 2-qubit blocks (a leaky pulse channel) are allowed;
// 4. speed for small χ. Sites are qubits in index order (qubit k = site k = bit k of a basis index).
//
// Canonical form: the state is kept in mixed canonical form around an orthogonality `center`: sites left
// of it are left-orthonormal (Σ_{l,s} conj(A[l,s,r]) A[l,s,r'] = δ_{rr'}), sites right of it right-
// orthonormal, so ‖ψ‖² is the squared norm of the center tensor and the singular values of a bond next
// to the center are the Schmidt coefficients there (what truncation discards).
import Numerics
import WukongCircuits
import WukongNumerics

/// Truncation options of a `MatrixProductState`.
public struct MPSOptions: Sendable, Equatable {
    /// Largest bond dimension kept after a 2-qubit gate (the Schmidt coefficients beyond it are dropped).
    public var maxBondDimension: Int
    /// Discarded-weight cutoff per SVD: the smallest Schmidt coefficients are dropped while their summed
    /// squares stay ≤ cutoff × the bond's total weight. The default 1e-20 drops only roundoff (an
    /// amplitude error ≤ √1e-20 = 1e-10 per cut), so a circuit's result is exact to ~1e-10.
    public var cutoff: Double
    public init(maxBondDimension: Int = 1024, cutoff: Double = 1e-20) {
        precondition(maxBondDimension >= 1, "MPSOptions: maxBondDimension must be ≥ 1, got \(maxBondDimension)")
        precondition(cutoff >= 0 && cutoff < 1, "MPSOptions: cutoff must be in [0, 1), got \(cutoff)")
        self.maxBondDimension = maxBondDimension
        self.cutoff = cutoff
    }
}

/// A pure state of `qubitCount` qubits as a matrix product state (complex-double site tensors), starting
/// in |0…0⟩. Reference: `StateVector` / `ReferenceStateVector` (the tests compare amplitudes).
public final class MatrixProductState: @unchecked Sendable {
    /// Number of qubits (sites).
    public let qubitCount: Int
    /// Truncation options.
    public var options: MPSOptions
    /// Site tensors, site k at `tensors[k]`, entry (l, s, r) at `(l * 2 + s) * bonds[k + 1] + r`.
    var tensors: [[Complex<Double>]]
    /// Bond dimensions: `bonds[k]` is the left dimension of site k; `bonds[0] = bonds[n] = 1`.
    public private(set) var bonds: [Int]
    /// The orthogonality center (see the file header).
    public private(set) var center: Int
    /// Sum over every truncation of the relative weight discarded there (Σ of dropped squared Schmidt
    /// coefficients / the bond's total). To first order 1 − |⟨ψ_exact|ψ⟩|² ≤ this sum, and the output
    /// distribution's total-variation error is ≤ √(this sum) (trace distance of pure states).
    public private(set) var discardedWeight: Double = 0
    /// Number of SVDs that dropped a nonzero weight.
    public private(set) var truncationCount = 0

    /// |0…0⟩ on `qubitCount` ≥ 1 qubits (bond dimension 1 everywhere).
    public init(qubitCount: Int, options: MPSOptions = MPSOptions()) {
        precondition(qubitCount >= 1, "MatrixProductState: needs at least one qubit, got \(qubitCount)")
        self.qubitCount = qubitCount
        self.options = options
        tensors = Array(repeating: [.one, .zero], count: qubitCount)
        bonds = Array(repeating: 1, count: qubitCount + 1)
        center = 0
    }

    /// The largest bond dimension.
    public var maxBond: Int { bonds.max() ?? 1 }

    /// ‖ψ‖², the squared norm of the center tensor.
    /// - Complexity: O(χ²).
    public var normSquared: Double { tensors[center].reduce(0) { $0 + $1.lengthSquared } }

    /// Scales the state to norm 1 (a leaky channel leaves it shorter).
    public func normalize() {
        let n = normSquared
        precondition(n > 0, "MatrixProductState.normalize: the state has zero norm")
        let s = 1 / n.squareRoot()
        tensors[center] = tensors[center].map { $0.multiplied(by: s) }
    }

    func checkQubit(_ q: Int) {
        precondition((0..<qubitCount).contains(q), "MatrixProductState: qubit \(q) out of range 0..<\(qubitCount)")
    }

    /// Applies a 1- or 2-qubit matrix (unitary or not; first operand = most significant bit of the matrix
    /// index, as `StateVector.apply`). Non-adjacent 2-qubit gates are brought next to each other by SWAPs
    /// and moved back; every 2-site update is an SVD truncated by `options`.
    /// - Complexity: O(χ³) per site update; a gate over distance d costs 2(d − 1) extra SWAP updates.
    public func apply(_ matrix: GateMatrix, on qubits: [Int]) {
        precondition(matrix.dimension == 1 << qubits.count,
                     "MatrixProductState.apply: a \(matrix.dimension)-dim matrix on \(qubits.count) qubits")
        for q in qubits { checkQubit(q) }
        switch qubits.count {
        case 1: applyOneSite(matrix, site: qubits[0])
        case 2:
            precondition(qubits[0] != qubits[1], "MatrixProductState.apply: repeated qubit \(qubits[0])")
            applyTwoQubit(matrix, first: qubits[0], second: qubits[1])
        default:
            preconditionFailure("MatrixProductState.apply: only 1- and 2-qubit matrices, got \(qubits.count) qubits")
        }
    }

    /// M (2 × 2) on site k: A[l, t, r] ← Σₛ M[t, s] A[l, s, r], at the center (so a non-unitary M keeps
    /// the canonical form).
    func applyOneSite(_ m: GateMatrix, site k: Int) {
        moveCenter(to: k)
        let r = bonds[k + 1]
        var t = tensors[k]
        for l in 0..<bonds[k] {
            for j in 0..<r {
                let a0 = t[(l * 2) * r + j], a1 = t[(l * 2 + 1) * r + j]
                t[(l * 2) * r + j] = m.elements[0] * a0 + m.elements[1] * a1
                t[(l * 2 + 1) * r + j] = m.elements[2] * a0 + m.elements[3] * a1
            }
        }
        tensors[k] = t
    }

    static let swapMatrix = GateMatrix([.one, .zero, .zero, .zero, .zero, .zero, .one, .zero,
                                        .zero, .one, .zero, .zero, .zero, .zero, .zero, .one])

    func applyTwoQubit(_ matrix: GateMatrix, first a: Int, second b: Int) {
        // Operand order → (left, right) site order.
        let m = a < b ? matrix : Self.swapMatrix * matrix * Self.swapMatrix
        let (lo, hi) = (min(a, b), max(a, b))
        // Bring site hi next to lo, apply, move it back.
        var k = hi - 1
        while k > lo { applyAdjacent(Self.swapMatrix, left: k); k -= 1 }
        applyAdjacent(m, left: lo)
        k = lo + 1
        while k < hi { applyAdjacent(Self.swapMatrix, left: k); k += 1 }
    }

    /// A 4 × 4 matrix on sites (k, k + 1), left site = first operand: θ = A[k]·A[k+1], θ' = G·θ reshaped
    /// to (χₖ·2) × (2·χₖ₊₂), SVD, truncated; A[k] = U (left-orthonormal), A[k+1] = Σ·V† (the new center).
    func applyAdjacent(_ g: GateMatrix, left k: Int) {
        moveCenter(to: k)
        let l = bonds[k], m = bonds[k + 1], r = bonds[k + 2]
        let a = tensors[k], b = tensors[k + 1]
        // θ[l, s1, s2, r] at ((l*2 + s1)*2 + s2)*r + rr.
        var theta = [Complex<Double>](repeating: .zero, count: l * 4 * r)
        for li in 0..<l {
            for s1 in 0..<2 {
                for mi in 0..<m {
                    let x = a[(li * 2 + s1) * m + mi]
                    if x == .zero { continue }
                    for s2 in 0..<2 {
                        let base = ((li * 2 + s1) * 2 + s2) * r, bb = (mi * 2 + s2) * r
                        for ri in 0..<r { theta[base + ri] = theta[base + ri] + x * b[bb + ri] }
                    }
                }
            }
        }
        // θ'[l, t1, t2, r] = Σ G[(t1 t2), (s1 s2)] θ[l, s1, s2, r].
        var updated = [Complex<Double>](repeating: .zero, count: theta.count)
        let e = g.elements
        for li in 0..<l {
            for ri in 0..<r {
                var x = [Complex<Double>](repeating: .zero, count: 4)
                for s in 0..<4 { x[s] = theta[((li * 2 + (s >> 1)) * 2 + (s & 1)) * r + ri] }
                for t in 0..<4 {
                    let y = e[t * 4] * x[0] + e[t * 4 + 1] * x[1] + e[t * 4 + 2] * x[2] + e[t * 4 + 3] * x[3]
                    updated[((li * 2 + (t >> 1)) * 2 + (t & 1)) * r + ri] = y
                }
            }
        }
        // As a (2l) × (2r) matrix: row (l, t1), column (t2, r) — exactly the storage order above.
        let svd = ComplexSVD(updated, rows: 2 * l, columns: 2 * r, rankTolerance: 0)
        precondition(svd.rank > 0, "MatrixProductState: a 2-qubit matrix on sites \(k), \(k + 1) left a zero state")
        let keep = truncatedRank(svd.singularValues, maxBond: options.maxBondDimension)
        let rank = svd.rank
        var left = [Complex<Double>](repeating: .zero, count: 2 * l * keep)
        for row in 0..<(2 * l) { for j in 0..<keep { left[row * keep + j] = svd.u[row * rank + j] } }
        var right = [Complex<Double>](repeating: .zero, count: keep * 2 * r)
        let scale = rescale(svd.singularValues, keep: keep)
        for j in 0..<keep {
            let s = svd.singularValues[j] * scale
            for col in 0..<(2 * r) { right[j * 2 * r + col] = svd.v[col * rank + j].conjugate.multiplied(by: s) }
        }
        tensors[k] = left
        tensors[k + 1] = right
        bonds[k + 1] = keep
        center = k + 1
    }

    /// The number of Schmidt coefficients kept: at most `maxBond`, and the tail with summed squares ≤
    /// cutoff × total dropped. Records the discarded relative weight.
    func truncatedRank(_ s: [Double], maxBond: Int) -> Int {
        guard !s.isEmpty else { return 1 }
        let weights = s.map { $0 * $0 }
        let total = weights.reduce(0, +)
        guard total > 0 else { return 1 }
        var keep = s.count
        var tail = 0.0
        while keep > 1 && (tail + weights[keep - 1]) <= options.cutoff * total {
            tail += weights[keep - 1]
            keep -= 1
        }
        if keep > maxBond {
            keep = maxBond
            tail = weights[keep...].reduce(0, +)
        }
        if tail > 0 {
            discardedWeight += tail / total
            truncationCount += 1
        }
        return keep
    }

    /// The factor that restores the norm after dropping the tail (√(total / kept)).
    func rescale(_ s: [Double], keep: Int) -> Double {
        let total = s.reduce(0) { $0 + $1 * $1 }, kept = s.prefix(keep).reduce(0) { $0 + $1 * $1 }
        return kept > 0 ? (total / kept).squareRoot() : 1
    }

    /// Moves the orthogonality center to site `k` by SVDs of the center (truncated by the cutoff only,
    /// which drops the roundoff-level Schmidt coefficients a gate such as CZ leaves behind).
    /// - Complexity: O(|k − center|·χ³).
    public func moveCenter(to k: Int) {
        checkQubit(k)
        while center < k { shiftRight() }
        while center > k { shiftLeft() }
    }

    /// Center c → c + 1: A[c] as (χ·2) × χ' = U·Σ·V†; A[c] = U, A[c+1] ← Σ·V†·A[c+1].
    func shiftRight() {
        let c = center, l = bonds[c], m = bonds[c + 1], r = bonds[c + 2]
        let svd = ComplexSVD(tensors[c], rows: 2 * l, columns: m, rankTolerance: 0)
        precondition(svd.rank > 0, "MatrixProductState: the state has zero norm")
        let keep = truncatedRank(svd.singularValues, maxBond: Int.max)
        let rank = svd.rank, scale = rescale(svd.singularValues, keep: keep)
        var left = [Complex<Double>](repeating: .zero, count: 2 * l * keep)
        for row in 0..<(2 * l) { for j in 0..<keep { left[row * keep + j] = svd.u[row * rank + j] } }
        // W = Σ·V† (keep × m), then W·A[c+1] (keep × 2r).
        let next = tensors[c + 1]
        var merged = [Complex<Double>](repeating: .zero, count: keep * 2 * r)
        for j in 0..<keep {
            let s = svd.singularValues[j] * scale
            for mi in 0..<m {
                let w = svd.v[mi * rank + j].conjugate.multiplied(by: s)
                if w == .zero { continue }
                for col in 0..<(2 * r) { merged[j * 2 * r + col] = merged[j * 2 * r + col] + w * next[mi * 2 * r + col] }
            }
        }
        tensors[c] = left
        tensors[c + 1] = merged
        bonds[c + 1] = keep
        center = c + 1
    }

    /// Center c → c − 1: A[c] as χ × (2·χ') = U·Σ·V†; A[c] = V† (right-orthonormal), A[c−1] ← A[c−1]·U·Σ.
    func shiftLeft() {
        let c = center, l = bonds[c], r = bonds[c + 1], p = bonds[c - 1]
        let svd = ComplexSVD(tensors[c], rows: l, columns: 2 * r, rankTolerance: 0)
        precondition(svd.rank > 0, "MatrixProductState: the state has zero norm")
        let keep = truncatedRank(svd.singularValues, maxBond: Int.max)
        let rank = svd.rank, scale = rescale(svd.singularValues, keep: keep)
        var right = [Complex<Double>](repeating: .zero, count: keep * 2 * r)
        for j in 0..<keep { for col in 0..<(2 * r) { right[j * 2 * r + col] = svd.v[col * rank + j].conjugate } }
        // W = U·Σ (l × keep), then A[c−1]·W ((p·2) × keep).
        let prev = tensors[c - 1]
        var merged = [Complex<Double>](repeating: .zero, count: p * 2 * keep)
        for row in 0..<(p * 2) {
            for li in 0..<l {
                let x = prev[row * l + li]
                if x == .zero { continue }
                for j in 0..<keep {
                    merged[row * keep + j] = merged[row * keep + j] + x * svd.u[li * rank + j].multiplied(by: svd.singularValues[j] * scale)
                }
            }
        }
        tensors[c] = right
        tensors[c - 1] = merged
        bonds[c] = keep
        center = c - 1
    }
}
