// Interprets an `OpenPulseProgram` against a calibration snapshot into a timeline of pulse events:
// frames with their own clocks (OpenPulse semantics), plays, captures, and the gate-level parts
// compiled per segment (no routing: physical qubits are taken as given) and lowered like
// `PulseLowering` — RPhi on the qubit's `q<k>_drive` frame (its phase is the compiler's virtual-Z
// frame, shared with `shift_phase` in cal blocks), CZ as the calibrated flux pulses, measure as a
// capture into its bit. A gate or measurement with a matching `defcal` runs the defcal's body instead.
//
// Frame convention (ARCHITECTURE.md invariant 5): a frame (f, φ) puts the samples s on its port as
// the complex envelope Ω̃ = s·e^{iφ} of the carrier e^{−i2πf·t}, t the absolute time since the start of
// the program; `set_frequency` is phase-continuous (φ += 2π(f_new − f_old)·t), `shift_phase(θ)` adds θ
// (so a virtual Z(λ) is `shift_phase(−λ)`, the compiler's rule).
import Foundation
import Numerics
import WukongCircuits
import WukongCompiler
import WukongDevice
import WukongPulses

/// What a capture returns.
public enum CaptureKind: Sendable, Hashable {
    /// `capture_v0`: the discriminated bit, into a clbit (nil: discarded).
    case bit(clbit: Int?)
    /// `capture_v1`: the integrated IQ point of every shot; index among the program's IQ captures.
    case iq(index: Int)
    /// `capture_v3`: the shot-averaged raw trace; index among the program's trace captures.
    case trace(index: Int)
}

/// One event on the timeline.
public enum PulseEventKind: Sendable {
    /// A calibrated RPhi pulse (gate level).
    case drag(DragPulse)
    /// A calibrated CZ (gate level).
    case cz(CZFluxPulse)
    /// A user play: samples on a port at a frame's carrier and phase (at t = 0 of the program).
    case play(port: PulsePort, frequencyGHz: Double, phaseRad: Double, samples: [Complex<Double>])
    /// A readout acquisition of a qubit, with the readout frame's frequency.
    case capture(qubit: Int, kind: CaptureKind, frequencyGHz: Double)
}

/// A timed event.
public struct PulseEvent: Sendable {
    public var kind: PulseEventKind
    public var startNs: Double
    public var durationNs: Double
    public var endNs: Double { startNs + durationNs }
}

/// The interpreted program.
public struct PulseTimeline: Sendable {
    /// Events in creation order (per frame, in time order).
    public var events: [PulseEvent]
    /// Width of the counts' bitstrings (the program's clbits).
    public var clbitCount: Int
    /// Names of the capture_v1 results (target variable or `iq<k>`), by index.
    public var iqNames: [String]
    /// Names of the capture_v3 results, by index.
    public var traceNames: [String]
    /// End of the last frame clock, ns.
    public var durationNs: Double
    /// The drive-frame reference frequency of each qubit (calibrated drive frequency), GHz.
    public var referenceGHz: [Int: Double]
}

/// Errors of interpretation carry the source location like parse errors.
typealias PulseProgramError = ParseError

/// Builds a `PulseTimeline`.
final class OpenPulseTimelineBuilder {
    struct Frame {
        var port: PulsePort
        var frequencyGHz: Double
        var phaseRad: Double
        var clockNs: Double
    }
    enum Binding {
        case value(PulseValue)
        case frame(String)
        case port(PulsePort)
        case result(String)
    }

    let program: OpenPulseProgram
    let device: OpenPulseDevice
    let calibration: CalibrationSnapshot
    let target: CompilerTarget
    let parameters: [String: Double]
    var frames: [String: Frame] = [:]
    var globals: [String: Binding] = [:]
    var events: [PulseEvent] = []
    var iqNames: [String] = [], traceNames: [String] = []
    var playCount = 0, captureCount = 0
    var limits: OpenPulseLimits { device.limits }
    /// When true (checking defcal bodies), events are discarded.
    var dryRun = false

    init(program: OpenPulseProgram, calibration: CalibrationSnapshot, limits: OpenPulseLimits, parameters: [String: Double]) throws {
        self.program = program
        self.calibration = calibration
        self.device = OpenPulseDevice(calibration: calibration, limits: limits)
        self.target = try CompilerTarget(calibration: calibration)
        self.parameters = parameters
    }

    func error(_ message: String, at t: PulseToken) -> ParseError {
        ParseError(message, at: SourceLocation(file: program.file, line: t.line, column: t.column))
    }

    /// The frame named `name`, creating predefined frames on first use.
    func frameState(_ name: String) -> Frame? {
        if let f = frames[name] { return f }
        guard let info = device.frame(named: name) else { return nil }
        let f = Frame(port: info.port, frequencyGHz: info.frequencyGHz, phaseRad: info.phaseRad, clockNs: 0)
        frames[name] = f
        return f
    }

