// Runs OpenPulse programs on the pulse path: parse → timeline (gate segments compiled with defcal
// overrides) → channels (gate channels as in `PulseBackend`; groups of overlapping plays emulated as
// clusters on the true device) applied in time order to a state vector over the used qubits →
// shots. capture_v0 bits get the true assignment errors (like `PulseBackend`); capture_v1 IQ points
// come from the emulator's dispersive readout model (`ReadoutChannel`, noise included); capture_v3
// raw traces are the shot-averaged resonator field (in √photons of the full-scale tone), digitized by
// FirmwareSim's ADC (12 bits, 1 GS/s).
//
// Semantics and limits (v1, as `PulseBackend`): idle qubits are the identity in their reference frames
// (no idle ZZ or detuning drift between clusters), closed system, readout-port plays only set the tone
// of the IQ model; a capture followed by pulses on its qubit is a deferred measurement.
import Foundation
import Numerics
import WukongCircuits
import WukongDevice
import WukongEmulator
import WukongGateSim
import WukongNumerics
import FirmwareSim

/// The result of an OpenPulse run.
public struct OpenPulseRunResult: Sendable {
    /// Bitstring → count over the program's clbits (clbit 0 rightmost).
    public let counts: [String: Int]
    public let clbitCount: Int
    /// Per-shot bitstrings in shot order (when `run` was asked to keep them).
    public let memory: [String]?
    /// capture_v1 results: per capture, one IQ point per shot.
    public let iq: [(name: String, values: [Complex<Double>])]
    /// capture_v3 results: per capture, the shot-averaged digitized trace at 1 GS/s.
    public let traces: [(name: String, samples: [Complex<Double>])]
    /// Stage times, ms (parse+timeline, emulate, sample).
    public let timing: PulseTiming
    /// Leakage per applied channel (kind `rphi`, `cz` or `plays`).
    public let gateLeakage: [GateLeakage]
    /// Physical qubits simulated.
    public let usedQubits: [Int]
    /// Program length, ns.
    public let durationNs: Double
    /// Number of emulated play clusters.
    public let clusterCount: Int
    /// With firmware in the loop: the largest |rendered − requested| envelope sample (DAC quantization,
    /// clipping, bandwidth), fraction of full scale (drive) or Φ0 (flux); 0 without.
    public let firmwareMaxError: Double
    /// The global state used (state vector or MPS: bond dimension, discarded weight).
    public var state: PulseStateReport? = nil
    /// Exact probabilities of the requested capture_v0 clbit strings (no readout error), in order.
    public var probes: [(bits: String, probability: Double)] = []
    /// Channel-cache hits and misses of this run (distinct emulations = misses).
    public var cacheHits = 0, cacheMisses = 0
}

/// OpenPulse programs on the pulse path.
public enum OpenPulseBackend {
    /// Parses and interprets a program into its timeline.
    public static func timeline(_ program: OpenPulseProgram, calibration: CalibrationSnapshot,
                                limits: OpenPulseLimits = OpenPulseLimits(), parameters: [String: Double] = [:]) throws -> PulseTimeline {
        try OpenPulseTimelineBuilder(program: program, calibration: calibration, limits: limits, parameters: parameters).build()
    }

    /// One step of execution in time order.
    enum Unit {
        case gate(PulseEvent)
        case cluster([ClusterPlay], start: Double, end: Double, qubits: Set<Int>)
        case capture(qubit: Int, kind: CaptureKind, frequencyGHz: Double, durationNs: Double, start: Double)

        var start: Double {
            switch self {
            case let .gate(e): return e.startNs
            case let .cluster(_, s, _, _): return s
            case let .capture(_, _, _, _, s): return s
            }
        }
    }

    static func qubits(of e: PulseEvent, topology: ChipTopology) -> Set<Int> {
        switch e.kind {
        case let .drag(p): return [p.qubit]
        case let .cz(p): return [p.low, p.high]
        case let .capture(q, _, _): return [q]
        case let .play(port, _, _, _):
            if port.isCoupler {
                let ends = topology.endpoints(of: CouplerIndex(port.element))
                return [ends.low.rawValue, ends.high.rawValue]
            }
            return [port.element]
        }
    }

