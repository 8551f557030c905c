// Lowering of a compiled program to per-instruction pulses, from a calibration snapshot only:
// RPhi → one DRAG pulse, CZ → coupler + moving-qubit flat-top flux pulses, Measure → a readout window.
//
// Approximations (v1): the AWG sample rate is the design value 2 GS/s (the snapshot does not hold it);
// pulses are not passed through FirmwareSim's DAC/bandwidth model; resets and classical conditions are
// rejected. A measurement followed by pulses on the same qubit (routing can place a SWAP there) is
// executed by deferred measurement (see `PulseBackend.finalState`).
import Foundation
import WukongCompiler
import WukongDevice

/// Why a program cannot be lowered or run on the pulse path.
public enum PulseLoweringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation is not supported by the v1 pulse path.
    case unsupported(String)
    /// A calibrated value makes the pulse unplayable (e.g. |amplitude| > 1).
    case badCalibration(String)

    public var description: String {
        switch self {
        case .unsupported(let what): return "pulse backend: \(what)"
        case .badCalibration(let what): return "pulse backend: calibration: \(what)"
        }
    }
}

/// One DRAG pulse on a qubit's XY line, in the qubit's drive frame.
public struct DragPulse: Sendable, Hashable {
    /// Physical qubit.
    public var qubit: Int
    /// Pulse length, ns.
    public var durationNs: Double
    /// Gaussian width σ, ns.
    public var sigmaNs: Double
    /// DRAG coefficient β, ns.
    public var betaNs: Double
    /// Amplitude, fraction of full scale, ≥ 0 (the sign of θ is folded into `phaseRad` as +π).
    public var amplitude: Double
    /// Drive phase, rad: the scheduled drive phase φ + frame (+π for θ < 0).
    public var phaseRad: Double
    /// Carrier (drive) frequency, GHz: the calibrated drive frequency.
    public var frequencyGHz: Double
}

/// The flux pulses of one CZ: flat tops with raised-cosine edges on the coupler and the moving qubit.
public struct CZFluxPulse: Sendable, Hashable {
    /// Coupler index.
    public var coupler: Int
    /// The coupler's qubits (low, high).
    public var low: Int, high: Int
    /// The moving (flux-pulsed) qubit, one of `low`, `high`.
    public var movingQubit: Int
    /// Pulse length, ns.
    public var durationNs: Double
    /// Raised-cosine edge length, ns.
    public var riseNs: Double
    /// Flat-top coupler flux offset from idle, Φ0.
    public var couplerFluxPhi0: Double
    /// Flat-top moving-qubit flux offset from idle, Φ0.
    public var qubitFluxPhi0: Double
}

/// One lowered instruction.
public enum LoweredOperation: Sendable, Hashable {
    /// A DRAG pulse implementing RPhi(theta, phi) (circuit angles kept for reference).
    case drag(DragPulse, theta: Double, phi: Double)
    /// A CZ flux-pulse pair.
    case cz(CZFluxPulse)
    /// A frame update (virtual Z): no pulse; later pulses carry it in their phase.
    case frameShift(qubit: Int, shift: Double)
    /// The readout window of `qubit` into `clbit` (resonator tone + acquisition).
    case measure(qubit: Int, clbit: Int, durationNs: Double)
    /// A synchronisation point.
    case barrier(qubits: [Int])
}

/// A lowered instruction with its time slot.
public struct LoweredInstruction: Sendable, Hashable {
    public var operation: LoweredOperation
    /// Start, ns.
    public var startNs: Double
    /// Duration, ns.
    public var durationNs: Double
}

/// The pulse program of a compiled circuit.
public struct PulseProgram: Sendable {
    /// Instructions in schedule order (start time, then program order).
    public var instructions: [LoweredInstruction]
    /// Physical qubits touched by any instruction, increasing.
    public var usedQubits: [Int]
    /// The Z rotation left per physical qubit at the end (`ScheduledProgram.residualZ`).
    public var residualZ: [Double]
    /// Total duration, ns.
    public var durationNs: Double
    /// AWG sample rate, GHz.
    public var sampleRateGHz: Double
}

/// Lowers scheduled programs to pulses.
public enum PulseLowering {
    /// The design AWG rate (DESIGN.md; `DesignRules.sampleRateGSps`), GHz.
    public static let sampleRateGHz = 2.0

    /// Lowers `program` with the calibrated pulse parameters of `calibration`.
    /// - Throws: `PulseLoweringError` for resets, conditions, or a rotation needing |amplitude| > 1.
    /// - Complexity: O(instructions).
    public static func lower(_ program: CompiledProgram, calibration cal: CalibrationSnapshot) throws -> PulseProgram {
        var out: [LoweredInstruction] = []
        var used = Set<Int>()
        for timed in program.schedule.instructions {
            guard timed.condition == nil else { throw PulseLoweringError.unsupported("classically conditioned operations") }
            let op: LoweredOperation
            switch timed.operation {
            case let .rphi(q, theta, phi, drivePhase):
                let pi = cal.value(.piAmplitude, q)
                var amp = pi * theta / .pi
                var phase = drivePhase
                if amp < 0 { amp = -amp; phase += .pi }
                guard amp <= 1 else {
                    throw PulseLoweringError.badCalibration("qubit \(q): RPhi(\(theta)) needs amplitude \(amp) > 1")
                }
                let pulse = DragPulse(qubit: q, durationNs: cal.value(.rphiDuration, q), sigmaNs: cal.value(.rphiSigma, q),
                                      betaNs: cal.value(.dragBeta, q), amplitude: amp, phaseRad: phase,
                                      frequencyGHz: cal.value(.driveFrequency, q))
                op = .drag(pulse, theta: theta, phi: phi)
            case let .cz(c, qubits):
                let moving = Int(cal.value(.czMovingQubit, c).rounded())
                guard qubits.contains(moving) else {
                    throw PulseLoweringError.badCalibration("coupler \(c): moving qubit \(moving) is not one of \(qubits)")
                }
                op = .cz(CZFluxPulse(coupler: c, low: qubits[0], high: qubits[1], movingQubit: moving,
                                     durationNs: cal.value(.czDuration, c), riseNs: cal.value(.czRamp, c),
                                     couplerFluxPhi0: cal.value(.czCouplerAmplitude, c),
                                     qubitFluxPhi0: cal.value(.czQubitAmplitude, c)))
            case let .frameShift(q, shift, _):
                op = .frameShift(qubit: q, shift: shift)
            case let .measure(q, c):
                op = .measure(qubit: q, clbit: c, durationNs: timed.durationNs)
            case .reset:
                throw PulseLoweringError.unsupported("reset (v1 runs terminal measurements only)")
            case let .barrier(qs):
                op = .barrier(qubits: qs)
            }
            if case .barrier = op {} else { used.formUnion(timed.operation.qubits) }
            out.append(LoweredInstruction(operation: op, startNs: timed.startNs, durationNs: timed.durationNs))
        }
        return PulseProgram(instructions: out, usedQubits: used.sorted(), residualZ: program.schedule.residualZ,
                            durationNs: program.durationNs, sampleRateGHz: sampleRateGHz)
    }
}