    /// Names of the frames on a qubit's ports (predefined ones always, user frames when declared).
    func frameNames(qubit q: Int) -> [String] {
        let predefined = ["q\(q)_drive", "q\(q)_flux", "q\(q)_readout"]
        let user = frames.filter { !$0.value.port.isCoupler && $0.value.port.element == q }.map(\.key)
        return Array(Set(predefined + user)).sorted()
    }

    func frameNames(coupler c: Int) -> [String] {
        Array(Set(["c\(c)_flux"] + frames.filter { $0.value.port.isCoupler && $0.value.port.element == c }.map(\.key))).sorted()
    }

    /// Starts an operation on `names` at the latest of their clocks and advances them all to its end.
    func occupy(_ names: [String], durationNs: Double) -> Double {
        for n in names where frames[n] == nil { _ = frameState(n) }
        let start = names.map { frames[$0]!.clockNs }.max() ?? 0
        for n in names { frames[n]!.clockNs = start + durationNs }
        return start
    }

    func emit(_ kind: PulseEventKind, start: Double, duration: Double, at t: PulseToken?) throws {
        guard start + duration <= limits.maxDurationNs else {
            let msg = "the program runs to \(start + duration) ns, over the limit of \(limits.maxDurationNs) ns"
            if let t { throw error(msg, at: t) }
            throw ParseError(msg, at: SourceLocation(file: program.file, line: 1, column: 1))
        }
        if !dryRun { events.append(PulseEvent(kind: kind, startNs: start, durationNs: duration)) }
    }

    // MARK: Program

    func build() throws -> PulseTimeline {
        // Check every defcal body once (angles 0, a scratch copy of the state).
        for d in program.defcals {
            let saved = (frames, globals, iqNames, traceNames, playCount, captureCount)
            dryRun = true
            var locals: [String: Binding] = [:]
            for case let .name(n) in d.parameters { locals[n] = .value(.number(0)) }
            _ = try run(program.tokens[d.body], locals: &locals, inDefcal: d, returnBit: nil)
            dryRun = false
            (frames, globals, iqNames, traceNames, playCount, captureCount) = saved
        }
        let circuit = program.circuit.bind(parameters)
        var segment: [Instruction] = []
        for item in program.items {
            switch item {
            case let .instruction(k):
                let instruction = circuit.instructions[k]
                if instruction.condition != nil {
                    throw ParseError("classically conditioned operations are not supported on the pulse path",
                                     at: SourceLocation(file: program.file, line: 1, column: 1))
                }
                if let (d, bindings) = try program.defcal(for: instruction.operation) {
                    try flush(&segment, circuit: circuit)
                    var locals = bindings.mapValues { Binding.value(.number($0)) }
                    var bit: Int? = nil
                    if case let .measure(_, c) = instruction.operation { bit = c }
                    // The defcal occupies its qubits' frames from their common start.
                    let names = d.qubits.flatMap { frameNames(qubit: $0) }
                    _ = occupy(names, durationNs: 0)
                    _ = try run(program.tokens[d.body], locals: &locals, inDefcal: d, returnBit: bit)
                    _ = occupy(d.qubits.flatMap { frameNames(qubit: $0) }, durationNs: 0)
                } else if case let .opaque(name, qubits, _) = instruction.operation {
                    throw ParseError("gate '\(name)' on \(qubits.map { "$\($0)" }.joined(separator: ", ")) has no defcal for these qubits and parameters",
                                     at: SourceLocation(file: program.file, line: 1, column: 1))
                } else {
                    segment.append(instruction)
                }
            case let .cal(range):
                try flush(&segment, circuit: circuit)
                var locals: [String: Binding] = [:]
                _ = try run(program.tokens[range], locals: &locals, inDefcal: nil, returnBit: nil)
            }
        }
        try flush(&segment, circuit: circuit)
        let duration = max(frames.values.map(\.clockNs).max() ?? 0, events.map(\.endNs).max() ?? 0)
        var reference: [Int: Double] = [:]
        for e in events {
            switch e.kind {
            case let .play(port, _, _, _) where !port.isCoupler: reference[port.element] = calibration.value(.driveFrequency, port.element)
            case let .play(port, _, _, _):
                let ends = calibration.topology.endpoints(of: CouplerIndex(port.element))
                for q in [ends.low.rawValue, ends.high.rawValue] { reference[q] = calibration.value(.driveFrequency, q) }
            case let .drag(p): reference[p.qubit] = calibration.value(.driveFrequency, p.qubit)
            case let .cz(p): for q in [p.low, p.high] { reference[q] = calibration.value(.driveFrequency, q) }
            case let .capture(q, _, _): reference[q] = calibration.value(.driveFrequency, q)
            }
        }
        return PulseTimeline(events: events, clbitCount: circuit.numClbits, iqNames: iqNames, traceNames: traceNames,
                             durationNs: duration, referenceGHz: reference)
    }

