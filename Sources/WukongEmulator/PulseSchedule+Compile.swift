// Schedule → PulseSequence: resolves elements (inline device or the true chip), walks the
// instructions with a time cursor and a frame (frequency, phase) per channel, and renders plays on
// the AWG grid. Drive samples carry their frame phase (Ω̃ = a·e(t)·e^{iφ}, ARCHITECTURE invariant 5).
import Foundation
import Numerics
import WukongDevice
import WukongPulses

/// One `acquire` with the readout tone that drives the resonator during it.
public struct Acquisition: Sendable, Equatable {
    /// Position of the measured qubit in the model.
    public var qubit: Int
    /// Start of the integration window, ns.
    public var startNs: Double
    /// Length of the integration window, ns.
    public var durationNs: Double
    /// Readout tone frequency (the readout channel's frame at the last readout play, or at the acquire), GHz.
    public var toneFrequencyGHz: Double
    /// Readout tone envelope on the AWG grid (|ε| ≤ 1 of full scale) and its start time, ns. Empty: a
    /// default constant tone (`ReadoutOptions.defaultToneAmplitude`) over the window.
    public var toneSamples: [Complex<Double>]
    public var toneStartNs: Double
}

/// The emulator's view of a schedule.
public struct CompiledSchedule: Sendable {
    public let model: SubsystemModel
    /// Element names in model order (`q0`, `c3`, …).
    public let elementNames: [String]
    /// The drive and flux part, from t = 0 to `evolutionEndNs`.
    public let sequence: PulseSequence
    /// End of the last drive/flux instruction, ns: the state there is what readout measures.
    public let evolutionEndNs: Double
    /// Acquisitions in time order.
    public let acquisitions: [Acquisition]
    /// Readout resonators by qubit position.
    public let resonators: [Int: ReadoutResonator]
}

extension PulseSchedule {
    /// Compiles against the inline device, or against `device` with the named elements
    /// (`elements` overrides the schedule's own list). `levels` overrides the inline device's levels.
    public func compile(device: ChipDevice? = nil, elements override: [String]? = nil, levels: Int? = nil,
                        limits: ScheduleLimits = ScheduleLimits()) throws(ScheduleError) -> CompiledSchedule {
        let rate = sampleRateGHz ?? 2
        guard rate > 0 && rate.isFinite else { throw ScheduleError("sample_rate_ghz", "must be > 0") }
        guard instructions.count <= limits.maxInstructions else {
            throw ScheduleError("instructions", "\(instructions.count) instructions exceed the limit \(limits.maxInstructions)")
        }
        let (model, names, resonators) = try resolveModel(device: device, override: override, levels: levels)
        var walker = ScheduleWalker(model: model, names: names, rate: rate, limits: limits, resonators: resonators)
        for (name, f) in (frames ?? [:]).sorted(by: { $0.key < $1.key }) {
            let ch = try walker.channel(name, path: "frames.\(name)")
            guard ch.kind != .flux else { throw ScheduleError("frames.\(name)", "flux channels have no frame") }
            walker.frames[ch] = (f.frequencyGHz, f.phaseRad ?? 0)
        }
        for (i, ins) in instructions.enumerated() { try walker.apply(ins, path: "instructions[\(i)]") }
        return try walker.finish(resonators: resonators)
    }

    func resolveModel(device: ChipDevice?, override: [String]?, levels: Int?) throws(ScheduleError)
        -> (SubsystemModel, [String], [Int: ReadoutResonator]) {
        if let d = self.device { return try d.model(levelsOverride: levels) }
        guard let device else { throw ScheduleError("device", "no inline device and no device spec given") }
        let list = override ?? elements ?? []
        guard !list.isEmpty else { throw ScheduleError("elements", "name the elements to emulate (e.g. [\"q0\", \"c0\", \"q1\"])") }
        var qs: [QubitIndex] = [], cs: [CouplerIndex] = []
        for (i, e) in list.enumerated() {
            guard let n = Int(e.dropFirst()), n >= 0 else { throw ScheduleError("elements[\(i)]", "'\(e)' is not q<n> or c<n>") }
            if e.hasPrefix("q"), n < device.qubits.count { qs.append(QubitIndex(n)) }
            else if e.hasPrefix("c"), n < device.couplers.count { cs.append(CouplerIndex(n)) }
            else { throw ScheduleError("elements[\(i)]", "'\(e)' is not an element of \(device.name)") }
        }
        let lv = levels ?? 3
        guard (2...4).contains(lv) else { throw ScheduleError("levels", "\(lv) is not in 2...4") }
        let model = SubsystemModel(device: device, qubits: qs, couplers: cs, levels: lv)
        var res: [Int: ReadoutResonator] = [:]
        for (k, q) in qs.enumerated() { res[k] = ReadoutResonator(device.qubit(q)) }
        return (model, qs.map(\.description) + cs.map(\.description), res)
    }
}

