// The timed form of a native circuit: each operation with a start time and calibrated duration,
// and virtual Z turned into per-qubit frame updates, so each RPhi carries its absolute drive phase.
import WukongCircuits

/// One scheduled operation.
///
/// **Frame convention.** Each qubit has a frame phase f (rad), 0 at the start. `RZ(λ)` costs no
/// time: it becomes `frameShift(−λ)`. An RPhi(θ, φ) of the circuit is played with drive phase
/// `φ + f`. This is exact because RPhi(θ, φ)·RZ(λ) = RZ(λ)·RPhi(θ, φ − λ) (RZ(λ) then RPhi(θ, φ)
/// equals RPhi(θ, φ − λ) then RZ(λ)), so every RZ can be pushed to the end of the circuit; what is
/// left there is `RZ(−f_final)` per qubit, which `ScheduledProgram.residualZ` reports. CZ commutes
/// with RZ, so frames pass through it unchanged. The calibrated CZ pulse acts as
/// `CZ · (RZ(−φ_low) ⊗ RZ(−φ_high))`; its corrections `RZ(φ_low)`, `RZ(φ_high)` are frame shifts
/// placed at the end of the pulse.
public enum ScheduledOperation: Sendable, Hashable, Codable {
    /// One DRAG pulse: rotation `theta` about the axis at the circuit angle `phi`, played with drive
    /// phase `drivePhase = phi + frame` (rad).
    case rphi(qubit: Int, theta: Double, phi: Double, drivePhase: Double)
    /// A frame update `f += shift` (rad), zero time: from an RZ or a CZ correction.
    case frameShift(qubit: Int, shift: Double, fromCZ: Bool)
    /// The CZ flux pulses on `coupler` between `qubits` (low, high).
    case cz(coupler: Int, qubits: [Int])
    /// Readout of `qubit` into `clbit`.
    case measure(qubit: Int, clbit: Int)
    /// Reset of `qubit` to |0⟩.
    case reset(qubit: Int)
    /// A synchronisation point (zero time).
    case barrier(qubits: [Int])

    /// Qubits the operation occupies.
    public var qubits: [Int] {
        switch self {
        case .rphi(let q, _, _, _), .frameShift(let q, _, _), .measure(let q, _), .reset(let q): return [q]
        case .cz(_, let qs), .barrier(let qs): return qs
        }
    }
}

/// An operation with its time slot.
public struct TimedInstruction: Sendable, Hashable {
    public var operation: ScheduledOperation
    /// Start, ns from the beginning of the program.
    public var startNs: Double
    /// Duration, ns (0 for frame shifts and barriers).
    public var durationNs: Double
    /// Classical condition, if any (then the operation waits for the measurements it reads).
    public var condition: ClassicalCondition?
    /// Index of the native-circuit instruction this came from.
    public var circuitIndex: Int
    /// End, ns.
    public var endNs: Double { startNs + durationNs }
}

/// When operations start.
public enum SchedulingPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// As soon as possible.
    case asap
    /// As late as possible (idle time before, not after, each operation; keeps qubits in |0⟩ longer).
    case alap
}

/// A timed program: what the pulse-lowering pass will consume.
public struct ScheduledProgram: Sendable, Hashable {
    /// The policy used.
    public var policy: SchedulingPolicy
    /// Operations sorted by start time (ties keep circuit order).
    public var instructions: [TimedInstruction]
    /// Total duration, ns.
    public var durationNs: Double
    /// Frame phase of each physical qubit at the end (rad).
    public var finalFrames: [Double]

    /// The Z rotation left on each qubit at the end: the frame-updated program equals the native
    /// circuit followed by nothing once `RZ(residualZ[q])` is applied to each qubit q.
    public var residualZ: [Double] { finalFrames.map { -$0 } }
}
