// Static spectrum of a model by exact diagonalization: dressed energies labelled by the bare state
// they overlap most, and the static ZZ between two qubits, ζ = E₁₁ − E₁₀ − E₀₁ + E₀₀.
import Numerics

extension SubsystemModel {
    /// Dressed energies (GHz, E/2π) of the lab static Hamiltonian at extra fluxes, indexed by the bare
    /// basis state each eigenstate overlaps most (greedy assignment in decreasing overlap, so every
    /// bare label gets exactly one eigenstate).
    /// - Complexity: O(n³) for the eigen-decomposition plus O(n² log n) for the labelling.
    public func dressedEnergiesGHz(extraFluxPhi0: [Double]? = nil) -> [Double] {
        let eig = HermitianEigen(staticHamiltonian(extraFluxPhi0: extraFluxPhi0))
        let n = dimension
        var pairs: [(overlap: Double, bare: Int, dressed: Int)] = []
        pairs.reserveCapacity(n * n)
        for bare in 0..<n { for k in 0..<n { pairs.append((eig.vectors[bare, k].lengthSquared, bare, k)) } }
        pairs.sort { $0.overlap > $1.overlap }
        var energy = [Double](repeating: .nan, count: n)
        var used = [Bool](repeating: false, count: n)
        for p in pairs where energy[p.bare].isNaN && !used[p.dressed] {
            energy[p.bare] = eig.values[p.dressed] / (2 * .pi)
            used[p.dressed] = true
        }
        return energy
    }

    /// Static ZZ between qubit modes a and b, ζ/2π = E₁₁ − E₁₀ − E₀₁ + E₀₀ (GHz, other modes in |0⟩),
    /// from exact diagonalization. Negative ζ: the |11⟩ level lies below the sum of single excitations.
    public func staticZZGHz(qubit a: Int, _ b: Int, extraFluxPhi0: [Double]? = nil) -> Double {
        let e = dressedEnergiesGHz(extraFluxPhi0: extraFluxPhi0)
        func idx(_ na: Int, _ nb: Int) -> Int {
            var n = [Int](repeating: 0, count: elements.count)
            n[a] = na
            n[b] = nb
            return basisIndex(n)
        }
        return e[idx(1, 1)] - e[idx(1, 0)] - e[idx(0, 1)] + e[idx(0, 0)]
    }
}
