// Diagonal gathering: a cheaper form of circuits made of one-qubit gates and diagonal couplings
// (u3/RY/RZ layers with CZ, CP or RZZ: the hardware-native form and the benchmark brickwork and
// ansatz). Every complex one-qubit gate is split into Euler form U = D_left · R · D_right with R a real
// rotation; diagonal gates commute with each other, so each is moved as early as the non-diagonal
// gates on its qubits allow, and the diagonals that meet there are multiplied into a few diagonal
// operations of at most `maxDiagonalQubits` qubits. What is left between them is real (RY, H, the R
// halves, RY⊗RY·CZ after fusion), and real gates have kernels that cost 2.5× fewer vector operations
// (RealKernels.swift). The result is kept only when a cost model says the fused result is cheaper
// than plain fusion (`fuse`); tests compare both against the reference on random circuits.
import Foundation
import Numerics
import WukongCircuits

public enum DiagonalGathering {
    /// Largest diagonal operation built (2^6 entries; the planner handles its matrix as dense 64×64).
    public static let defaultMaxDiagonalQubits = 6

    /// Fused operations equal to `operations`: plain `GateFusion.fuse`, or the same after `gather`,
    /// whichever the cost model (`estimatedCost`) prices lower.
    public static func fuse(_ operations: [GateOperation], maxQubits: Int,
                            maxDiagonalQubits: Int = defaultMaxDiagonalQubits) -> [GateOperation] {
        let plain = packDiagonalRuns(GateFusion.fuse(operations, maxQubits: maxQubits), maxQubits: maxDiagonalQubits)
        // The pass exists to absorb one-qubit phases (RZ, the diagonal halves of u3): without any,
        // plain fusion already streams the sparse diagonals (QFT: H and CP; measured 5–10 % slower
        // gathered at 24 qubits).
        guard operations.contains(where: { $0.qubits.count == 1 && ($0.matrix.isDiagonal || !$0.matrix.isReal) }),
              operations.contains(where: { $0.qubits.count == 1 && !$0.matrix.isDiagonal }) else { return plain }
        let gathered = GateFusion.fuse(gather(operations, maxDiagonalQubits: maxDiagonalQubits), maxQubits: maxQubits)
        if ProcessInfo.processInfo.environment["WUKONG_GATHER_DEBUG"] != nil {
            func describe(_ ops: [GateOperation]) -> String {
                ops.prefix(60).map { op in
                    (op.matrix.isDiagonal ? "D" : op.matrix.isReal ? "R" : "C") + op.qubits.map(String.init).joined(separator: ",")
                }.joined(separator: " ")
            }
            print("gather: plain \(plain.count) ops cost \(estimatedCost(plain)), gathered \(gathered.count) ops cost \(estimatedCost(gathered))")
            print("  plain:    \(describe(plain))")
            print("  gathered: \(describe(gathered))")
        }
        return estimatedCost(gathered) < estimatedCost(plain) ? gathered : plain
    }

    /// Vector operations per amplitude of the double-precision kernels (AVX2/AVX-512 counts: a complex
    /// multiply-add on an amplitude pair is two FMAs plus a lane swap, a real one is one FMA), plus
    /// 1 per pass for loads and stores (fitted to brickwork-24 timings: a pass over an L3-resident
    /// cache block costs about as much as one vector operation per amplitude). Only ratios matter.
    public static func estimatedCost(_ operations: [GateOperation]) -> Double {
        operations.reduce(0) { $0 + cost($1) }
    }

    /// One operation's price: its pass (1) plus its arithmetic; a diagonal pays both only for the
    /// fraction of amplitudes whose coefficient is not 1 (the streaming kernel skips the rest).
    static func cost(_ op: GateOperation) -> Double {
        let m = op.matrix, k = op.qubits.count
        if m.isDiagonal {
            // The streaming kernel skips runs whose coefficient is 1 (a CP or CZ touches a quarter), but
            // only when runs are long: with a target among qubits 1…3 it streams a periodic table
            // through every amplitude (all targets ≤ 9) or looks a coefficient up per short run.
            let lowest = op.qubits.filter { $0 != 0 }.min() ?? 64
            if lowest <= 3 { return op.qubits.max()! <= 9 ? 2.6 : 4 }
            let d = m.diagonalEntries
            return 0.1 + 2.5 * Double(d.filter { $0 != .one }.count) / Double(d.count)
        }
        switch k {
        case 1:
            if m.elements == [.zero, .one, .one, .zero] { return 1.5 }
            return 1 + (m.isReal ? (op.qubits[0] == 0 ? 1.5 : 1) : 2.5)
        case 2:
            if m.isSwap { return 1.5 }
            if m.singleControl != nil { return 2.5 }
            return 1 + (m.isReal ? 2 : 4.5)
        default:
            return 1 + Double(1 << k) + 0.5
        }
    }

