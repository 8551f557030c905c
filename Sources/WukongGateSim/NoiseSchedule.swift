// Lowers a circuit into noisy steps on an ASAP layer schedule: each gate with its own noise,
// then per layer the idle relaxation of waiting qubits and the residual-ZZ phase of coupled pairs.
import Foundation
import Numerics
import WukongCircuits

/// One step of a noisy program.
enum NoisyStep {
    /// An ideal unitary on `qubits` followed by its gate noise, all skipped when the condition fails.
    case gate(GateMatrix, qubits: [Int], noise: [AppliedChannel], condition: ClassicalCondition?)
    /// An unconditional channel (idle relaxation, residual ZZ).
    case channel(AppliedChannel)
    case measure(qubit: Int, clbit: Int, condition: ClassicalCondition?)
    case reset(qubit: Int, condition: ClassicalCondition?)
    /// A chance of leakage after a gate (skipped when the gate's condition fails).
    case leak(LeakEvent, condition: ClassicalCondition?)
    /// A leaked qubit returns to |1⟩ with `probability` (the seepage over a span of time).
    case seep(qubit: Int, probability: Double)
}

/// The ASAP layer schedule of a circuit under a noise model.
///
/// **Layers.** Each operation goes into the layer after the latest layer holding one of its
/// qubits (or, for measurements and conditions, one of its clbits); barriers align their qubits.
/// Virtual (0-ns) one-qubit gates join the current layer of their qubit and never open one.
/// Measurements that end their qubit's and clbit's history are collected in one final layer, as
/// on hardware, where the whole register is read out at the end.
///
/// **Timing.** A layer lasts as long as its busiest qubit (sum of its operations' durations: RPhi
/// pulse, CZ counts, readout for measurements, readout + one pulse for resets). Every circuit
/// qubit busy for less than the layer's length relaxes (T1, T2, thermal population) for the
/// difference; every coupled pair of circuit qubits not joined by a two-qubit gate in the layer
/// picks up the residual-ZZ phase over the layer's length. The final readout layer adds no noise
/// (readout errors are the assignment matrices).
///
/// **Leakage** (only when `model.modelsLeakage`): each gate is followed by its leak events, and
/// every circuit qubit gets seepage steps covering the whole schedule — over each operation's
/// duration just before the operation, and over its idle time at the layer's end.
struct NoiseSchedule {
    /// The program in execution order.
    var steps: [NoisyStep] = []
    /// Total duration of the schedule before the final readout (ns).
    var durationNs = 0.0

    private struct Item {
        var step: NoisyStep
        var qubits: [Int]
        var durationNs: Double
        var pair: QubitPair?
        /// Steps that follow `step` (leak events).
        var after: [NoisyStep] = []
    }

    init(_ circuit: Circuit, model: GateNoiseModel, parameters: [String: Double]) throws {
        let n = circuit.numQubits
        let noisy = model.options.enabled
        var layers: [[Item]] = []
        var lastLayer = [Int](repeating: -1, count: n)
        var clbitLayer = [Int](repeating: -1, count: max(circuit.numClbits, 1))
        var finalMeasures: [Item] = []
        let terminal = Self.terminalMeasurements(circuit)

        func place(_ item: Item, clbitsRead: [Int], clbitsWritten: [Int], virtualGate: Bool) {
            let qubitDeps = item.qubits.map { lastLayer[$0] }.max() ?? -1
            let clbitDeps = (clbitsRead + clbitsWritten).map { clbitLayer[$0] }.max() ?? -1
            let layer = virtualGate ? max(qubitDeps, 0) : max(qubitDeps, clbitDeps) + 1
            while layers.count <= layer { layers.append([]) }
            layers[layer].append(item)
            if !virtualGate { for q in item.qubits { lastLayer[q] = layer } }
            for c in clbitsRead + clbitsWritten { clbitLayer[c] = max(clbitLayer[c], layer) }
        }

        for (index, instruction) in circuit.instructions.enumerated() {
            let condition = instruction.condition
            let read = condition.map { Array($0.clbits) } ?? []
            switch instruction.operation {
            case .barrier(let qs):
                let m = qs.map { lastLayer[$0] }.max() ?? -1
                for q in qs { lastLayer[q] = m }
            case let .measure(q, c):
                let item = Item(step: .measure(qubit: q, clbit: c, condition: condition), qubits: [q],
                                durationNs: model.device.qubits[q].readoutDurationNs, pair: nil)
                if terminal.contains(index) { finalMeasures.append(item) }
                else { place(item, clbitsRead: read, clbitsWritten: [c], virtualGate: false) }
            case .reset(let q):
                let p = model.device.qubits[q]
                place(Item(step: .reset(qubit: q, condition: condition), qubits: [q],
                           durationNs: p.readoutDurationNs + p.rphiDurationNs, pair: nil),
                      clbitsRead: read, clbitsWritten: [], virtualGate: false)
            case .opaque(let name, _, _):
                throw GateSimulatorError.opaqueGate(name: name)
            case let .unitary(m, qs):
                let item = Self.gateItem(m, qs, gate: nil, extraControls: 0, model: model, condition: condition)
                place(item, clbitsRead: read, clbitsWritten: [], virtualGate: item.durationNs == 0 && condition == nil)
            case .gate(let g):
                for part in try Self.expand(g, parameters: parameters, decompose: noisy) {
                    let m = try part.matrix(parameters)
                    let item = Self.gateItem(m, part.operands, gate: part.gate, extraControls: part.controls.count,
                                             model: model, condition: condition)
                    place(item, clbitsRead: read, clbitsWritten: [], virtualGate: item.durationNs == 0 && condition == nil)
                }
            }
        }
        for layer in layers { emit(layer, qubitCount: n, model: model) }
        steps += finalMeasures.map(\.step)
    }

