// Runs circuits of the IR on the state vector: lowers gates to matrices (the gate table is the only
// source), fuses them, and samples shots — once from the final state when every measurement is
// terminal, or shot by shot with collapse when measurements feed later operations.
import Foundation
import Numerics
import WukongCircuits
import WukongNumerics

/// Why a circuit cannot run on the gate-level simulator.
public enum GateSimulatorError: Error, CustomStringConvertible, Sendable, Equatable {
    case tooManyQubits(requested: Int, limit: Int)
    case opaqueGate(name: String)
    case unboundParameter(String)
    case gateTooWide(gate: String, qubits: Int)
    case invalidShots(Int)
    case invalidCircuit(String)

    public var description: String {
        switch self {
        case let .tooManyQubits(n, limit):
            return "the circuit uses \(n) qubits; the state-vector simulator holds at most \(limit)"
        case .opaqueGate(let name): return "opaque gate '\(name)' has no definition and cannot be simulated"
        case .unboundParameter(let name): return "parameter '\(name)' has no value; bind it before running"
        case let .gateTooWide(gate, k): return "gate '\(gate)' acts on \(k) qubits; at most 5 are supported"
        case .invalidShots(let n): return "shots must be in 1...\(GateRunOptions.maxShots), got \(n)"
        case .invalidCircuit(let why): return "invalid circuit: \(why)"
        }
    }
}

/// Options of one gate-level run.
public struct GateRunOptions: Sendable {
    /// Largest accepted shot count.
    public static let maxShots = 10_000_000
    /// Number of shots.
    public var shots: Int = 1024
    /// Seed of every random choice (sampling, collapse); the same seed gives the same shots.
    public var seed: UInt64 = 0
    /// Fusion window in qubits (0 or 1 = no fusion). 2 measured fastest on SSE2 builds.
    public var fusionQubits: Int = 2
    /// Threads and thresholds of the kernels.
    public var execution = ExecutionOptions()
    /// Values of the circuit's symbolic parameters.
    public var parameters: [String: Double] = [:]
    /// Keep each shot's bitstring in order (`GateRunResult.memory`).
    public var memory = false
    /// Working precision (single: terminal measurements only).
    public var precision: SimulationPrecision = .double

    public init() {}
}

/// The outcome of a gate-level run.
public struct GateRunResult: Sendable {
    /// Bitstring → count. Bit k of the string (from the right) is clbit k.
    public let counts: [String: Int]
    /// Per-shot bitstrings in shot order, when asked for.
    public let memory: [String]?
    /// Number of classical bits in each bitstring.
    public let clbitCount: Int
    /// True when the circuit had no measurement and every qubit was sampled (qubit k = bit k).
    public let measuredAllImplicitly: Bool
    /// True when shots were simulated one by one (mid-circuit measurement, reset or conditions).
    public let perShot: Bool
    /// With leakage modelled (`NoiseOptions.leakage`): per circuit qubit, the fraction of shots in
    /// which it was outside the computational subspace at the end of the run (before the final
    /// readout). Nil otherwise.
    public let leakedFractions: [Double]?

    /// A result from counts, for other backends that report in the same format.
    public init(counts: [String: Int], memory: [String]?, clbitCount: Int, measuredAllImplicitly: Bool, perShot: Bool,
                leakedFractions: [Double]? = nil) {
        self.counts = counts
        self.memory = memory
        self.clbitCount = clbitCount
        self.measuredAllImplicitly = measuredAllImplicitly
        self.perShot = perShot
        self.leakedFractions = leakedFractions
    }
}

/// One lowered step of a circuit.
enum LoweredStep {
    /// A run of unconditioned gates (unfused: the executor fuses, per cache-blocking stage).
    case gates([GateOperation], fusion: Int)
    case controlled(GateMatrix, controls: [Int], target: Int, condition: ClassicalCondition?)
    case gate(GateOperation, condition: ClassicalCondition?)
    case measure(qubit: Int, clbit: Int, condition: ClassicalCondition?)
    case reset(qubit: Int, condition: ClassicalCondition?)
}

