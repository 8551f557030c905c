// Layouts (where each logical qubit lives on the chip) and the layout pass that picks one and
// rewrites the circuit onto physical qubits.
import WukongCircuits

/// A placement of logical qubits on physical qubits, extended to a permutation of all physical
/// qubits: entries past `logicalCount` are ancillas (idle physical qubits, which routing may move).
///
/// Invariant: `physical` is a permutation of `0..<physical.count`.
public struct Layout: Hashable, Sendable, Codable {
    /// `physical[v]` is the physical qubit holding virtual qubit v (logical qubits first, then ancillas).
    public private(set) var physical: [Int]
    /// Number of program (logical) qubits.
    public let logicalCount: Int

    /// A layout from the physical qubits of the logical qubits; the remaining physical qubits
    /// become ancillas in increasing order.
    public init(logicalToPhysical: [Int], physicalCount: Int) throws {
        var used = Set<Int>()
        for p in logicalToPhysical {
            guard (0..<physicalCount).contains(p) else { throw CompilerError.badLayout("physical qubit \(p) out of range") }
            guard used.insert(p).inserted else { throw CompilerError.badLayout("physical qubit \(p) used twice") }
        }
        physical = logicalToPhysical + (0..<physicalCount).filter { !used.contains($0) }
        logicalCount = logicalToPhysical.count
    }

    /// The identity placement.
    public static func trivial(logicalCount: Int, physicalCount: Int) -> Layout {
        try! Layout(logicalToPhysical: Array(0..<logicalCount), physicalCount: physicalCount)
    }

    /// Physical qubit of each logical qubit.
    public var logicalToPhysical: [Int] { Array(physical[0..<logicalCount]) }

    /// Virtual qubit at each physical qubit (the inverse permutation).
    public var virtualAt: [Int] {
        var inverse = [Int](repeating: 0, count: physical.count)
        for (v, p) in physical.enumerated() { inverse[p] = v }
        return inverse
    }

    /// The layout after swapping the contents of two physical qubits.
    mutating func swapPhysical(_ a: Int, _ b: Int) {
        let inverse = virtualAt
        physical.swapAt(inverse[a], inverse[b])
    }

    /// This layout after a permutation of physical qubits (`moves[p]` = where the content of p went).
    func composed(with moves: [Int]) -> Layout {
        var out = self
        out.physical = physical.map { moves[$0] }
        return out
    }
}

/// How the layout pass places logical qubits.
public enum LayoutStrategy: Sendable, Hashable {
    /// Logical qubit k on physical qubit k (used for OpenQASM 3 programs on `$k`).
    case trivial
    /// An explicit placement (logical → physical).
    case given([Int])
    /// A connected region grown by BFS around the best-connected qubit.
    case dense
    /// `dense`, refined by forward–backward SABRE routing passes (Li, Ding, Xie 2019).
    case sabre(iterations: Int)
}

/// Places logical qubits and rewrites the circuit onto physical qubits.
///
/// Precondition: no gate on more than two operands (for `sabre`). Postcondition: the circuit has
/// `target.qubitCount` qubits and no qubit registers (so it exports with `$k`); `initialLayout` and
/// `finalLayout` are set; the unitary equals the source's conjugated by the layout permutation.
public struct LayoutPass: CompilerPass {
    public var name: String { "layout" }
    public var strategy: LayoutStrategy
    public init(_ strategy: LayoutStrategy) { self.strategy = strategy }

    public func run(_ state: inout CompilationState, target: CompilerTarget) throws {
        let n = state.circuit.numQubits
        guard n <= target.qubitCount else { throw CompilerError.tooManyQubits(needed: n, available: target.qubitCount) }
        let layout: Layout
        switch strategy {
        case .trivial: layout = .trivial(logicalCount: n, physicalCount: target.qubitCount)
        case .given(let placement):
            guard placement.count == n else { throw CompilerError.badLayout("\(placement.count) entries for \(n) qubits") }
            layout = try Layout(logicalToPhysical: placement, physicalCount: target.qubitCount)
        case .dense: layout = try Self.dense(state.circuit, target: target)
        case .sabre(let iterations):
            layout = try SabreRouter.refineLayout(state.circuit, start: try Self.dense(state.circuit, target: target),
                                                  target: target, iterations: iterations)
        }
        state.circuit = try Self.apply(layout, to: state.circuit, physicalCount: target.qubitCount)
        state.initialLayout = layout
        state.finalLayout = layout
    }

