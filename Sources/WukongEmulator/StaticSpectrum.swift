// Static spectrum of a model by exact diagonalization: dressed energies labelled by the bare state
// they overlap most, and the static ZZ between two qubits, ζ = E₁₁ − E₁₀ − E₀₁ + E₀₀.
import Dispatch
import Numerics
import Synchronization

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
/// per-point allocation of the decomposition workspaces. The excitation-parity blocks of the static
/// Hamiltonian (connected components of its coupling pattern, fixed by the structure) are found
/// once; per point each block holding one of the four needed bare states (|00⟩, |01⟩, |10⟩, |11⟩ of
/// the two qubits, other modes in |0⟩) is decomposed in its own reused workspace with the same
/// Householder–QL arithmetic as `staticZZGHz`, but only those bare states' eigenvector components
/// are carried through the QL rotations. A bare state whose overlap with one eigenvector exceeds ½
/// is labelled by it — exactly what the greedy labelling of `dressedEnergiesGHz` does (no other bare
/// state can outbid it for that eigenvector, and no other eigenvector comes first for it); if any
/// of the four has no such eigenvector, the point takes the full decomposition and greedy pass.
/// Results equal `staticZZGHz` (the tests assert 1e-10).
public struct StaticZZScanner: Sendable {
    public let qubitA: Int, qubitB: Int
    private let levels: [Int]
    private let couplingEntries: [(Int, Int, Double)]
    /// Per needed block: its members (ascending), local coupling entries, the local indices of
    /// the needed bare states in it, and a workspace.
    struct Block: Sendable {
        var members: [Int]
        /// Occupations nₖ of each member (row-major members × modes), for the Duffing diagonal.
        var occupations: [Double]
        /// The diagonal of the last point (to rebuild the matrix for the QL fallback).
        var diagonal: [Double]
        var entries: [(Int, Int, Double)]
        var targets: [Int]
        var workspace: EigenWorkspace
    }
    var blocks: [Block]
    /// For each of the four targets (11, 10, 01, 00): (block, local index).
    let where_: [(Int, Int)]
    private var full: EigenWorkspace
    private let targets: (Int, Int, Int, Int)
    /// How many blocks fell back to QL, and how many points to the full decomposition (so far).
    public private(set) var qlFallbacks = 0, fullFallbacks = 0
    /// Anharmonicities of the modes, rad/ns (fixed by the structure; frequencies vary per point).
    let anharmonicityRad: [Double]

    /// A scanner for models with the structure (levels, couplings, coupling form) of `model`.
    public init(model: SubsystemModel, qubit a: Int, _ b: Int) {
        qubitA = a
        qubitB = b
        levels = model.levels
        anharmonicityRad = model.elements.map { 2 * Double.pi * $0.anharmonicityGHz }
        let n = model.dimension
        let c = model.couplingHamiltonian()
        var entries: [(Int, Int, Double)] = []
        for i in 0..<n { for j in 0..<n where c.re[i * n + j] != 0 { entries.append((i, j, c.re[i * n + j])) } }
        couplingEntries = entries
        full = EigenWorkspace(dimension: n)
        func idx(_ na: Int, _ nb: Int) -> Int {
            var occ = [Int](repeating: 0, count: model.elements.count)
            occ[a] = na
            occ[b] = nb
            return model.basisIndex(occ)
        }
        let t = [idx(1, 1), idx(1, 0), idx(0, 1), idx(0, 0)]
        targets = (t[0], t[1], t[2], t[3])
        // Connected components of the coupling pattern (the diagonal is always present).
        let component = couplingComponents(dimension: n, entries: entries).component
        var blocks: [Block] = []
        var blockOf: [Int: Int] = [:]
        var location: [(Int, Int)] = []
        for m in t {
            let comp = component[m]
            if blockOf[comp] == nil {
                let members = (0..<n).filter { component[$0] == comp }
                var local = [Int: Int]()
                for (k, i) in members.enumerated() { local[i] = k }
                let blockEntries = entries.compactMap { e -> (Int, Int, Double)? in
                    guard let p = local[e.0], let q = local[e.1] else { return nil }
                    return (p, q, e.2)
                }
                blockOf[comp] = blocks.count
                let occupations = members.flatMap { m in model.elements.indices.map { Double(model.occupation(m, mode: $0)) } }
                blocks.append(Block(members: members, occupations: occupations,
                                    diagonal: Array(repeating: 0, count: members.count), entries: blockEntries, targets: [],
                                    workspace: EigenWorkspace(dimension: members.count)))
            }
            let bi = blockOf[comp]!
            let localIndex = blocks[bi].members.firstIndex(of: m)!
            if !blocks[bi].targets.contains(localIndex) { blocks[bi].targets.append(localIndex) }
            location.append((bi, localIndex))
        }
        self.blocks = blocks
        where_ = location
    }