public enum CircuitSimulator {
    /// The state after the circuit's unitary part, from |0…0⟩. Measurements must be terminal
    /// (nothing acts on a qubit after it is measured); resets and conditions are rejected.
    public static func finalState(_ circuit: Circuit, parameters: [String: Double] = [:],
                                  fusionQubits: Int = 2, execution: ExecutionOptions = ExecutionOptions()) throws -> StateVector {
        try checkSize(circuit)
        guard isTerminallyMeasured(circuit) else {
            throw GateSimulatorError.invalidCircuit("mid-circuit measurement, reset or condition: the final state is not unique")
        }
        let state = StateVector(qubitCount: circuit.numQubits, options: execution)
        var noClbits: [Bool] = Array(repeating: false, count: circuit.numClbits)
        var unused = SeededGenerator(seed: 0)
        var fresh = true
        for step in try lower(circuit, parameters: parameters, fusionQubits: fusionQubits) {
            if case .measure = step { continue }
            execute(step, on: state, clbits: &noClbits, rng: &unused, zeroState: fresh)
            fresh = false
        }
        return state
    }

    /// Runs the circuit for `options.shots` shots.
    public static func run(_ circuit: Circuit, options: GateRunOptions = GateRunOptions()) throws -> GateRunResult {
        try checkSize(circuit)
        guard (1...GateRunOptions.maxShots).contains(options.shots) else { throw GateSimulatorError.invalidShots(options.shots) }
        let measures = circuit.instructions.compactMap { i -> (Int, Int)? in
            if case let .measure(q, c) = i.operation { return (q, c) } else { return nil }
        }
        var rng = SeededGenerator(seed: options.seed)
        if isTerminallyMeasured(circuit) {
            let samples: [Int]
            if options.precision == .single {
                samples = try finalStateSingle(circuit, parameters: options.parameters, fusionQubits: options.fusionQubits,
                                               execution: options.execution).sample(shots: options.shots, using: &rng)
            } else {
                samples = try finalState(circuit, parameters: options.parameters, fusionQubits: options.fusionQubits,
                                         execution: options.execution).sample(shots: options.shots, using: &rng)
            }
            let implicit = measures.isEmpty
            let width = implicit ? circuit.numQubits : circuit.numClbits
            let bitstrings = samples.map { index -> String in
                if implicit { return StateVector.bitstring(index, qubitCount: width) }
                var bits = [Character](repeating: "0", count: width)
                for (q, c) in measures where (index >> q) & 1 == 1 { bits[width - 1 - c] = "1" }
                for (q, c) in measures where (index >> q) & 1 == 0 { bits[width - 1 - c] = "0" }
                return String(bits)
            }
            return tally(bitstrings, width: width, memory: options.memory, implicit: implicit, perShot: false)
        }
        if options.precision == .single {
            throw GateSimulatorError.invalidCircuit(
                "single precision runs circuits whose measurements are terminal (no mid-circuit measurement, reset or condition); use double")
        }
        let steps = try lower(circuit, parameters: options.parameters, fusionQubits: options.fusionQubits)
        var bitstrings: [String] = []
        bitstrings.reserveCapacity(options.shots)
        for _ in 0..<options.shots {
            let state = StateVector(qubitCount: circuit.numQubits, options: options.execution)
            var clbits = [Bool](repeating: false, count: circuit.numClbits)
            var fresh = true
            for step in steps {
                execute(step, on: state, clbits: &clbits, rng: &rng, zeroState: fresh)
                fresh = false
            }
            bitstrings.append(String(clbits.reversed().map { $0 ? "1" : "0" }))
        }
        return tally(bitstrings, width: circuit.numClbits, memory: options.memory, implicit: false, perShot: true)
    }

    /// Whether no operation follows a measurement on the same qubit, and there are no resets or conditions.
    public static func isTerminallyMeasured(_ circuit: Circuit) -> Bool {
        var measured = Set<Int>()
        for i in circuit.instructions {
            if i.condition != nil { return false }
            switch i.operation {
            case .measure(let q, _): measured.insert(q)
            case .reset: return false
            case .barrier: continue
            default: if i.operation.qubits.contains(where: measured.contains) { return false }
            }
        }
        return true
    }

