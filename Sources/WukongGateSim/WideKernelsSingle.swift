// AVX-width kernels for complex float: one SIMD8<Float> holds a "quad", the four consecutive
// amplitudes 4g…4g+3 (re₀, im₀, …, re₃, im₃), so every complex multiply-add is two fused
// multiply-adds on eight lanes — twice the amplitudes per instruction of the double kernels.
// Targets ≥ 2 leave the four amplitudes of a quad independent (they differ only in bits 0 and 1),
// and the quad is the unit of work. Targets 0 and 1 are handled inside the quad by lane
// permutations: the output lane l reads, for each value t of the low target bits, the lane of l
// with those bits replaced by t, times a per-lane coefficient. With that one device a single
// general kernel covers every dense gate, diagonal and controlled gate at every position; the
// hot shapes (one qubit ≥ 2, two qubits ≥ 2, SWAP ≥ 2) have unrolled versions.
// Reference for all of them: ReferenceStateVector (double), compared in SinglePrecisionTests.
import Numerics
import WukongCircuits

/// Complex coefficients for the four amplitudes of a quad, prepared for packed multiplication:
/// re = (aᵣ, aᵣ) per amplitude, im = (−aᵢ, aᵢ), so a·x = re ⊙ x + im ⊙ swapPairs(x).
struct QuadComplex: Sendable {
    var re: SIMD8<Float>
    var im: SIMD8<Float>

    /// The same coefficient for every amplitude.
    init(uniform a: Complex<Double>) {
        let r = Float(a.real), i = Float(a.imaginary)
        re = SIMD8(repeating: r)
        im = SIMD8(-i, i, -i, i, -i, i, -i, i)
    }

    /// Coefficient `lanes[l]` for amplitude l of the quad (four entries).
    init(lanes: [Complex<Double>]) {
        precondition(lanes.count == 4)
        re = SIMD8(repeating: 0)
        im = SIMD8(repeating: 0)
        for l in 0..<4 {
            let r = Float(lanes[l].real), i = Float(lanes[l].imaginary)
            re[2 * l] = r
            re[2 * l + 1] = r
            im[2 * l] = -i
            im[2 * l + 1] = i
        }
    }

    /// acc + self·x, with xs = swapPairs8(x): two fused multiply-adds.
    @inline(__always)
    func accumulate(_ acc: SIMD8<Float>, _ x: SIMD8<Float>, _ xs: SIMD8<Float>) -> SIMD8<Float> {
        acc.addingProduct(re, x).addingProduct(im, xs)
    }

    /// self·x.
    @inline(__always)
    func times(_ x: SIMD8<Float>, _ xs: SIMD8<Float>) -> SIMD8<Float> {
        (re * x).addingProduct(im, xs)
    }
}

/// Swaps re and im within each of the four complex numbers.
@inline(__always)
func swapPairs8(_ x: SIMD8<Float>) -> SIMD8<Float> { SIMD8(x[1], x[0], x[3], x[2], x[5], x[4], x[7], x[6]) }

/// The quad whose amplitude lanes read lanes (a, b, c, d) of `v` (constant arguments fold into
/// one shuffle).
@inline(__always)
func permuteQuad(_ v: SIMD8<Float>, _ a: Int, _ b: Int, _ c: Int, _ d: Int) -> SIMD8<Float> {
    SIMD8(v[2 * a], v[2 * a + 1], v[2 * b], v[2 * b + 1], v[2 * c], v[2 * c + 1], v[2 * d], v[2 * d + 1])
}

/// The lane choices of a quad for low-target mode 1 (position 0), 2 (position 1) or 3 (both):
/// element t reads, in every lane l, lane l with the low target bits set to t (unused: v).
@inline(__always)
func quadLanes(_ v: SIMD8<Float>, _ mode: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
    switch mode {
    case 1: return (permuteQuad(v, 0, 0, 2, 2), permuteQuad(v, 1, 1, 3, 3), v, v)
    case 2: return (permuteQuad(v, 0, 1, 0, 1), permuteQuad(v, 2, 3, 2, 3), v, v)
    default: return (permuteQuad(v, 0, 0, 0, 0), permuteQuad(v, 1, 1, 1, 1),
                     permuteQuad(v, 2, 2, 2, 2), permuteQuad(v, 3, 3, 3, 3))
    }
}

/// Loads amplitudes i…i+3 (interleaved float storage).
@inline(__always)
func loadQuad(_ base: UnsafeMutableRawPointer, _ i: Int) -> SIMD8<Float> {
    UnsafeRawPointer(base).loadUnaligned(fromByteOffset: 8 * i, as: SIMD8<Float>.self)
}