    /// ζ/2π = E₁₁ − E₁₀ − E₀₁ + E₀₀ (GHz) of `model` (same structure as at init) at extra fluxes.
    /// - Complexity: O(Σ block³) for the tridiagonalizations, O(Σ block²) for QL; the workspaces are reused.
    public mutating func zzGHz(_ model: SubsystemModel, extraFluxPhi0: [Double]? = nil) -> Double {
        precondition(model.levels == levels, "scanner built for levels \(levels), model has \(model.levels)")
        let d = model.duffingDiagonal(extraFluxPhi0: extraFluxPhi0)
        for bi in blocks.indices {
            let members = blocks[bi].members
            fill(block: bi) { k in d[members[k]] }
        }
        return labelledZZ { d }
    }

    /// ζ/2π (GHz) with the modes at the given frequencies f₀₁ (GHz, one per element, e.g. a coupler
    /// frequency scan) and the anharmonicities of the model given at init: the Duffing diagonal
    /// Σₖ 2π fₖ nₖ + (αₖ/2) nₖ(nₖ − 1) is built per block from stored occupations.
    /// - Complexity: as `zzGHz(_:extraFluxPhi0:)`, without building a model or solving for fluxes.
    public mutating func zzGHz(frequenciesGHz f: [Double]) -> Double {
        let modes = anharmonicityRad.count
        precondition(f.count == modes, "\(f.count) frequencies for \(modes) modes")
        let omega = f.map { 2 * Double.pi * $0 }, alpha = anharmonicityRad
        func energy(_ occ: [Double], _ base: Int) -> Double {
            var e = 0.0
            for k in 0..<modes {
                let nk = occ[base + k]
                e += omega[k] * nk + alpha[k] / 2 * nk * (nk - 1)
            }
            return e
        }
        for bi in blocks.indices {
            let occ = blocks[bi].occupations
            fill(block: bi) { k in energy(occ, k * modes) }
        }
        let dimension = full.n, levels = self.levels
        return labelledZZ {
            // Full diagonal for the fallback: occupations of every basis state.
            var d = [Double](repeating: 0, count: dimension)
            var strides = [Int](repeating: 1, count: modes)
            for k in stride(from: modes - 2, through: 0, by: -1) { strides[k] = strides[k + 1] * levels[k + 1] }
            for m in 0..<dimension {
                var e = 0.0
                for k in 0..<modes {
                    let nk = Double((m / strides[k]) % levels[k])
                    e += omega[k] * nk + alpha[k] / 2 * nk * (nk - 1)
                }
                d[m] = e
            }
            return d
        }
    }