extension InlineDeviceSpec {
    /// The model, element names and resonators of an inline device.
    func model(levelsOverride: Int?) throws(ScheduleError) -> (SubsystemModel, [String], [Int: ReadoutResonator]) {
        let lv = levelsOverride ?? levels ?? 3
        guard (2...4).contains(lv) else { throw ScheduleError("device.levels", "\(lv) is not in 2...4") }
        let alpha = anharmonicityGHz ?? -0.22
        guard alpha < 0 else { throw ScheduleError("device.anharmonicity_ghz", "must be < 0") }
        let t1 = t1Us ?? .infinity, t2 = t2Us ?? min(2 * t1, .infinity)
        guard t1 > 0, t2 > 0, t2 <= 2 * t1 else { throw ScheduleError("device.t2_us", "need 0 < T2 ≤ 2·T1") }
        let rabi = driveRabiGHz ?? 0.08
        let model: SubsystemModel, names: [String]
        switch kind {
        case "one_transmon":
            guard let f = frequencyGHz, f > 0 else { throw ScheduleError("device.frequency_ghz", "required (> 0) for one_transmon") }
            model = .singleTransmon(frequencyGHz: f, anharmonicityGHz: alpha, levels: lv, driveRabiGHz: rabi, t1Us: t1,
                                    t2StarUs: t2, thermalPopulation: thermalPopulation ?? 0)
            names = ["q0"]
        case "two_transmons_coupler":
            let fq = qubitsGHz ?? [4.40, 4.65]
            guard fq.count == 2, fq.allSatisfy({ $0 > 0 }) else { throw ScheduleError("device.qubits_ghz", "need two positive frequencies") }
            let form: CouplingForm
            switch couplingForm ?? "full" {
            case "full": form = .full
            case "rwa": form = .rotatingWave
            default: throw ScheduleError("device.coupling_form", "'\(couplingForm!)' is not full or rwa")
            }
            let cmax = couplerMaxGHz ?? 7.0, cidle = couplerIdleGHz ?? 6.05
            var m = SubsystemModel.twoTransmonsWithCoupler(qubitsGHz: (fq[0], fq[1]), qubitAnharmonicityGHz: alpha, couplerMaxGHz: cmax,
                                                           couplerAnharmonicityGHz: couplerAnharmonicityGHz ?? -0.15,
                                                           qubitCouplerGHz: qubitCouplerGHz ?? 0.09, directGHz: directGHz ?? 0.006,
                                                           levels: lv, couplingForm: form, driveRabiGHz: rabi)
            guard cidle > 0, cidle <= cmax, m.elements[2].tuning.flux(forFrequencyGHz: cidle) != nil else {
                throw ScheduleError("device.coupler_idle_ghz", "\(cidle) GHz is not reachable (f_max \(cmax) GHz)")
            }
            m = m.tuning(mode: 2, toFrequencyGHz: cidle)
            model = m
            names = ["q0", "q1", "c0"]
        default:
            throw ScheduleError("device.kind", "'\(kind)' is not one_transmon or two_transmons_coupler")
        }
        let r = readout
        var res: [Int: ReadoutResonator] = [:]
        for k in model.qubitPositions {
            let fr = r?.resonatorGHz ?? 6.5 + 0.06 * Double(k)
            res[k] = ReadoutResonator(frequencyGHz: fr,
                                      chiGHz: dispersiveShiftGHz(qubitGHz: model.frequenciesGHz()[k], resonatorGHz: fr,
                                                                 couplingGHz: r?.couplingGHz ?? 0.1, anharmonicityGHz: alpha),
                                      kappaGHz: r?.kappaGHz ?? 0.001, qubitT1Us: t1,
                                      fidelity0: r?.fidelity0 ?? 0.965, fidelity1: r?.fidelity1 ?? 0.93)
        }
        return (model, names, res)
    }
}

