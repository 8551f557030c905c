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
                for k in start..<end {
                    let i = 2 * insertZeroBit(insertZeroBit(k, at: lo - 1), at: hi - 1)
                    let x0 = loadPair(s, i), x1 = loadPair(s, i + o1)
                    let x2 = loadPair(s, i + o2), x3 = loadPair(s, i + o3)
                    let s0 = swapPairs(x0), s1 = swapPairs(x1), s2 = swapPairs(x2), s3 = swapPairs(x3)
                    @inline(__always) func row(_ r: Int) -> SIMD4<Double> {
                        let a = u[4 * r].times(x0, s0)
                        let b = u[4 * r + 1].accumulate(a, x1, s1)
                        let c = u[4 * r + 2].accumulate(b, x2, s2)
                        return u[4 * r + 3].accumulate(c, x3, s3)
                    }
                    let y0 = row(0), y1 = row(1), y2 = row(2), y3 = row(3)
                    storePair(s, i, y0)
                    storePair(s, i + o1, y1)
                    storePair(s, i + o2, y2)
                    storePair(s, i + o3, y3)
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
