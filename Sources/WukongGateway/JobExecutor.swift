// The backend interface workers call, and the gate-level implementation: the ideal state-vector
// simulator, or with noise `calibration` the noisy simulator on the job's pinned calibration snapshot.
// The pulse path is `PulseJobExecutor` (PulseJobExecutor.swift).
import Foundation
import WukongCircuits
import WukongDevice
import WukongGateSim

/// Runs the items of a job on one execution path. Implementations must be deterministic in
/// (job spec, seed, calibration snapshot): a requeued job must return identical shots.
public protocol JobExecutor: Sendable {
    /// The job-level backend name this executor serves (`gate` or `pulse`).
    var backend: String { get }
    /// Runs every item in order. Calls `shouldStop` between executions and throws `ExecutionStopped`
    /// when it returns true. Runs on a worker's own thread: it may block.
    func execute(_ job: JobRecord, calibration: CalibrationSnapshot?, shouldStop: @Sendable () -> Bool) throws -> [ItemResult]
}

/// Thrown by an executor that stopped because the job was cancelled or its lease was lost.
public struct ExecutionStopped: Error, Sendable {}

/// An execution failure with a message for the job's `reason`.
public struct ExecutionFailed: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// The seed of execution `set` of item `item`: SplitMix64 of the job seed mixed with both indices,
/// so executions are independent yet reproducible.
public func executionSeed(job: UInt64, item: Int, set: Int) -> UInt64 {
    var z = job &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(item &* 1_000_003 &+ set &+ 1)
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// The gate path: parses each distinct program once and runs it on the state vector (noise `none`) or
/// through `NoisySimulator` with the noise model of the job's calibration snapshot (noise `calibration`;
/// `calibration_leakage` adds the snapshot's gate leakage, `NoiseOptions.leakage`).
public struct GateJobExecutor: JobExecutor {
    public let backend = "gate"
    /// Kernel threads per run; workers already run in parallel, so one by default.
    public var execution: ExecutionOptions

    public init(execution: ExecutionOptions = .serial) { self.execution = execution }

    public func execute(_ job: JobRecord, calibration: CalibrationSnapshot?, shouldStop: @Sendable () -> Bool) throws -> [ItemResult] {
        var noise: GateNoiseModel?
        switch job.spec.noise {
        case "none": noise = nil
        case "calibration", "calibration_leakage":
            guard let calibration else {
                throw ExecutionFailed(description: "calibration snapshot '\(job.calibrationID)' is not loaded in this gateway")
            }
            var options = NoiseOptions()
            options.leakage = job.spec.noise == "calibration_leakage"
            noise = GateNoiseModel(calibration: calibration, options: options)
        default:
            throw ExecutionFailed(description: "unknown noise model '\(job.spec.noise)'")
        }
        return try runItems(of: job, shouldStop: shouldStop) { i, k, item, circuit, parameters in
            var options = GateRunOptions()
            options.shots = item.shots
            options.seed = executionSeed(job: job.seed, item: i, set: k)
            options.parameters = parameters
            options.memory = item.memory
            options.execution = execution
            let r = try noise.map { try NoisySimulator.run(circuit, noise: $0, options: options) }
                ?? CircuitSimulator.run(circuit, options: options)
            return SetResult(counts: r.counts, memory: r.memory)
        }
    }
}

/// The loop every executor shares: parse each distinct program once (and check it with `prepare`), run
/// every parameter set of every item with `runSet`, stop between sets when asked, and name the item and
/// set in any error. Items in `openpulse` go to `openPulse` (which runs all their sets and checks
/// `shouldStop` itself); when it returns nil (the default) they fail, naming the backend that runs them.
func runItems(of job: JobRecord, shouldStop: @Sendable () -> Bool,
              openPulse: (_ item: Int, _ spec: JobItem) throws -> [SetResult]? = { _, _ in nil },
              prepare: (_ item: Int, _ spec: JobItem, _ circuit: Circuit) throws -> Void = { _, _, _ in },
              runSet: (_ item: Int, _ set: Int, _ spec: JobItem, _ circuit: Circuit, _ parameters: [String: Double]) throws -> SetResult)
    throws -> [ItemResult] {
    var circuits: [String: Circuit] = [:]
    var out: [ItemResult] = []
    for (i, item) in job.spec.items.enumerated() {
        if item.language.isPulseLevel {
            let sets: [SetResult]?
            do {
                sets = try openPulse(i, item)
            } catch let e as ExecutionStopped {
                throw e
            } catch let e as ExecutionFailed {
                throw ExecutionFailed(description: "item \(i): \(e.description)")
            } catch {
                throw ExecutionFailed(description: "item \(i): \(error)")
            }
            guard let sets else {
                throw ExecutionFailed(description: "item \(i): \(item.language.rawValue) programs run on backend 'pulse' only, not '\(job.spec.backend)'")
            }
            out.append(ItemResult(index: i, sets: sets))
            continue
        }
        let circuit: Circuit
        if let c = circuits[item.program] {
            circuit = c
        } else {
            do {
                circuit = try ProgramReader.parse(item.program, file: "items[\(i)].program", language: item.language.programLanguage)
                try prepare(i, item, circuit)
            } catch let e as ExecutionFailed {
                throw ExecutionFailed(description: "item \(i): \(e.description)")
            } catch {
                throw ExecutionFailed(description: "item \(i): \(error)")
            }
            circuits[item.program] = circuit
        }
        var sets: [SetResult] = []
        for (k, parameters) in item.parameterSets.enumerated() {
            if shouldStop() { throw ExecutionStopped() }
            if let bad = nonFiniteParameter(in: circuit, values: parameters) {
                throw ExecutionFailed(description: "item \(i), parameter set \(k): \(bad)")
            }
            do {
                sets.append(try runSet(i, k, item, circuit, parameters))
            } catch {
                throw ExecutionFailed(description: "item \(i), parameter set \(k): \(error)")
            }
        }
        out.append(ItemResult(index: i, sets: sets))
    }
    return out
}

/// Where a gate angle of `circuit` is not a finite number once `values` are bound (`pi/0`, `1e400`, a
/// parameter set that divides by zero): a description naming the instruction, or nil when every angle
/// that can be evaluated is finite. Angles with symbols missing from `values` are skipped. The
/// simulators assume finite angles (a NaN state would fail their measurement invariants).
/// - Complexity: O(instructions · parameters).
public func nonFiniteParameter(in circuit: Circuit, values: [String: Double]) -> String? {
    for (k, instruction) in circuit.instructions.enumerated() {
        let parameters: [ParameterExpression]
        let name: String
        switch instruction.operation {
        case .gate(let g): parameters = g.parameters; name = g.gate.rawValue
        case .opaque(let n, _, let ps): parameters = ps; name = n
        default: continue
        }
        for (j, p) in parameters.enumerated() {
            guard let v = try? p.evaluate(values) else { continue }
            if !v.isFinite { return "instruction \(k) (\(name)): parameter \(j) evaluates to \(v); gate angles must be finite" }
        }
    }
    return nil
}