/// Walks instructions: cursors, frames, and the rendered plays.
struct ScheduleWalker {
    let model: SubsystemModel
    let names: [String]
    let rate: Double
    let limits: ScheduleLimits
    let resonators: [Int: ReadoutResonator]
    var cursor: [ChannelID: Double] = [:]
    var frames: [ChannelID: (frequencyGHz: Double, phaseRad: Double)] = [:]
    /// Drive plays: (element, carrier GHz) → samples from t = 0 (zero where silent).
    var drives: [DriveKey: [Complex<Double>]] = [:]
    var fluxes: [Int: [Double]] = [:]
    var evolutionEnd = 0.0
    var readoutPlays: [Int: (start: Double, samples: [Complex<Double>], frequency: Double)] = [:]
    var acquisitions: [Acquisition] = []
    /// Default drive frames: each mode's dressed f01 at idle, E(1ₖ) − E(0), from exact diagonalization.
    let dressedQubitGHz: [Double]

    struct DriveKey: Hashable { let element: Int; let frequencyGHz: Double }

    init(model: SubsystemModel, names: [String], rate: Double, limits: ScheduleLimits, resonators: [Int: ReadoutResonator]) {
        self.model = model
        self.names = names
        self.rate = rate
        self.limits = limits
        self.resonators = resonators
        let e = model.dressedEnergiesGHz()
        dressedQubitGHz = model.elements.indices.map { e[model.strides[$0]] - e[0] }
    }

    /// Resolves a channel name, creating its cursor and default frame on first use.
    mutating func channel(_ s: String, path: String) throws(ScheduleError) -> ChannelID {
        guard let ch = ChannelID(parsing: s) else { throw ScheduleError(path, "'\(s)' is not <element>.drive|flux|readout") }
        guard let k = names.firstIndex(of: ch.element) else {
            throw ScheduleError(path, "element '\(ch.element)' is not emulated (elements: \(names.joined(separator: ", ")))")
        }
        if ch.kind != .flux && model.elements[k].kind != .qubit { throw ScheduleError(path, "couplers have only a flux channel") }
        if cursor[ch] == nil {
            guard cursor.count < limits.maxChannels else { throw ScheduleError(path, "more than \(limits.maxChannels) channels") }
            cursor[ch] = 0
            switch ch.kind {
            case .drive: frames[ch] = (dressedQubitGHz[k], 0)
            case .readout: frames[ch] = (resonators[k]?.frequencyGHz ?? 6.5, 0)
            case .flux: break
            }
        }
        return ch
    }

    func onGrid(_ t: Double, path: String) throws(ScheduleError) -> Int {
        let k = (t * rate).rounded()
        guard t.isFinite, t >= 0, abs(t * rate - k) < 1e-6 else {
            throw ScheduleError(path, "\(t) ns is not ≥ 0 on the \(1 / rate)-ns sample grid")
        }
        return Int(k)
    }

