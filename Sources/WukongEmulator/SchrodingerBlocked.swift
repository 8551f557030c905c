// The propagator of an undriven sequence (idles and flux pulses only: a CZ pulse, the calibration's
// CZ scans) block by block. Without drives every step's Hamiltonian is the lab static one at that
// step's flux, whose coupling pattern splits the basis into fixed blocks (the excitation-parity
// sectors of x·x couplings, the excitation-number sectors of RWA ones); the frame is diagonal, so
// the propagator is block-diagonal too. Each block's U_B ← D(t₁)·V_B·e^{−iΛΔt}·V_Bᵀ·D(t₀)†·U_B runs on
// dense contiguous |B| × |B| matrices: two blocks of half the size cost a quarter of the flops of
// the full matrix, and the loops vectorize. `ClosedStepper` (the general path) and the Jacobi
// `referencePropagator` are what the tests compare it against.
import Numerics

/// Connected components of a coupling pattern on `dimension` basis states (entries (row, column,
/// value), nonzero): the sectors a static Hamiltonian with those couplings never mixes.
func couplingComponents(dimension n: Int, entries: [(Int, Int, Double)]) -> (component: [Int], count: Int) {
    var neighbours = [[Int]](repeating: [], count: n)
    for (p, q, _) in entries where p != q { neighbours[p].append(q) }
    var component = [Int](repeating: -1, count: n)
    var count = 0
    for root in 0..<n where component[root] < 0 {
        component[root] = count
        var stack = [root]
        while let i = stack.popLast() {
            for q in neighbours[i] where component[q] < 0 {
                component[q] = count
                stack.append(q)
            }
        }
        count += 1
    }
    return (component, count)
}

struct BlockedFluxPropagator {
    private let planner: StepPlanner
    /// Basis states of each block (ascending).
    private let blocks: [[Int]]
    /// Coupling entries of each block in local indices.
    private let entries: [[(Int, Int, Double)]]
    private let couplingCommutes: Bool

    /// Nil when the sequence drives any element or the coupling pattern is one block.
    init?(planner: StepPlanner, sequence: PulseSequence) {
        for case let .block(b) in sequence.segments {
            for k in 0..<b.sampleCount where planner.isDriven(b, sample: k) { return nil }
        }
        let n = planner.model.dimension
        let c = planner.couplingH
        var all: [(Int, Int, Double)] = []
        for i in 0..<n { for j in 0..<n where c.re[i * n + j] != 0 || c.im[i * n + j] != 0 {
            if c.im[i * n + j] != 0 { return nil }  // real lab couplings only
            all.append((i, j, c.re[i * n + j]))
        } }
        let (component, count) = couplingComponents(dimension: n, entries: all)
        guard count > 1 else { return nil }
        var blocks = [[Int]](repeating: [], count: count)
        var local = [Int](repeating: 0, count: n)
        for i in 0..<n {
            local[i] = blocks[component[i]].count
            blocks[component[i]].append(i)
        }
        var entries = [[(Int, Int, Double)]](repeating: [], count: count)
        for (p, q, g) in all { entries[component[p]].append((local[p], local[q], g)) }
        self.planner = planner
        self.blocks = blocks
        self.entries = entries
        couplingCommutes = planner.commutesWithFrame(c)
    }

    /// The propagator in the planner's frame (as `ClosedStepper` from the identity).
    func propagate(_ sequence: PulseSequence) -> ComplexMatrix {
        var steps: [StepPlanner.StepDescriptor] = []
        planner.forEachStepDescriptor(sequence) { steps.append($0) }
        // Duffing diagonals by flux (a CZ pulse's rise and fall share them).
        var diagonals: [[Double]: [Double]] = [:]
        for s in steps where diagonals[s.flux] == nil { diagonals[s.flux] = planner.model.duffingDiagonal(extraFluxPhi0: s.flux) }
        let n = planner.model.dimension
        var u = ComplexMatrix(rows: n, cols: n)
        for b in blocks.indices {
            let (re, im) = propagateBlock(b, steps: steps, diagonals: diagonals)
            let members = blocks[b], m = members.count
            for (a, i) in members.enumerated() {
                for (c, j) in members.enumerated() {
                    u.re[i * n + j] = re[a * m + c]
                    u.im[i * n + j] = im[a * m + c]
                }
            }
        }
        return u
    }

