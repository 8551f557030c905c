// The propagator of an undriven sequence (idles and flux pulses only: a CZ pulse, the calibration's
// CZ scans) block by block. Without drives every step's Hamiltonian is the lab static one at that
// step's flux, whose coupling pattern splits the basis into fixed blocks (the excitation-parity
// sectors of x·x couplings, the excitation-number sectors of RWA ones); the frame is diagonal, so
// the propagator is block-diagonal too. Each block's U_B ← D(t₁)·V_B·e^{−iΛΔt}·V_Bᵀ·D(t₀)†·U_B runs on
// dense contiguous |B| × |B| matrices: two blocks of half the size cost a quarter of the flops of
// the full matrix, and the loops vectorize. `ClosedStepper` (the general path) and the Jacobi
// `referencePropagator` are what the tests compare it against.
import Numerics

/// Row k of the row-major rows × cols block (re, im) times e^{iEₖt}.
func scaleRowsByPhase(_ re: inout [Double], _ im: inout [Double], rows: Int, cols: Int, energies: [Double], time t: Double) {
    re.withUnsafeMutableBufferPointer { r in
    im.withUnsafeMutableBufferPointer { i in
        for k in 0..<rows {
            let c = Double.cos(energies[k] * t), s = Double.sin(energies[k] * t)
            for j in 0..<cols {
                let a = r[k * cols + j], b = i[k * cols + j]
                r[k * cols + j] = a * c - b * s
                i[k * cols + j] = a * s + b * c
            }
        }
    }}
}

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
            if !couplingCommutes { scaleRowsByPhase(&ur, &ui, rows: m, cols: m, energies: frame, time: -step.t0) }
            for j in 0..<m {
                phaseR[j] = Double.cos(eig.values[j] * dt)
                phaseI[j] = -Double.sin(eig.values[j] * dt)
            }
            Self.eigenStep(&ur, &ui, &yr, &yi, m: m, vectors: eig.vectors, phaseR: phaseR, phaseI: phaseI)
            if !couplingCommutes { scaleRowsByPhase(&ur, &ui, rows: m, cols: m, energies: frame, time: step.t1) }
        }
        return (ur, ui)
    }

    /// out = Vᵀ·in (`transposed`) or V·in for a real row-major m × m V and complex m × m in/out
    /// (split re/im, row-major); zero entries of V are skipped.
    @inline(__always)
    private static func multiplyReal(_ v: UnsafeBufferPointer<Double>, transposed: Bool, m: Int,
                                     from inR: UnsafeMutableBufferPointer<Double>, _ inI: UnsafeMutableBufferPointer<Double>,
                                     into outR: UnsafeMutableBufferPointer<Double>, _ outI: UnsafeMutableBufferPointer<Double>) {
        for x in 0..<(m * m) { outR[x] = 0; outI[x] = 0 }
        for i in 0..<m {
            for j in 0..<m {
                let a = v[i * m + j]
                if a == 0 { continue }
                // Vᵀ·in: row j of out gathers row i of in; V·in: row i gathers row j.
                let src = transposed ? i * m : j * m, dst = transposed ? j * m : i * m
                for x in 0..<m {
                    outR[dst + x] += a * inR[src + x]
                    outI[dst + x] += a * inI[src + x]
                }
            }
        }
    }

    /// U ← V·diag(phase)·Vᵀ·U for a real row-major m × m V (columns eigenvectors), Y scratch.
    private static func eigenStep(_ ur: inout [Double], _ ui: inout [Double], _ yr: inout [Double], _ yi: inout [Double],
                                  m: Int, vectors v: [Double], phaseR: [Double], phaseI: [Double]) {
        v.withUnsafeBufferPointer { v in
        ur.withUnsafeMutableBufferPointer { uR in
        ui.withUnsafeMutableBufferPointer { uI in
        yr.withUnsafeMutableBufferPointer { yR in
        yi.withUnsafeMutableBufferPointer { yI in
            // Y = Vᵀ·U, Y ← diag(phase)·Y, U = V·Y.
            Self.multiplyReal(v, transposed: true, m: m, from: uR, uI, into: yR, yI)
            for j in 0..<m {
                let pr = phaseR[j], pi = phaseI[j], rowY = j * m
                for x in 0..<m {
                    let a = yR[rowY + x], b = yI[rowY + x]
                    yR[rowY + x] = a * pr - b * pi
                    yI[rowY + x] = a * pi + b * pr
                }
            }
            Self.multiplyReal(v, transposed: false, m: m, from: yR, yI, into: uR, uI)
        }}}}}
    }
}