    mutating func apply(_ ins: ScheduleInstruction, path: String) throws(ScheduleError) {
        if ins.op == "barrier" {
            // Without a list: every channel of every emulated element.
            let all = names.indices.flatMap { k in
                (model.elements[k].kind == .qubit ? ChannelKind.allCases : [.flux]).map { "\(names[k]).\($0.rawValue)" }
            }
            let chans = try (ins.channels ?? all).enumerated().map { (i, s) throws(ScheduleError) in
                try channel(s, path: "\(path).channels[\(i)]")
            }
            let t = chans.map { cursor[$0]! }.max() ?? 0
            for c in chans { cursor[c] = t }
            return
        }
        guard let name = ins.channel else { throw ScheduleError("\(path).channel", "required field is missing") }
        let ch = try channel(name, path: "\(path).channel")
        let k = names.firstIndex(of: ch.element)!
        let start = ins.tNs ?? cursor[ch]!
        guard start >= cursor[ch]! - 1e-9 else {
            throw ScheduleError("\(path).t_ns", "\(start) ns overlaps the previous instruction on \(ch) (ends at \(cursor[ch]!) ns)")
        }
        let k0 = try onGrid(start, path: "\(path).t_ns")
        var end = start
        switch ins.op {
        case "play":
            let s = try playSamples(ins, path: path)
            end = start + Double(s.count) / rate
            switch ch.kind {
            case .drive:
                let fr = frames[ch]!
                let key = DriveKey(element: k, frequencyGHz: fr.frequencyGHz)
                var arr = drives[key] ?? []
                if arr.count < k0 + s.count { arr += Array(repeating: .zero, count: k0 + s.count - arr.count) }
                let rot = Complex<Double>(length: 1, phase: fr.phaseRad)
                for (j, v) in s.enumerated() {
                    guard v.length <= 1 + 1e-12 else { throw ScheduleError("\(path).samples[\(j)]", "|sample| = \(v.length) exceeds full scale 1") }
                    arr[k0 + j] = v * rot
                }
                drives[key] = arr
            case .flux:
                var arr = fluxes[k] ?? []
                if arr.count < k0 + s.count { arr += Array(repeating: 0, count: k0 + s.count - arr.count) }
                for (j, v) in s.enumerated() { arr[k0 + j] = v.real }
                fluxes[k] = arr
            case .readout:
                let fr = frames[ch]!
                let rot = Complex<Double>(length: 1, phase: fr.phaseRad)
                readoutPlays[k] = (start, s.map { $0 * rot }, fr.frequencyGHz)
            }
        case "shift_phase", "set_phase":
            guard ch.kind != .flux else { throw ScheduleError("\(path).channel", "\(ins.op) needs a drive or readout channel") }
            guard let p = ins.phaseRad, p.isFinite else { throw ScheduleError("\(path).phase_rad", "required (finite) for \(ins.op)") }
            frames[ch]!.phaseRad = ins.op == "set_phase" ? p : frames[ch]!.phaseRad + p
        case "set_frequency":
            guard ch.kind != .flux else { throw ScheduleError("\(path).channel", "set_frequency needs a drive or readout channel") }
            guard let f = ins.frequencyGHz, f > 0, f.isFinite else { throw ScheduleError("\(path).frequency_ghz", "required (> 0)") }
            // Phase-continuous carrier: arg of Ω̃e^{−i2πft} is unchanged at t = start.
            frames[ch]!.phaseRad += 2 * .pi * (f - frames[ch]!.frequencyGHz) * start
            frames[ch]!.frequencyGHz = f
        case "delay":
            guard let d = ins.durationNs, d >= 0 else { throw ScheduleError("\(path).duration_ns", "required (≥ 0) for delay") }
            _ = try onGrid(d, path: "\(path).duration_ns")
            end = start + d
        case "acquire":
            guard ch.kind == .readout else { throw ScheduleError("\(path).channel", "acquire needs a readout channel") }
            guard let d = ins.durationNs, d > 0 else { throw ScheduleError("\(path).duration_ns", "required (> 0) for acquire") }
            _ = try onGrid(d, path: "\(path).duration_ns")
            end = start + d
            let play = readoutPlays[k]
            acquisitions.append(Acquisition(qubit: k, startNs: start, durationNs: d,
                                            toneFrequencyGHz: play?.frequency ?? frames[ch]!.frequencyGHz,
                                            toneSamples: play?.samples ?? [], toneStartNs: play?.start ?? start))
        default:
            throw ScheduleError("\(path).op", "'\(ins.op)' is not play, shift_phase, set_phase, set_frequency, delay, barrier or acquire")
        }
        guard end <= limits.maxDurationNs else { throw ScheduleError(path, "ends at \(end) ns, beyond the limit \(limits.maxDurationNs) ns") }
        cursor[ch] = end
        if ch.kind != .readout { evolutionEnd = max(evolutionEnd, end) }
    }

