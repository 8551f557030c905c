// The compiler's entry point: the default pipeline (unroll → basis translation → layout → SABRE
// routing → optimization → scheduling) and `CompiledProgram`, its result.
import Foundation
import WukongCircuits

/// Choices of a compilation; every field has a default.
public struct CompileOptions: Sendable {
    /// Placement; nil picks `.trivial` for programs on physical qubits (`$k`) and `.sabre(iterations: 2)` otherwise.
    public var layout: LayoutStrategy?
    /// Run the optimization passes (1q merging, virtual-Z commutation, inverse cancellation).
    public var optimize: Bool = true
    /// Drop RZ right before a measurement or reset (exact for measurement statistics).
    public var dropZBeforeMeasurement: Bool = true
    /// Scheduling policy and extra durations.
    public var scheduling = SchedulingOptions()
    /// Values for free parameters (the compiler needs numbers).
    public var parameters: [String: Double] = [:]

    public init(layout: LayoutStrategy? = nil, optimize: Bool = true, scheduling: SchedulingOptions = SchedulingOptions(),
                parameters: [String: Double] = [:]) {
        self.layout = layout
        self.optimize = optimize
        self.scheduling = scheduling
        self.parameters = parameters
    }
}

/// A compiled program: the input the pulse-lowering pass consumes.
public struct CompiledProgram: Sendable {
    /// The program as given (parameters bound).
    public var source: Circuit
    /// The program in native gates on its own (logical) qubits, before layout and routing.
    public var native: Circuit
    /// The routed native circuit on physical qubits (all `target.qubitCount` of them).
    public var routed: Circuit
    /// Placement at the start (logical → physical) and at the end (after routing's SWAPs).
    public var initialLayout: Layout, finalLayout: Layout
    /// The timed program with virtual-Z frames.
    public var schedule: ScheduledProgram
    /// Gate counts and depth of `routed`.
    public var stats: CircuitStats
    /// SWAPs inserted by routing (each is 3 CZ before optimization).
    public var swapCount: Int
    /// Per-pass timing and effect, plus a final `schedule` record.
    public var passes: [PassRecord]
    /// The calibration snapshot the target came from.
    public var calibrationID: String

    /// Total duration, ns.
    public var durationNs: Double { schedule.durationNs }
}

/// Compiles circuits for a target.
public enum Compiler {
    /// The passes taking a circuit to native gates on its own qubits.
    public static func nativePipeline(optimize: Bool) -> [any CompilerPass] {
        [UnrollPass(), BasisTranslationPass()] + (optimize ? [MergeSingleQubitPass()] : [])
    }

    /// Optimization passes for a native circuit.
    public static func optimizationPipeline(dropZBeforeMeasurement: Bool) -> [any CompilerPass] {
        let commute = CommuteVirtualZPass(dropBeforeMeasurement: dropZBeforeMeasurement)
        return [MergeSingleQubitPass(), commute, InverseCancellationPass(), MergeSingleQubitPass(), commute,
                InverseCancellationPass()]
    }

    /// Runs the full pipeline.
    public static func compile(_ circuit: Circuit, target: CompilerTarget,
                               options: CompileOptions = CompileOptions()) throws -> CompiledProgram {
        let bound = circuit.bind(options.parameters)
        let free = bound.parameterNames
        guard free.isEmpty else { throw CircuitError.unboundParameters(free) }
        var state = CompilationState(circuit: bound)
        var records = try PassManager(nativePipeline(optimize: options.optimize)).run(&state, target: target)
        let native = state.circuit
        let isPhysical = bound.quantumRegisters.isEmpty && bound.numQubits > 0
        let strategy = options.layout ?? (isPhysical ? .trivial : .sabre(iterations: 2))
        var back: [any CompilerPass] = [LayoutPass(strategy), RoutingPass(), BasisTranslationPass()]
        if options.optimize { back += optimizationPipeline(dropZBeforeMeasurement: options.dropZBeforeMeasurement) }
        records += try PassManager(back).run(&state, target: target)
        let start = DispatchTime.now().uptimeNanoseconds
        let schedule = try Scheduler.schedule(state.circuit, target: target, options: options.scheduling)
        let stats = CircuitStats(state.circuit)
        records.append(PassRecord(pass: "schedule-\(options.scheduling.policy.rawValue)",
                                  elapsedMs: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6,
                                  operationsBefore: stats.operationCount, operationsAfter: stats.operationCount,
                                  twoQubitGatesAfter: stats.twoQubitGateCount, depthAfter: stats.depth))
        return CompiledProgram(source: bound, native: native, routed: state.circuit,
                               initialLayout: state.initialLayout!, finalLayout: state.finalLayout!,
                               schedule: schedule, stats: stats, swapCount: state.swapCount, passes: records,
                               calibrationID: target.calibrationID)
    }
}
