// Timing of the benchmark circuits: wall and process CPU time, best of k, and the hooks where the
// gradient and noisy density-matrix figures plug in once those simulators exist.
import Dispatch
import Foundation
import WukongCircuits

/// Wall and CPU time of repeated runs of one body.
public struct BenchmarkTiming: Sendable {
    /// Wall time of every repetition, seconds, in run order.
    public var wallSeconds: [Double]
    /// Process CPU time (all threads) of every repetition, seconds, in run order.
    public var cpuSeconds: [Double]

    /// The best (minimum) wall time, seconds: the least disturbed run on a shared machine.
    public var bestWallSeconds: Double { wallSeconds.min() ?? .nan }
    /// CPU time of the repetition with the best wall time, seconds (≈ threads × wall when the
    /// threads really ran in parallel; ≈ wall when only one core was to be had).
    public var cpuSecondsAtBest: Double {
        guard let i = wallSeconds.indices.min(by: { wallSeconds[$0] < wallSeconds[$1] }) else { return .nan }
        return cpuSeconds[i]
    }

    /// Process CPU time so far, seconds (`CLOCK_PROCESS_CPUTIME_ID`, all threads).
    public static func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Runs `body` `repetitions` times (at least once) and records each run's wall and CPU time.
    public static func measure(repetitions: Int, _ body: () throws -> Void) rethrows -> BenchmarkTiming {
        var timing = BenchmarkTiming(wallSeconds: [], cpuSeconds: [])
        for _ in 0..<max(1, repetitions) {
            let c0 = processCPUSeconds()
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
            timing.wallSeconds.append(wall)
            timing.cpuSeconds.append(processCPUSeconds() - c0)
        }
        return timing
    }
}

/// One timed benchmark circuit.
public struct GateBenchmarkResult: Sendable {
    /// The circuit family and size.
    public var spec: GateBenchmarks.Spec
    /// Number of gates in the circuit (before fusion).
    public var gateCount: Int
    /// Number of kernel steps after fusion.
    public var fusedCount: Int
    /// Passes over the whole state in main memory (cache-blocked: stages + exchanges).
    public var sweeps: Int
    /// Threads given to the kernels.
    public var threads: Int
    /// Fusion window in qubits (0 or 1 = none).
    public var fusionQubits: Int
    /// Times of the timed region: lowering + fusion + state allocation + every kernel (+ the
    /// expectation value for the ansatz). Parsing and export are outside it.
    public var timing: BenchmarkTiming
    /// ⟨H⟩ for the ansatz (`GateBenchmarks.ansatzObservable`), nil otherwise.
    public var expectation: Double?
    /// Σ|ψᵢ|² of the last final state (a cheap sanity check; 1 up to rounding).
    public var norm: Double
}

extension GateBenchmarks {
    /// Times `spec` on the state vector: best of `repetitions`, each from |0…0⟩.
    /// - Complexity: O(repetitions · gates · 2ⁿ).
    /// `cacheBlockQubits` is L for the chosen precision (`ExecutionOptions.cacheBlockQubits` or
    /// `singleCacheBlockQubits`; 0 = no cache blocking, nil = that precision's default).
    /// `gatherDiagonals`: `ExecutionOptions.gatherDiagonals`.
    public static func run(_ spec: Spec, threads: Int, repetitions: Int, fusionQubits: Int = 2,
                           seed: UInt64 = 2026,
                           cacheBlockQubits: Int? = nil,
                           precision: SimulationPrecision = .double,
                           gatherDiagonals: Bool = true) throws -> GateBenchmarkResult {
        let circuit = spec.circuit(seed: seed)
        var execution = ExecutionOptions(threadCount: threads)
        execution.gatherDiagonals = gatherDiagonals
        if let cacheBlockQubits {
            if precision == .single { execution.singleCacheBlockQubits = cacheBlockQubits }
            else { execution.cacheBlockQubits = cacheBlockQubits }
        }
        let observable = spec.isExpectation ? ansatzObservable(qubits: spec.qubitCount) : nil
        var expectation: Double?
        // The last state is kept (and freed at the start of the next repetition, as a tool that
        // reuses one buffer would) so that the norm check stays outside the timed region.
        var last: StateVector?
        if precision == .single {
            // Single precision: the state vector (⟨H⟩ for the ansatz, summed in double); the norm is the check.
            var lastSingle: StateVectorSingle?
            let timing = try BenchmarkTiming.measure(repetitions: repetitions) {
                lastSingle = nil
                let state = try CircuitSimulator.finalStateSingle(circuit, fusionQubits: fusionQubits, execution: execution)
                if let observable { expectation = state.expectation(observable) }
                lastSingle = state
            }
            let norm = lastSingle.map { $0.normSquared.squareRoot() } ?? .nan
            lastSingle = nil
            let (fused, sweeps) = try stepsAndSweeps(circuit, fusionQubits: fusionQubits,
                                                     blocking: execution.singleBlocking(fusionQubits:))
            return GateBenchmarkResult(spec: spec, gateCount: circuit.instructions.count, fusedCount: fused, sweeps: sweeps,
                                       threads: threads, fusionQubits: fusionQubits, timing: timing,
                                       expectation: expectation, norm: norm)
        }
        let timing = try BenchmarkTiming.measure(repetitions: repetitions) {
            last = nil
            let state = try CircuitSimulator.finalState(circuit, fusionQubits: fusionQubits, execution: execution)
            if let observable { expectation = state.expectation(observable) }
            last = state
        }
        let norm = last?.norm ?? .nan
        last = nil
        let (fused, sweeps) = try stepsAndSweeps(circuit, fusionQubits: fusionQubits,
                                                 blocking: execution.blocking(fusionQubits:))
        return GateBenchmarkResult(spec: spec, gateCount: circuit.instructions.count, fusedCount: fused, sweeps: sweeps,
                                   threads: threads, fusionQubits: fusionQubits, timing: timing,
                                   expectation: expectation, norm: norm)
    }

