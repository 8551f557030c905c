// AVX-width kernels: one SIMD4<Double> holds two neighbouring amplitudes (re₀, im₀, re₁, im₁),
// so every complex multiply-add is two fused multiply-adds on four lanes — twice the work per
// instruction of the SIMD2 kernels. They apply when the lowest target qubit is ≥ 1 (then
// amplitudes i and i+1 share every target bit); the SIMD2 kernels (same files as before) remain
// for gates on qubit 0 and are the comparison the tests use, with ReferenceStateVector.
import Numerics
import WukongCircuits

/// A complex matrix entry a prepared for two amplitudes at once: re = (aᵣ ×4),
/// im = (−aᵢ, aᵢ, −aᵢ, aᵢ), so a·x = re ⊙ x + im ⊙ swapPairs(x).
struct WideComplex: Sendable {
    var re: SIMD4<Double>
    var im: SIMD4<Double>

    init(_ a: Complex<Double>) {
        re = SIMD4(repeating: a.real)
        im = SIMD4(-a.imaginary, a.imaginary, -a.imaginary, a.imaginary)
    }

    /// acc + self·x, with xs = swapPairs(x): two fused multiply-adds.
    @inline(__always)
    func accumulate(_ acc: SIMD4<Double>, _ x: SIMD4<Double>, _ xs: SIMD4<Double>) -> SIMD4<Double> {
        acc.addingProduct(re, x).addingProduct(im, xs)
    }

    /// self·x.
    @inline(__always)
    func times(_ x: SIMD4<Double>, _ xs: SIMD4<Double>) -> SIMD4<Double> {
        (re * x).addingProduct(im, xs)
    }
}

/// Swaps re and im within each of the two complex numbers.
@inline(__always)
func swapPairs(_ x: SIMD4<Double>) -> SIMD4<Double> { SIMD4(x[1], x[0], x[3], x[2]) }

/// Swaps the two complex numbers.
@inline(__always)
func swapHalves(_ x: SIMD4<Double>) -> SIMD4<Double> { SIMD4(x[2], x[3], x[0], x[1]) }

/// Loads amplitudes i and i+1.
@inline(__always)
func loadPair(_ base: UnsafeMutableRawPointer, _ i: Int) -> SIMD4<Double> {
    UnsafeRawPointer(base).loadUnaligned(fromByteOffset: 16 * i, as: SIMD4<Double>.self)
}

/// Stores amplitudes i and i+1.
@inline(__always)
func storePair(_ base: UnsafeMutableRawPointer, _ i: Int, _ x: SIMD4<Double>) {
    base.storeBytes(of: x, toByteOffset: 16 * i, as: SIMD4<Double>.self)
}

extension GateMatrix {
    /// Entries prepared for the wide kernels, row-major.
    var wide: [WideComplex] { elements.map(WideComplex.init) }
}

extension StateVector {
    /// `applyOneQubit` for q ≥ 1, two amplitude pairs per step.
    func applyOneQubitWide(_ matrix: GateMatrix, on q: Int) {
        precondition(q >= 1)
        let u = matrix.wide
        let (m00, m01, m10, m11) = (u[0], u[1], u[2], u[3])
        let p = SendablePointer(base: data)
        let stride = 1 << q
        parallelChunks(count: count >> 2, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            // Unit v ↦ index i = 2·insertZeroBit(v, q−1): even, bit q clear.
            forEachPairIndex(lo, hi, bit: q - 1) { v in
                let i = 2 * v, j = i + stride
                let x = loadPair(s, i), y = loadPair(s, j)
                let xs = swapPairs(x), ys = swapPairs(y)
                storePair(s, i, m01.accumulate(m00.times(x, xs), y, ys))
                storePair(s, j, m11.accumulate(m10.times(x, xs), y, ys))
            }
        }
    }