    /// The circuit with each qubit k replaced by `layout.physical[k]`, on all physical qubits.
    static func apply(_ layout: Layout, to circuit: Circuit, physicalCount: Int) throws -> Circuit {
        var out = Circuit(quantumRegisters: [], classicalRegisters: circuit.classicalRegisters,
                          numQubits: physicalCount, numClbits: circuit.numClbits)
        for i in circuit.instructions {
            try out.append(Instruction(remap(i.operation) { layout.physical[$0] }, condition: i.condition))
        }
        return out
    }

    /// The operation with every qubit index mapped.
    static func remap(_ op: Operation, _ f: (Int) -> Int) -> Operation {
        switch op {
        case .gate(var g):
            g.qubits = g.qubits.map(f)
            g.controls = g.controls.map(f)
            return .gate(g)
        case .measure(let q, let c): return .measure(qubit: f(q), clbit: c)
        case .reset(let q): return .reset(qubit: f(q))
        case .barrier(let qs): return .barrier(qubits: qs.map(f))
        case .opaque(let name, let qs, let ps): return .opaque(name: name, qubits: qs.map(f), parameters: ps)
        case .unitary(let m, let qs): return .unitary(m, qubits: qs.map(f))
        }
    }

    /// Grows a connected region of n qubits by BFS from each start and keeps the one with the most
    /// enabled couplers inside; logical qubits, busiest first, take the region in BFS order.
    /// Calibrated elements first: when the calibrated graph (`CompilerTarget.calibratedNeighbours`:
    /// calibrated qubits joined by calibrated CZ couplers) holds a connected region of n qubits, the
    /// region is grown there; otherwise over all enabled couplers, preferring regions with more
    /// calibrated qubits. On an all-nominal or all-calibrated snapshot both rules give the plain search.
    /// - Complexity: O(n_phys · (n_phys + e)) plus O(instructions).
    static func dense(_ circuit: Circuit, target: CompilerTarget) throws -> Layout {
        let n = circuit.numQubits
        if n == 0 { return .trivial(logicalCount: 0, physicalCount: target.qubitCount) }
        let best = bestRegion(size: n, graph: target.calibratedNeighbours, starts: target.qubitCalibrated, target: target)
            ?? bestRegion(size: n, graph: target.neighbours, starts: nil, target: target)
        guard let best else {
            throw CompilerError.badLayout("no connected region of \(n) qubits over enabled couplers")
        }
        var activity = [Int](repeating: 0, count: n)
        for i in circuit.instructions {
            if case .gate(let g) = i.operation, g.operands.count == 2 { for q in g.operands { activity[q] += 1 } }
        }
        let busiestFirst = (0..<n).sorted { activity[$0] != activity[$1] ? activity[$0] > activity[$1] : $0 < $1 }
        var placement = [Int](repeating: 0, count: n)
        for (rank, logical) in busiestFirst.enumerated() { placement[logical] = best[rank] }
        return try Layout(logicalToPhysical: placement, physicalCount: target.qubitCount)
    }

    /// The BFS-grown region of `size` qubits over `graph` with the most calibrated qubits, then the most
    /// internal edges (first start wins ties); starts limited to `starts[q] == true` when given.
    static func bestRegion(size n: Int, graph: [[Int]], starts: [Bool]?, target: CompilerTarget) -> [Int]? {
        var best: [Int]?, bestScore = (-1, -1)
        for start in 0..<target.qubitCount where starts?[start] ?? true {
            var region = [start], seen: Set<Int> = [start], head = 0
            while head < region.count && region.count < n {
                for v in graph[region[head]] where !seen.contains(v) && region.count < n {
                    seen.insert(v); region.append(v)
                }
                head += 1
            }
            guard region.count == n else { continue }
            let edges = region.reduce(0) { sum, q in sum + graph[q].filter(seen.contains).count }
            let score = (region.filter { target.qubitCalibrated[$0] }.count, edges)
            if score > bestScore { best = region; bestScore = score }
        }
        return best
    }
}
