// The pulse backend end to end: compile against a snapshot, lower to pulses, apply the pulse-derived
// channels of each native instruction (emulated on the true device) to a compact state vector, sample.
//
// How the global state is combined (v1): a `StateVector` over only the physical qubits the routed
// circuit uses (compact indices in increasing physical order), or above 24 simulated qubits (or on
// request) a `MatrixProductState` with sites in the grid's snake order (`PulseStateOptions`; exact up
// to the reported discarded weight). Each RPhi/CZ applies its cached
// computational block (see `ClusterChannels`), then the state is renormalized (leaked population is
// dropped). Virtual Z is exact: pulses carry the frames in their phases and the residual frame
// `RZ(residualZ)` is applied at the end. Idle qubits evolve trivially (identity): no idle ZZ, no
// crosstalk, no decoherence. Noise is off (closed system); a `--noise` option could later add the
// gate path's calibration noise model (`GateNoiseModel`) around these channels. Readout: bits are
// sampled from the final probabilities, then each measured qubit's bit is flipped with the TRUE
// assignment errors 1 − F0 / 1 − F1 of the device (a confusion, not the emulator's IQ `Readout` model).
import Foundation
import WukongCircuits
import WukongCompiler
import WukongDevice
import WukongEmulator
import WukongGateSim
import WukongNumerics
import Numerics

/// Counts and metadata of a pulse-path run (the fields of `GateRunResult`, whose memberwise
/// initializer is internal to WukongGateSim).
public struct PulseRunResult: Sendable {
    /// Bitstring → count; bit k from the right is clbit k (or qubit k when measured implicitly).
    public let counts: [String: Int]
    /// Number of bits per bitstring.
    public let clbitCount: Int
    /// True when the circuit had no measurement and every logical qubit was sampled.
    public let measuredAllImplicitly: Bool
    /// Wall-clock time per stage, ms.
    public let timing: PulseTiming
    /// Leakage of each emulated gate, in schedule order.
    public let gateLeakage: [GateLeakage]
    /// Channel-cache hits and misses of this run.
    public let cacheHits: Int, cacheMisses: Int
    /// Physical qubits simulated.
    public let usedQubits: [Int]
    /// The global state used (state vector or MPS: bond dimension, discarded weight).
    public var state: PulseStateReport? = nil
    /// Exact probabilities of `Options.probes` (clbit strings; no readout error), in order.
    public var probes: [(bits: String, probability: Double)] = []
    /// Per-shot bitstrings in shot order (with `Options.memory` or `Options.iqReadout`).
    public var memory: [String]? = nil
    /// Per-shot integrated IQ points, row-major [shot][measurement] (with `Options.iqReadout`); column m
    /// is measurement `iqColumns[m]`.
    public var iq: [Complex<Double>]? = nil
    /// The measurement of each IQ column: its clbit and the physical qubit read.
    public var iqColumns: [(clbit: Int, qubit: Int)] = []
}

/// Wall-clock time per stage, ms.
public struct PulseTiming: Sendable {
    public var compileMs = 0.0, lowerMs = 0.0, firmwareMs = 0.0, emulateMs = 0.0, sampleMs = 0.0
    public var totalMs: Double { compileMs + lowerMs + firmwareMs + emulateMs + sampleMs }
}

/// Leakage of one emulated gate.
public struct GateLeakage: Sendable {
    /// `rphi` or `cz`.
    public let kind: String
    /// Physical qubits.
    public let qubits: [Int]
    /// Average leakage of the cluster propagator.
    public let leakage: Double
}

/// The final state of a pulse-path run before readout.
public struct PulseFinalState: @unchecked Sendable {
    /// The state over `usedQubits` (compact qubit `compactIndex[q]` holds physical qubit q; ancillas
    /// follow at `usedQubits.count…`).
    public let state: any SimulationState
    /// Physical qubits simulated, increasing.
    public let usedQubits: [Int]
    /// Physical qubit → compact qubit (increasing order for a state vector, snake order for an MPS).
    public let compactIndex: [Int: Int]
    /// Each measurement in program order: physical qubit, the compact qubit holding its outcome (the
    /// qubit itself, or an ancilla for a measurement followed by pulses on that qubit), clbit.
    public let measurements: [(qubit: Int, compact: Int, clbit: Int)]
    /// Leakage per emulated gate.
    public let gateLeakage: [GateLeakage]
}

