// Expectation values of Pauli strings and Pauli sums, computed in place: no copy of the state.
import Numerics

extension StateVector {
    /// ⟨ψ|P|ψ⟩ for a Pauli string P (real for a normalised or unnormalised ψ, since P is
    /// Hermitian).
    ///
    /// With f = xMask, z = zMask and m = #Y, `P|i⟩ = i^m (−1)^{popcount(i ∧ z)} |i ⊕ f⟩`, so
    /// `⟨ψ|P|ψ⟩ = i^m Σᵢ conj(ψ_{i⊕f}) (−1)^{popcount(i ∧ z)} ψᵢ`: one read-only pass, no
    /// branch per amplitude.
    ///
    /// Reference: `ReferenceStateVector.expectation(_:)` (dense Kronecker-product matrix).
    /// - Complexity: O(2ⁿ), threaded; no allocation proportional to the state.
    public func expectation(_ pauli: PauliString) -> Double {
        precondition(pauli.span <= qubitCount, "Pauli string \(pauli) is longer than the register")
        let (sr, si) = qubitCount >= 1 ? pairedSums(pauli) : scalarSums(pauli)
        // Multiply by i^m and keep the real part; the imaginary part is rounding error.
        switch pauli.yCount & 3 {
        case 0: return sr
        case 1: return -si
        case 2: return -sr
        default: return si
        }
    }

    /// Σᵢ conj(ψ_{i⊕f}) (−1)^{popcount(i ∧ z)} ψᵢ two amplitudes per SIMD4: amplitudes (2p, 2p+1) and
    /// their partners (2p ⊕ f', 2p+1 ⊕ f') with f' = f without bit 0, swapped within the pair when f has
    /// bit 0; the sign of the pair from one popcount, bit 0's share as a lane pattern.
    func pairedSums(_ pauli: PauliString) -> (Double, Double) {
        let f = pauli.xMask, z = pauli.zMask
        let p = SendablePointer(base: data)
        return parallelSum(count: count / 2, threads: threads) { lo, hi in
            Self.pairedSums(UnsafeMutableRawPointer(p.base), f, z, 2 * lo, 2 * hi)
        }
    }

    /// The paired sum over amplitudes lo..<hi (both even).
    @inline(__always)
    static func pairedSums(_ s: UnsafeMutableRawPointer, _ f: Int, _ z: Int, _ lo: Int, _ hi: Int)
        -> (Double, Double)
    {
        let fHigh = f & ~1, flipLow = f & 1 == 1
        let low = SIMD4<Double>(1, 1, z & 1 == 1 ? -1 : 1, z & 1 == 1 ? -1 : 1)
        let zHigh = z & ~1
        var accRe = SIMD4<Double>(), accIm = SIMD4<Double>()
        var i = lo
        // Four independent accumulator pairs over 8 amplitudes per step: one FMA chain would
        // wait on its own latency.
        if hi - lo >= 8 {
            var r1 = SIMD4<Double>(), r2 = SIMD4<Double>(), r3 = SIMD4<Double>()
            var m1 = SIMD4<Double>(), m2 = SIMD4<Double>(), m3 = SIMD4<Double>()
            while i + 8 <= hi {
                let b0 = loadPair(s, i), b1 = loadPair(s, i + 2), b2 = loadPair(s, i + 4), b3 = loadPair(s, i + 6)
                var a0 = loadPair(s, i ^ fHigh), a1 = loadPair(s, (i + 2) ^ fHigh)
                var a2 = loadPair(s, (i + 4) ^ fHigh), a3 = loadPair(s, (i + 6) ^ fHigh)
                if flipLow {
                    a0 = SIMD4(a0[2], a0[3], a0[0], a0[1]); a1 = SIMD4(a1[2], a1[3], a1[0], a1[1])
                    a2 = SIMD4(a2[2], a2[3], a2[0], a2[1]); a3 = SIMD4(a3[2], a3[3], a3[0], a3[1])
                }
                let s0 = ((i & zHigh).nonzeroBitCount & 1) == 1 ? -low : low
                let s1 = (((i + 2) & zHigh).nonzeroBitCount & 1) == 1 ? -low : low
                let s2 = (((i + 4) & zHigh).nonzeroBitCount & 1) == 1 ? -low : low
                let s3 = (((i + 6) & zHigh).nonzeroBitCount & 1) == 1 ? -low : low
                accRe = accRe.addingProduct(s0, a0 * b0); accIm = accIm.addingProduct(s0, a0 * swapPairs(b0))
                r1 = r1.addingProduct(s1, a1 * b1); m1 = m1.addingProduct(s1, a1 * swapPairs(b1))
                r2 = r2.addingProduct(s2, a2 * b2); m2 = m2.addingProduct(s2, a2 * swapPairs(b2))
                r3 = r3.addingProduct(s3, a3 * b3); m3 = m3.addingProduct(s3, a3 * swapPairs(b3))
                i += 8
            }
            accRe += (r1 + r2) + r3
            accIm += (m1 + m2) + m3
        }
        while i < hi {
            let b = loadPair(s, i)
            var a = loadPair(s, i ^ fHigh)
            if flipLow { a = SIMD4(a[2], a[3], a[0], a[1]) }
            let sign = ((i & zHigh).nonzeroBitCount & 1) == 1 ? -low : low
            // conj(a)·b: re = ar·br + ai·bi, im = ar·bi − ai·br (lane pairs summed at the end).
            accRe = accRe.addingProduct(sign, a * b)
            accIm = accIm.addingProduct(sign, a * swapPairs(b))
            i += 2
        }
        return (accRe.sum(), accIm[0] - accIm[1] + accIm[2] - accIm[3])
    }

