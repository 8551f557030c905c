// Kernels for gates on two qubits: a dense 4×4 matrix, a diagonal (CZ, CP, RZZ), and SWAP
// as a pure permutation. Each visits quadruples found by inserting two zero bits.
import Numerics
import WukongCircuits

extension StateVector {
    /// Applies a dense 4×4 `matrix` to the qubit pair (`first`, `second`).
    ///
    /// Ordering: `first` is the MOST significant bit of the matrix index (see `GateMatrix`), so
    /// matrix row `r = 2·b_first + b_second`; CX(control c, target t) is applied as
    /// `applyTwoQubit(cxTextbook, c, t)`. The qubits may be in either numerical order.
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)` with `[first, second]`.
    /// - Complexity: O(2ⁿ): 2ⁿ⁻² quadruples, 16 complex multiplications each, one pass, two
    ///   amplitudes per SIMD4 at every position.
    public func applyTwoQubit(_ matrix: GateMatrix, _ first: Int, _ second: Int) {
        precondition(matrix.qubitCount == 2, "applyTwoQubit needs a 4×4 matrix")
        checkQubits([first, second])
        if min(first, second) >= 1 { return applyTwoQubitWide(matrix, first, second) }
        // One qubit is 0: amplitude pairs hold both of its values (WideKernels.swift).
        applyTwoQubitWideOnZero(matrix, first, second)
    }

    /// Applies the diagonal two-qubit gate `diag(d₀, d₁, d₂, d₃)` to (`first`, `second`),
    /// index `2·b_first + b_second` as for `applyTwoQubit`: CZ is `[1, 1, 1, −1]`,
    /// RZZ(θ) is `[e^{−iθ/2}, e^{iθ/2}, e^{iθ/2}, e^{−iθ/2}]`.
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)` with `GateMatrix.diagonal(diagonal)`.
    /// - Complexity: O(2ⁿ): one complex multiplication per amplitude.
    public func applyDiagonalTwoQubit(_ diagonal: [Complex<Double>], _ first: Int, _ second: Int) {
        precondition(diagonal.count == 4, "a two-qubit diagonal has 4 entries")
        checkQubits([first, second])
        applyDiagonalStreaming(diagonal, on: [first, second])
    }

    /// Swaps qubits `a` and `b`: exchanges the amplitudes of `|…1_a…0_b…⟩` and
    /// `|…0_a…1_b…⟩`, a permutation with no arithmetic.
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)` with the SWAP matrix.
    /// - Complexity: O(2ⁿ): 2ⁿ⁻² exchanges, touching half the state.
    public func applySwap(_ a: Int, _ b: Int) {
        checkQubits([a, b])
        if min(a, b) >= 1 { return applySwapWide(a, b) }
        let lo = min(a, b), hi = max(a, b)
        let oa = 2 << a, ob = 2 << b
        let p = SendablePointer(base: data)
        parallelChunks(count: count >> 2, threads: threads) { start, end in
            let s = p.base
            for k in start..<end {
                let i = 2 * insertZeroBit(insertZeroBit(k, at: lo), at: hi)
                let xr = s[i + oa], xi = s[i + oa + 1]
                s[i + oa] = s[i + ob]
                s[i + oa + 1] = s[i + ob + 1]
                s[i + ob] = xr
                s[i + ob + 1] = xi
            }
        }
    }
}