/// Runs circuits on the pulse path.
public enum PulseBackend {
    /// Options of a run.
    public struct Options: Sendable {
        /// Apply the true readout assignment errors.
        public var readoutErrors = true
        /// Compiler options.
        public var compile = CompileOptions()
        /// Keep per-shot bitstrings.
        public var memory = false
        /// Read every measurement through the emulator's dispersive readout model (`ReadoutChannel` of the
        /// true resonator, tone at the calibrated readout frequency over the calibrated window, noise and
        /// T1 decay during the window) and keep each shot's IQ point; the bit is the IQ point's
        /// discrimination (this replaces the assignment-error confusion of `readoutErrors`).
        public var iqReadout = false
        /// Firmware in the loop: render every pulse through FirmwareSim's sequencer, DACs and lines
        /// before emulation (nil: the emulator gets the ideal envelopes).
        public var firmware: FirmwareLoop? = nil
        /// The global state: state vector, MPS, or chosen by size.
        public var state = PulseStateOptions()
        /// Output clbit strings whose exact probability (no readout error) the run reports, e.g. the
        /// all-zeros and all-ones strings of a GHZ state (`zeros` and `ones` spell those).
        public var probes: [String] = []
        public init(readoutErrors: Bool = true, compile: CompileOptions = CompileOptions(), memory: Bool = false,
                    iqReadout: Bool = false, firmware: FirmwareLoop? = nil, state: PulseStateOptions = PulseStateOptions()) {
            self.state = state
            self.readoutErrors = readoutErrors
            self.compile = compile
            self.memory = memory
            self.iqReadout = iqReadout
            self.firmware = firmware
        }
    }