    private static func gateItem(_ m: GateMatrix, _ qubits: [Int], gate: StandardGate?, extraControls: Int,
                                 model: GateNoiseModel, condition: ClassicalCondition?) -> Item {
        let cost = GateNoiseModel.cost(gate: gate, extraControls: extraControls, matrix: m, operandCount: qubits.count)
        let duration = model.options.enabled ? model.durationNs(of: cost, on: qubits) : 0
        return Item(step: .gate(m, qubits: qubits, noise: model.gateNoise(cost, on: qubits), condition: condition),
                    qubits: qubits, durationNs: duration,
                    pair: qubits.count == 2 ? QubitPair(qubits[0], qubits[1]) : nil,
                    after: model.leakEvents(cost, on: qubits).map { .leak($0, condition: condition) })
    }

    /// Gates on three or more operands replaced by their gate-table decomposition (recursively)
    /// when noise is on, so each part gets its native cost; parameters must be bound.
    static func expand(_ g: GateApplication, parameters: [String: Double], decompose: Bool) throws -> [GateApplication] {
        if let missing = g.parameters.flatMap(\.freeSymbols).first(where: { parameters[$0] == nil }) {
            throw GateSimulatorError.unboundParameter(missing)
        }
        guard decompose, g.operands.count >= 3, g.controls.isEmpty,
              let steps = g.gate.definition.decomposition?(g.parameters) else { return [g] }
        return try steps.flatMap { s in
            try expand(GateApplication(s.gate, s.operands.map { g.qubits[$0] }, s.parameters),
                       parameters: parameters, decompose: decompose)
        }
    }

    /// Indices of unconditioned measurements after which nothing touches their qubit or clbit.
    static func terminalMeasurements(_ circuit: Circuit) -> Set<Int> {
        var usedQubits = Set<Int>(), usedClbits = Set<Int>()
        var out = Set<Int>()
        for (index, instruction) in circuit.instructions.enumerated().reversed() {
            if let c = instruction.condition { usedClbits.formUnion(c.clbits) }
            switch instruction.operation {
            case .barrier: continue
            case let .measure(q, c):
                if instruction.condition == nil && !usedQubits.contains(q) && !usedClbits.contains(c) { out.insert(index) }
                usedQubits.insert(q)
                usedClbits.insert(c)
            default: usedQubits.formUnion(instruction.operation.qubits)
            }
        }
        return out
    }

    private mutating func emit(_ layer: [Item], qubitCount n: Int, model: GateNoiseModel) {
        var busy = [Double](repeating: 0, count: n)
        var pairs = Set<QubitPair>()
        let leakage = model.modelsLeakage
        for item in layer {
            if leakage && item.durationNs > 0 {
                for q in item.qubits {
                    steps.append(.seep(qubit: q, probability: model.seepageProbability(of: q, durationNs: item.durationNs)))
                }
            }
            steps.append(item.step)
            steps += item.after
            for q in item.qubits { busy[q] += item.durationNs }
            if let p = item.pair { pairs.insert(p) }
        }
        let length = busy.max() ?? 0
        durationNs += length
        guard model.options.enabled, length > 0 else { return }
        if leakage {
            for q in 0..<n where length - busy[q] > 0 {
                steps.append(.seep(qubit: q, probability: model.seepageProbability(of: q, durationNs: length - busy[q])))
            }
        }
        if model.options.idleRelaxation {
            for q in 0..<n where length - busy[q] > 0 {
                steps.append(.channel(AppliedChannel(model.relaxation(of: q, durationNs: length - busy[q]), on: [q])))
            }
        }
        if model.options.residualZZ {
            for (pair, c) in model.device.couplers.sorted(by: { ($0.key.low, $0.key.high) < ($1.key.low, $1.key.high) })
            where pair.high < n && c.residualZZGHz.isFinite && c.residualZZGHz != 0 && !pairs.contains(pair) {
                steps.append(.channel(AppliedChannel(.zzPhase(zetaGHz: c.residualZZGHz, durationNs: length),
                                                     on: [pair.low, pair.high])))
            }
        }
    }
}
