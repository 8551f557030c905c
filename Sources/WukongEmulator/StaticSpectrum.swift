// Static spectrum of a model by exact diagonalization: dressed energies labelled by the bare state
// they overlap most, and the static ZZ between two qubits, ζ = E₁₁ − E₁₀ − E₀₁ + E₀₀.
import Numerics

extension SubsystemModel {
    /// Dressed energies (GHz, E/2π) of the lab static Hamiltonian at extra fluxes, indexed by the bare
    /// basis state each eigenstate overlaps most (greedy assignment in decreasing overlap, so every
    /// bare label gets exactly one eigenstate).
    /// - Complexity: O(n³) for the eigen-decomposition plus O(n² log n) for the labelling.
    public func dressedEnergiesGHz(extraFluxPhi0: [Double]? = nil) -> [Double] {
        let eig = HermitianEigen(householder: staticHamiltonian(extraFluxPhi0: extraFluxPhi0))
        return Self.greedyLabels(eig.vectors).map { eig.values[$0] / (2 * .pi) }
    }

    /// For each bare basis state m, the column of `vectors` (eigenvectors) labelled by it: pairs
    /// (bare, column) are taken in decreasing overlap |⟨m|v⟩|², each bare state and each column once.
    /// Zero overlaps (other symmetry sectors) are skipped, and any label left over takes the remaining
    /// columns in order, which is what the full greedy pass would do with them.
    /// - Complexity: O(p log p) for the p nonzero overlaps.
    static func greedyLabels(_ vectors: ComplexMatrix) -> [Int] {
        let n = vectors.rows
        // Fast path: when every bare state's largest-overlap column is distinct, the greedy pass picks
        // exactly those (each bare state's first pair in decreasing order is its best one, and no other
        // bare state can claim that column first), so no sort is needed.
        var best = [Int](repeating: 0, count: n)
        var claimed = [Bool](repeating: false, count: n)
        var distinct = true
        for bare in 0..<n {
            var top = -1.0
            for k in 0..<n {
                let o = vectors.re[bare * n + k] * vectors.re[bare * n + k] + vectors.im[bare * n + k] * vectors.im[bare * n + k]
                if o > top { top = o; best[bare] = k }
            }
            if claimed[best[bare]] || top <= 0 { distinct = false; break }
            claimed[best[bare]] = true
        }
        if distinct { return best }
        var pairs: [(overlap: Double, bare: Int, dressed: Int)] = []
        pairs.reserveCapacity(n * n)
        for bare in 0..<n {
            for k in 0..<n {
                let o = vectors.re[bare * n + k] * vectors.re[bare * n + k] + vectors.im[bare * n + k] * vectors.im[bare * n + k]
                if o > 0 { pairs.append((o, bare, k)) }
            }
        }
        pairs.sort { $0.overlap > $1.overlap }
        var column = [Int](repeating: -1, count: n)
        var used = [Bool](repeating: false, count: n)
        for p in pairs where column[p.bare] < 0 && !used[p.dressed] {
            column[p.bare] = p.dressed
            used[p.dressed] = true
        }
        var free = (0..<n).filter { !used[$0] }.makeIterator()
        for m in 0..<n where column[m] < 0 { column[m] = free.next()! }
        return column
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

/// Static ZZ of one model structure at many operating points (a coupler-frequency scan) without
/// per-point allocation of the decomposition: the coupling pattern is built once, each point fills
/// the reused eigen workspace (real, split into its excitation-parity blocks), and the four needed
/// dressed energies are read through the same greedy labelling as `dressedEnergiesGHz` (its fast
/// path when every bare state's best eigenvector is distinct, the full pass otherwise). Results
/// equal `staticZZGHz` up to rounding (the same decomposition; the test asserts 1e-10).
public struct StaticZZScanner: Sendable {
    public let qubitA: Int, qubitB: Int
    private let levels: [Int]
    private let couplingEntries: [(Int, Int, Double)]
    private var eig: EigenWorkspace
    private var best: [Int], claimed: [Bool]
    private let targets: (Int, Int, Int, Int)

    /// A scanner for models with the structure (levels, couplings, coupling form) of `model`.
    public init(model: SubsystemModel, qubit a: Int, _ b: Int) {
        qubitA = a
        qubitB = b
        levels = model.levels
        let n = model.dimension
        let c = model.couplingHamiltonian()
        var entries: [(Int, Int, Double)] = []
        for i in 0..<n { for j in 0..<n where c.re[i * n + j] != 0 { entries.append((i, j, c.re[i * n + j])) } }
        couplingEntries = entries
        eig = EigenWorkspace(dimension: n)
        best = Array(repeating: 0, count: n)
        claimed = Array(repeating: false, count: n)
        func idx(_ na: Int, _ nb: Int) -> Int {
            var occ = [Int](repeating: 0, count: model.elements.count)
            occ[a] = na
            occ[b] = nb
            return model.basisIndex(occ)
        }
        targets = (idx(1, 1), idx(1, 0), idx(0, 1), idx(0, 0))
    }

    /// ζ/2π = E₁₁ − E₁₀ − E₀₁ + E₀₀ (GHz) of `model` (same structure as at init) at extra fluxes.
    /// - Complexity: O(Σ block³) for the parity blocks, no allocation on the fast path.
    public mutating func zzGHz(_ model: SubsystemModel, extraFluxPhi0: [Double]? = nil) -> Double {
        precondition(model.levels == levels, "scanner built for levels \(levels), model has \(model.levels)")
        let n = eig.n
        let d = model.duffingDiagonal(extraFluxPhi0: extraFluxPhi0)
        for i in 0..<(n * n) { eig.ar[i] = 0; eig.ai[i] = 0 }
        for i in 0..<n { eig.ar[i * n + i] = d[i] }
        for (i, j, g) in couplingEntries { eig.ar[i * n + j] += g }
        eig.decomposeBlocks(real: true)
        // Greedy labelling's fast path (see `SubsystemModel.greedyLabels`).
        var distinct = true
        for k in 0..<n { claimed[k] = false }
        eig.vr.withUnsafeBufferPointer { v in
            for bare in 0..<n {
                var top = -1.0, arg = 0
                for k in 0..<n {
                    let o = v[bare * n + k] * v[bare * n + k]
                    if o > top { top = o; arg = k }
                }
                best[bare] = arg
                if claimed[arg] || top <= 0 { distinct = false; return }
                claimed[arg] = true
            }
        }
        let column: [Int]
        if distinct {
            column = best
        } else {
            column = SubsystemModel.greedyLabels(ComplexMatrix(rows: n, cols: n, re: eig.vr, im: eig.vi))
        }
        let values = eig.values, t = targets
        let zz = values[column[t.0]] - values[column[t.1]] - values[column[t.2]] + values[column[t.3]]
        return zz / (2 * .pi)
    }
}