    /// The same sum one amplitude at a time (the reference formula; used for n = 0).
    func scalarSums(_ pauli: PauliString) -> (Double, Double) {
        let f = pauli.xMask, z = pauli.zMask
        let p = SendablePointer(base: data)
        return parallelSum(count: count, threads: threads) { lo, hi in
            let s = p.base
            var re = 0.0, im = 0.0
            for i in lo..<hi {
                let j = i ^ f
                let sign = Double(1 - 2 * ((i & z).nonzeroBitCount & 1))
                let ar = s[2 * j], ai = s[2 * j + 1]
                let br = s[2 * i], bi = s[2 * i + 1]
                // conj(a)·b
                re += sign * (ar * br + ai * bi)
                im += sign * (ar * bi - ai * br)
            }
            return (re, im)
        }
    }

    /// ⟨ψ|H|ψ⟩ = Σₖ cₖ ⟨ψ|Pₖ|ψ⟩ for a weighted Pauli sum. From 2^15 amplitudes on, the terms
    /// are evaluated block by block (`PauliSumBlockPlan`: one read of the state per distinct
    /// high X mask instead of one per term); below, one pass per term.
    /// - Complexity: O(T·2ⁿ) for T terms.
    public func expectation(_ sum: PauliSum) -> Double {
        guard sum.terms.count > 1, qubitCount > Self.expectationBlockBits else { return termwiseExpectation(sum) }
        return blockedExpectation(sum, blockBits: Self.expectationBlockBits)
    }

    /// The blocked sum with blocks of 2^blockBits amplitudes (3 ≤ blockBits < n; tests use small
    /// blocks to reach every case on small registers).
    public func blockedExpectation(_ sum: PauliSum, blockBits: Int) -> Double {
        let plan = PauliSumBlockPlan(sum, qubitCount: qubitCount, blockBits: blockBits)
        let p = SendablePointer(base: data)
        return plan.evaluate(qubitCount: qubitCount, threads: threads) { f, z, lo, hi in
            Self.blockSums(UnsafeMutableRawPointer(p.base), f, z, lo, hi)
        }
    }

    /// Blocks of 2^14 amplitudes (256 KiB; a pair of them stays in L2).
    static let expectationBlockBits = 14

