// Kernels for real gate matrices (RY, H, X-free real rotations, the real halves of Euler-split
// gates, RY⊗RY·CZ blocks): a real coefficient scales re and im alike, so an output is one multiply
// and k−1 fused multiply-adds on whole amplitude pairs, with no re/im swap. Against the complex
// kernels that is 2.5× fewer vector operations for a one-qubit gate and 2.25× for a two-qubit one.
// The complex kernels (and ReferenceStateVector) are what the tests compare them against.
import Numerics
import WukongCircuits

extension GateMatrix {
    /// Whether every entry is real (imaginary part exactly 0).
    var isReal: Bool { elements.allSatisfy { $0.imaginary == 0 } }
}

extension StateVector {
    /// A real one-qubit `matrix` on qubit `q` (any q).
    /// - Complexity: O(2ⁿ): two multiply-adds per amplitude pair, one pass.
    func applyOneQubitReal(_ matrix: GateMatrix, on q: Int) {
        precondition(matrix.qubitCount == 1 && matrix.isReal, "a real one-qubit matrix")
        let (a, b, c, d) = (matrix[0, 0].real, matrix[0, 1].real, matrix[1, 0].real, matrix[1, 1].real)
        let p = SendablePointer(base: data)
        if q == 0 {
            // One SIMD4 = (ψ₂ᵥ, ψ₂ᵥ₊₁): out = (a, a, d, d)·x + (b, b, c, c)·(x with halves swapped).
            let diag = SIMD4(a, a, d, d), anti = SIMD4(b, b, c, c)
            parallelChunks(count: count >> 1, threads: threads) { lo, hi in
                let s = UnsafeMutableRawPointer(p.base)
                for v in lo..<hi {
                    let x = loadPair(s, 2 * v)
                    storePair(s, 2 * v, (diag * x).addingProduct(anti, swapHalves(x)))
                }
            }
            return
        }
        let va = SIMD4(repeating: a), vb = SIMD4(repeating: b), vc = SIMD4(repeating: c), vd = SIMD4(repeating: d)
        let stride = 1 << q
        parallelChunks(count: count >> 2, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            forEachPairIndex(lo, hi, bit: q - 1) { v in
                let i = 2 * v, j = i + stride
                let x = loadPair(s, i), y = loadPair(s, j)
                storePair(s, i, (va * x).addingProduct(vb, y))
                storePair(s, j, (vc * x).addingProduct(vd, y))
            }
        }
    }

    /// A real two-qubit `matrix` on (first, second), both ≥ 1 (`first` = most significant matrix bit).
    /// - Complexity: O(2ⁿ): 16 multiply-adds per two quadruples, one pass.
    func applyTwoQubitReal(_ matrix: GateMatrix, _ first: Int, _ second: Int) {
        precondition(matrix.qubitCount == 2 && matrix.isReal, "a real two-qubit matrix")
        let lo = min(first, second), hi = max(first, second)
        precondition(lo >= 1, "the real two-qubit kernel needs both qubits ≥ 1")
        let o1 = 1 << second, o2 = 1 << first, o3 = o1 + o2
        let u = matrix.elements.map { SIMD4<Double>(repeating: $0.real) }
        let p = SendablePointer(base: data)
        parallelChunks(count: count >> 3, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            u.withUnsafeBufferPointer { u in
                // Hoisted: 16 broadcast coefficients stay in registers (32 with AVX-512).
                let (u0, u1, u2, u3) = (u[0], u[1], u[2], u[3])
                let (u4, u5, u6, u7) = (u[4], u[5], u[6], u[7])
                let (u8, u9, u10, u11) = (u[8], u[9], u[10], u[11])
                let (u12, u13, u14, u15) = (u[12], u[13], u[14], u[15])
                for k in start..<end {
                    let i = 2 * insertZeroBit(insertZeroBit(k, at: lo - 1), at: hi - 1)
                    let x0 = loadPair(s, i), x1 = loadPair(s, i + o1)
                    let x2 = loadPair(s, i + o2), x3 = loadPair(s, i + o3)
                    storePair(s, i, (u0 * x0).addingProduct(u1, x1).addingProduct(u2, x2).addingProduct(u3, x3))
                    storePair(s, i + o1, (u4 * x0).addingProduct(u5, x1).addingProduct(u6, x2).addingProduct(u7, x3))
                    storePair(s, i + o2, (u8 * x0).addingProduct(u9, x1).addingProduct(u10, x2).addingProduct(u11, x3))
                    storePair(s, i + o3, (u12 * x0).addingProduct(u13, x1).addingProduct(u14, x2).addingProduct(u15, x3))
                }
            }
        }
    }
}

