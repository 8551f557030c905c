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
    public static func run(_ spec: Spec, threads: Int, repetitions: Int, fusionQubits: Int = 2,
                           seed: UInt64 = 2026) throws -> GateBenchmarkResult {
        let circuit = spec.circuit(seed: seed)
        let execution = ExecutionOptions(threadCount: threads)
        let observable = spec.isExpectation ? ansatzObservable(qubits: spec.qubitCount) : nil
        var expectation: Double?
        // The last state is kept (and freed at the start of the next repetition, as a tool that
        // reuses one buffer would) so that the norm check stays outside the timed region.
        var last: StateVector?
        let timing = try BenchmarkTiming.measure(repetitions: repetitions) {
            last = nil
            let state = try CircuitSimulator.finalState(circuit, fusionQubits: fusionQubits, execution: execution)
            if let observable { expectation = state.expectation(observable) }
            last = state
        }
        let norm = last?.norm ?? .nan
        last = nil
        let fused = try CircuitSimulator.lower(circuit, parameters: [:], fusionQubits: fusionQubits)
            .reduce(0) { n, step in if case .gates(let ops) = step { return n + ops.count } else { return n + 1 } }
        return GateBenchmarkResult(spec: spec, gateCount: circuit.instructions.count, fusedCount: fused,
                                   threads: threads, fusionQubits: fusionQubits, timing: timing,
                                   expectation: expectation, norm: norm)
    }

    /// HOOK(gradients): the full gradient ∂⟨H⟩/∂theta_k of the ansatz, timed best of `repetitions`.
    ///
    /// Returns nil until the adjoint-gradient work lands in this target; then replace the body
    /// with a call to it on `hardwareEfficientAnsatz(qubits:layers:)`, the values
    /// `ansatzParameters(…, seed:)` and `ansatzObservable(qubits:)`, and return the timing and
    /// the gradient (the bench command and scripts/bench/gate.sh print it when non-nil).
    public static func ansatzGradient(qubits: Int, layers: Int, threads: Int, repetitions: Int,
                                      seed: UInt64) throws -> (timing: BenchmarkTiming, gradient: [Double])? {
        nil
    }

    /// HOOK(noise): the 10-qubit noisy density-matrix benchmark (brickwork 10 × 20 with a
    /// depolarizing channel after every gate), timed best of `repetitions`.
    ///
    /// Returns nil until `NoisySimulator` / the density matrix lands in this target.
    public static func noisyDensityMatrix(qubits: Int, layers: Int, threads: Int, repetitions: Int,
                                          seed: UInt64) throws -> BenchmarkTiming? {
        nil
    }

    /// The machine's load average line (`/proc/loadavg`), or nil where there is none.
    public static func loadAverage() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