    /// The share of amplitudes lo..<hi in Σᵢ conj(ψ_{i⊕f}) sᵢ ψᵢ (sᵢ = (−1)^{popcount(i ∧ z)}),
    /// such that the shares of all pieces add up to the whole sum; lo..<hi is a piece of the
    /// blocked plan: a power-of-two length ≥ 8, aligned to it.
    ///
    /// - f = 0: Σ sᵢ |ψᵢ|², real.
    /// - f ≥ 2: the pair (i, j = i ⊕ f) is visited once, from the index whose bit t (f's highest)
    ///   is clear: with c = conj(ψⱼ) ψᵢ and s_j = ε sᵢ, ε = (−1)^{popcount(f ∧ z)}, the pair
    ///   contributes sᵢ (c + ε c̄), i.e. 2 sᵢ Re c (ε = 1) or 2i sᵢ Im c (ε = −1): half the
    ///   indices and one product instead of two.
    /// - f = 1 (the pair inside one SIMD register): the full formula, `pairedSums`.
    ///
    /// The sign is constant over aligned runs of 2^r amplitudes (r = lowest bit of z above bit
    /// 0; bit 0 is a lane pattern), so it is computed once per run, without a branch.
    @inline(__always)
    static func blockSums(_ s: UnsafeMutableRawPointer, _ f: Int, _ z: Int, _ lo: Int, _ hi: Int)
        -> (Double, Double)
    {
        let zHigh = z & ~1
        let zLow: Double = z & 1 == 1 ? -1 : 1
        let low = SIMD4<Double>(1, 1, zLow, zLow)
        let r = zHigh == 0 ? 62 : zHigh.trailingZeroBitCount
        if f == 0 {
            let acc = signedRuns(lo, hi, runBits: r, skipBit: 62, zHigh: zHigh) { i in
                let b = loadPair(s, i)
                return b * b
            }
            return ((low * acc).sum(), 0)
        }
        if f == 1 { return pairedSums(s, f, z, lo, hi) }
        let t = Int.bitWidth - 1 - f.leadingZeroBitCount
        let odd = (f & z).nonzeroBitCount & 1 == 1
        let fHigh = f & ~1, runBits = min(r, t)
        let acc: SIMD4<Double>
        // Re c = ar·br + ai·bi (lanes summed); Im c = ar·bi − ai·br (alternating lanes). One
        // specialised loop per (f has bit 0, ε).
        switch (f & 1 == 1, odd) {
        case (false, false):
            acc = signedRuns(lo, hi, runBits: runBits, skipBit: t, zHigh: zHigh) { i in
                loadPair(s, i ^ fHigh) * loadPair(s, i)
            }
        case (false, true):
            acc = signedRuns(lo, hi, runBits: runBits, skipBit: t, zHigh: zHigh) { i in
                loadPair(s, i ^ fHigh) * swapPairs(loadPair(s, i))
            }
        case (true, false):
            acc = signedRuns(lo, hi, runBits: runBits, skipBit: t, zHigh: zHigh) { i in
                swapHalves(loadPair(s, i ^ fHigh)) * loadPair(s, i)
            }
        case (true, true):
            acc = signedRuns(lo, hi, runBits: runBits, skipBit: t, zHigh: zHigh) { i in
                swapHalves(loadPair(s, i ^ fHigh)) * swapPairs(loadPair(s, i))
            }
        }
        let v = low * acc
        return odd ? (0, 2 * (v[0] - v[1] + v[2] - v[3])) : (2 * v.sum(), 0)
    }

    /// Σ over the amplitude pairs i (even) of lo..<hi whose bit `skipBit` is clear of
    /// (−1)^{popcount(i ∧ zHigh)} · term(i), the sign taken once per aligned run of
    /// 2^runBits amplitudes (runBits ≤ skipBit, lowest bit of zHigh ≥ runBits).
    @inline(__always)
    static func signedRuns(_ lo: Int, _ hi: Int, runBits: Int, skipBit: Int, zHigh: Int,
                           _ term: (Int) -> SIMD4<Double>) -> SIMD4<Double> {
        let length = min(1 << min(runBits, 62), hi - lo)
        var acc = SIMD4<Double>()
        if length < 8 {
            // Runs of one or two pairs: a sign (0 when bit skipBit is set) per pair, four pairs
            // per step into four accumulators.
            @inline(__always) func weight(_ i: Int) -> Double {
                Double((1 - 2 * ((i & zHigh).nonzeroBitCount & 1)) * (1 - (i >> skipBit) & 1))
            }
            var a1 = SIMD4<Double>(), a2 = SIMD4<Double>(), a3 = SIMD4<Double>()
            var i = lo
            while i < hi {
                acc = acc.addingProduct(term(i), weight(i))
                a1 = a1.addingProduct(term(i + 2), weight(i + 2))
                a2 = a2.addingProduct(term(i + 4), weight(i + 4))
                a3 = a3.addingProduct(term(i + 6), weight(i + 6))
                i += 8
            }
            return (acc + a1) + (a2 + a3)
        }
        var start = lo
        while start < hi {
            defer { start += length }
            if (start >> skipBit) & 1 == 1 { continue }
            let sign = Double(1 - 2 * ((start & zHigh).nonzeroBitCount & 1))
            var a0 = SIMD4<Double>()
            var i = start
            let end = start + length
            if length >= 8 {
                var a1 = SIMD4<Double>(), a2 = SIMD4<Double>(), a3 = SIMD4<Double>()
                while i < end {
                    a0 += term(i)
                    a1 += term(i + 2)
                    a2 += term(i + 4)
                    a3 += term(i + 6)
                    i += 8
                }
                a0 = (a0 + a1) + (a2 + a3)
            } else {
                while i < end {
                    a0 += term(i)
                    i += 2
                }
            }
            acc = acc.addingProduct(a0, sign)
        }
        return acc
    }

    /// Σₖ cₖ ⟨ψ|Pₖ|ψ⟩, one pass per term (the reference of the blocked sum).
    public func termwiseExpectation(_ sum: PauliSum) -> Double {
        sum.terms.reduce(0) { $0 + $1.coefficient * expectation($1.pauli) }
    }
}
