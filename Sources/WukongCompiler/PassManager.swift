// The pass framework: the state a pipeline threads through its passes (circuit plus layout), the
// `CompilerPass` protocol, and `PassManager`, which runs passes in order and records timing and stats.
import Foundation
import WukongCircuits

/// What passes read and write: the circuit and, once a layout pass ran, where its qubits live.
public struct CompilationState: Sendable {
    /// The circuit being compiled. Before layout its qubits are logical; after, physical.
    public var circuit: Circuit
    /// The layout at the start of the circuit (set by a layout pass; nil while qubits are logical).
    public var initialLayout: Layout?
    /// The layout at the end of the circuit (routing moves qubits; equals `initialLayout` otherwise).
    public var finalLayout: Layout?
    /// SWAPs inserted by routing.
    public var swapCount: Int = 0

    public init(circuit: Circuit) { self.circuit = circuit }

    /// Builds a circuit with the same classical bits and registers as `circuit` and the given qubit count.
    /// Qubit registers are dropped when `physical` (the OpenQASM 3 exporter then writes `$k`).
    public func emptyCopy(numQubits: Int? = nil, physical: Bool = false) -> Circuit {
        Circuit(quantumRegisters: physical ? [] : circuit.quantumRegisters,
                classicalRegisters: circuit.classicalRegisters,
                numQubits: numQubits ?? circuit.numQubits, numClbits: circuit.numClbits)
    }
}

/// One compiler pass: a value with a clear contract over `CompilationState`.
///
/// A pass must keep the circuit's unitary up to global phase, and, for passes that move qubits,
/// up to the permutation it records in `finalLayout`. Each pass documents its pre- and postconditions.
public protocol CompilerPass: Sendable {
    /// Short name used in stats and errors.
    var name: String { get }
    /// Transforms the state.
    func run(_ state: inout CompilationState, target: CompilerTarget) throws
}

/// Timing and effect of one pass in a pipeline run.
public struct PassRecord: Sendable, Codable, Hashable {
    /// The pass name.
    public var pass: String
    /// Wall-clock time, ms.
    public var elapsedMs: Double
    /// Number of operations (gates, measures, resets; barriers excluded) before and after.
    public var operationsBefore: Int, operationsAfter: Int
    /// Two-qubit gates after the pass.
    public var twoQubitGatesAfter: Int
    /// Depth (longest chain of operations sharing qubits) after the pass.
    public var depthAfter: Int
}

/// Runs passes in order, recording a `PassRecord` for each.
public struct PassManager: Sendable {
    /// The pipeline, in order.
    public var passes: [any CompilerPass]

    public init(_ passes: [any CompilerPass]) { self.passes = passes }

    /// Runs every pass on `state`; returns one record per pass.
    public func run(_ state: inout CompilationState, target: CompilerTarget) throws -> [PassRecord] {
        var records: [PassRecord] = []
        for pass in passes {
            let before = CircuitStats(state.circuit).operationCount
            let start = DispatchTime.now().uptimeNanoseconds
            try pass.run(&state, target: target)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            let after = CircuitStats(state.circuit)
            records.append(PassRecord(pass: pass.name, elapsedMs: elapsed, operationsBefore: before,
                                      operationsAfter: after.operationCount,
                                      twoQubitGatesAfter: after.twoQubitGateCount, depthAfter: after.depth))
        }
        return records
    }
}

/// Counts over a circuit: operations by name, two-qubit gates, depth.
public struct CircuitStats: Sendable, Codable, Hashable {
    /// Operation counts keyed by gate name (`rphi`, `cz`, …) or `measure`, `reset`, `unitary`.
    public var counts: [String: Int]
    /// Operations excluding barriers.
    public var operationCount: Int
    /// Gates on two or more qubits.
    public var twoQubitGateCount: Int
    /// Length of the longest chain of operations that share qubits (barriers and virtual `rz` not counted).
    public var depth: Int

    /// - Complexity: O(number of instructions × operands).
    public init(_ circuit: Circuit) {
        var counts: [String: Int] = [:]
        var total = 0, twoQubit = 0
        var level = [Int](repeating: 0, count: circuit.numQubits)
        for instruction in circuit.instructions {
            let op = instruction.operation
            let key: String
            switch op {
            case .gate(let g): key = g.gate.rawValue
            case .measure: key = "measure"
            case .reset: key = "reset"
            case .unitary: key = "unitary"
            case .opaque(let name, _, _): key = name
            case .barrier(let qs):
                let top = qs.map { level[$0] }.max() ?? 0
                for q in qs { level[q] = top }
                continue
            }
            counts[key, default: 0] += 1
            total += 1
            let qs = op.qubits
            if qs.count >= 2, case .gate = op { twoQubit += 1 }
            if case .gate(let g) = op, g.gate == .rz { continue }
            let top = (qs.map { level[$0] }.max() ?? 0) + 1
            for q in qs { level[q] = top }
        }
        self.counts = counts
        operationCount = total
        twoQubitGateCount = twoQubit
        depth = level.max() ?? 0
    }
}