    /// Steps: kernels run (fused blocks, chunk operations when cache-blocked); sweeps: passes
    /// over the whole state in main memory (blocked: stages + exchanges).
    static func stepsAndSweeps(_ circuit: Circuit, fusionQubits: Int,
                               blocking: (Int) -> CacheBlocking) throws -> (steps: Int, sweeps: Int) {
        var fused = 0, sweeps = 0
        for step in try CircuitSimulator.lower(circuit, parameters: [:], fusionQubits: fusionQubits) {
            guard case let .gates(ops, fusion) = step else { fused += 1; sweeps += 1; continue }
            if circuit.numQubits > blocking(fusion).localQubits {
                let s = StateVector.cacheBlockingSummary(ops, qubitCount: circuit.numQubits,
                                                         blocking: blocking(fusion), zeroState: true)
                fused += s.chunkOperations
                sweeps += s.stages + s.exchanges
            } else {
                let n = CacheBlockedExecutor.fuseAroundSwaps(ops, fusion: fusion, gather: blocking(fusion).gathers(qubitCount: circuit.numQubits)).count
                fused += n
                sweeps += n
            }
        }
        return (fused, sweeps)
    }

    /// The full gradient ∂⟨H⟩/∂theta_k of the ansatz benchmark by the adjoint method, timed best
    /// of `repetitions`.
    ///
    /// Circuit `hardwareEfficientAnsatz(qubits:layers:)` (the one `Spec.ansatz` binds and exports),
    /// observable `ansatzObservable(qubits:)`, values `ansatzParameters(…, seed:)`; the gradient is
    /// in index order `theta_0, theta_1, …` (`ansatzParameterName`), which is also the order of the
    /// `ry`/`rz` gates in the exported OpenQASM, so the Python side's k-th rotation is theta_k.
    /// The timed region is compilation + one adjoint gradient (forward pass, ⟨H⟩, backward sweep).
    /// Never nil (the optional return is kept for the callers written against the hook).
    /// - Complexity: O(repetitions · (3·gates + terms) · 2ⁿ).
    public static func ansatzGradient(qubits: Int, layers: Int, threads: Int, repetitions: Int,
                                      seed: UInt64) throws -> (timing: BenchmarkTiming, gradient: [Double])? {
        try ansatzGradientResult(qubits: qubits, layers: layers, threads: threads, repetitions: repetitions,
                                 seed: seed).map { ($0.timing, $0.gradient) }
    }

