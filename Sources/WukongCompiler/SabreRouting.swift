// SABRE-style routing (Li, Ding, Xie, ASPLOS 2019): walk the dependency front of the circuit, run
// every gate whose qubits are adjacent over enabled couplers, and otherwise insert the SWAP that most
// reduces a lookahead distance cost. Also the forward–backward layout refinement built on it.
import WukongCircuits

/// Inserts SWAPs so that every 2-qubit gate acts on an enabled coupler.
///
/// Precondition: the circuit is on physical qubits (after `LayoutPass`); no gate on more than two
/// operands. Postcondition: every 2-qubit gate acts on qubits joined by an enabled coupler; SWAP gates
/// (`swap`, to be translated later) move qubits; `finalLayout` records where each qubit ends; the
/// unitary equals the source's followed by that permutation.
public struct RoutingPass: CompilerPass {
    public var name: String { "routing" }
    public init() {}

    public func run(_ state: inout CompilationState, target: CompilerTarget) throws {
        guard let layout = state.finalLayout else {
            throw CompilerError.contractViolated(pass: name, "no layout; run LayoutPass first")
        }
        let routed = try SabreRouter.route(state.circuit, target: target)
        state.circuit = routed.circuit
        state.finalLayout = layout.composed(with: routed.moves)
        state.swapCount += routed.swaps
    }
}

/// The SABRE heuristic.
public enum SabreRouter {
    /// Weight of the extended (lookahead) set relative to the front layer.
    static let lookaheadWeight = 0.5
    /// Gates in the extended set.
    static let lookaheadSize = 20
    /// Decay added to a qubit each time it is swapped, discouraging serial SWAP chains.
    static let decayStep = 0.001

    /// Routes a physical circuit; `moves[p]` is where the content of physical qubit p ends up.
    /// - Complexity: O(g · (f + w) · d) for g gates, front size f, lookahead w, candidate SWAPs d.
    public static func route(_ circuit: Circuit, target: CompilerTarget) throws
        -> (circuit: Circuit, moves: [Int], swaps: Int) {
        let n = circuit.numQubits
        let instructions = circuit.instructions
        // Dependency DAG over qubit and clbit wires.
        var successors = [[Int]](repeating: [], count: instructions.count)
        var pending = [Int](repeating: 0, count: instructions.count)
        var lastOnWire = [Int: Int]()
        for (i, instruction) in instructions.enumerated() {
            var preds = Set<Int>()
            for w in wires(instruction, qubitCount: n) {
                if let p = lastOnWire[w] { preds.insert(p) }
                lastOnWire[w] = i
            }
            pending[i] = preds.count
            for p in preds { successors[p].append(i) }
        }
        var position = Array(0..<n)          // wire → physical
        var wireAt = Array(0..<n)            // physical → wire
        var out = Circuit(quantumRegisters: [], classicalRegisters: circuit.classicalRegisters,
                          numQubits: n, numClbits: circuit.numClbits)
        var front = (0..<instructions.count).filter { pending[$0] == 0 }
        var decay = [Double](repeating: 1, count: n)
        var swaps = 0, swapsSinceProgress = 0

        func twoQubitWires(_ i: Int) -> (Int, Int)? {
            guard case .gate(let g) = instructions[i].operation, g.operands.count == 2 else { return nil }
            return (g.operands[0], g.operands[1])
        }
        func emitSwap(_ a: Int, _ b: Int) throws {
            try out.append(.swap, [a, b])
            let wa = wireAt[a], wb = wireAt[b]
            wireAt[a] = wb; wireAt[b] = wa
            position[wa] = b; position[wb] = a
            swaps += 1
            swapsSinceProgress += 1
            decay[a] += decayStep; decay[b] += decayStep
        }

        while !front.isEmpty {
            // Run everything runnable.
            var progressed = true, executedAny = false
            while progressed {
                progressed = false
                var next: [Int] = []
                for i in front {
                    if let (a, b) = twoQubitWires(i) {
                        let d = target.distance[position[a]][position[b]]
                        if d == Int.max { throw CompilerError.disconnected(position[a], position[b]) }
                        if d != 1 { next.append(i); continue }
                    }
                    let mapped = LayoutPass.remap(instructions[i].operation) { position[$0] }
                    try out.append(Instruction(mapped, condition: instructions[i].condition))
                    progressed = true
                    executedAny = true
                    for s in successors[i] {
                        pending[s] -= 1
                        if pending[s] == 0 { next.append(s) }
                    }
                }
                front = next
            }
            if front.isEmpty { break }
            if executedAny {
                decay = [Double](repeating: 1, count: n)
                swapsSinceProgress = 0
            }

            let blocked = front.compactMap(twoQubitWires)
            if swapsSinceProgress > 2 * n + 10 {
                // Release valve: walk the closest blocked pair together along a shortest path.
                let (a, b) = blocked.min { target.distance[position[$0.0]][position[$0.1]] < target.distance[position[$1.0]][position[$1.1]] }!
                while target.distance[position[a]][position[b]] > 1 {
                    let here = position[a], goal = position[b]
                    let step = target.neighbours[here].first { target.distance[$0][goal] == target.distance[here][goal] - 1 }!
                    try emitSwap(here, step)
                }
                swapsSinceProgress = 0
                continue
            }
            let lookahead = extendedSet(front: front, successors: successors, twoQubit: twoQubitWires)
            var bestSwap: (Int, Int)? = nil, bestCost = Double.infinity
            var candidates = Set<[Int]>()
            for (a, b) in blocked {
                for p in [position[a], position[b]] {
                    for q in target.neighbours[p] { candidates.insert([min(p, q), max(p, q)]) }
                }
            }
            for pair in candidates.sorted(by: { $0[0] != $1[0] ? $0[0] < $1[0] : $0[1] < $1[1] }) {
                let (p, q) = (pair[0], pair[1])
                func moved(_ x: Int) -> Int { x == p ? q : (x == q ? p : x) }
                func cost(_ pairs: [(Int, Int)]) -> Double {
                    guard !pairs.isEmpty else { return 0 }
                    let total = pairs.reduce(0) { $0 + target.distance[moved(position[$1.0])][moved(position[$1.1])] }
                    return Double(total) / Double(pairs.count)
                }
                let c = max(decay[p], decay[q]) * (cost(blocked) + lookaheadWeight * cost(lookahead))
                if c < bestCost { bestCost = c; bestSwap = (p, q) }
            }
            guard let (p, q) = bestSwap else { throw CompilerError.unsupported("routing found no candidate SWAP") }
            try emitSwap(p, q)
        }
        var moves = [Int](repeating: 0, count: n)
        for w in 0..<n { moves[w] = position[w] }
        return (out, moves, swaps)
    }

