// Operators on a SubsystemModel's Hilbert space: ladder and number operators, and the lab-frame
// static Hamiltonian (Duffing modes + couplings) at given fluxes. All Hamiltonians are angular
// (rad/ns): every GHz figure is multiplied by 2π here and nowhere else.
import Numerics

extension SubsystemModel {
    /// The lowering operator b_k of mode k: ⟨m − strideₖ| b_k |m⟩ = √nₖ(m).
    /// - Complexity: O(dimension²) memory (dense).
    public func lowering(mode k: Int) -> ComplexMatrix {
        var b = ComplexMatrix(rows: dimension, cols: dimension)
        for m in 0..<dimension {
            let n = occupation(m, mode: k)
            if n > 0 { b.re[(m - strides[k]) * dimension + m] = Double(n).squareRoot() }
        }
        return b
    }

    /// The number operator b_k†b_k of mode k (diagonal).
    public func number(mode k: Int) -> ComplexMatrix {
        .diagonal((0..<dimension).map { Double(occupation($0, mode: k)) })
    }

    /// The coupling part of the static Hamiltonian (rad/ns): Σ 2π·g·(b₁ + b₁†)(b₂ + b₂†) for `.full`,
    /// Σ 2π·g·(b₁†b₂ + b₁b₂†) for `.rotatingWave`. Flux-independent (g is taken constant).
    public func couplingHamiltonian() -> ComplexMatrix {
        var h = ComplexMatrix(rows: dimension, cols: dimension)
        for c in couplings {
            let g = 2 * Double.pi * c.strengthGHz
            let (j, k) = (c.first, c.second)
            for m in 0..<dimension {
                let nj = occupation(m, mode: j), nk = occupation(m, mode: k)
                // Each term maps |m⟩ to |m + dj·strideⱼ + dk·strideₖ⟩ with amplitude from the ladder factors.
                for dj in [-1, 1] {
                    for dk in [-1, 1] {
                        let conserving = dj != dk
                        if couplingForm == .rotatingWave && !conserving { continue }
                        let newJ = nj + dj, newK = nk + dk
                        guard newJ >= 0, newJ < levels[j], newK >= 0, newK < levels[k] else { continue }
                        let fj = Double(dj > 0 ? newJ : nj).squareRoot()
                        let fk = Double(dk > 0 ? newK : nk).squareRoot()
                        let target = m + dj * strides[j] + dk * strides[k]
                        h.re[target * dimension + m] += g * fj * fk
                    }
                }
            }
        }
        return h
    }

    /// Diagonal of the Duffing part, Σₖ [ωₖ nₖ + (αₖ/2) nₖ(nₖ − 1)] with ωₖ = 2π·f01ₖ(Φₖ), αₖ = 2π·αₖ/GHz,
    /// at the model's static flux offsets plus `extraFluxPhi0`, rad/ns.
    public func duffingDiagonal(extraFluxPhi0: [Double]? = nil) -> [Double] {
        let f = frequenciesGHz(extraFluxPhi0: extraFluxPhi0)
        let twoPi = 2 * Double.pi
        return (0..<dimension).map { m in
            var e = 0.0
            for k in elements.indices {
                let n = Double(occupation(m, mode: k))
                e += twoPi * f[k] * n + twoPi * elements[k].anharmonicityGHz / 2 * n * (n - 1)
            }
            return e
        }
    }

    /// The lab-frame static Hamiltonian H₀ = Duffing diagonal + couplings, rad/ns.
    public func staticHamiltonian(extraFluxPhi0: [Double]? = nil) -> ComplexMatrix {
        var h = couplingHamiltonian()
        let d = duffingDiagonal(extraFluxPhi0: extraFluxPhi0)
        for m in 0..<dimension { h.re[m * dimension + m] += d[m] }
        return h
    }

    /// Populations of each level of mode k from basis-state populations: P(nₖ = l) = Σ_{m: nₖ(m)=l} pₘ.
    public func levelPopulations(_ basisPopulations: [Double], mode k: Int) -> [Double] {
        var p = [Double](repeating: 0, count: levels[k])
        for m in 0..<dimension { p[occupation(m, mode: k)] += basisPopulations[m] }
        return p
    }

    /// The ground state |0…0⟩ as a state vector.
    public var groundState: [Complex<Double>] {
        var v = [Complex<Double>](repeating: .zero, count: dimension)
        v[0] = .one
        return v
    }

    /// The basis state with the given occupations as a state vector.
    public func basisState(_ n: [Int]) -> [Complex<Double>] {
        var v = [Complex<Double>](repeating: .zero, count: dimension)
        v[basisIndex(n)] = .one
        return v
    }
}