    /// Compiles and lowers a run of gate-level instructions.
    func flush(_ segment: inout [Instruction], circuit: Circuit) throws {
        guard !segment.isEmpty else { return }
        defer { segment = [] }
        var c = Circuit(numQubits: circuit.numQubits, numClbits: circuit.numClbits)
        for i in segment { try c.append(i) }
        var options = CompileOptions(layout: .trivial)
        options.dropZBeforeMeasurement = false
        let compiled = try Compiler.compile(c, target: target, options: options)
        guard compiled.swapCount == 0 else {
            throw ParseError("a two-qubit gate acts on qubits without an enabled coupler; OpenPulse programs are not routed",
                             at: SourceLocation(file: program.file, line: 1, column: 1))
        }
        for timed in compiled.schedule.instructions {
            switch timed.operation {
            case let .rphi(q, theta, phi, _):
                var amp = calibration.value(.piAmplitude, q) * theta / .pi
                var extra = 0.0
                if amp < 0 { amp = -amp; extra = .pi }
                guard amp <= 1 else {
                    throw ParseError("qubit \(q): RPhi(\(theta)) needs amplitude \(amp) > 1",
                                     at: SourceLocation(file: program.file, line: 1, column: 1))
                }
                let frame = frameState("q\(q)_drive")!
                let duration = calibration.value(.rphiDuration, q)
                let start = occupy(frameNames(qubit: q), durationNs: duration)
                let pulse = DragPulse(qubit: q, durationNs: duration, sigmaNs: calibration.value(.rphiSigma, q),
                                      betaNs: calibration.value(.dragBeta, q), amplitude: amp,
                                      phaseRad: OneQubitSynthesis.wrap(phi + extra + frame.phaseRad), frequencyGHz: frame.frequencyGHz)
                if abs(frame.frequencyGHz - calibration.value(.driveFrequency, q)) < 1e-12 {
                    try emit(.drag(pulse), start: start, duration: duration, at: nil)
                } else {
                    // The frame was retuned: play the same DRAG pulse as a user play on it.
                    let samples = try Envelope.drag(durationNs: duration, sigmaNs: pulse.sigmaNs, betaNs: pulse.betaNs, amp: amp)
                        .samples(sampleRateGHz: PulseLowering.sampleRateGHz)
                    try emit(.play(port: .drive(q), frequencyGHz: frame.frequencyGHz, phaseRad: OneQubitSynthesis.wrap(phi + extra + frame.phaseRad),
                                   samples: samples.map { $0.length > 1 ? $0 / Complex($0.length, 0) : $0 }),
                             start: start, duration: duration, at: nil)
                }
            case let .frameShift(q, shift, _):
                _ = frameState("q\(q)_drive")
                frames["q\(q)_drive"]!.phaseRad += shift
            case let .cz(coupler, qubits):
                let moving = Int(calibration.value(.czMovingQubit, coupler).rounded())
                let duration = calibration.value(.czDuration, coupler)
                let start = occupy(qubits.flatMap { frameNames(qubit: $0) } + frameNames(coupler: coupler), durationNs: duration)
                try emit(.cz(CZFluxPulse(coupler: coupler, low: qubits[0], high: qubits[1], movingQubit: moving,
                                         durationNs: duration, riseNs: calibration.value(.czRamp, coupler),
                                         couplerFluxPhi0: calibration.value(.czCouplerAmplitude, coupler),
                                         qubitFluxPhi0: calibration.value(.czQubitAmplitude, coupler))),
                         start: start, duration: duration, at: nil)
            case let .measure(q, clbit):
                try capture(qubit: q, frame: "q\(q)_readout", kind: .bit(clbit: clbit), durationNs: nil, names: frameNames(qubit: q), at: nil)
            case let .barrier(qs):
                _ = occupy(qs.flatMap { frameNames(qubit: $0) }, durationNs: 0)
            case .reset:
                throw ParseError("reset is not supported on the pulse path", at: SourceLocation(file: program.file, line: 1, column: 1))
            }
        }
    }

    func capture(qubit q: Int, frame name: String, kind: CaptureKind, durationNs: Double?, names: [String], at t: PulseToken?) throws {
        guard captureCount < limits.maxCaptures else {
            let msg = "more than \(limits.maxCaptures) captures"
            if let t { throw error(msg, at: t) }
            throw ParseError(msg, at: SourceLocation(file: program.file, line: 1, column: 1))
        }
        captureCount += 1
        let duration = durationNs ?? calibration.value(.readoutDuration, q)
        let f = frameState(name)!
        let start = occupy(names, durationNs: duration)
        try emit(.capture(qubit: q, kind: kind, frequencyGHz: f.frequencyGHz), start: start, duration: duration, at: t)
    }
}
