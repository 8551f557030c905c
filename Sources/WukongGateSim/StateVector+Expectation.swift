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
        let f = pauli.xMask, z = pauli.zMask
        let p = SendablePointer(base: data)
        let (sr, si) = parallelSum(count: count, threads: threads) { lo, hi in
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
        // Multiply by i^m and keep the real part; the imaginary part is rounding error.
        switch pauli.yCount & 3 {
        case 0: return sr
        case 1: return -si
        case 2: return -sr
        default: return si
        }
    }

    /// ⟨ψ|H|ψ⟩ = Σₖ cₖ ⟨ψ|Pₖ|ψ⟩ for a weighted Pauli sum; one read-only pass per term.
    /// - Complexity: O(T·2ⁿ) for T terms.
    public func expectation(_ sum: PauliSum) -> Double {
        sum.terms.reduce(0) { $0 + $1.coefficient * expectation($1.pauli) }
    }
}
