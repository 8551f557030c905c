// Pauli operators acting between two states: |out⟩ = H|ψ⟩ for a Pauli sum (the adjoint method's
// starting co-state) and the matrix element ⟨λ|P|ψ⟩ (its per-parameter read-out), without copies.
import Numerics

extension StateVector {
    /// Sets this state to `H·source` for `H = Σₖ cₖ Pₖ` (the result is not normalised).
    ///
    /// With f = xMask, z = zMask, m = #Y: `P|j⟩ = i^m (−1)^{popcount(j∧z)} |j⊕f⟩`, hence
    /// `(Pψ)ᵢ = i^m (−1)^{popcount((i⊕f)∧z)} ψ_{i⊕f}`; each term is one read of `source` and one
    /// read-modify-write of this state.
    ///
    /// Reference: `ReferenceStateVector.pauliMatrix(_:qubitCount:)` times the amplitude vector.
    /// - Complexity: O(T·2ⁿ) for T terms, threaded.
    public func setToProduct(of sum: PauliSum, with source: StateVector) {
        precondition(source.qubitCount == qubitCount, "qubit counts differ")
        precondition(source !== self, "the product needs a separate output state")
        let out = SendablePointer(base: data), src = SendablePointer(base: source.data)
        parallelChunks(count: 2 * count, threads: threads) { lo, hi in
            for k in lo..<hi { out.base[k] = 0 }
        }
        for term in sum.terms {
            let pauli = term.pauli
            precondition(pauli.span <= qubitCount, "Pauli string \(pauli) is longer than the register")
            let f = pauli.xMask, z = pauli.zMask
            // c·i^m as a complex number (cr, ci).
            let c = term.coefficient
            let (cr, ci): (Double, Double)
            switch pauli.yCount & 3 {
            case 0: (cr, ci) = (c, 0)
            case 1: (cr, ci) = (0, c)
            case 2: (cr, ci) = (-c, 0)
            default: (cr, ci) = (0, -c)
            }
            parallelChunks(count: count, threads: threads) { lo, hi in
                let o = out.base, s = src.base
                for i in lo..<hi {
                    let j = i ^ f
                    let sign = Double(1 - 2 * ((j & z).nonzeroBitCount & 1))
                    let sr = sign * s[2 * j], si = sign * s[2 * j + 1]
                    o[2 * i] += cr * sr - ci * si
                    o[2 * i + 1] += cr * si + ci * sr
                }
            }
        }
    }

    /// The matrix element `⟨self|P|ket⟩ = i^m Σᵢ conj(selfᵢ) (−1)^{popcount((i⊕f)∧z)} ket_{i⊕f}`.
    ///
    /// The adjoint gradient of a gate `U = exp(−iθG)` with `G = Σ aₖPₖ` needs
    /// `2 Re⟨λ|∂U/∂θ|φ⟩ = 2 Σ aₖ Im⟨λ|Pₖ|Uφ⟩`: one read-only pass over two states per term.
    ///
    /// Reference: `inner(_:)` against a copy of `ket` multiplied by the dense Pauli matrix.
    /// - Complexity: O(2ⁿ), threaded; no allocation proportional to the state.
    public func matrixElement(_ pauli: PauliString, _ ket: StateVector) -> Complex<Double> {
        precondition(ket.qubitCount == qubitCount, "qubit counts differ")
        precondition(pauli.span <= qubitCount, "Pauli string \(pauli) is longer than the register")
        let f = pauli.xMask, z = pauli.zMask
        let bra = SendablePointer(base: data), k = SendablePointer(base: ket.data)
        let (sr, si) = parallelSum(count: count, threads: threads) { lo, hi in
            let a = bra.base, b = k.base
            var re = 0.0, im = 0.0
            for i in lo..<hi {
                let j = i ^ f
                let sign = Double(1 - 2 * ((j & z).nonzeroBitCount & 1))
                let ar = a[2 * i], ai = a[2 * i + 1]
                let br = b[2 * j], bi = b[2 * j + 1]
                re += sign * (ar * br + ai * bi)
                im += sign * (ar * bi - ai * br)
            }
            return (re, im)
        }
        switch pauli.yCount & 3 {
        case 0: return Complex(sr, si)
        case 1: return Complex(-si, sr)
        case 2: return Complex(-sr, -si)
        default: return Complex(si, -sr)
        }
    }

    /// Overwrites the amplitudes with those of `other` (same qubit count).
    /// - Complexity: O(2ⁿ).
    func copyAmplitudes(from other: StateVector) {
        precondition(other.qubitCount == qubitCount, "qubit counts differ")
        data.update(from: other.data, count: 2 * count)
    }

    /// Resets to |0…0⟩ without reallocating (batch workers reuse one state per worker).
    /// - Complexity: O(2ⁿ).
    func resetToZeroState() {
        data.update(repeating: 0, count: 2 * count)
        data[0] = 1
    }
}