    private func propagateBlock(_ b: Int, steps: [StepPlanner.StepDescriptor], diagonals: [[Double]: [Double]]) -> ([Double], [Double]) {
        let members = blocks[b], m = members.count
        let frame = members.map { planner.frameEnergies[$0] }
        var ur = [Double](repeating: 0, count: m * m), ui = ur
        for i in 0..<m { ur[i * m + i] = 1 }
        var yr = ur, yi = ur
        var phaseR = [Double](repeating: 0, count: m), phaseI = phaseR
        var ws = EigenWorkspace(dimension: m)
        var cache: [[Double]: (values: [Double], vectors: [Double])] = [:]
        let blockEntries = entries[b]
        for step in steps {
            let eig: (values: [Double], vectors: [Double])
            if let hit = cache[step.flux] {
                eig = hit
            } else {
                let d = diagonals[step.flux]!
                for i in 0..<(m * m) { ws.ar[i] = 0; ws.ai[i] = 0 }
                for (a, i) in members.enumerated() { ws.ar[a * m + a] = couplingCommutes ? d[i] - frame[a] : d[i] }
                for (p, q, g) in blockEntries { ws.ar[p * m + q] += g }
                if m == 1 {
                    eig = ([ws.ar[0]], [1])
                } else {
                    ws.decompose(real: true)
                    eig = (ws.values, ws.vr)
                }
                cache[step.flux] = eig
            }
            let dt = step.t1 - step.t0
            if !couplingCommutes { Self.scaleRows(&ur, &ui, m: m, energies: frame, time: -step.t0) }
            for j in 0..<m {
                phaseR[j] = Double.cos(eig.values[j] * dt)
                phaseI[j] = -Double.sin(eig.values[j] * dt)
            }
            Self.eigenStep(&ur, &ui, &yr, &yi, m: m, vectors: eig.vectors, phaseR: phaseR, phaseI: phaseI)
            if !couplingCommutes { Self.scaleRows(&ur, &ui, m: m, energies: frame, time: step.t1) }
        }
        return (ur, ui)
    }

    /// Row k of U times e^{iEₖt}.
    private static func scaleRows(_ ur: inout [Double], _ ui: inout [Double], m: Int, energies: [Double], time t: Double) {
        ur.withUnsafeMutableBufferPointer { r in
        ui.withUnsafeMutableBufferPointer { im in
            for k in 0..<m {
                let c = Double.cos(energies[k] * t), s = Double.sin(energies[k] * t)
                for j in 0..<m {
                    let a = r[k * m + j], bb = im[k * m + j]
                    r[k * m + j] = a * c - bb * s
                    im[k * m + j] = a * s + bb * c
                }
            }
        }}
    }

    /// U ← V·diag(phase)·Vᵀ·U for a real row-major m × m V (columns eigenvectors), Y scratch.
    private static func eigenStep(_ ur: inout [Double], _ ui: inout [Double], _ yr: inout [Double], _ yi: inout [Double],
                                  m: Int, vectors v: [Double], phaseR: [Double], phaseI: [Double]) {
        v.withUnsafeBufferPointer { v in
        ur.withUnsafeMutableBufferPointer { uR in
        ui.withUnsafeMutableBufferPointer { uI in
        yr.withUnsafeMutableBufferPointer { yR in
        yi.withUnsafeMutableBufferPointer { yI in
            // Y = Vᵀ·U: row j of Y = Σᵢ V[i, j]·(row i of U).
            for x in 0..<(m * m) { yR[x] = 0; yI[x] = 0 }
            for i in 0..<m {
                let rowU = i * m
                for j in 0..<m {
                    let a = v[i * m + j]
                    if a == 0 { continue }
                    let rowY = j * m
                    for x in 0..<m {
                        yR[rowY + x] += a * uR[rowU + x]
                        yI[rowY + x] += a * uI[rowU + x]
                    }
                }
            }
            // Y ← diag(phase)·Y.
            for j in 0..<m {
                let pr = phaseR[j], pi = phaseI[j], rowY = j * m
                for x in 0..<m {
                    let a = yR[rowY + x], b = yI[rowY + x]
                    yR[rowY + x] = a * pr - b * pi
                    yI[rowY + x] = a * pi + b * pr
                }
            }
            // U = V·Y: row i of U = Σⱼ V[i, j]·(row j of Y).
            for x in 0..<(m * m) { uR[x] = 0; uI[x] = 0 }
            for i in 0..<m {
                let rowU = i * m
                for j in 0..<m {
                    let a = v[i * m + j]
                    if a == 0 { continue }
                    let rowY = j * m
                    for x in 0..<m {
                        uR[rowU + x] += a * yR[rowY + x]
                        uI[rowU + x] += a * yI[rowY + x]
                    }
                }
            }
        }}}}}
    }
}
