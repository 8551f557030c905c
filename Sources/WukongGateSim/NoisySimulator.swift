// Noisy circuit runs: the density matrix for small registers, quantum trajectories above, both
// on the same noisy program (NoiseSchedule) and returning CircuitSimulator's result format.
import Foundation
import Numerics
import WukongCircuits
import WukongNumerics

/// Why a circuit cannot run under the noise model.
public enum NoisySimulatorError: Error, CustomStringConvertible, Sendable, Equatable {
    case circuitWiderThanChip(circuitQubits: Int, chipQubits: Int)
    case tooManyQubitsForDensityMatrix(requested: Int, limit: Int)
    case leakageNeedsTrajectories

    public var description: String {
        switch self {
        case let .circuitWiderThanChip(n, chip):
            return "the circuit uses \(n) qubits but the calibrated chip has \(chip) (logical qubit i runs on physical qubit i)"
        case let .tooManyQubitsForDensityMatrix(n, limit):
            return "a density matrix of \(n) qubits exceeds the limit of \(limit); use trajectories"
        case .leakageNeedsTrajectories:
            return "leakage is simulated on quantum trajectories only (a leaked qubit is a classical flag per trajectory); "
                + "use the trajectories or automatic method, or switch leakage off"
        }
    }
}

/// How a noisy run is simulated.
public struct NoisyRunOptions: Sendable {
    /// The simulation method.
    public enum Method: Sendable, Equatable {
        /// Density matrix up to `densityMatrixMaxQubits`, trajectories above.
        case automatic
        case densityMatrix
        case trajectories
    }

    /// The method.
    public var method: Method = .automatic
    /// Largest register `automatic` simulates with the density matrix (memory 16·4ⁿ bytes:
    /// 256 MiB at 12). With leakage modelled, `automatic` always uses trajectories.
    public var densityMatrixMaxQubits = 12
    /// Trajectories for circuits whose measurements are all terminal: shots are split as evenly as
    /// possible over `min(shots, maxTrajectories)` trajectories, and each trajectory's final state
    /// is sampled for its share. (Shots of one trajectory share its noise history; the counts'
    /// expectation is exact, their variance somewhat above multinomial when shots > trajectories.)
    /// Circuits with mid-circuit measurement, reset or conditions run one trajectory per shot.
    public var maxTrajectories = 1024

    public init() {}
}

public enum NoisySimulator {
    /// Runs `circuit` for `options.shots` shots under `noise`.
    ///
    /// Logical qubit i is physical qubit i of the calibrated chip. With every measurement terminal,
    /// the final noisy state is computed once (density matrix) or per trajectory and sampled
    /// exactly; otherwise measurements collapse the state (the density matrix branches on each
    /// outcome, dividing the shots multinomially). Readout errors flip sampled bits with the
    /// assignment matrix; a flipped mid-circuit bit is what later conditions see.
    public static func run(_ circuit: Circuit, noise: GateNoiseModel, options: GateRunOptions = GateRunOptions(),
                           noisyOptions: NoisyRunOptions = NoisyRunOptions()) throws -> GateRunResult {
        try CircuitSimulator.checkSize(circuit)
        guard circuit.numQubits <= noise.qubitCount else {
            throw NoisySimulatorError.circuitWiderThanChip(circuitQubits: circuit.numQubits, chipQubits: noise.qubitCount)
        }
        guard (1...GateRunOptions.maxShots).contains(options.shots) else { throw GateSimulatorError.invalidShots(options.shots) }
        let schedule = try NoiseSchedule(circuit, model: noise, parameters: options.parameters)
        try checkWidths(schedule.steps)
        let useDensityMatrix: Bool
        switch noisyOptions.method {
        case .automatic:
            useDensityMatrix = !noise.modelsLeakage
                && circuit.numQubits <= min(noisyOptions.densityMatrixMaxQubits, DensityMatrix.maxQubitCount)
        case .densityMatrix:
            guard !noise.modelsLeakage else { throw NoisySimulatorError.leakageNeedsTrajectories }
            guard circuit.numQubits <= DensityMatrix.maxQubitCount else {
                throw NoisySimulatorError.tooManyQubitsForDensityMatrix(requested: circuit.numQubits, limit: DensityMatrix.maxQubitCount)
            }
            useDensityMatrix = true
        case .trajectories: useDensityMatrix = false
        }
        let readout = Readout(circuit: circuit, model: noise)
        var rng = SeededGenerator(seed: options.seed)
        let terminal = CircuitSimulator.isTerminallyMeasured(circuit)
        var bitstrings: [String]
        var leakedFractions: [Double]?
        if useDensityMatrix {
            let program = DensityProgram(schedule.steps, qubitCount: circuit.numQubits)
            let rho = DensityMatrix(qubitCount: circuit.numQubits, options: options.execution)
            if terminal {
                program.run(on: rho, clbits: nil)
                bitstrings = rho.sample(shots: options.shots, using: &rng).map { readout.bitstring($0, &rng) }
            } else {
                bitstrings = []
                var clbits = [Bool](repeating: false, count: circuit.numClbits)
                program.branch(from: 0, rho, &clbits, shots: options.shots, readout: readout, rng: &rng, into: &bitstrings)
                bitstrings.shuffle(using: &rng)
            }
        } else {
            let leakedShots: [Int]
            (bitstrings, leakedShots) = Trajectories.run(schedule.steps, qubitCount: circuit.numQubits, terminal: terminal,
                                                         shots: options.shots, maxTrajectories: noisyOptions.maxTrajectories,
                                                         execution: options.execution, readout: readout, rng: &rng)
            if noise.modelsLeakage { leakedFractions = leakedShots.map { Double($0) / Double(options.shots) } }
        }
        return CircuitSimulator.tally(bitstrings, width: readout.width, memory: options.memory,
                                      implicit: readout.implicit, perShot: !terminal, leakedFractions: leakedFractions)
    }

