// Scheduling: native circuit → `ScheduledProgram` with calibrated durations (RZ 0 ns, RPhi per qubit,
// CZ per coupler occupying both qubits, measure = readout duration) and per-qubit virtual-Z frames.
import WukongCircuits

/// Durations the calibration does not hold.
public struct SchedulingOptions: Sendable, Hashable {
    /// ASAP or ALAP.
    public var policy: SchedulingPolicy = .asap
    /// Extra time of a reset beyond one readout plus one RPhi (measure, then conditional π), ns.
    public var resetExtraNs: Double = 0
    public init(policy: SchedulingPolicy = .asap, resetExtraNs: Double = 0) {
        self.policy = policy
        self.resetExtraNs = resetExtraNs
    }
}

/// Builds schedules.
public enum Scheduler {
    /// Schedules a native, routed circuit.
    ///
    /// Resource model: each qubit and each clbit is a wire; an operation starts when all its wires
    /// are free (a conditioned operation also waits on the clbits it reads) and holds them for its
    /// duration. Barriers align their qubits. Precondition: native gates only; every CZ on an enabled
    /// coupler. - Complexity: O(g log g) for g instructions.
    public static func schedule(_ circuit: Circuit, target: CompilerTarget,
                                options: SchedulingOptions = SchedulingOptions()) throws -> ScheduledProgram {
        let n = circuit.numQubits
        // 1. Program-order pass: operations, durations, frames.
        var frame = [Double](repeating: 0, count: n)
        var entries: [(op: ScheduledOperation, duration: Double, index: Int, condition: ClassicalCondition?,
                       wires: [Int], afterCZ: Bool)] = []
        for (index, instruction) in circuit.instructions.enumerated() {
            let op = instruction.operation
            var wires = op.qubits
            if let c = instruction.condition { wires += c.clbits.map { n + $0 } }
            func add(_ s: ScheduledOperation, _ d: Double, wires w: [Int] = wires, afterCZ: Bool = false) {
                entries.append((s, d, index, instruction.condition, w, afterCZ))
            }
            switch op {
            case .gate(let g) where g.controls.isEmpty && g.gate == .rz:
                let lambda = try g.parameters[0].evaluate()
                frame[g.qubits[0]] = OneQubitSynthesis.wrap(frame[g.qubits[0]] - lambda)
                add(.frameShift(qubit: g.qubits[0], shift: -lambda, fromCZ: false), 0)
            case .gate(let g) where g.controls.isEmpty && g.gate == .rphi:
                let q = g.qubits[0]
                let theta = try g.parameters[0].evaluate(), phi = try g.parameters[1].evaluate()
                add(.rphi(qubit: q, theta: theta, phi: phi, drivePhase: OneQubitSynthesis.wrap(phi + frame[q])),
                    target.rphiDurationNs[q])
            case .gate(let g) where g.controls.isEmpty && g.gate == .cz:
                guard let c = target.coupler(between: g.qubits[0], g.qubits[1]) else {
                    throw CompilerError.contractViolated(pass: "schedule", "cz on \(g.qubits) is not on an enabled coupler")
                }
                let ends = target.topology.endpoints(of: c)
                let (low, high) = (ends.low.rawValue, ends.high.rawValue)
                add(.cz(coupler: c.rawValue, qubits: [low, high]), target.czDurationNs[c.rawValue])
                let corrections = target.czVirtualZ[c.rawValue]
                for (q, phi) in zip([low, high], corrections) where phi != 0 {
                    frame[q] = OneQubitSynthesis.wrap(frame[q] - phi)
                    add(.frameShift(qubit: q, shift: -phi, fromCZ: true), 0, wires: [q] + wires.filter { $0 >= n },
                        afterCZ: true)
                }
            case .measure(let q, let c):
                add(.measure(qubit: q, clbit: c), target.readoutDurationNs[q], wires: wires + [n + c])
            case .reset(let q):
                add(.reset(qubit: q), target.readoutDurationNs[q] + target.rphiDurationNs[q] + options.resetExtraNs)
            case .barrier(let qs):
                add(.barrier(qubits: qs), 0)
            default:
                throw CompilerError.contractViolated(pass: "schedule", "non-native operation \(op)")
            }
        }
        // 2. Timing over wires; ALAP is ASAP of the reversed program, mirrored.
        let wireCount = n + circuit.numClbits
        func asap(_ order: [Int]) -> [Double] {
            var free = [Double](repeating: 0, count: wireCount)
            var start = [Double](repeating: 0, count: entries.count)
            for i in order {
                let e = entries[i]
                let t = e.wires.map { free[$0] }.max() ?? 0
                start[i] = t
                for w in e.wires { free[w] = t + e.duration }
            }
            return start
        }
        var starts: [Double]
        let forward = Array(entries.indices)
        switch options.policy {
        case .asap:
            starts = asap(forward)
        case .alap:
            let reverse = asap(forward.reversed())
            let total = entries.indices.map { reverse[$0] + entries[$0].duration }.max() ?? 0
            starts = entries.indices.map { total - reverse[$0] - entries[$0].duration }
        }
        var timed = entries.indices.map { i in
            TimedInstruction(operation: entries[i].op, startNs: starts[i], durationNs: entries[i].duration,
                             condition: entries[i].condition, circuitIndex: entries[i].index)
        }
        // Stable sort by start: equal starts keep program order, which per qubit is the frame order.
        timed = timed.enumerated().sorted { a, b in
            a.element.startNs != b.element.startNs ? a.element.startNs < b.element.startNs : a.offset < b.offset
        }.map(\.element)
        let duration = timed.map(\.endNs).max() ?? 0
        return ScheduledProgram(policy: options.policy, instructions: timed, durationNs: duration, finalFrames: frame)
    }
}