    /// Up to `lookaheadSize` 2-qubit gates following the front layer, breadth first.
    static func extendedSet(front: [Int], successors: [[Int]], twoQubit: (Int) -> (Int, Int)?) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var queue = front, seen = Set(front), head = 0
        while head < queue.count && out.count < lookaheadSize {
            let i = queue[head]; head += 1
            for s in successors[i] where seen.insert(s).inserted {
                if let pair = twoQubit(s) { out.append(pair) }
                queue.append(s)
            }
        }
        return out
    }

    /// Wires an instruction occupies: its qubits, then clbits offset by the qubit count.
    static func wires(_ instruction: Instruction, qubitCount: Int) -> [Int] {
        var w = instruction.operation.qubits
        if case .measure(_, let c) = instruction.operation { w.append(qubitCount + c) }
        if let cond = instruction.condition { w += cond.clbits.map { qubitCount + $0 } }
        return w
    }

    /// Forward–backward refinement of an initial layout: route the circuit, start the reversed circuit
    /// from where routing left the qubits, and take its end as the next initial layout.
    /// - Complexity: `2 · iterations` routing runs.
    public static func refineLayout(_ circuit: Circuit, start: Layout, target: CompilerTarget,
                                    iterations: Int) throws -> Layout {
        var reversed = Circuit(quantumRegisters: [], classicalRegisters: circuit.classicalRegisters,
                           numQubits: circuit.numQubits, numClbits: circuit.numClbits)
        for i in circuit.instructions.reversed() { try reversed.append(i) }
        var layout = start
        for _ in 0..<max(0, iterations) {
            for pass in [circuit, reversed] {
                let physical = try LayoutPass.apply(layout, to: pass, physicalCount: target.qubitCount)
                layout = layout.composed(with: try route(physical, target: target).moves)
            }
        }
        return layout
    }
}