    /// As `ansatzGradient`, with ⟨H⟩ of the same pass.
    public static func ansatzGradientResult(qubits n: Int, layers: Int, threads: Int, repetitions: Int,
                                            seed: UInt64) throws -> (timing: BenchmarkTiming, value: Double, gradient: [Double])? {
        let circuit = hardwareEfficientAnsatz(qubits: n, layers: layers)
        let order = (0..<(2 * n * layers)).map(ansatzParameterName)
        let values = ansatzParameters(qubits: n, layers: layers, seed: seed)
        let x = order.map { values[$0]! }
        let observable = ansatzObservable(qubits: n)
        let execution = ExecutionOptions(threadCount: threads)
        var result: ExpectationGradient?
        let timing = try BenchmarkTiming.measure(repetitions: repetitions) {
            let compiled = try CompiledCircuit(circuit, parameterOrder: order)
            result = compiled.gradient(of: observable, at: x, method: .adjoint, execution: execution)
        }
        guard let result else { return nil }
        return (timing, result.value, result.gradient)
    }

    /// Depolarizing strengths of the noisy density-matrix benchmark: p1 after every 1-qubit gate,
    /// p2 after every 2-qubit gate (`KrausChannel.depolarizing`, ρ ↦ (1−p)ρ + p·I/d — the same
    /// convention as Qiskit Aer's `depolarizing_error`).
    public static let noisyDepolarizing = (p1: 0.001, p2: 0.01)

    /// The noisy density-matrix benchmark: brickwork n × L (`brickwork(qubits:layers:seed:)`) on a
    /// `DensityMatrix` with `depolarizing(p1)` after every u3 and `depolarizing(p2, 2)` after every
    /// cz, timed best of `repetitions`; the checkable figures are Tr ρ², ⟨Z₀⟩ and Tr ρ.
    ///
    /// The timed region is allocation of |0…0⟩⟨0…0| + every gate and channel. Each gate and the
    /// channel after it are one superoperator `S = S_channel · (U* ⊗ U)` on 2k vector qubits, so a
    /// (gate, channel) pair is one kernel pass (Aer fuses density-matrix ops up to 2 qubits too).
    /// Never nil (optional kept for the callers written against the hook).
    /// - Complexity: O(repetitions · gates · 4ⁿ · 4ᵏ).
    public static func noisyDensityMatrix(qubits n: Int, layers: Int, threads: Int, repetitions: Int, seed: UInt64,
                                          p1: Double = noisyDepolarizing.p1,
                                          p2: Double = noisyDepolarizing.p2) throws -> NoisyDensityMatrixResult? {
        let circuit = brickwork(qubits: n, layers: layers, seed: seed)
        let channel1 = KrausChannel.depolarizing(p1, qubitCount: 1)
        let channel2 = KrausChannel.depolarizing(p2, qubitCount: 2)
        let execution = ExecutionOptions(threadCount: threads)
        var gates: [(matrix: GateMatrix, qubits: [Int])] = []
        for instruction in circuit.instructions {
            guard case .gate(let g) = instruction.operation else { continue }
            gates.append((try g.matrix(), g.operands))
        }
        var last: DensityMatrix?
        let timing = try BenchmarkTiming.measure(repetitions: repetitions) {
            last = nil
            let rho = DensityMatrix(qubitCount: n, options: execution)
            for (u, qubits) in gates {
                let channel = qubits.count == 1 ? channel1 : channel2
                guard qubits.count <= 2 else { throw GateSimulatorError.invalidCircuit("noisy benchmark gates act on ≤ 2 qubits") }
                rho.applySuperoperator(KrausChannel(unitary: u).followed(by: channel).superoperator, on: qubits)
            }
            last = rho
        }
        guard let rho = last else { return nil }
        var z0 = 0.0
        for (i, p) in rho.probabilities().enumerated() { z0 += (i & 1 == 0) ? p : -p }
        return NoisyDensityMatrixResult(qubits: n, layers: layers, threads: threads, p1: p1, p2: p2,
                                        gateCount: gates.count, timing: timing, purity: rho.purity,
                                        expectationZ0: z0, trace: rho.trace)
    }

    /// The machine's load average line (`/proc/loadavg`), or nil where there is none.
    public static func loadAverage() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The noisy density-matrix benchmark's figures (`GateBenchmarks.noisyDensityMatrix`).
public struct NoisyDensityMatrixResult: Sendable {
    public var qubits: Int
    public var layers: Int
    public var threads: Int
    /// Depolarizing strength after each 1-qubit and each 2-qubit gate.
    public var p1: Double
    public var p2: Double
    /// Gates (each followed by one channel).
    public var gateCount: Int
    public var timing: BenchmarkTiming
    /// Tr ρ² of the final state.
    public var purity: Double
    /// Tr(Z₀ρ) of the final state.
    public var expectationZ0: Double
    /// Tr ρ (1 up to rounding).
    public var trace: Double
}