    /// Groups plays into clusters (connected by time overlap on a shared element) and orders all units.
    static func units(_ timeline: PulseTimeline, topology: ChipTopology) throws -> [Unit] {
        let events = timeline.events
        // Union–find over play events.
        var parent = Array(events.indices)
        func find(_ i: Int) -> Int { var i = i; while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }; return i }
        var byElement: [String: [Int]] = [:]
        for (k, e) in events.enumerated() {
            guard case let .play(port, _, _, _) = e.kind, port.kind != .readout else { continue }
            var names = [port.isCoupler ? "c\(port.element)" : "q\(port.element)"]
            if port.isCoupler { names += qubits(of: e, topology: topology).map { "q\($0)" } }
            for n in names { byElement[n, default: []].append(k) }
        }
        for list in byElement.values {
            let sorted = list.sorted { events[$0].startNs < events[$1].startNs }
            var group = sorted[0], end = events[sorted[0]].endNs
            for k in sorted.dropFirst() {
                if events[k].startNs < end - 1e-9 {
                    parent[find(k)] = find(group)
                    end = max(end, events[k].endNs)
                } else {
                    group = k
                    end = events[k].endNs
                }
            }
        }
        var clusters: [Int: [Int]] = [:]
        var units: [(order: Int, unit: Unit)] = []
        for (k, e) in events.enumerated() {
            switch e.kind {
            case .drag, .cz:
                units.append((k, .gate(e)))
            case let .capture(q, kind, f):
                units.append((k, .capture(qubit: q, kind: kind, frequencyGHz: f, durationNs: e.durationNs, start: e.startNs)))
            case let .play(port, _, _, _):
                if port.kind != .readout { clusters[find(k), default: []].append(k) }
            }
        }
        for (root, members) in clusters {
            let plays = members.map { k -> ClusterPlay in
                guard case let .play(port, f, phase, samples) = events[k].kind else { fatalError("not a play") }
                return ClusterPlay(port: port, frequencyGHz: f, phaseRad: phase, startNs: events[k].startNs, samples: samples)
            }
            let qs = members.reduce(into: Set<Int>()) { $0.formUnion(qubits(of: events[$1], topology: topology)) }
            units.append((members.min() ?? root, .cluster(plays, start: members.map { events[$0].startNs }.min()!,
                                                          end: members.map { events[$0].endNs }.max()!, qubits: qs)))
        }
        // A gate overlapping a cluster on a shared qubit cannot be emulated as two channels.
        let clusterSpans = units.compactMap { u -> (Double, Double, Set<Int>)? in
            if case let .cluster(_, s, e, q) = u.unit { return (s, e, q) } else { return nil }
        }
        for u in units {
            guard case let .gate(g) = u.unit else { continue }
            let qs = qubits(of: g, topology: topology)
            if let c = clusterSpans.first(where: { $0.0 < g.endNs - 1e-9 && g.startNs < $0.1 - 1e-9 && !$0.2.isDisjoint(with: qs) }) {
                throw PulseLoweringError.unsupported("a gate on \(qs.sorted().map { "$\($0)" }) at \(g.startNs) ns overlaps plays on the same qubits (\(c.0)–\(c.1) ns); "
                                                     + "play on the predefined frames or add a barrier")
            }
        }
        return units.sorted { $0.unit.start != $1.unit.start ? $0.unit.start < $1.unit.start : $0.order < $1.order }.map(\.unit)
    }

    /// The state after every channel, with the capture records in order.
    struct Evolved {
        var state: any SimulationState
        var usedQubits: [Int]
        var records: [(qubit: Int, compact: Int, kind: CaptureKind, frequencyGHz: Double, durationNs: Double)]
        var leakage: [GateLeakage]
        var clusterCount: Int
        /// Largest |rendered − requested| envelope sample of the firmware (0 without firmware).
        var firmwareMaxError: Double
    }

    static func evolve(_ timeline: PulseTimeline, topology: ChipTopology, device: ChipDevice, channels: ClusterChannels?,
                       limits: OpenPulseLimits, firmware: FirmwareLoop? = nil, state options: PulseStateOptions = PulseStateOptions(),
                       timing: inout PulseTiming) throws -> Evolved {
        let cache = channels ?? ClusterChannels(device: device)
        var timeline = timeline
        var firmwareError = 0.0
        if let firmware {
            let t = DispatchTime.now().uptimeNanoseconds
            (timeline, firmwareError) = try firmware.render(timeline, channels: cache)
            timing.firmwareMs = PulseBackend.elapsedMs(since: t)
        }
        let ordered = try units(timeline, topology: topology)
        let calibrationTopology = topology
        // Qubits and deferred captures.
        var used = Set<Int>()
        for u in ordered {
            switch u {
            case let .gate(e): used.formUnion(qubits(of: e, topology: calibrationTopology))
            case let .cluster(_, _, _, q): used.formUnion(q)
            case let .capture(q, _, _, _, _): used.insert(q)
            }
        }
        let usedQubits = used.sorted()
        var lastTouch: [Int: Int] = [:]
        for (k, u) in ordered.enumerated() {
            switch u {
            case let .gate(e): for q in qubits(of: e, topology: calibrationTopology) { lastTouch[q] = k }
            case let .cluster(_, _, _, qs): for q in qs { lastTouch[q] = k }
            case .capture: break
            }
        }
        let deferredCount = ordered.enumerated().filter { k, u in
            if case let .capture(q, _, _, _, _) = u { return (lastTouch[q] ?? -1) > k } else { return false }
        }.count
        let simulated = max(usedQubits.count + deferredCount, 1)
        let index = options.compactIndex(usedQubits, topology: topology, mps: options.usesMPS(qubits: simulated))
        let state = try options.makeState(qubits: simulated)
        var nextAncilla = usedQubits.count
        var leakage: [GateLeakage] = []
        var records: [(qubit: Int, compact: Int, kind: CaptureKind, frequencyGHz: Double, durationNs: Double)] = []
        var clusterCount = 0
        for (k, u) in ordered.enumerated() {
            switch u {
            case let .gate(e):
                switch e.kind {
                case let .drag(p):
                    let ch = try cache.channel(for: p)
                    try PulseBackend.apply(ch, to: state, index: index)
                    leakage.append(GateLeakage(kind: "rphi", qubits: ch.qubits, leakage: ch.leakage))
                case let .cz(p):
                    let ch = cache.channel(for: p)
                    try PulseBackend.apply(ch, to: state, index: index)
                    leakage.append(GateLeakage(kind: "cz", qubits: [p.low, p.high], leakage: ch.leakage))
                default: break
                }
            case let .cluster(plays, _, _, _):
                let ch = try cache.channel(forPlays: plays, referenceGHz: timeline.referenceGHz, maxElements: limits.maxClusterElements)
                try PulseBackend.apply(ch, to: state, index: index)
                leakage.append(GateLeakage(kind: "plays", qubits: ch.qubits.sorted(), leakage: ch.leakage))
                clusterCount += 1
            case let .capture(q, kind, f, d, _):
                if (lastTouch[q] ?? -1) > k {
                    state.apply(StandardGate.cx.matrix(), on: [index[q]!, nextAncilla])
                    records.append((q, nextAncilla, kind, f, d))
                    nextAncilla += 1
                } else {
                    records.append((q, index[q]!, kind, f, d))
                }
            }
        }
        return Evolved(state: state, usedQubits: usedQubits, records: records, leakage: leakage, clusterCount: clusterCount,
                       firmwareMaxError: firmwareError)
    }

    /// The exact distribution of the capture_v0 bits (no readout error), keyed like the counts.
    public static func exactDistribution(_ program: OpenPulseProgram, calibration: CalibrationSnapshot, device: ChipDevice,
                                         channels: ClusterChannels? = nil, limits: OpenPulseLimits = OpenPulseLimits(),
                                         parameters: [String: Double] = [:], firmware: FirmwareLoop? = nil,
                                         state: PulseStateOptions = PulseStateOptions()) throws -> [String: Double] {
        let timeline = try self.timeline(program, calibration: calibration, limits: limits, parameters: parameters)
        var timing = PulseTiming()
        let e = try evolve(timeline, topology: calibration.topology, device: device, channels: channels, limits: limits,
                           firmware: firmware, state: state, timing: &timing)
        try PulseBackend.checkEnumerable(e.state)
        let width = timeline.clbitCount
        var out: [String: Double] = [:]
        for (m, p) in e.state.probabilities().enumerated() where p > 0 {
            var bits = [Character](repeating: "0", count: width)
            for r in e.records {
                if case let .bit(clbit?) = r.kind { bits[width - 1 - clbit] = (m >> r.compact) & 1 == 1 ? "1" : "0" }
            }
            out[String(bits), default: 0] += p
        }
        return out
    }

    /// Runs a parsed program for `shots` shots.
    public static func run(_ program: OpenPulseProgram, calibration: CalibrationSnapshot, device: ChipDevice, shots: Int, seed: UInt64,
                           channels: ClusterChannels? = nil, limits: OpenPulseLimits = OpenPulseLimits(),
                           parameters: [String: Double] = [:], firmware: FirmwareLoop? = nil,
                           readoutErrors: Bool = true, keepMemory: Bool = false, state stateOptions: PulseStateOptions = PulseStateOptions(),
                           probes: [String] = []) throws -> OpenPulseRunResult {
        guard (1...GateRunOptions.maxShots).contains(shots) else { throw GateSimulatorError.invalidShots(shots) }
        var timing = PulseTiming()
        var t = DispatchTime.now().uptimeNanoseconds
        let timeline = try self.timeline(program, calibration: calibration, limits: limits, parameters: parameters)
        timing.compileMs = PulseBackend.elapsedMs(since: t)
        t = DispatchTime.now().uptimeNanoseconds
        let cache = channels ?? ClusterChannels(device: device)
        let before = cache.statistics
        let evolved = try evolve(timeline, topology: calibration.topology, device: device, channels: cache, limits: limits,
                                 firmware: firmware, state: stateOptions, timing: &timing)
        let after = cache.statistics
        let (state, usedQubits, records, leakage, clusterCount) = (evolved.state, evolved.usedQubits, evolved.records,
                                                                  evolved.leakage, evolved.clusterCount)
        timing.emulateMs = PulseBackend.elapsedMs(since: t) - timing.firmwareMs
        t = DispatchTime.now().uptimeNanoseconds
        let iqCount = timeline.iqNames.count
        guard shots * iqCount <= limits.maxIQValues else {
            throw PulseLoweringError.unsupported("\(shots) shots × \(iqCount) IQ captures exceed the limit of \(limits.maxIQValues) values")
        }
        var rng = SeededGenerator(seed: seed)
        let width = timeline.clbitCount
        let probeResults = try PulseBackend.probeProbabilities(state, probes: probes, width: width, pairs: records.compactMap { r in
            if case let .bit(clbit?) = r.kind { return (compact: r.compact, bit: clbit, qubit: r.qubit) } else { return nil }
        })
        let samples = state.sampleBits(shots: shots, using: &rng)
        let readout = records.map { r -> ReadoutChannel? in
            guard case .iq = r.kind else { return nil }
            return ReadoutChannel(resonator: ReadoutResonator(device.qubit(QubitIndex(r.qubit))),
                                  acquisition: Acquisition(qubit: 0, startNs: 0, durationNs: r.durationNs, toneFrequencyGHz: r.frequencyGHz,
                                                           toneSamples: [], toneStartNs: 0),
                                  sampleRateGHz: PulseLowering.sampleRateGHz, options: WukongEmulator.ReadoutOptions())
        }
        let fidelity = records.map { r -> (Double, Double) in
            let dq = device.qubit(QubitIndex(r.qubit))
            return (dq.readoutFidelity0, dq.readoutFidelity1)
        }
        var counts: [String: Int] = [:]
        var memory: [String] = []
        if keepMemory { memory.reserveCapacity(shots) }
        var iq = [[Complex<Double>]](repeating: [], count: iqCount)
        for s in samples {
            var bits = [Character](repeating: "0", count: width)
            for (k, r) in records.enumerated() {
                var one = s[r.compact]
                switch r.kind {
                case let .bit(clbit):
                    if readoutErrors && rng.uniform() < (one ? 1 - fidelity[k].1 : 1 - fidelity[k].0) { one.toggle() }
                    if let clbit { bits[width - 1 - clbit] = one ? "1" : "0" }
                case let .iq(i):
                    iq[i].append(readout[k]!.shot(level: one ? 1 : 0, stateTimeNs: 0, rng: &rng).iq)
                case .trace:
                    break
                }
            }
            let bitstring = String(bits)
            counts[bitstring, default: 0] += 1
            if keepMemory { memory.append(bitstring) }
        }
        // Traces: the exact P(1) of the captured qubit mixes the two clean responses.
        var traces = [[Complex<Double>]](repeating: [], count: timeline.traceNames.count)
        for r in records {
            guard case let .trace(i) = r.kind else { continue }
            var p1 = 0.0
            if let dense = state as? StateVector {
                for (m, p) in dense.probabilities().enumerated() where (m >> r.compact) & 1 == 1 { p1 += p }
            } else {
                p1 = state.probability(of: [(qubit: r.compact, one: true)]) * state.normSquared
            }
            traces[i] = try rawTrace(qubit: device.qubit(QubitIndex(r.qubit)), toneGHz: r.frequencyGHz, durationNs: r.durationNs,
                                     excitedProbability: p1)
        }
        timing.sampleMs = PulseBackend.elapsedMs(since: t)
        var result = OpenPulseRunResult(counts: counts, clbitCount: width, memory: keepMemory ? memory : nil,
                                        iq: zip(timeline.iqNames, iq).map { ($0, $1) },
                                        traces: zip(timeline.traceNames, traces).map { ($0, $1) },
                                        timing: timing, gateLeakage: leakage, usedQubits: usedQubits, durationNs: timeline.durationNs,
                                        clusterCount: clusterCount, firmwareMaxError: evolved.firmwareMaxError)
        result.state = PulseStateReport(state)
        result.probes = probeResults
        result.cacheHits = after.hits - before.hits
        result.cacheMisses = after.misses - before.misses
        return result
    }

    /// The shot-averaged resonator field under a constant tone (the IQ model's default, 0.5 of full
    /// scale) at the ADC rate, in units of the full-scale steady field, quantized by FirmwareSim's ADC.
    /// Ring-up per sample: α ← α_ss + (α − α_ss)·e^{−λdt}, λ = πκ + i2π(f_r ± χ − f_tone).
    static func rawTrace(qubit: QubitParameters, toneGHz: Double, durationNs: Double, excitedProbability p1: Double) throws -> [Complex<Double>] {
        let r = ReadoutResonator(qubit)
        let options = WukongEmulator.ReadoutOptions()
        let rate = OpenPulseDevice.adcRateGSps, dt = 1 / rate
        let n = Int((durationNs * rate).rounded())
        func field(_ excited: Bool) -> [Complex<Double>] {
            let lambda = Complex(Double.pi * r.kappaGHz, 2 * .pi * (r.dressedFrequencyGHz(excited: excited) - toneGHz))
            let steady = Complex<Double>(0, -Double.pi * r.kappaGHz) * Complex(options.defaultToneAmplitude, 0) / lambda
            let decay = Complex<Double>.exp(-lambda.multiplied(by: dt))
            var alpha = Complex<Double>.zero
            return (0..<n).map { _ in
                alpha = steady + (alpha - steady) * decay
                return alpha
            }
        }
        let g = field(false), e = field(true)
        let mean = zip(g, e).map { $0.multiplied(by: 1 - p1) + $1.multiplied(by: p1) }
        let chain = ReadoutChain(discriminators: [:])
        do {
            return try chain.digitize(FeedlineSignal(feedline: FeedlineID(0), sampleRateGSps: rate, samples: mean)).samples
        } catch {
            throw PulseLoweringError.unsupported("raw trace: \(error)")
        }
    }
}