    /// `applyTwoQubit` when both qubits are ≥ 1, two quadruples per step.
    func applyTwoQubitWide(_ matrix: GateMatrix, _ first: Int, _ second: Int) {
        let lo = min(first, second), hi = max(first, second)
        precondition(lo >= 1)
        let o1 = 1 << second, o2 = 1 << first, o3 = o1 + o2
        let u = matrix.wide
        let p = SendablePointer(base: data)
        parallelChunks(count: count >> 3, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            u.withUnsafeBufferPointer { u in
                // Two quadruples per step share every coefficient load (32 per step, not 64): the
                // kernel was bound by loads, since 16 AVX2 registers cannot hold the 32 coefficient
                // vectors. A trailing single quadruple, if any, takes the same path with both halves equal.
                var k = start
                while k < end {
                    let k1 = min(k + 1, end - 1)
                    let i = 2 * insertZeroBit(insertZeroBit(k, at: lo - 1), at: hi - 1)
                    let j = 2 * insertZeroBit(insertZeroBit(k1, at: lo - 1), at: hi - 1)
                    let x0 = loadPair(s, i), x1 = loadPair(s, i + o1)
                    let x2 = loadPair(s, i + o2), x3 = loadPair(s, i + o3)
                    let z0 = loadPair(s, j), z1 = loadPair(s, j + o1)
                    let z2 = loadPair(s, j + o2), z3 = loadPair(s, j + o3)
                    let s0 = swapPairs(x0), s1 = swapPairs(x1), s2 = swapPairs(x2), s3 = swapPairs(x3)
                    let t0 = swapPairs(z0), t1 = swapPairs(z1), t2 = swapPairs(z2), t3 = swapPairs(z3)
                    @inline(__always) func row(_ r: Int) -> (SIMD4<Double>, SIMD4<Double>) {
                        let c0 = u[4 * r], c1 = u[4 * r + 1], c2 = u[4 * r + 2], c3 = u[4 * r + 3]
                        let a = c3.accumulate(c2.accumulate(c1.accumulate(c0.times(x0, s0), x1, s1), x2, s2), x3, s3)
                        let b = c3.accumulate(c2.accumulate(c1.accumulate(c0.times(z0, t0), z1, t1), z2, t2), z3, t3)
                        return (a, b)
                    }
                    let (y0, w0) = row(0), (y1, w1) = row(1), (y2, w2) = row(2), (y3, w3) = row(3)
                    storePair(s, i, y0)
                    storePair(s, i + o1, y1)
                    storePair(s, i + o2, y2)
                    storePair(s, i + o3, y3)
                    storePair(s, j, w0)
                    storePair(s, j + o1, w1)
                    storePair(s, j + o2, w2)
                    storePair(s, j + o3, w3)
                    k += 2
                }
            }
        }
    }

    /// `applyTwoQubit` when one qubit is 0: an amplitude pair (ψ_{…0}, ψ_{…1}) holds both values of
    /// qubit 0, so a group is two pairs P_c (c = the other qubit's bit) and output pair r is
    /// Σ_c A_rc·P_c + B_rc·H_c with H_c = P_c with its halves swapped and per-lane coefficients
    /// A_rc = (M[(r,0),(c,0)], M[(r,1),(c,1)]), B_rc = (M[(r,0),(c,1)], M[(r,1),(c,0)]) (row/column
    /// (other bit, qubit-0 bit), mapped to the matrix index by the operand order).
    /// `real`: the matrix is real, so each product is one multiply-add on the four lanes.
    func applyTwoQubitWideOnZero(_ matrix: GateMatrix, _ first: Int, _ second: Int, real: Bool = false) {
        precondition(min(first, second) == 0 && max(first, second) >= 1 && qubitCount >= 2)
        let h = max(first, second)
        func index(_ other: Int, _ zero: Int) -> Int { first == 0 ? 2 * zero + other : 2 * other + zero }
        var a: [WideComplex] = [], b: [WideComplex] = []
        for r in 0..<2 {
            for c in 0..<2 {
                a.append(WideComplex(pair: matrix[index(r, 0), index(c, 0)], matrix[index(r, 1), index(c, 1)]))
                b.append(WideComplex(pair: matrix[index(r, 0), index(c, 1)], matrix[index(r, 1), index(c, 0)]))
            }
        }
        let (a00, a01, a10, a11) = (a[0], a[1], a[2], a[3])
        let (b00, b01, b10, b11) = (b[0], b[1], b[2], b[3])
        let stride = 1 << h
        let p = SendablePointer(base: data)
        parallelChunks(count: count >> 2, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            forEachPairIndex(lo, hi, bit: h - 1) { v in
                let i = 2 * v, j = i + stride
                let p0 = loadPair(s, i), p1 = loadPair(s, j)
                let h0 = swapHalves(p0), h1 = swapHalves(p1)
                if real {
                    // Real coefficients: the re lanes of a WideComplex are (m, m, m', m').
                    storePair(s, i, (a00.re * p0).addingProduct(b00.re, h0).addingProduct(a01.re, p1).addingProduct(b01.re, h1))
                    storePair(s, j, (a10.re * p0).addingProduct(b10.re, h0).addingProduct(a11.re, p1).addingProduct(b11.re, h1))
                } else {
                    let sp0 = swapPairs(p0), sp1 = swapPairs(p1), sh0 = swapPairs(h0), sh1 = swapPairs(h1)
                    storePair(s, i, b01.accumulate(a01.accumulate(b00.accumulate(a00.times(p0, sp0), h0, sh0), p1, sp1), h1, sh1))
                    storePair(s, j, b11.accumulate(a11.accumulate(b10.accumulate(a10.times(p0, sp0), h0, sh0), p1, sp1), h1, sh1))
                }
            }
        }
    }

