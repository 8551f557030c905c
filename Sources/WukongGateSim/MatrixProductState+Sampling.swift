// Reading a matrix product state: amplitudes of bitstrings, marginals, the dense vector (small n), and
// exact sampling of shots by sequential conditional sampling from the left.
import Numerics
import WukongNumerics

/// A basis state of any number of qubits as bits: qubit k is bit k % 64 of `words[k / 64]` (qubit 0 is
/// the least significant bit, as a `StateVector` index). A 72-qubit shot does not fit in an `Int`.
public struct BasisBits: Hashable, Sendable {
    public var words: [UInt64]
    /// All zeros on `qubitCount` qubits.
    public init(qubitCount: Int) { words = Array(repeating: 0, count: max(1, (qubitCount + 63) / 64)) }
    /// The bits of a basis index (qubits 0..<64).
    public init(index: Int) { words = [UInt64(truncatingIfNeeded: index)] }
    /// Bit of qubit k (false beyond the stored words).
    public subscript(k: Int) -> Bool {
        get { k / 64 < words.count && (words[k / 64] >> UInt64(k % 64)) & 1 == 1 }
        set {
            precondition(k / 64 < words.count, "BasisBits: qubit \(k) beyond \(words.count * 64) bits")
            if newValue { words[k / 64] |= 1 << UInt64(k % 64) } else { words[k / 64] &= ~(1 << UInt64(k % 64)) }
        }
    }
}

extension MatrixProductState {
    /// ⟨bits|ψ⟩ = A[0][b₀]·A[1][b₁]·…·A[n−1][b_{n−1}] (a 1 × 1 product).
    /// - Complexity: O(n·χ²).
    public func amplitude(of bits: BasisBits) -> Complex<Double> {
        var row: [Complex<Double>] = [.one]
        for k in 0..<qubitCount {
            let s = bits[k] ? 1 : 0, r = bonds[k + 1], t = tensors[k]
            var next = [Complex<Double>](repeating: .zero, count: r)
            for l in 0..<bonds[k] where row[l] != .zero {
                for j in 0..<r { next[j] = next[j] + row[l] * t[(l * 2 + s) * r + j] }
            }
            row = next
        }
        return row[0]
    }

    /// Unnormalized probability that `qubit` reads 1 (normalized states give P(1)).
    /// - Complexity: O(distance to the center · χ³) to move the center, then O(χ²).
    public func probabilityOfOne(_ qubit: Int) -> Double {
        checkQubit(qubit)
        moveCenter(to: qubit)
        let r = bonds[qubit + 1], t = tensors[qubit]
        var p = 0.0
        for l in 0..<bonds[qubit] { for j in 0..<r { p += t[(l * 2 + 1) * r + j].lengthSquared } }
        return p
    }

    /// The dense state vector (qubit k = bit k), for tests and exact distributions of small registers.
    /// - Complexity: O(2ⁿ·χ²) time, O(2ⁿ·χ) memory; n ≤ 30.
    public func amplitudes() -> [Complex<Double>] {
        precondition(qubitCount <= 30, "MatrixProductState.amplitudes: 2^\(qubitCount) amplitudes are too many (n ≤ 30)")
        // vec[(index, bond)] over the first k sites, index < 2^k.
        var vec: [Complex<Double>] = [.one]
        for k in 0..<qubitCount {
            let l = bonds[k], r = bonds[k + 1], t = tensors[k], size = 1 << k
            var next = [Complex<Double>](repeating: .zero, count: 2 * size * r)
            for idx in 0..<size {
                for li in 0..<l {
                    let x = vec[idx * l + li]
                    if x == .zero { continue }
                    for s in 0..<2 {
                        let out = (idx | (s << k)) * r
                        for j in 0..<r { next[out + j] = next[out + j] + x * t[(li * 2 + s) * r + j] }
                    }
                }
            }
            vec = next
        }
        return vec
    }

    /// |ψᵢ|² for every basis index (n ≤ 30).
    public func probabilities() -> [Double] { amplitudes().map(\.lengthSquared) }

    /// Draws `shots` independent basis states from |ψ|²/‖ψ‖² without changing the state.
    ///
    /// Sequential conditional sampling: with the center at site 0 every other site is right-orthonormal,
    /// so for a prefix b₀…b_{k−1} with left vector L (the normalized product A[0][b₀]⋯A[k−1][b_{k−1}]),
    /// P(b_k = s | prefix) ∝ ‖L·A[k][s]‖²; draw s, L ← L·A[k][s]/‖·‖. Exact (no truncation involved).
    /// - Complexity: O(n·χ³) once (moving the center), then O(shots·n·χ²).
    public func sample<R: RandomNumberGenerator>(shots: Int, using rng: inout R) -> [BasisBits] {
        moveCenter(to: 0)
        var out: [BasisBits] = []
        out.reserveCapacity(shots)
        for _ in 0..<shots {
            var bits = BasisBits(qubitCount: qubitCount)
            var left: [Complex<Double>] = [.one]
            for k in 0..<qubitCount {
                let l = bonds[k], r = bonds[k + 1], t = tensors[k]
                var v0 = [Complex<Double>](repeating: .zero, count: r), v1 = v0
                for li in 0..<l where left[li] != .zero {
                    let x = left[li]
                    for j in 0..<r {
                        v0[j] = v0[j] + x * t[(li * 2) * r + j]
                        v1[j] = v1[j] + x * t[(li * 2 + 1) * r + j]
                    }
                }
                let p0 = v0.reduce(0) { $0 + $1.lengthSquared }, p1 = v1.reduce(0) { $0 + $1.lengthSquared }
                let u = Double(rng.next() >> 11) * 0x1p-53
                let one = u * (p0 + p1) >= p0
                if one { bits[k] = true }
                let chosen = one ? v1 : v0, norm = (one ? p1 : p0).squareRoot()
                left = chosen.map { $0.divided(by: norm) }
            }
            out.append(bits)
        }
        return out
    }
}
