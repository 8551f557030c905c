// Kernels for gates on two qubits: a dense 4×4 matrix, a diagonal (CZ, CP, RZZ), and SWAP
// as a pure permutation. Each visits quadruples found by inserting two zero bits.
import Numerics

extension StateVector {
    /// Applies a dense 4×4 `matrix` to the qubit pair (`first`, `second`).
    ///
    /// Ordering: `first` is the MOST significant bit of the matrix index (see `GateMatrix`), so
    /// matrix row `r = 2·b_first + b_second`; CX(control c, target t) is applied as
    /// `applyTwoQubit(cxTextbook, c, t)`. The qubits may be in either numerical order.
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)` with `[first, second]`.
    /// - Complexity: O(2ⁿ): 2ⁿ⁻² quadruples, 16 complex multiplications each, one pass.
    public func applyTwoQubit(_ matrix: GateMatrix, _ first: Int, _ second: Int) {
        precondition(matrix.qubitCount == 2, "applyTwoQubit needs a 4×4 matrix")
        checkQubits([first, second])
        let lo = min(first, second), hi = max(first, second)
        // Offsets in doubles of the four amplitudes, in matrix-index order.
        let o1 = 2 << second, o2 = 2 << first, o3 = o1 + o2
        let m = matrix.interleaved
        let p = SendablePointer(base: data)
        parallelChunks(count: count >> 2, threads: threads) { start, end in
            let s = p.base
            m.withUnsafeBufferPointer { u in
                for k in start..<end {
                    let i = 2 * insertZeroBit(insertZeroBit(k, at: lo), at: hi)
                    let x0r = s[i], x0i = s[i + 1]
                    let x1r = s[i + o1], x1i = s[i + o1 + 1]
                    let x2r = s[i + o2], x2i = s[i + o2 + 1]
                    let x3r = s[i + o3], x3i = s[i + o3 + 1]
                    // Row r of U times (x0, x1, x2, x3); u[8r + 2c] = Re U[r,c].
                    @inline(__always) func row(_ r: Int) -> (Double, Double) {
                        let b = 8 * r
                        let re = u[b] * x0r - u[b + 1] * x0i + u[b + 2] * x1r - u[b + 3] * x1i
                            + u[b + 4] * x2r - u[b + 5] * x2i + u[b + 6] * x3r - u[b + 7] * x3i
                        let im = u[b] * x0i + u[b + 1] * x0r + u[b + 2] * x1i + u[b + 3] * x1r
                            + u[b + 4] * x2i + u[b + 5] * x2r + u[b + 6] * x3i + u[b + 7] * x3r
                        return (re, im)
                    }
                    let y0 = row(0), y1 = row(1), y2 = row(2), y3 = row(3)
                    s[i] = y0.0; s[i + 1] = y0.1
                    s[i + o1] = y1.0; s[i + o1 + 1] = y1.1
                    s[i + o2] = y2.0; s[i + o2 + 1] = y2.1
                    s[i + o3] = y3.0; s[i + o3 + 1] = y3.1
                }
            }
        }
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
        let lo = min(first, second), hi = max(first, second)
        let o1 = 2 << second, o2 = 2 << first, o3 = o1 + o2
        let d = diagonal.flatMap { [$0.real, $0.imaginary] }
        let p = SendablePointer(base: data)
        parallelChunks(count: count >> 2, threads: threads) { start, end in
            let s = p.base
            d.withUnsafeBufferPointer { u in
                for k in start..<end {
                    let i = 2 * insertZeroBit(insertZeroBit(k, at: lo), at: hi)
                    @inline(__always) func mul(_ o: Int, _ r: Int) {
                        let xr = s[i + o], xi = s[i + o + 1]
                        s[i + o] = u[2 * r] * xr - u[2 * r + 1] * xi
                        s[i + o + 1] = u[2 * r] * xi + u[2 * r + 1] * xr
                    }
                    mul(0, 0); mul(o1, 1); mul(o2, 2); mul(o3, 3)
                }
            }
        }
    }

    /// Swaps qubits `a` and `b`: exchanges the amplitudes of `|…1_a…0_b…⟩` and
    /// `|…0_a…1_b…⟩`, a permutation with no arithmetic.
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)` with the SWAP matrix.
    /// - Complexity: O(2ⁿ): 2ⁿ⁻² exchanges, touching half the state.
    public func applySwap(_ a: Int, _ b: Int) {
        checkQubits([a, b])
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