    /// `applyMultiQubit` (k = 3…5) when every qubit is ≥ 1, two blocks per step.
    func applyMultiQubitWide(_ matrix: GateMatrix, on qubits: [Int]) {
        let k = qubits.count
        precondition(k >= 2 && qubits.min()! >= 1)
        let dim = 1 << k
        var offsets = [Int](repeating: 0, count: dim)
        for b in 0..<dim {
            var o = 0
            for j in 0..<k where (b >> (k - 1 - j)) & 1 == 1 { o |= 1 << qubits[j] }
            offsets[b] = o
        }
        let inserter = ZeroBitInserter(positions: qubits.map { $0 - 1 })
        let m = matrix.wide
        let p = SendablePointer(base: data)
        let blockOffsets = offsets
        parallelChunks(count: count >> (k + 1), threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            let x = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: 2 * dim)
            defer { x.deallocate() }
            let xs = x + dim
            m.withUnsafeBufferPointer { u in
            blockOffsets.withUnsafeBufferPointer { off in
            inserter.lowMasks.withUnsafeBufferPointer { masks in
                for blk in start..<end {
                    let base = 2 * ZeroBitInserter.insert(blk, masks)
                    for c in 0..<dim {
                        let v = loadPair(s, base + off[c])
                        x[c] = v
                        xs[c] = swapPairs(v)
                    }
                    var r = 0
                    while r < dim {
                        var acc0 = SIMD4<Double>(repeating: 0), acc1 = acc0, acc2 = acc0, acc3 = acc0
                        let row0 = r * dim
                        for c in 0..<dim {
                            let xc = x[c], xsc = xs[c]
                            acc0 = u[row0 + c].accumulate(acc0, xc, xsc)
                            acc1 = u[row0 + dim + c].accumulate(acc1, xc, xsc)
                            acc2 = u[row0 + 2 * dim + c].accumulate(acc2, xc, xsc)
                            acc3 = u[row0 + 3 * dim + c].accumulate(acc3, xc, xsc)
                        }
                        storePair(s, base + off[r], acc0)
                        storePair(s, base + off[r + 1], acc1)
                        storePair(s, base + off[r + 2], acc2)
                        storePair(s, base + off[r + 3], acc3)
                        r += 4
                    }
                }
            }
            }
            }
        }
    }
}

extension StateVector {
    /// `applySwap` when both qubits are ≥ 1: two amplitudes per move.
    func applySwapWide(_ a: Int, _ b: Int) {
        let lo = min(a, b), hi = max(a, b)
        precondition(lo >= 1)
        let oa = 1 << a, ob = 1 << b
        let p = SendablePointer(base: data)
        parallelChunks(count: count >> 3, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            for k in start..<end {
                let i = 2 * insertZeroBit(insertZeroBit(k, at: lo - 1), at: hi - 1)
                let x = loadPair(s, i + oa)
                storePair(s, i + oa, loadPair(s, i + ob))
                storePair(s, i + ob, x)
            }
        }
    }
}
