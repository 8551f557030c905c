// Batches: hundreds of parameter vectors through one compiled circuit, or hundreds of different
// circuits sampled with their own seeds, spread over the cores with one private state per worker.
import Dispatch
import Foundation
import WukongCircuits

/// How a batch is spread over threads.
///
/// Workers take items by static striding (worker w gets items w, w+W, w+2W, …), each with its own
/// states and single-threaded kernels: for the small circuits of the trainer (≤ 14 qubits) this
/// beats threading each kernel, which is overhead-bound there (reference/gate-tools.md). Every item
/// is computed by the same code whatever worker runs it, so results are bit-for-bit independent of
/// `workerCount` and come back in input order.
public struct BatchOptions: Sendable, Equatable {
    /// Concurrent workers (1 = run on the calling thread).
    public var workerCount: Int
    /// Gate-fusion window of forward passes (0 or 1 = none); gradients never fuse.
    public var fusionQubits: Int

    /// - Parameters:
    ///   - workerCount: defaults to the number of active processors.
    ///   - fusionQubits: defaults to 2, as `GateRunOptions`.
    public init(workerCount: Int = ProcessInfo.processInfo.activeProcessorCount, fusionQubits: Int = 2) {
        precondition(workerCount >= 1, "workerCount must be at least 1")
        self.workerCount = workerCount
        self.fusionQubits = fusionQubits
    }
}

/// Runs `body(&context, i)` for i in 0..<count over `workers` strided workers, each with a private
/// `context` made by `makeContext`, and returns the results in index order.
func stridedMap<T: Sendable, Context>(count: Int, workers: Int, makeContext: @escaping @Sendable () -> Context,
                                      _ body: @escaping @Sendable (inout Context, Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let slots = UnsafeMutablePointer<T?>.allocate(capacity: count)
    slots.initialize(repeating: nil, count: count)
    defer {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    let box = SendablePointer(base: slots)
    let w = max(1, min(workers, count))
    let work: @Sendable (Int) -> Void = { worker in
        var context = makeContext()
        var i = worker
        while i < count {
            box.base[i] = body(&context, i)  // each index is written by exactly one worker
            i += w
        }
    }
    if w == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: w, execute: work) }
    return (0..<count).map { slots[$0]! }
}

extension CompiledCircuit {
    /// ⟨ψ(xᵢ)|Oⱼ|ψ(xᵢ)⟩ for every parameter vector xᵢ and observable Oⱼ; `result[i][j]`.
    /// - Complexity: O(items · (gates + terms) · 2ⁿ / workers).
    public func expectations(of observables: [PauliSum], parameterSets: [[Double]],
                             options: BatchOptions = BatchOptions()) -> [[Double]] {
        for x in parameterSets { checkParameters(x) }
        let n = qubitCount, fusion = options.fusionQubits
        return stridedMap(count: parameterSets.count, workers: options.workerCount,
                          makeContext: { StateVector(qubitCount: n, options: .serial) }) { state, i in
            state.resetToZeroState()
            self.run(parameterSets[i], on: state, fusionQubits: fusion)
            return observables.map { state.expectation($0) }
        }
    }

    /// ⟨ψ(xᵢ)|H|ψ(xᵢ)⟩ for every parameter vector xᵢ, in input order.
    /// - Complexity: O(items · (gates + terms) · 2ⁿ / workers).
    public func expectations(of observable: PauliSum, parameterSets: [[Double]],
                             options: BatchOptions = BatchOptions()) -> [Double] {
        expectations(of: [observable], parameterSets: parameterSets, options: options).map { $0[0] }
    }

    /// Value and gradient of ⟨H⟩ at every parameter vector, in input order. The adjoint method
    /// reuses three states per worker.
    /// - Complexity: per item as `gradient(of:at:method:execution:)`, divided over the workers.
    public func gradients(of observable: PauliSum, parameterSets: [[Double]], method: GradientMethod = .adjoint,
                          options: BatchOptions = BatchOptions()) -> [ExpectationGradient] {
        for x in parameterSets { checkParameters(x) }
        let n = qubitCount
        return stridedMap(count: parameterSets.count, workers: options.workerCount,
                          makeContext: { AdjointWorkspace(qubitCount: n) }) { work, i in
            guard method == .adjoint else {
                return self.gradient(of: observable, at: parameterSets[i], method: method, execution: .serial)
            }
            work.phi.resetToZeroState()
            return self.adjointGradient(of: observable, at: parameterSets[i], phi: work.phi,
                                        lambda: work.lambda, mu: &work.mu)
        }
    }
}

/// The three states one adjoint worker reuses across items.
struct AdjointWorkspace {
    let phi: StateVector
    let lambda: StateVector
    var mu: StateVector?

    init(qubitCount: Int) {
        phi = StateVector(qubitCount: qubitCount, options: .serial)
        lambda = StateVector(qubitCount: qubitCount, options: .serial)
    }
}

/// One circuit of a sampling batch.
public struct CircuitBatchItem: Sendable {
    /// The circuit (its own measurements decide the bitstrings, as in `CircuitSimulator.run`).
    public var circuit: Circuit
    /// Values of its symbolic parameters.
    public var parameters: [String: Double]
    /// Seed of this item's shots: the same seed gives the same counts whatever the batch.
    public var seed: UInt64
    /// Number of shots.
    public var shots: Int

    public init(circuit: Circuit, parameters: [String: Double] = [:], seed: UInt64, shots: Int = 1000) {
        self.circuit = circuit
        self.parameters = parameters
        self.seed = seed
        self.shots = shots
    }
}

/// Batches of different circuits: the trainer's "one circuit per batch item", submitted in task
/// groups (VQNet's default group size is 200; reference/qwthn.md §1.7).
public enum CircuitBatch {
    /// The task-group size VQNet's real-chip layer uses by default.
    public static let defaultTaskGroupSize = 200

    /// Samples every item with `CircuitSimulator.run` (single-threaded kernels, the item's own
    /// seed), spread over `workerCount` workers. Results are in input order and equal to running
    /// each item alone.
    /// - Throws: the error of the lowest-index item that fails.
    /// - Complexity: O(Σ items (gates · 2ⁿ + shots · n) / workers).
    public static func run(_ items: [CircuitBatchItem], options: BatchOptions = BatchOptions()) throws -> [GateRunResult] {
        let fusion = options.fusionQubits
        let results = stridedMap(count: items.count, workers: options.workerCount, makeContext: {}) { _, i in
            Result<GateRunResult, any Error> {
                var run = GateRunOptions()
                run.shots = items[i].shots
                run.seed = items[i].seed
                run.parameters = items[i].parameters
                run.fusionQubits = fusion
                run.execution = .serial
                return try CircuitSimulator.run(items[i].circuit, options: run)
            }
        }
        return try results.map { try $0.get() }
    }
}
