// Kernels for a dense k-qubit matrix (k ≤ 5), the workhorse for fused gate blocks, and a k-qubit
// diagonal; plus the `apply(_:on:)` entry point that sends each matrix to the cheapest kernel for its shape.
import Numerics
import WukongCircuits

extension StateVector {
    /// Largest k accepted by `applyMultiQubit` (a 32×32 matrix).
    public static let maxDenseQubits = 5

    /// Applies `matrix` to `qubits`, choosing the kernel by size and shape: 1 qubit → 2×2,
    /// 2 qubits → 4×4, more → k-qubit; each uses its diagonal kernel when every off-diagonal
    /// entry is exactly zero.
    /// `qubits[0]` is the most significant bit of the matrix index (see `GateMatrix`).
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)`.
    /// - Complexity: O(2ⁿ·2ᵏ) for k qubits.
    public func apply(_ matrix: GateMatrix, on qubits: [Int]) {
        precondition(matrix.qubitCount == qubits.count,
                     "a \(matrix.qubitCount)-qubit matrix cannot act on \(qubits.count) qubits")
        switch qubits.count {
        case 1:
            if matrix.isDiagonal {
                applyDiagonal(matrix[0, 0], matrix[1, 1], on: qubits[0])
            } else if matrix.elements == [.zero, .one, .one, .zero] {
                applyX(on: qubits[0])
            } else if matrix.isReal {
                applyOneQubitReal(matrix, on: qubits[0])
            } else {
                applyOneQubit(matrix, on: qubits[0])
            }
        case 2:
            if matrix.isSwap {
                applySwap(qubits[0], qubits[1])
            } else if let (control, u) = matrix.singleControl {
                // CX, CY, CH, CRX…: only the half with the control set moves.
                applyControlled(u, controls: [qubits[control]], target: qubits[1 - control])
            } else if matrix.isDiagonal {
                applyDiagonalTwoQubit(matrix.diagonalEntries, qubits[0], qubits[1])
            } else if matrix.isReal {
                if min(qubits[0], qubits[1]) >= 1 {
                    applyTwoQubitReal(matrix, qubits[0], qubits[1])
                } else {
                    applyTwoQubitWideOnZero(matrix, qubits[0], qubits[1], real: true)
                }
            } else {
                applyTwoQubit(matrix, qubits[0], qubits[1])
            }
        default:
            if matrix.isDiagonal {
                applyDiagonalMultiQubit(matrix.diagonalEntries, on: qubits)
            } else {
                applyMultiQubit(matrix, on: qubits)
            }
        }
    }

    /// Applies the diagonal k-qubit gate `diag(d₀ … d_{2ᵏ−1})` to `qubits` (k ≤ 30; `qubits[0]`
    /// is the most significant bit of the diagonal's index): ψᵢ ← d_{b(i)} ψᵢ with b(i) the
    /// bits of i on the listed qubits. Fused runs of diagonal gates (CP, CZ, RZZ, RZ chains)
    /// arrive here and cost one complex multiplication per amplitude whatever k is.
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)` with `GateMatrix.diagonal(diagonal)`.
    /// - Complexity: O(2ⁿ), one pass over memory.
    public func applyDiagonalMultiQubit(_ diagonal: [Complex<Double>], on qubits: [Int]) {
        let k = qubits.count
        precondition(k >= 1 && diagonal.count == 1 << k, "a k-qubit diagonal has 2^k entries")
        checkQubits(qubits)
        applyDiagonalStreaming(diagonal, on: qubits)
    }

    /// Applies a dense 2ᵏ×2ᵏ `matrix` to k ≤ 5 `qubits` (`qubits[0]` = most significant bit of
    /// the matrix index). For each of the 2ⁿ⁻ᵏ blocks it gathers the 2ᵏ amplitudes into a
    /// per-thread buffer, multiplies, and scatters them back.
    ///
    /// Reference: `ReferenceStateVector.apply(_:on:)`.
    /// - Complexity: O(2ⁿ·2ᵏ) complex multiplications, one pass over memory.
    public func applyMultiQubit(_ matrix: GateMatrix, on qubits: [Int]) {
        let k = qubits.count
        precondition(matrix.qubitCount == k, "matrix size does not match the qubit count")
        precondition(k >= 1 && k <= Self.maxDenseQubits, "dense kernels take 1...5 qubits")
        checkQubits(qubits)
        // The blocked loop below needs at least four rows.
        if k == 1 { return applyOneQubit(matrix, on: qubits[0]) }
        if qubits.min()! >= 1 { return applyMultiQubitWide(matrix, on: qubits) }
        let dim = 1 << k
        // offsets[b]: amplitude offset of matrix index b relative to the block's base index.
        var offsets = [Int](repeating: 0, count: dim)
        for b in 0..<dim {
            var o = 0
            for j in 0..<k where (b >> (k - 1 - j)) & 1 == 1 { o |= 1 << qubits[j] }
            offsets[b] = o
        }
        let inserter = ZeroBitInserter(positions: qubits)
        let m = matrix.packed
        let p = SendablePointer(base: data)
        let blockOffsets = offsets
        parallelChunks(count: count >> k, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            // x[c] and swap(x[c]) for the gathered block; per thread, so no sharing.
            let x = UnsafeMutablePointer<SIMD2<Double>>.allocate(capacity: 2 * dim)
            defer { x.deallocate() }
            let xs = x + dim
            m.withUnsafeBufferPointer { u in
            blockOffsets.withUnsafeBufferPointer { off in
            inserter.lowMasks.withUnsafeBufferPointer { masks in
                for blk in start..<end {
                    let base = ZeroBitInserter.insert(blk, masks)
                    for c in 0..<dim {
                        let v = loadAmplitude(s, base + off[c])
                        x[c] = v
                        xs[c] = swapped(v)
                    }
                    // Row-major dot products, four rows at a time: the lanes (re, im) accumulate
                    // independently (no horizontal reduction), and four accumulators hide the
                    // latency of the dependent additions. dim ≥ 4 here.
                    var r = 0
                    while r < dim {
                        var acc0 = SIMD2<Double>(0, 0), acc1 = acc0, acc2 = acc0, acc3 = acc0
                        let row0 = r * dim
                        for c in 0..<dim {
                            let xc = x[c], xsc = xs[c]
                            let a0 = u[row0 + c], a1 = u[row0 + dim + c]
                            let a2 = u[row0 + 2 * dim + c], a3 = u[row0 + 3 * dim + c]
                            acc0 += a0.re * xc + a0.im * xsc
                            acc1 += a1.re * xc + a1.im * xsc
                            acc2 += a2.re * xc + a2.im * xsc
                            acc3 += a3.re * xc + a3.im * xsc
                        }
                        storeAmplitude(s, base + off[r], acc0)
                        storeAmplitude(s, base + off[r + 1], acc1)
                        storeAmplitude(s, base + off[r + 2], acc2)
                        storeAmplitude(s, base + off[r + 3], acc3)
                        r += 4
                    }
                }
            }
            }
            }
        }
    }
}

extension GateMatrix {
    /// For a 4×4 matrix of the form "identity unless operand c is 1, then U on the other
    /// operand": (c, U); nil otherwise (including diagonal matrices, which have their own kernel).
    var singleControl: (control: Int, u: GateMatrix)? {
        guard dimension == 4, !isDiagonal else { return nil }
        for c in 0..<2 {
            // Indices r = 2·b₀ + b₁; the control bit of r is bit (1 − c).
            let bit = 1 - c
            let active = (0..<4).filter { ($0 >> bit) & 1 == 1 }
            var ok = true
            for r in 0..<4 where ok {
                for col in 0..<4 {
                    let rActive = (r >> bit) & 1 == 1, cActive = (col >> bit) & 1 == 1
                    if rActive && cActive { continue }
                    let expected: Complex<Double> = r == col ? .one : .zero
                    if self[r, col] != expected { ok = false; break }
                }
            }
            if ok {
                let u = GateMatrix([self[active[0], active[0]], self[active[0], active[1]],
                                    self[active[1], active[0]], self[active[1], active[1]]])
                return (c, u)
            }
        }
        return nil
    }
}
