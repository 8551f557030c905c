// Expectation values of Pauli strings and sums on the complex-float state, accumulated in double:
// the same one-pass formula as `StateVector.expectation` (its reference, compared in the tests).
import Numerics

extension StateVectorSingle {
    /// ⟨ψ|P|ψ⟩ = i^m Σᵢ conj(ψ_{i⊕f}) (−1)^{popcount(i ∧ z)} ψᵢ (f = xMask, z = zMask, m = #Y), in
    /// float over runs of 64 quads, then in double.
    /// - Complexity: O(2ⁿ), threaded, read-only.
    public func expectation(_ pauli: PauliString) -> Double {
        precondition(pauli.span <= qubitCount, "Pauli string \(pauli) is longer than the register")
        let f = pauli.xMask, z = pauli.zMask
        let (sr, si): (Double, Double)
        if qubitCount >= 2 {
            let p = SendablePointer(base: data)
            (sr, si) = parallelSum(count: count / 4, threads: threads) { lo, hi in
                Self.quadSums(UnsafeMutableRawPointer(p.base), f, z, 4 * lo, 4 * hi)
            }
        } else {
            let p = SendablePointer(base: data)
            (sr, si) = parallelSum(count: count, threads: threads) { lo, hi in
                let s = p.base
                var re = 0.0, im = 0.0
                for k in lo..<hi {
                    let j = k ^ f
                    let sign = Double(1 - 2 * ((k & z).nonzeroBitCount & 1))
                    let ar = Double(s[2 * j]), ai = Double(s[2 * j + 1]), br = Double(s[2 * k]), bi = Double(s[2 * k + 1])
                    re += sign * (ar * br + ai * bi)
                    im += sign * (ar * bi - ai * br)
                }
                return (re, im)
            }
        }
        switch pauli.yCount & 3 {
        case 0: return sr
        case 1: return -si
        case 2: return -sr
        default: return si
        }
    }

    /// The sum over amplitudes lo..<hi (multiples of 4), four amplitudes per SIMD8: partners at
    /// quad ⊕ (f without bits 0, 1), lanes permuted by f's low bits; the quad's sign from one
    /// popcount, the low bits' share as a lane pattern. Float accumulators over at most 64 quads,
    /// then double (|ψ|² ≤ 1 per lane).
    @inline(__always)
    static func quadSums(_ s: UnsafeMutableRawPointer, _ f: Int, _ z: Int, _ lo: Int, _ hi: Int)
        -> (Double, Double)
    {
        let fHigh = f & ~3, fLow = f & 3, zHigh = z & ~3
        var pattern = SIMD8<Float>()
        for l in 0..<4 {
            let v: Float = (l & z & 3).nonzeroBitCount & 1 == 1 ? -1 : 1
            pattern[2 * l] = v
            pattern[2 * l + 1] = v
        }
        let low = pattern
        var re = 0.0, im = 0.0
        var i = lo
        while i < hi {
            let end = min(i + 256, hi)
            var accRe = SIMD8<Float>(), accIm = SIMD8<Float>()
            while i < end {
                let b = loadQuad(s, i)
                var a = loadQuad(s, i ^ fHigh)
                switch fLow {
                case 1: a = permuteQuad(a, 1, 0, 3, 2)
                case 2: a = permuteQuad(a, 2, 3, 0, 1)
                case 3: a = permuteQuad(a, 3, 2, 1, 0)
                default: break
                }
                let sign = ((i & zHigh).nonzeroBitCount & 1) == 1 ? -low : low
                accRe = accRe.addingProduct(sign, a * b)
                accIm = accIm.addingProduct(sign, a * swapPairs8(b))
                i += 4
            }
            re += Double(accRe.sum())
            im += Double(accIm[0] - accIm[1] + accIm[2] - accIm[3] + accIm[4] - accIm[5] + accIm[6] - accIm[7])
        }
        return (re, im)
    }

    /// ⟨ψ|H|ψ⟩ = Σₖ cₖ ⟨ψ|Pₖ|ψ⟩; from 2^16 amplitudes on, block by block (`PauliSumBlockPlan`),
    /// below one read-only pass per term.
    public func expectation(_ sum: PauliSum) -> Double {
        let blockBits = 15  // 256 KiB of complex float
        guard sum.terms.count > 1, qubitCount > blockBits else { return termwiseExpectation(sum) }
        return blockedExpectation(sum, blockBits: blockBits)
    }

    /// The blocked sum with blocks of 2^blockBits amplitudes (3 ≤ blockBits < n).
    public func blockedExpectation(_ sum: PauliSum, blockBits: Int) -> Double {
        let plan = PauliSumBlockPlan(sum, qubitCount: qubitCount, blockBits: blockBits)
        let p = SendablePointer(base: data)
        return plan.evaluate(qubitCount: qubitCount, threads: threads) { f, z, lo, hi in
            Self.quadSums(UnsafeMutableRawPointer(p.base), f, z, lo, hi)
        }
    }

    /// Σₖ cₖ ⟨ψ|Pₖ|ψ⟩, one pass per term (the reference of the blocked sum).
    public func termwiseExpectation(_ sum: PauliSum) -> Double {
        sum.terms.reduce(0) { $0 + $1.coefficient * expectation($1.pauli) }
    }
}
