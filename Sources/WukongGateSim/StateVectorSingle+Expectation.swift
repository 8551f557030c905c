// Expectation values of Pauli strings and sums on the complex-float state, accumulated in double:
// the same one-pass formula as `StateVector.expectation` (its reference, compared in the tests).
import Numerics

extension StateVectorSingle {
    /// ⟨ψ|P|ψ⟩ = i^m Σᵢ conj(ψ_{i⊕f}) (−1)^{popcount(i ∧ z)} ψᵢ (f = xMask, z = zMask, m = #Y), summed
    /// in double per thread chunk.
    /// - Complexity: O(2ⁿ), threaded, read-only.
    public func expectation(_ pauli: PauliString) -> Double {
        precondition(pauli.span <= qubitCount, "Pauli string \(pauli) is longer than the register")
        let f = pauli.xMask, z = pauli.zMask
        let p = SendablePointer(base: data)
        let (sr, si) = parallelSum(count: count, threads: threads) { lo, hi in
            let s = p.base
            var re = 0.0, im = 0.0
            // Float products summed in float over short runs, then in double: 256 terms of |ψ|² ≤ 1
            // keep the float sums' relative error near 2⁻²⁴·8.
            var i = lo
            while i < hi {
                let end = min(i + 256, hi)
                var fr: Float = 0, fi: Float = 0
                for k in i..<end {
                    let j = k ^ f
                    let sign = Float(1 - 2 * ((k & z).nonzeroBitCount & 1))
                    let ar = s[2 * j], ai = s[2 * j + 1]
                    let br = s[2 * k], bi = s[2 * k + 1]
                    fr += sign * (ar * br + ai * bi)
                    fi += sign * (ar * bi - ai * br)
                }
                re += Double(fr)
                im += Double(fi)
                i = end
            }
            return (re, im)
        }
        switch pauli.yCount & 3 {
        case 0: return sr
        case 1: return -si
        case 2: return -sr
        default: return si
        }
    }

    /// ⟨ψ|H|ψ⟩ = Σₖ cₖ ⟨ψ|Pₖ|ψ⟩; one read-only pass per term.
    public func expectation(_ sum: PauliSum) -> Double {
        sum.terms.reduce(0) { $0 + $1.coefficient * expectation($1.pauli) }
    }
}