    /// A gate as a dense operation on its operands, or — for a one-qubit gate under more controls
    /// than a dense matrix allows — as a controlled step.
    static func step(_ g: GateApplication, parameters: [String: Double], condition: ClassicalCondition?) throws -> LoweredStep {
        let missing = g.parameters.flatMap(\.freeSymbols).first { parameters[$0] == nil }
        if let missing { throw GateSimulatorError.unboundParameter(missing) }
        if g.operands.count > 5 {
            guard g.gate.arity == 1 else { throw GateSimulatorError.gateTooWide(gate: g.gate.rawValue, qubits: g.operands.count) }
            let base = g.gate.matrix(try g.parameters.map { try $0.evaluate(parameters) })
            return .controlled(base, controls: g.controls, target: g.qubits[0], condition: condition)
        }
        return .gate(GateOperation(try g.matrix(parameters), on: g.operands), condition: condition)
    }

    static func lower(_ circuit: Circuit, parameters: [String: Double], fusionQubits: Int) throws -> [LoweredStep] {
        var steps: [LoweredStep] = []
        var pending: [GateOperation] = []
        func flush() {
            guard !pending.isEmpty else { return }
            steps.append(.gates(pending, fusion: fusionQubits))
            pending = []
        }
        for i in circuit.instructions {
            switch i.operation {
            case .gate(let g):
                let lowered = try step(g, parameters: parameters, condition: i.condition)
                if i.condition == nil, case let .gate(op, _) = lowered { pending.append(op) } else { flush(); steps.append(lowered) }
            case .unitary(let m, let qs):
                if let c = i.condition { flush(); steps.append(.gate(GateOperation(m, on: qs), condition: c)) }
                else { pending.append(GateOperation(m, on: qs)) }
            case .measure(let q, let c): flush(); steps.append(.measure(qubit: q, clbit: c, condition: i.condition))
            case .reset(let q): flush(); steps.append(.reset(qubit: q, condition: i.condition))
            case .barrier: continue
            case .opaque(let name, _, _): throw GateSimulatorError.opaqueGate(name: name)
            }
        }
        flush()
        return steps
    }

    static func holds(_ condition: ClassicalCondition?, _ clbits: [Bool]) -> Bool {
        guard let c = condition else { return true }
        var value = 0
        for (k, bit) in c.clbits.enumerated() where clbits[bit] { value |= 1 << k }
        return value == c.value
    }

    static func execute(_ step: LoweredStep, on state: StateVector, clbits: inout [Bool], rng: inout SeededGenerator,
                        zeroState: Bool = false) {
        switch step {
        case let .gates(ops, fusion):
            CacheBlockedExecutor.apply(ops, to: state, blocking: state.options.blocking(fusionQubits: fusion),
                                       zeroState: zeroState)
        case let .gate(op, condition): if holds(condition, clbits) { state.apply(op.matrix, on: op.qubits) }
        case let .controlled(m, controls, target, condition):
            if holds(condition, clbits) { state.applyControlled(m, controls: controls, target: target) }
        case let .measure(q, c, condition): if holds(condition, clbits) { clbits[c] = state.measure(q, using: &rng) == 1 }
        case let .reset(q, condition): if holds(condition, clbits) { _ = state.reset(q, using: &rng) }
        }
    }

    static func checkSize(_ circuit: Circuit) throws {
        guard circuit.numQubits <= StateVector.maxQubitCount else {
            throw GateSimulatorError.tooManyQubits(requested: circuit.numQubits, limit: StateVector.maxQubitCount)
        }
        do { try circuit.validate() } catch { throw GateSimulatorError.invalidCircuit("\(error)") }
    }

    static func tally(_ bitstrings: [String], width: Int, memory: Bool, implicit: Bool, perShot: Bool,
                      leakedFractions: [Double]? = nil) -> GateRunResult {
        var counts: [String: Int] = [:]
        for b in bitstrings { counts[b, default: 0] += 1 }
        return GateRunResult(counts: counts, memory: memory ? bitstrings : nil, clbitCount: width,
                             measuredAllImplicitly: implicit, perShot: perShot, leakedFractions: leakedFractions)
    }
}
