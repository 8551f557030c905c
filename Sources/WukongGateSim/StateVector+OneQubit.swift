// Kernels for gates on one qubit: a dense 2×2 matrix, and a diagonal (phase) gate.
// Each pairs amplitudes (i, i + 2^q) found by inserting a zero bit at q into a loop counter.
import Numerics
import WukongCircuits

extension StateVector {
    /// Applies a 2×2 matrix `[[m00, m01], [m10, m11]]` to qubit `q`:
    /// `(ψ_{i}, ψ_{i+2^q}) ← (m00 ψ_i + m01 ψ_{i+2^q}, m10 ψ_i + m11 ψ_{i+2^q})` for every `i`
    /// with bit `q` clear.
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)`.
    /// - Complexity: O(2ⁿ): 2ⁿ⁻¹ pairs, 8 complex-double multiplications per pair, one pass
    ///   over memory (32·2ⁿ bytes read and written); threaded above the threshold.
    public func applyOneQubit(_ matrix: GateMatrix, on q: Int) {
        precondition(matrix.qubitCount == 1, "applyOneQubit needs a 2×2 matrix")
        checkQubit(q)
        if q >= 1 && count >= 4 { return applyOneQubitWide(matrix, on: q) }
        let u = matrix.packed
        let (m00, m01, m10, m11) = (u[0], u[1], u[2], u[3])
        let p = SendablePointer(base: data)
        let stride = 1 << q
        parallelChunks(count: count >> 1, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            forEachPairIndex(lo, hi, bit: q) { i in
                let j = i + stride
                let x = loadAmplitude(s, i), y = loadAmplitude(s, j)
                let xs = swapped(x), ys = swapped(y)
                storeAmplitude(s, i, m00.times(x, swapped: xs) + m01.times(y, swapped: ys))
                storeAmplitude(s, j, m10.times(x, swapped: xs) + m11.times(y, swapped: ys))
            }
        }
    }

    /// Applies the diagonal gate `diag(d0, d1)` to qubit `q`: `ψ_i ← d_{bit q of i} · ψ_i`.
    /// When `d0` is exactly 1 (phase gates `P`, `S`, `T`, `Z`), only the half with bit `q` set
    /// is read and written.
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)` with `GateMatrix.diagonal([d0, d1])`.
    /// - Complexity: O(2ⁿ): one complex multiplication per amplitude touched.
    public func applyDiagonal(_ d0: Complex<Double>, _ d1: Complex<Double>, on q: Int) {
        checkQubit(q)
        applyDiagonalStreaming([d0, d1], on: [q])
    }

    /// Applies Pauli X to qubit `q` as a permutation (swaps the amplitude pairs, no arithmetic).
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)` with `[[0,1],[1,0]]`.
    /// - Complexity: O(2ⁿ) moves.
    public func applyX(on q: Int) {
        checkQubit(q)
        let p = SendablePointer(base: data)
        let stride = 1 << q
        parallelChunks(count: count >> 1, threads: threads) { lo, hi in
            let s = p.base
            for k in lo..<hi {
                let i = 2 * insertZeroBit(k, at: q)
                let j = i + 2 * stride
                let xr = s[i], xi = s[i + 1]
                s[i] = s[j]
                s[i + 1] = s[j + 1]
                s[j] = xr
                s[j + 1] = xi
            }
        }
    }
}