    func playSamples(_ ins: ScheduleInstruction, path: String) throws(ScheduleError) -> [Complex<Double>] {
        let s: [Complex<Double>]
        switch (ins.envelope, ins.samples) {
        case let (e?, nil): s = try render(e, path: "\(path).envelope")
        case let (nil, v?): s = v.values
        default: throw ScheduleError(path, "play needs exactly one of 'envelope' and 'samples'")
        }
        guard !s.isEmpty else { throw ScheduleError(path, "play has no samples") }
        guard s.count <= limits.maxSamplesPerWaveform else {
            throw ScheduleError(path, "\(s.count) samples exceed the limit \(limits.maxSamplesPerWaveform)")
        }
        return s
    }

    func render(_ e: EnvelopeSpec, path: String) throws(ScheduleError) -> [Complex<Double>] {
        guard e.durationNs * rate <= Double(limits.maxSamplesPerWaveform) else {
            throw ScheduleError("\(path).duration_ns", "\(e.durationNs) ns exceeds \(limits.maxSamplesPerWaveform) samples")
        }
        _ = try onGrid(e.durationNs, path: "\(path).duration_ns")
        func need(_ v: Double?, _ field: String) throws(ScheduleError) -> Double {
            guard let v else { throw ScheduleError("\(path).\(field)", "required for shape \(e.shape)") }
            return v
        }
        do {
            let T = e.durationNs, a = e.amp, ang = e.angle ?? 0
            let env: Envelope
            switch e.shape {
            case "drag": env = try .drag(durationNs: T, sigmaNs: need(e.sigmaNs, "sigma_ns"), betaNs: e.betaNs ?? 0, amp: a, angle: ang)
            case "gaussian": env = try .gaussian(durationNs: T, sigmaNs: need(e.sigmaNs, "sigma_ns"), amp: a, angle: ang)
            case "lifted_gaussian": env = try .liftedGaussian(durationNs: T, sigmaNs: need(e.sigmaNs, "sigma_ns"), amp: a, angle: ang)
            case "flattop_cosine": env = try .flatTopCosine(durationNs: T, riseNs: need(e.riseNs, "rise_ns"), amp: a, angle: ang)
            case "flattop_erf":
                let r = try need(e.riseNs, "rise_ns")
                env = try .flatTopErf(durationNs: T, riseNs: r, edgeSigmaNs: e.edgeSigmaNs ?? r / 4, amp: a, angle: ang)
            case "cosine": env = try .cosine(durationNs: T, amp: a, angle: ang)
            case "constant": env = try .constant(durationNs: T, amp: a, angle: ang)
            default:
                throw ScheduleError("\(path).shape", "'\(e.shape)' is not drag, gaussian, lifted_gaussian, flattop_cosine, flattop_erf, cosine or constant")
            }
            return try env.samples(sampleRateGHz: rate)
        } catch let err as ScheduleError {
            throw err
        } catch {
            throw ScheduleError(path, "\(error)")
        }
    }

    func finish(resonators: [Int: ReadoutResonator]) throws(ScheduleError) -> CompiledSchedule {
        for (i, a) in acquisitions.enumerated() where a.startNs < evolutionEnd - 1e-9 {
            throw ScheduleError("acquire #\(i) on \(names[a.qubit]).readout",
                                "starts at \(a.startNs) ns, before the last drive/flux instruction ends (\(evolutionEnd) ns): mid-schedule measurement is not supported")
        }
        let dw = drives.sorted { ($0.key.element, $0.key.frequencyGHz) < ($1.key.element, $1.key.frequencyGHz) }
            .map { DriveWaveform(element: $0.key.element, frequencyGHz: $0.key.frequencyGHz, samples: $0.value) }
        let fw = fluxes.sorted { $0.key < $1.key }.map { FluxWaveform(element: $0.key, samplesPhi0: $0.value) }
        var seq = PulseSequence(sampleRateGHz: rate)
        let block = PulseBlock(drives: dw, fluxes: fw)
        if block.sampleCount > 0 { seq.segments.append(.block(block)) }
        let rest = evolutionEnd - Double(block.sampleCount) / rate
        if rest > 1e-9 { seq = seq.thenIdle(rest) }
        return CompiledSchedule(model: model, elementNames: names, sequence: seq, evolutionEndNs: evolutionEnd,
                                acquisitions: acquisitions.sorted { $0.startNs < $1.startNs }, resonators: resonators)
    }
}