/// Stores amplitudes i…i+3.
@inline(__always)
func storeQuad(_ base: UnsafeMutableRawPointer, _ i: Int, _ x: SIMD8<Float>) {
    base.storeBytes(of: x, toByteOffset: 8 * i, as: SIMD8<Float>.self)
}

/// A dense operation laid out for the quad kernels: matrix `m` on `qubits` (any positions), on
/// the subspace where the positions of `fixed` (all ≥ 2) hold their values.
///
/// Operands at positions ≥ 2 ("high") index quads: high index h (operand order, most
/// significant first) is the quad at offset `offsets[h]`. Operands at positions 0 and 1 ("low",
/// at most two) index lanes: `lowMode` is 0 (none), 1 (position 0), 2 (position 1) or 3 (both),
/// and t (bit i = the bit of the i-th low position, ascending) names the lane permutation.
/// `coefficients[(r·D + c)·T + t]` (D = 2^highs, T = 2^lows) holds, for each output lane l,
/// m[row(r, l), column(c, t)].
struct QuadLayout {
    let highCount: Int
    let lowMode: Int
    let offsets: [Int]
    let coefficients: [QuadComplex]
    /// Amplitude-index positions (≥ 2) at which zero bits are inserted to enumerate blocks.
    let blockPositions: [Int]
    /// Amplitude-index bits of the fixed positions.
    let pattern: Int

    init(_ m: GateMatrix, on qubits: [Int], fixed: [(position: Int, value: Int)] = []) {
        let k = qubits.count
        precondition(m.qubitCount == k)
        let highOps = qubits.indices.filter { qubits[$0] >= 2 }
        let lowOps = qubits.indices.filter { qubits[$0] < 2 }.sorted { qubits[$0] < qubits[$1] }
        let lowPositions = lowOps.map { qubits[$0] }
        highCount = highOps.count
        lowMode = lowPositions.reduce(0) { $0 | (1 << $1) }
        let d = 1 << highOps.count, t = 1 << lowOps.count
        /// Matrix index of high index h and low operand bits `low` (bit i ↔ lowOps[i]).
        func matrixIndex(_ h: Int, _ low: Int) -> Int {
            var idx = 0
            for (i, j) in highOps.enumerated() where (h >> (highOps.count - 1 - i)) & 1 == 1 { idx |= 1 << (k - 1 - j) }
            for (i, j) in lowOps.enumerated() where (low >> i) & 1 == 1 { idx |= 1 << (k - 1 - j) }
            return idx
        }
        offsets = (0..<d).map { h in
            var o = 0
            for (i, j) in highOps.enumerated() where (h >> (highOps.count - 1 - i)) & 1 == 1 { o |= 1 << qubits[j] }
            return o
        }
        var coefficients: [QuadComplex] = []
        coefficients.reserveCapacity(d * d * t)
        for r in 0..<d {
            for c in 0..<d {
                for tv in 0..<t {
                    let lanes = (0..<4).map { l -> Complex<Double> in
                        var rowLow = 0
                        for (i, p) in lowPositions.enumerated() where (l >> p) & 1 == 1 { rowLow |= 1 << i }
                        return m[matrixIndex(r, rowLow), matrixIndex(c, tv)]
                    }
                    coefficients.append(QuadComplex(lanes: lanes))
                }
            }
        }
        self.coefficients = coefficients
        for f in fixed { precondition(f.position >= 2 && (f.value == 0 || f.value == 1), "fixed bits must be at positions ≥ 2") }
        blockPositions = highOps.map { qubits[$0] } + fixed.map(\.position)
        pattern = fixed.reduce(0) { $0 | ($1.value << $1.position) }
    }
}