    /// ζ/2π along a scan of mode frequencies: four points at a time in SIMD lanes (`zzBatch`; a lane
    /// it cannot label with certainty, and a final partial batch, take the scalar path), batches
    /// spread over `workers` threads, each with its own scanner copy.
    public func scan(frequenciesGHz points: [[Double]], workers: Int = 2) -> [Double] {
        let proto = self
        let batches = (points.count + 3) / 4
        @Sendable func run(_ b: Int, _ s: inout StaticZZScanner) -> [(Int, Double)] {
            let lo = 4 * b, hi = min(lo + 4, points.count)
            if hi - lo < 4 { return (lo..<hi).map { ($0, s.zzGHz(frequenciesGHz: points[$0])) } }
            let lanes = s.zzBatch(Array(points[lo..<hi]))
            return (lo..<hi).map { i in (i, lanes[i - lo] ?? s.zzGHz(frequenciesGHz: points[i])) }
        }
        var out = [Double](repeating: .nan, count: points.count)
        if workers <= 1 || batches < 2 {
            var s = proto
            for b in 0..<batches { for (i, z) in run(b, &s) { out[i] = z } }
            return out
        }
        // Batches are handed out one at a time from a shared counter, so a worker thread that
        // wakes late takes fewer of them instead of holding back the scan.
        let slots = Mutex<[Double]>(out)
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(workers, batches)) { _ in
            var s = proto
            while true {
                let b = next.wrappingAdd(1, ordering: .relaxed).oldValue
                if b >= batches { break }
                let r = run(b, &s)
                slots.withLock { for (i, z) in r { $0[i] = z } }
            }
        }
        return slots.withLock { $0 }
    }

    /// Loads block `bi`'s matrix (diagonal from `diagonal(local index)`, then the couplings) and
    /// reduces it to tridiagonal form, accumulating only its target rows of Q.
    private mutating func fill(block bi: Int, diagonal: (Int) -> Double) {
        for k in blocks[bi].members.indices { blocks[bi].diagonal[k] = diagonal(k) }
        load(block: bi)
        blocks[bi].workspace.tridiagonalizeSymmetricLower(qRows: blocks[bi].targets)
    }

    /// Writes block `bi`'s matrix (its stored diagonal and the couplings) into its workspace.
    private mutating func load(block bi: Int) {
        let m = blocks[bi].members.count
        let entries = blocks[bi].entries, diagonal = blocks[bi].diagonal
        blocks[bi].workspace.ar.withUnsafeMutableBufferPointer { a in
            for i in 0..<(m * m) { a[i] = 0 }
            for k in 0..<m { a[k * m + k] = diagonal[k] }
            for (p, q, g) in entries { a[p * m + q] += g }
        }
    }

    /// The four labelled energies from the reduced blocks. Each target's eigenpair comes from
    /// Rayleigh-quotient iteration started at its bare state; it is the labelled one when its overlap
    /// exceeds ½ (no other bare state can then outbid it in the greedy pass). A target that misses
    /// sends its block through QL with the target rows tracked (same labels by overlap > ½), and a
    /// miss there takes the full decomposition and greedy pass.
    private mutating func labelledZZ(fullDiagonal: () -> [Double]) -> Double {
        var energy = [0.0, 0.0, 0.0, 0.0]
        var needsQL = [Bool](repeating: false, count: blocks.count)
        for (slot, (bi, row)) in where_.enumerated() {
            if let pair = blocks[bi].workspace.rayleighQuotientPair(row: row), pair.overlap > 0.5 + 1e-9 {
                energy[slot] = pair.value
            } else {
                needsQL[bi] = true
            }
        }
        for bi in blocks.indices where needsQL[bi] {
            // The reduction overwrote the matrix: reload it, then decompose with QL.
            qlFallbacks += 1
            load(block: bi)
            blocks[bi].workspace.decomposeRealTracking(rows: blocks[bi].targets)
            for (slot, (b, row)) in where_.enumerated() where b == bi {
                let ws = blocks[bi].workspace
                var found = -1
                for j in 0..<ws.n {
                    let v = ws.trackedComponent(row: row, vector: j)
                    if v * v > 0.5 { found = j; break }
                }
                if found < 0 {
                    fullFallbacks += 1
                    return fullZZ(fullDiagonal())
                }
                energy[slot] = ws.values[found]
            }
        }
        let twoPi = 2 * Double.pi
        return energy[0] / twoPi - energy[1] / twoPi - energy[2] / twoPi + energy[3] / twoPi
    }

    /// The full decomposition and greedy labelling (as `dressedEnergiesGHz`).
    private mutating func fullZZ(_ d: [Double]) -> Double {
        let n = full.n
        for i in 0..<(n * n) { full.ar[i] = 0; full.ai[i] = 0 }
        for i in 0..<n { full.ar[i * n + i] = d[i] }
        for (i, j, g) in couplingEntries { full.ar[i * n + j] += g }
        full.decomposeBlocks(real: true)
        let column = SubsystemModel.greedyLabels(ComplexMatrix(rows: n, cols: n, re: full.vr, im: full.vi))
        let values = full.values, t = targets, twoPi = 2 * Double.pi
        return values[column[t.0]] / twoPi - values[column[t.1]] / twoPi - values[column[t.2]] / twoPi + values[column[t.3]] / twoPi
    }
}