    /// U = diag(left) · R · diag(right) with R = [[c, −s], [s, c]], c, s ≥ 0, for a one-qubit unitary;
    /// nil when the reconstruction misses U by more than 1e-13 (not unitary).
    public static func eulerSplit(_ u: GateMatrix)
        -> (left: [Complex<Double>], real: GateMatrix, right: [Complex<Double>])?
    {
        precondition(u.qubitCount == 1, "a one-qubit matrix")
        let a = u[0, 0], b = u[0, 1], c = u[1, 0]
        let cosine = a.length, sine = c.length
        // U00 = e^{i(α1+β1)}·cos, U10 = e^{i(α2+β1)}·sin, U01 = −e^{i(α1+β2)}·sin, U11 = e^{i(α2+β2)}·cos,
        // with β1 = 0; a vanishing entry leaves its phase free (0).
        let alpha1 = cosine > 0 ? a.phase : 0
        let alpha2 = sine > 0 ? c.phase : (u[1, 1].length > 0 ? u[1, 1].phase : 0)
        let beta2 = sine > 0 ? (-b).phase - alpha1 : (u[1, 1].length > 0 ? u[1, 1].phase - alpha2 : 0)
        let e = { (t: Double) in Complex(Double.cos(t), Double.sin(t)) }
        let left = [e(alpha1), e(alpha2)], right = [Complex<Double>.one, e(beta2)]
        let norm = (cosine * cosine + sine * sine).squareRoot()
        guard norm > 0 else { return nil }
        let (cr, sr) = (cosine / norm, sine / norm)
        let real = GateMatrix([Complex(cr), Complex(-sr), Complex(sr), Complex(cr)])
        for r in 0..<2 {
            for col in 0..<2 where (left[r] * real[r, col] * right[col] - u[r, col]).length > 1e-13 {
                return nil
            }
        }
        return (left, real, right)
    }

    /// The operations reordered and regrouped as the file comment describes; applying the result
    /// equals applying `operations` up to rounding (~1e-16 per split gate).
    /// - Complexity: O(m·2^maxDiagonalQubits) for m operations.
    public static func gather(_ operations: [GateOperation],
                              maxDiagonalQubits: Int = defaultMaxDiagonalQubits) -> [GateOperation] {
        precondition((1...10).contains(maxDiagonalQubits), "maxDiagonalQubits must be in 1...10")
        // 1. Euler split of complex one-qubit gates (right diagonal first: it acts first).
        var split: [GateOperation] = []
        split.reserveCapacity(3 * operations.count)
        for op in operations {
            guard op.qubits.count == 1, !op.matrix.isDiagonal, !op.matrix.isReal,
                  let (left, real, right) = eulerSplit(op.matrix) else {
                split.append(op)
                continue
            }
            if right != [.one, .one] { split.append(GateOperation(.diagonal(right), on: op.qubits)) }
            split.append(GateOperation(real, on: op.qubits))
            if left != [.one, .one] { split.append(GateOperation(.diagonal(left), on: op.qubits)) }
        }
        // 2. Levels, as soon as dependences allow: non-diagonal operations on odd levels after
        // everything on their qubits; diagonal ones on even levels, where they may share a level
        // with earlier diagonals on the same qubits (they commute).
        let n = (split.flatMap(\.qubits).max() ?? -1) + 1
        var last = [Int](repeating: -1, count: n)
        var levels: [[GateOperation]] = []
        for op in split {
            let after = op.qubits.map { last[$0] }.max()!
            let level: Int
            if op.matrix.isDiagonal {
                level = after < 0 ? 0 : (after % 2 == 0 ? after : after + 1)
            } else {
                level = after < 0 ? 1 : (after % 2 == 1 ? after + 2 : after + 1)
            }
            for q in op.qubits { last[q] = level }
            while levels.count <= level { levels.append([]) }
            levels[level].append(op)
        }
        // 3. Each even level's diagonals: connected components (by shared qubits), packed in
        // qubit order into diagonals of at most maxDiagonalQubits qubits.
        var out: [GateOperation] = []
        for (index, level) in levels.enumerated() {
            if index % 2 == 1 {
                out += pairRealOneQubitGates(level)
                continue
            }
            if level.count <= 1 {
                out += level
                continue
            }
            out += packDiagonals(level, maxQubits: maxDiagonalQubits)
        }
        return out
    }