    /// The density matrix at the end of a circuit whose measurements are all terminal (they are
    /// not applied), under `noise`.
    public static func finalDensityMatrix(_ circuit: Circuit, noise: GateNoiseModel, parameters: [String: Double] = [:],
                                          execution: ExecutionOptions = ExecutionOptions()) throws -> DensityMatrix {
        try CircuitSimulator.checkSize(circuit)
        guard circuit.numQubits <= noise.qubitCount else {
            throw NoisySimulatorError.circuitWiderThanChip(circuitQubits: circuit.numQubits, chipQubits: noise.qubitCount)
        }
        guard circuit.numQubits <= DensityMatrix.maxQubitCount else {
            throw NoisySimulatorError.tooManyQubitsForDensityMatrix(requested: circuit.numQubits, limit: DensityMatrix.maxQubitCount)
        }
        guard CircuitSimulator.isTerminallyMeasured(circuit) else {
            throw GateSimulatorError.invalidCircuit("mid-circuit measurement, reset or condition: the final state is not unique")
        }
        guard !noise.modelsLeakage else { throw NoisySimulatorError.leakageNeedsTrajectories }
        let schedule = try NoiseSchedule(circuit, model: noise, parameters: parameters)
        try checkWidths(schedule.steps)
        let rho = DensityMatrix(qubitCount: circuit.numQubits, options: execution)
        DensityProgram(schedule.steps, qubitCount: circuit.numQubits).run(on: rho, clbits: nil)
        return rho
    }

    /// Total scheduled duration (ns) of `circuit` under `noise`, final readout excluded.
    public static func scheduledDurationNs(_ circuit: Circuit, noise: GateNoiseModel,
                                           parameters: [String: Double] = [:]) throws -> Double {
        try NoiseSchedule(circuit, model: noise, parameters: parameters).durationNs
    }

    static func checkWidths(_ steps: [NoisyStep]) throws {
        for case let .gate(_, qubits, _, _) in steps where qubits.count > StateVector.maxDenseQubits {
            throw GateSimulatorError.gateTooWide(gate: "gate on \(qubits)", qubits: qubits.count)
        }
    }
}

/// Turns measured basis states into bitstrings, flipping each read bit with its qubit's
/// assignment matrix.
struct Readout {
    let measures: [(qubit: Int, clbit: Int)]
    let width: Int
    let implicit: Bool
    let confusion: [ReadoutConfusion]

    init(circuit: Circuit, model: GateNoiseModel) {
        measures = circuit.instructions.compactMap { i in
            if case let .measure(q, c) = i.operation { return (q, c) } else { return nil }
        }
        implicit = measures.isEmpty
        width = implicit ? circuit.numQubits : circuit.numClbits
        confusion = (0..<circuit.numQubits).map { model.readout(of: $0) }
    }

    /// The bit read from qubit `q` in state `bit`.
    func read(_ q: Int, _ bit: Int, _ rng: inout SeededGenerator) -> Int {
        confusion[q].isPerfect ? bit : confusion[q].read(prepared: bit, uniform: rng.uniform())
    }

    /// The bitstring of one shot of the final basis state `index` (clbit 0 rightmost).
    func bitstring(_ index: Int, _ rng: inout SeededGenerator) -> String {
        var bits = [Character](repeating: "0", count: width)
        if implicit {
            for q in 0..<width where read(q, (index >> q) & 1, &rng) == 1 { bits[width - 1 - q] = "1" }
        } else {
            // Later measurements into the same clbit overwrite earlier ones, as in program order.
            for (q, c) in measures { bits[width - 1 - c] = read(q, (index >> q) & 1, &rng) == 1 ? "1" : "0" }
        }
        return String(bits)
    }
}