extension StateVectorSingle {
    /// A real one-qubit `matrix` on qubit q ≥ 2: four amplitudes per SIMD8, two multiply-adds each.
    func applyOneQubitQuadReal(_ matrix: GateMatrix, on q: Int) {
        precondition(q >= 2 && matrix.qubitCount == 1 && matrix.isReal, "a real one-qubit matrix on q ≥ 2")
        let (a, b) = (SIMD8<Float>(repeating: Float(matrix[0, 0].real)), SIMD8<Float>(repeating: Float(matrix[0, 1].real)))
        let (c, d) = (SIMD8<Float>(repeating: Float(matrix[1, 0].real)), SIMD8<Float>(repeating: Float(matrix[1, 1].real)))
        let p = SendablePointer(base: data)
        let stride = 1 << q
        parallelChunks(count: count >> 3, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            forEachPairIndex(lo, hi, bit: q - 2) { g in
                let i = 4 * g, j = i + stride
                let x = loadQuad(s, i), y = loadQuad(s, j)
                storeQuad(s, i, (a * x).addingProduct(b, y))
                storeQuad(s, j, (c * x).addingProduct(d, y))
            }
        }
    }

    /// A real two-qubit `matrix` on (first, second), both ≥ 2 (`first` = most significant matrix bit).
    func applyTwoQubitQuadReal(_ matrix: GateMatrix, _ first: Int, _ second: Int) {
        precondition(matrix.qubitCount == 2 && matrix.isReal, "a real two-qubit matrix")
        let lo = min(first, second), hi = max(first, second)
        precondition(lo >= 2, "the real two-qubit quad kernel needs both qubits ≥ 2")
        let o1 = 1 << second, o2 = 1 << first, o3 = o1 + o2
        let u = matrix.elements.map { SIMD8<Float>(repeating: Float($0.real)) }
        let p = SendablePointer(base: data)
        parallelChunks(count: count >> 4, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            u.withUnsafeBufferPointer { u in
                let (u0, u1, u2, u3) = (u[0], u[1], u[2], u[3])
                let (u4, u5, u6, u7) = (u[4], u[5], u[6], u[7])
                let (u8, u9, u10, u11) = (u[8], u[9], u[10], u[11])
                let (u12, u13, u14, u15) = (u[12], u[13], u[14], u[15])
                for k in start..<end {
                    let i = 4 * insertZeroBit(insertZeroBit(k, at: lo - 2), at: hi - 2)
                    let x0 = loadQuad(s, i), x1 = loadQuad(s, i + o1)
                    let x2 = loadQuad(s, i + o2), x3 = loadQuad(s, i + o3)
                    storeQuad(s, i, (u0 * x0).addingProduct(u1, x1).addingProduct(u2, x2).addingProduct(u3, x3))
                    storeQuad(s, i + o1, (u4 * x0).addingProduct(u5, x1).addingProduct(u6, x2).addingProduct(u7, x3))
                    storeQuad(s, i + o2, (u8 * x0).addingProduct(u9, x1).addingProduct(u10, x2).addingProduct(u11, x3))
                    storeQuad(s, i + o3, (u12 * x0).addingProduct(u13, x1).addingProduct(u14, x2).addingProduct(u15, x3))
                }
            }
        }
    }
}