extension StateVectorSingle {
    /// Any dense k ≤ 5 gate (optionally restricted to fixed high bits) through lane permutations;
    /// needs n ≥ 2.
    /// - Complexity: O(2ⁿ·2ᵏ) complex multiply-adds, four amplitudes per vector operation.
    func applyQuadGeneral(_ layout: QuadLayout) {
        precondition(qubitCount >= 2)
        if applyQuadSmall(layout) { return }
        let d = 1 << layout.highCount, mode = layout.lowMode
        let t = [1, 2, 2, 4][mode]
        let width = d * t
        precondition(width >= 2 && width % 2 == 0)
        let inserter = ZeroBitInserter(positions: layout.blockPositions.map { $0 - 2 })
        let blocks = (count >> 2) >> layout.blockPositions.count
        let pattern = layout.pattern
        let p = SendablePointer(base: data)
        let box = UncheckedBox(layout)
        parallelChunks(count: blocks, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            let x = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 2 * width)
            defer { x.deallocate() }
            let xs = x + width
            box.value.coefficients.withUnsafeBufferPointer { u in
            box.value.offsets.withUnsafeBufferPointer { off in
            inserter.lowMasks.withUnsafeBufferPointer { masks in
                for blk in start..<end {
                    let base = 4 * ZeroBitInserter.insert(blk, masks) | pattern
                    for c in 0..<d {
                        let v = loadQuad(s, base + off[c])
                        switch mode {
                        case 0:
                            x[c] = v
                        case 1:
                            x[2 * c] = permuteQuad(v, 0, 0, 2, 2)
                            x[2 * c + 1] = permuteQuad(v, 1, 1, 3, 3)
                        case 2:
                            x[2 * c] = permuteQuad(v, 0, 1, 0, 1)
                            x[2 * c + 1] = permuteQuad(v, 2, 3, 2, 3)
                        default:
                            x[4 * c] = permuteQuad(v, 0, 0, 0, 0)
                            x[4 * c + 1] = permuteQuad(v, 1, 1, 1, 1)
                            x[4 * c + 2] = permuteQuad(v, 2, 2, 2, 2)
                            x[4 * c + 3] = permuteQuad(v, 3, 3, 3, 3)
                        }
                    }
                    for j in 0..<width { xs[j] = swapPairs8(x[j]) }
                    // Four independent FMA chains (re and im parts, even and odd columns): one
                    // chain would wait on the FMA latency at every step. width is even (≥ 2).
                    for r in 0..<d {
                        let row = r * width
                        var a0 = SIMD8<Float>(repeating: 0), a1 = a0, b0 = a0, b1 = a0
                        var j = 0
                        while j < width {
                            let u0 = u[row + j], u1 = u[row + j + 1]
                            a0 = a0.addingProduct(u0.re, x[j])
                            b0 = b0.addingProduct(u0.im, xs[j])
                            a1 = a1.addingProduct(u1.re, x[j + 1])
                            b1 = b1.addingProduct(u1.im, xs[j + 1])
                            j += 2
                        }
                        storeQuad(s, base + off[r], (a0 + a1) + (b0 + b1))
                    }
                }
            }
            }
            }
        }
    }

    /// The general kernel's frequent small shapes with the lanes in registers: at most one high
    /// target and at least one low target (gates touching qubits 0 and 1), no fixed bits.
    /// Returns false when the layout is not one of them.
    private func applyQuadSmall(_ layout: QuadLayout) -> Bool {
        let mode = layout.lowMode
        guard layout.highCount <= 1, mode != 0, layout.blockPositions.count == layout.highCount else { return false }
        let u = layout.coefficients
        let p = SendablePointer(base: data)
        if layout.highCount == 0 {
            // One quad per step: Σ_t c_t ⊙ lanes_t(v), t < 2 or 4.
            let four = mode == 3
            let c0 = u[0], c1 = u[1], c2 = four ? u[2] : u[0], c3 = four ? u[3] : u[0]
            parallelChunks(count: count >> 2, threads: threads) { lo, hi in
                let s = UnsafeMutableRawPointer(p.base)
                for g in lo..<hi {
                    let (y0, y1, y2, y3) = quadLanes(loadQuad(s, 4 * g), mode)
                    let a = c0.times(y0, swapPairs8(y0)), b = c1.times(y1, swapPairs8(y1))
                    if four {
                        storeQuad(s, 4 * g, c2.accumulate(a, y2, swapPairs8(y2)) + c3.accumulate(b, y3, swapPairs8(y3)))
                    } else {
                        storeQuad(s, 4 * g, a + b)
                    }
                }
            }
            return true
        }
        guard mode != 3 else { return false }
        // One high target h and one low: quads i and i + 2^h, two lane choices each.
        let h = layout.offsets[1].trailingZeroBitCount
        let stride = layout.offsets[1]
        let (u0, u1, u2, u3, u4, u5, u6, u7) = (u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7])
        parallelChunks(count: count >> 3, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            forEachPairIndex(lo, hi, bit: h - 2) { g in
                let i = 4 * g, j = i + stride
                let (a0, a1, _, _) = quadLanes(loadQuad(s, i), mode), (b0, b1, _, _) = quadLanes(loadQuad(s, j), mode)
                let sa0 = swapPairs8(a0), sa1 = swapPairs8(a1), sb0 = swapPairs8(b0), sb1 = swapPairs8(b1)
                storeQuad(s, i, u0.accumulate(u1.times(a1, sa1), a0, sa0) + u2.accumulate(u3.times(b1, sb1), b0, sb0))
                storeQuad(s, j, u4.accumulate(u5.times(a1, sa1), a0, sa0) + u6.accumulate(u7.times(b1, sb1), b0, sb0))
            }
        }
        return true
    }

    /// A 2×2 matrix on q ≥ 2, on the subspace where the `fixed` positions (≥ 2) hold their
    /// values (controls): two quads per step.
    func applyOneQubitQuad(_ matrix: GateMatrix, on q: Int, fixed: [(position: Int, value: Int)] = []) {
        precondition(q >= 2)
        let (m00, m01, m10, m11) = (QuadComplex(uniform: matrix[0, 0]), QuadComplex(uniform: matrix[0, 1]),
                                    QuadComplex(uniform: matrix[1, 0]), QuadComplex(uniform: matrix[1, 1]))
        let p = SendablePointer(base: data)
        let stride = 1 << q
        let pairs = (count >> 3) >> fixed.count
        if fixed.isEmpty {
            parallelChunks(count: pairs, threads: threads) { lo, hi in
                let s = UnsafeMutableRawPointer(p.base)
                forEachPairIndex(lo, hi, bit: q - 2) { g in
                    let i = 4 * g, j = i + stride
                    let x = loadQuad(s, i), y = loadQuad(s, j)
                    let xs = swapPairs8(x), ys = swapPairs8(y)
                    storeQuad(s, i, m01.accumulate(m00.times(x, xs), y, ys))
                    storeQuad(s, j, m11.accumulate(m10.times(x, xs), y, ys))
                }
            }
            return
        }
        let inserter = ZeroBitInserter(positions: ([q] + fixed.map(\.position)).map { $0 - 2 })
        let pattern = fixed.reduce(0) { $0 | ($1.value << $1.position) }
        parallelChunks(count: pairs, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            inserter.lowMasks.withUnsafeBufferPointer { masks in
                for k in lo..<hi {
                    let i = 4 * ZeroBitInserter.insert(k, masks) | pattern, j = i + stride
                    let x = loadQuad(s, i), y = loadQuad(s, j)
                    let xs = swapPairs8(x), ys = swapPairs8(y)
                    storeQuad(s, i, m01.accumulate(m00.times(x, xs), y, ys))
                    storeQuad(s, j, m11.accumulate(m10.times(x, xs), y, ys))
                }
            }
        }
    }

    /// A 4×4 matrix on two qubits ≥ 2 (`first` = most significant matrix bit), unrolled.
    func applyTwoQubitQuad(_ matrix: GateMatrix, _ first: Int, _ second: Int) {
        let lo = min(first, second), hi = max(first, second)
        precondition(lo >= 2)
        let o1 = 1 << second, o2 = 1 << first, o3 = o1 + o2
        let u = matrix.elements.map { QuadComplex(uniform: $0) }
        let p = SendablePointer(base: data)
        let box = UncheckedBox(u)
        parallelChunks(count: count >> 4, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            box.value.withUnsafeBufferPointer { u in
                for k in start..<end {
                    let i = 4 * insertZeroBit(insertZeroBit(k, at: lo - 2), at: hi - 2)
                    let x0 = loadQuad(s, i), x1 = loadQuad(s, i + o1)
                    let x2 = loadQuad(s, i + o2), x3 = loadQuad(s, i + o3)
                    let s0 = swapPairs8(x0), s1 = swapPairs8(x1), s2 = swapPairs8(x2), s3 = swapPairs8(x3)
                    @inline(__always) func row(_ r: Int) -> SIMD8<Float> {
                        let a = u[4 * r].times(x0, s0)
                        let b = u[4 * r + 1].accumulate(a, x1, s1)
                        let c = u[4 * r + 2].accumulate(b, x2, s2)
                        return u[4 * r + 3].accumulate(c, x3, s3)
                    }
                    let y0 = row(0), y1 = row(1), y2 = row(2), y3 = row(3)
                    storeQuad(s, i, y0)
                    storeQuad(s, i + o1, y1)
                    storeQuad(s, i + o2, y2)
                    storeQuad(s, i + o3, y3)
                }
            }
        }
    }

    /// ψᵢ ← d_{b(i)} ψᵢ at any positions, streamed in order: per-lane coefficients for targets 0/1,
    /// one table entry per value of the targets ≥ 2, looked up once per run of quads that share it
    /// (up to the lowest target ≥ 2); runs whose four coefficients are exactly 1 (the untouched part
    /// of a phase or controlled phase) are skipped unread. Needs n ≥ 2.
    /// - Complexity: O(2ⁿ), at most one complex multiply per amplitude, one in-order pass.
    func applyDiagonalQuad(_ diagonal: [Complex<Double>], on qubits: [Int]) {
        precondition(qubitCount >= 2)
        let k = qubits.count
        let highOps = qubits.indices.filter { qubits[$0] >= 2 }
        let lowOps = qubits.indices.filter { qubits[$0] < 2 }
        let m = highOps.count
        var table: [QuadComplex] = [], identity: [Bool] = []
        for h in 0..<(1 << m) {
            var idx = 0
            for (i, j) in highOps.enumerated() where (h >> (m - 1 - i)) & 1 == 1 { idx |= 1 << (k - 1 - j) }
            let lanes = (0..<4).map { l in
                var full = idx
                for j in lowOps where (l >> qubits[j]) & 1 == 1 { full |= 1 << (k - 1 - j) }
                return diagonal[full]
            }
            identity.append(lanes.allSatisfy { $0 == .one })
            table.append(QuadComplex(lanes: lanes))
        }
        let positions = highOps.map { qubits[$0] }
        let lowest = positions.min() ?? qubitCount
        if lowest <= 4, let top = positions.max(), top <= 10 {
            // Short runs, all targets low: the quad coefficients repeat every 2^(top−1) quads; stream
            // that period's table (≤ 512 entries, 32 KiB) beside the state (as the double kernel does).
            let periodQuads = 1 << (top - 1)
            let period = periodicCoefficients(table, positions: positions, periodVectors: periodQuads, amplitudesPerVector: 4)
            let blocks = count / (4 * periodQuads)
            let p = SendablePointer(base: data)
            let box = UncheckedBox(period)
            parallelChunks(count: blocks, threads: threads) { start, end in
                let s = UnsafeMutableRawPointer(p.base)
                box.value.withUnsafeBufferPointer { c in
                    for b in start..<end {
                        let first = 4 * b * periodQuads
                        for j in 0..<periodQuads {
                            let x = loadQuad(s, first + 4 * j)
                            storeQuad(s, first + 4 * j, c[j].times(x, swapPairs8(x)))
                        }
                    }
                }
            }
            return
        }
        let runQuads = min(1 << (lowest - 2), 4096, count / 4)
        let runs = count / (4 * runQuads)
        let runShift = (4 * runQuads).trailingZeroBitCount
        let p = SendablePointer(base: data)
        let box = UncheckedBox((table, identity, positions))
        parallelChunks(count: runs, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            box.value.0.withUnsafeBufferPointer { u in
            box.value.1.withUnsafeBufferPointer { one in
            box.value.2.withUnsafeBufferPointer { pos in
                for r in start..<end {
                    let first = r << runShift               // amplitude index of the run's start
                    var t = 0
                    for q in pos { t = (t << 1) | ((first >> q) & 1) }
                    if one[t] { continue }
                    let a = u[t]
                    for i in stride(from: first, to: first + 4 * runQuads, by: 4) {
                        let x = loadQuad(s, i)
                        storeQuad(s, i, a.times(x, swapPairs8(x)))
                    }
                }
            }}}
        }
    }

    /// SWAP of two qubits ≥ 2: quad moves, no arithmetic.
    func applySwapQuad(_ a: Int, _ b: Int) {
        let lo = min(a, b), hi = max(a, b)
        precondition(lo >= 2)
        let oa = 1 << a, ob = 1 << b
        let p = SendablePointer(base: data)
        parallelChunks(count: count >> 4, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            for k in start..<end {
                let i = 4 * insertZeroBit(insertZeroBit(k, at: lo - 2), at: hi - 2)
                let x = loadQuad(s, i + oa)
                storeQuad(s, i + oa, loadQuad(s, i + ob))
                storeQuad(s, i + ob, x)
            }
        }
    }

    /// Multiplies every amplitude by z.
    func scale(by z: Complex<Double>) {
        let p = SendablePointer(base: data)
        if count < 4 {
            for i in 0..<count {
                let xr = data[2 * i], xi = data[2 * i + 1]
                data[2 * i] = Float(z.real) * xr - Float(z.imaginary) * xi
                data[2 * i + 1] = Float(z.real) * xi + Float(z.imaginary) * xr
            }
            return
        }
        let a = QuadComplex(uniform: z)
        parallelChunks(count: count >> 2, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            for g in lo..<hi {
                let x = loadQuad(s, 4 * g)
                storeQuad(s, 4 * g, a.times(x, swapPairs8(x)))
            }
        }
    }
}