    static func elapsedMs(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

    /// Applies the pulse program's channels from |0…0⟩ on the used qubits.
    /// - Complexity: O(gates · 2^n) plus one emulation per distinct pulse (cache misses).
    public static func finalState(_ program: PulseProgram, channels: ClusterChannels,
                                  state options: PulseStateOptions = PulseStateOptions(),
                                  topology: ChipTopology = .wukong) throws -> PulseFinalState {
        let used = program.usedQubits
        // Deferred measurement: a measurement followed by a pulse on its qubit copies the Z value onto a
        // fresh ancilla (CNOT), read at the end — exact for the output statistics of a closed system.
        var lastPulse: [Int: Int] = [:]
        for (k, i) in program.instructions.enumerated() {
            switch i.operation {
            case let .drag(p, _, _): lastPulse[p.qubit] = k
            case let .cz(p): lastPulse[p.low] = k; lastPulse[p.high] = k
            default: break
            }
        }
        let deferred = program.instructions.enumerated().filter { k, i in
            if case let .measure(q, _, _) = i.operation { return (lastPulse[q] ?? -1) > k }
            return false
        }.map(\.offset)
        let simulated = max(used.count + deferred.count, 1)
        let index = options.compactIndex(used, topology: topology, mps: options.usesMPS(qubits: simulated))
        let state = try options.makeState(qubits: simulated)
        var nextAncilla = used.count
        var leakage: [GateLeakage] = []
        var measurements: [(qubit: Int, compact: Int, clbit: Int)] = []
        for (k, instruction) in program.instructions.enumerated() {
            switch instruction.operation {
            case let .drag(pulse, _, _):
                let ch = try channels.channel(for: pulse)
                try apply(ch, to: state, index: index)
                leakage.append(GateLeakage(kind: "rphi", qubits: ch.qubits, leakage: ch.leakage))
            case let .cz(pulse):
                let ch = channels.channel(for: pulse)
                try apply(ch, to: state, index: index)
                leakage.append(GateLeakage(kind: "cz", qubits: [pulse.low, pulse.high], leakage: ch.leakage))
            case let .measure(q, c, _):
                if deferred.contains(k) {
                    state.apply(StandardGate.cx.matrix(), on: [index[q]!, nextAncilla])
                    measurements.append((q, nextAncilla, c))
                    nextAncilla += 1
                } else {
                    measurements.append((q, index[q]!, c))
                }
            case .frameShift, .barrier:
                break
            }
        }
        // The residual frame: RZ(residualZ[q]) ∝ diag(1, e^{iλ}) makes the state equal the native circuit's.
        for q in used where program.residualZ[q] != 0 {
            let lambda = program.residualZ[q]
            state.apply(GateMatrix.diagonal([.one, .init(length: 1, phase: lambda)]), on: [index[q]!])
        }
        return PulseFinalState(state: state, usedQubits: used, compactIndex: index, measurements: measurements, gateLeakage: leakage)
    }

    static func apply(_ channel: PulseChannel, to state: any SimulationState, index: [Int: Int]) throws {
        try PulseStateOptions.check(channel.qubits, fits: state, what: "a channel")
        state.apply(channel.matrix, on: channel.qubits.map { index[$0]! })
        state.normalize()
    }

    /// Largest register whose exact distribution is enumerated (2²⁴ outcomes).
    public static let maxExactDistributionQubits = 24

    /// Throws unless the 2ⁿ outcomes of `state` can be enumerated.
    static func checkEnumerable(_ state: any SimulationState) throws {
        guard state.qubitCount <= maxExactDistributionQubits else {
            throw PulseLoweringError.unsupported("the exact distribution of \(state.qubitCount) simulated qubits has 2^\(state.qubitCount) outcomes "
                                                 + "(limit \(maxExactDistributionQubits) qubits); sample shots instead, or probe single bitstrings")
        }
    }

    /// Exact probability of each output clbit string of `probes` (unlisted clbits: none; qubits not read
    /// are summed over), without readout error. Works on an MPS of any size.
    static func probeProbabilities(_ state: any SimulationState, probes: [String], width: Int,
                                   pairs: [(compact: Int, bit: Int, qubit: Int)]) throws -> [(bits: String, probability: Double)] {
        try probes.map { probe in
            let text = probe == "zeros" ? String(repeating: "0", count: width)
                : probe == "ones" ? String(repeating: "1", count: width) : probe
            let chars = Array(text)
            guard chars.count == width, chars.allSatisfy({ $0 == "0" || $0 == "1" }) else {
                throw PulseLoweringError.unsupported("probe '\(text)' must be \(width) characters of 0 and 1 (one per clbit, clbit 0 rightmost)")
            }
            // A clbit written by several measurements holds the last; its earlier records are not constrained.
            var last: [Int: Int] = [:]
            for p in pairs { last[p.bit] = p.compact }
            let assignment = last.map { (qubit: $0.value, one: chars[width - 1 - $0.key] == "1") }
            return (text, state.probability(of: assignment))
        }
    }

    /// Exact output distribution (no readout error) over clbit strings, keyed like the gate path.
    /// `bitsOf` maps a compact basis index to the output bitstring.
    public static func distribution(_ final: PulseFinalState, bitsOf: (Int) -> String) -> [String: Double] {
        var out: [String: Double] = [:]
        precondition(final.state.qubitCount <= maxExactDistributionQubits, "distribution: \(final.state.qubitCount) qubits are too many to enumerate")
        for (i, p) in final.state.probabilities().enumerated() where p > 0 { out[bitsOf(i), default: 0] += p }
        return out
    }

    /// The bit-extraction of a run: (width, implicit, function compact index → bitstring).
    static func readoutMap(_ final: PulseFinalState, compiled: CompiledProgram)
        -> (Int, Bool, [(compact: Int, bit: Int, qubit: Int)]) {
        if final.measurements.isEmpty {
            let index = final.compactIndex
            // Implicit: logical qubit k → bit k, read on its final physical qubit.
            let width = compiled.source.numQubits
            let pairs = compiled.finalLayout.logicalToPhysical.prefix(width).enumerated().compactMap { k, p in
                index[p].map { (compact: $0, bit: k, qubit: p) }
            }
            return (width, true, pairs)
        }
        let pairs = final.measurements.map { (compact: $0.compact, bit: $0.clbit, qubit: $0.qubit) }
        return (compiled.source.numClbits, false, pairs)
    }

    static func bitstring(_ compactIndex: Int, width: Int, pairs: [(compact: Int, bit: Int, qubit: Int)]) -> String {
        var bits = [Character](repeating: "0", count: width)
        for p in pairs where (compactIndex >> p.compact) & 1 == 1 { bits[width - 1 - p.bit] = "1" }
        for p in pairs where (compactIndex >> p.compact) & 1 == 0 { bits[width - 1 - p.bit] = "0" }
        return String(bits)
    }

    /// Compiles, lowers and emulates; returns the final state before readout (for probes and tests).
    public static func finalState(_ circuit: Circuit, calibration: CalibrationSnapshot, device: ChipDevice,
                                  channels: ClusterChannels? = nil, options: Options = Options()) throws -> PulseFinalState {
        let compiled = try Compiler.compile(circuit, target: CompilerTarget(calibration: calibration), options: options.compile)
        let program = try PulseLowering.lower(compiled, calibration: calibration)
        return try finalState(program, channels: channels ?? ClusterChannels(device: device), state: options.state,
                              topology: calibration.topology)
    }

    /// The routed native circuit of `compiled` on physical qubits, with the implicit measurement of an
    /// unmeasured program made explicit (logical qubit k → clbit k on its final physical qubit).
    static func physicalProgram(_ compiled: CompiledProgram) throws -> OpenPulseProgram {
        let routed = compiled.routed
        guard !routed.instructions.contains(where: { if case .measure = $0.operation { return true } else { return false } }) else {
            return OpenPulseProgram(physicalCircuit: routed)
        }
        let width = compiled.source.numQubits
        var c = Circuit(numQubits: routed.numQubits, numClbits: width)
        for i in routed.instructions { try c.append(i) }
        for k in 0..<width { try c.measure(compiled.finalLayout.logicalToPhysical[k], k) }
        return OpenPulseProgram(physicalCircuit: c)
    }

    /// Compiles, lowers and emulates; returns the exact output distribution (no readout error).
    public static func exactDistribution(_ circuit: Circuit, calibration: CalibrationSnapshot, device: ChipDevice,
                                         channels: ClusterChannels? = nil, options: Options = Options()) throws -> [String: Double] {
        let compiled = try Compiler.compile(circuit, target: CompilerTarget(calibration: calibration), options: options.compile)
        if let firmware = options.firmware {
            return try OpenPulseBackend.exactDistribution(try physicalProgram(compiled), calibration: calibration, device: device,
                                                         channels: channels, firmware: firmware, state: options.state)
        }
        let program = try PulseLowering.lower(compiled, calibration: calibration)
        let final = try finalState(program, channels: channels ?? ClusterChannels(device: device), state: options.state,
                                   topology: calibration.topology)
        try checkEnumerable(final.state)
        let (width, _, pairs) = readoutMap(final, compiled: compiled)
        return distribution(final) { bitstring($0, width: width, pairs: pairs) }
    }

    /// Runs `circuit` for `shots` shots on the pulse path.
    /// - Parameters:
    ///   - calibration: what the compiler and lowering believe.
    ///   - device: the hidden truth the clusters are emulated on (and the readout errors drawn from).
    ///   - channels: a channel cache to reuse across runs (must be built on `device`).
    public static func run(_ circuit: Circuit, calibration: CalibrationSnapshot, device: ChipDevice, shots: Int,
                           seed: UInt64, channels: ClusterChannels? = nil, options: Options = Options()) throws -> PulseRunResult {
        guard (1...GateRunOptions.maxShots).contains(shots) else { throw GateSimulatorError.invalidShots(shots) }
        var timing = PulseTiming()
        var t = DispatchTime.now().uptimeNanoseconds
        let compiled = try Compiler.compile(circuit, target: CompilerTarget(calibration: calibration), options: options.compile)
        timing.compileMs = elapsedMs(since: t)
        if let firmware = options.firmware {
            // Firmware in the loop: the routed program through the OpenPulse timeline (same lowering),
            // its pulses rendered by FirmwareSim, then emulated as plays.
            let r = try OpenPulseBackend.run(try physicalProgram(compiled), calibration: calibration, device: device, shots: shots,
                                             seed: seed, channels: channels, firmware: firmware, readoutErrors: options.readoutErrors,
                                             state: options.state, probes: options.probes)
            var combined = r.timing
            combined.lowerMs = r.timing.compileMs
            combined.compileMs = timing.compileMs
            let implicit = !compiled.source.instructions.contains { if case .measure = $0.operation { return true } else { return false } }
            var result = PulseRunResult(counts: r.counts, clbitCount: r.clbitCount,
                                        measuredAllImplicitly: implicit, timing: combined, gateLeakage: r.gateLeakage,
                                        cacheHits: r.cacheHits, cacheMisses: r.cacheMisses, usedQubits: r.usedQubits)
            result.state = r.state
            result.probes = r.probes
            return result
        }
        t = DispatchTime.now().uptimeNanoseconds
        let program = try PulseLowering.lower(compiled, calibration: calibration)
        timing.lowerMs = elapsedMs(since: t)
        t = DispatchTime.now().uptimeNanoseconds
        let cache = channels ?? ClusterChannels(device: device)
        let before = cache.statistics
        let final = try finalState(program, channels: cache, state: options.state, topology: calibration.topology)
        let after = cache.statistics
        timing.emulateMs = elapsedMs(since: t)
        t = DispatchTime.now().uptimeNanoseconds
        let (width, implicit, pairs) = readoutMap(final, compiled: compiled)
        var rng = SeededGenerator(seed: seed)
        let probes = try probeProbabilities(final.state, probes: options.probes, width: width, pairs: pairs)
        let samples = final.state.sampleBits(shots: shots, using: &rng)
        // Per bit: the physical qubit it is read on, and the true P(read 0 | 0), P(read 1 | 1).
        let fidelity = pairs.map { p -> (f0: Double, f1: Double) in
            let q = device.qubit(QubitIndex(p.qubit))
            return (q.readoutFidelity0, q.readoutFidelity1)
        }
        let readout = options.iqReadout ? pairs.map { readoutChannel(qubit: $0.qubit, calibration: calibration, device: device) } : nil
        var counts: [String: Int] = [:]
        var memory: [String]? = options.memory || options.iqReadout ? [] : nil
        var iq: [Complex<Double>]? = readout == nil ? nil : []
        memory?.reserveCapacity(shots)
        iq?.reserveCapacity(shots * pairs.count)
        for s in samples {
            var bits = [Character](repeating: "0", count: width)
            for (k, p) in pairs.enumerated() {
                var one = s[p.compact]
                if let readout {
                    let r = readout[k].shot(level: one ? 1 : 0, stateTimeNs: 0, rng: &rng)
                    one = r.bit == 1
                    iq!.append(r.iq)
                } else if options.readoutErrors {
                    let flip = rng.uniform() < (one ? 1 - fidelity[k].f1 : 1 - fidelity[k].f0)
                    if flip { one.toggle() }
                }
                bits[width - 1 - p.bit] = one ? "1" : "0"
            }
            let text = String(bits)
            counts[text, default: 0] += 1
            memory?.append(text)
        }
        timing.sampleMs = elapsedMs(since: t)
        var result = PulseRunResult(counts: counts, clbitCount: width, measuredAllImplicitly: implicit, timing: timing,
                                    gateLeakage: final.gateLeakage, cacheHits: after.hits - before.hits,
                                    cacheMisses: after.misses - before.misses, usedQubits: final.usedQubits)
        result.memory = memory
        result.iq = iq
        result.state = PulseStateReport(final.state)
        result.probes = probes
        if iq != nil { result.iqColumns = pairs.map { (clbit: $0.bit, qubit: $0.qubit) } }
        return result
    }

    /// The dispersive readout of physical qubit `q`: the true resonator, a constant tone at the calibrated
    /// readout frequency over the calibrated window (1.5 µs and the bare resonator frequency when the
    /// snapshot has none), starting when the pulses end.
    static func readoutChannel(qubit q: Int, calibration: CalibrationSnapshot, device: ChipDevice) -> ReadoutChannel {
        let resonator = ReadoutResonator(device.qubit(QubitIndex(q)))
        let f = calibration.value(.readoutFrequency, QubitIndex(q)), d = calibration.value(.readoutDuration, QubitIndex(q))
        let acquisition = Acquisition(qubit: 0, startNs: 0, durationNs: d.isFinite && d > 0 ? d : 1500,
                                      toneFrequencyGHz: f.isFinite && f > 0 ? f : resonator.frequencyGHz)
        return ReadoutChannel(resonator: resonator, acquisition: acquisition, sampleRateGHz: 2, options: ReadoutOptions())
    }
}