    /// Diagonal operations (all commuting, so any grouping is exact) multiplied into operations of at
    /// most `maxQubits` qubits: greedy packing in order of (lowest, highest) qubit, which on chains
    /// and layers (CZ ladders, brickwork couplings, one-qubit phases) gives about n/(maxQubits−1)
    /// diagonals. An operation wider than `maxQubits` stays alone.
    static func packDiagonals(_ ops: [GateOperation], maxQubits: Int) -> [GateOperation] {
        var out: [GateOperation] = []
        var bin: (qubits: Set<Int>, ops: [GateOperation]) = ([], [])
        func close() {
            guard !bin.ops.isEmpty else { return }
            out.append(bin.ops.count == 1 ? bin.ops[0] : product(bin.ops, on: bin.qubits.sorted(by: >)))
            bin = ([], [])
        }
        let ordered = ops.sorted { ($0.qubits.min()!, $0.qubits.max()!) < ($1.qubits.min()!, $1.qubits.max()!) }
        for op in ordered {
            if op.qubits.count > maxQubits {
                out.append(op)
                continue
            }
            if bin.qubits.union(op.qubits).count > maxQubits { close() }
            bin.qubits.formUnion(op.qubits)
            bin.ops.append(op)
        }
        close()
        return out
    }

    /// `ops` with every run of consecutive diagonal operations (they commute, so packing is exact)
    /// replaced by `packDiagonals` of the run when the cost model prices that lower: after plain
    /// fusion of a brickwork, a layer's CZs between the fused blocks become ~n/5 diagonals
    /// instead of n/2.
    static func packDiagonalRuns(_ ops: [GateOperation], maxQubits: Int) -> [GateOperation] {
        var out: [GateOperation] = []
        var run: [GateOperation] = []
        func flush() {
            if run.count >= 2 {
                let packed = packDiagonals(run, maxQubits: maxQubits)
                out += estimatedCost(packed) < estimatedCost(run) ? packed : run
            } else {
                out += run
            }
            run = []
        }
        for op in ops {
            if op.matrix.isDiagonal {
                run.append(op)
            } else {
                flush()
                out.append(op)
            }
        }
        flush()
        return out
    }

    /// A level's operations with its real one-qubit gates paired into real two-qubit products
    /// (R₁⊗R₂, real, on qubits ≥ 1 where possible: the real two-qubit kernel needs both ≥ 1): one pass
    /// instead of two at the same arithmetic. The level's operations act on disjoint qubits.
    static func pairRealOneQubitGates(_ ops: [GateOperation]) -> [GateOperation] {
        let real = ops.filter { $0.qubits.count == 1 && $0.matrix.isReal && !$0.matrix.isDiagonal }
            .sorted { $0.qubits[0] > $1.qubits[0] }
        guard real.count >= 2 else { return ops }
        var out = ops.filter { !($0.qubits.count == 1 && $0.matrix.isReal && !$0.matrix.isDiagonal) }
        var i = 0
        while i + 1 < real.count {
            let (a, b) = (real[i], real[i + 1])   // a on the higher qubit
            let m = a.matrix.kron(b.matrix)
            out.append(GateOperation(m, on: [a.qubits[0], b.qubits[0]]))
            i += 2
        }
        if i < real.count { out.append(real[i]) }
        return out
    }

    /// The product of diagonal operations as one diagonal on `qubits` (most significant first).
    static func product(_ ops: [GateOperation], on qubits: [Int]) -> GateOperation {
        let k = qubits.count
        var entries = [Complex<Double>](repeating: .one, count: 1 << k)
        for op in ops {
            let d = op.matrix.diagonalEntries
            // Bit (from the least significant end) of the product's index holding each operand.
            let shifts = op.qubits.map { k - 1 - qubits.firstIndex(of: $0)! }
            for t in 0..<(1 << k) {
                var b = 0
                for s in shifts { b = (b << 1) | ((t >> s) & 1) }
                entries[t] = entries[t] * d[b]
            }
        }
        return GateOperation(.diagonal(entries), on: qubits)
    }
}
