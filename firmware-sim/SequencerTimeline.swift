// Runs channel programs on their NCOs in sequencer time: unrolls loops, resolves sync barriers,
// and yields the modulated (pre-DAC) pulses and acquisition windows of each channel.
import Numerics
import WukongDevice
import WukongPulses

/// A pulse placed on a channel: NCO-modulated samples starting at a sample index (sequencer time).
public struct PlacedPulse: Sendable, Equatable {
    public let waveform: String
    /// First sample, in samples of the common grid.
    public let startSample: Int
    /// s_k·e^{iφ(t_k)}, full scale = 1.
    public let samples: [Complex<Double>]
}

/// An acquisition window requested by `acquire` on a readout-tone channel.
public struct AcquisitionWindow: Sendable, Equatable {
    public let qubit: QubitIndex
    public let feedline: FeedlineID
    /// Start on the chip's time axis (sequencer time + the feedline's delay), ns.
    public var startNs: Double
    public let durationNs: Double
    /// Weight-table id.
    public let weights: String
    /// The tone's NCO frequency during the window, GHz (the demodulation IF).
    public let frequencyGHz: Double
    /// The tone's NCO phase at `startNs`, rad: demodulation uses e^{−i(φ + 2π f (t − startNs))}.
    public let phaseAtStartRad: Double

    public init(qubit: QubitIndex, feedline: FeedlineID, startNs: Double, durationNs: Double, weights: String,
                frequencyGHz: Double, phaseAtStartRad: Double) {
        self.qubit = qubit
        self.feedline = feedline
        self.startNs = startNs
        self.durationNs = durationNs
        self.weights = weights
        self.frequencyGHz = frequencyGHz
        self.phaseAtStartRad = phaseAtStartRad
    }
}

/// The timeline of one channel after execution.
public struct ChannelTimeline: Sendable, Equatable {
    public let channel: ChannelID
    public var pulses: [PlacedPulse] = []
    public var acquisitions: [AcquisitionWindow] = []
    /// Sequencer time at the end of the program, samples.
    public var endSample: Int = 0
    /// Sample index at which each sync was released, in order (for tests and plots).
    public var syncSamples: [Int] = []
    /// The NCO after the last instruction.
    public var nco: NumericallyControlledOscillator
}

/// A loop-free instruction with the index path it came from (`4.0.2`).
struct FlatInstruction {
    let instruction: SequencerInstruction
    let index: String
}

enum SequencerTimelineBuilder {
    /// Checks the program as written (length, loop counts, nesting), then unrolls its loops into a
    /// flat list, enforcing the executed-instruction limit.
    /// - Complexity: O(executed instructions).
    static func flatten(_ program: ChannelProgram, name: String, limits: SequencerLimits) throws(FirmwareError) -> [FlatInstruction] {
        var written = 0
        func check(_ body: [SequencerInstruction], prefix: String, depth: Int) throws(FirmwareError) {
            for (k, instruction) in body.enumerated() {
                let index = prefix.isEmpty ? "\(k)" : "\(prefix).\(k)"
                written += 1
                if written > limits.maxProgramLength {
                    throw .limitExceeded(channel: name, index: index, message: "program longer than \(limits.maxProgramLength) instructions")
                }
                guard case let .loop(count, inner) = instruction else { continue }
                guard count >= 0 else {
                    throw .invalidInstruction(channel: name, index: index, message: "loop count \(count) is negative")
                }
                guard count <= limits.maxLoopCount else {
                    throw .limitExceeded(channel: name, index: index, message: "loop count \(count) > \(limits.maxLoopCount)")
                }
                guard depth < limits.maxLoopDepth else {
                    throw .limitExceeded(channel: name, index: index, message: "loops nested deeper than \(limits.maxLoopDepth)")
                }
                try check(inner, prefix: index, depth: depth + 1)
            }
        }
        try check(program.instructions, prefix: "", depth: 0)

        var out = [FlatInstruction]()
        func unroll(_ body: [SequencerInstruction], prefix: String) throws(FirmwareError) {
            for (k, instruction) in body.enumerated() {
                let index = prefix.isEmpty ? "\(k)" : "\(prefix).\(k)"
                if case let .loop(count, inner) = instruction {
                    for _ in 0..<count { try unroll(inner, prefix: index) }
                    continue
                }
                out.append(FlatInstruction(instruction: instruction, index: index))
                if out.count > limits.maxExecutedInstructions {
                    throw .limitExceeded(channel: name, index: index,
                                         message: "more than \(limits.maxExecutedInstructions) instructions after unrolling loops")
                }
            }
        }
        try unroll(program.instructions, prefix: "")
        return out
    }

    /// How many times a flat list syncs on `group`.
    private static func syncCount(_ flat: [FlatInstruction], group: String) -> Int {
        flat.filter { $0.instruction == .sync(group: group) }.count
    }

    /// Executes all programs. Each channel runs until it ends or reaches a `sync`; a group is released
    /// when every channel whose program names it is waiting on it, at the latest of their times.
    static func run(programs: [ChannelProgram], waveforms: WaveformTable, configuration: FirmwareConfiguration,
                    limits: SequencerLimits) throws(FirmwareError) -> [ChannelTimeline] {
        let wiring = configuration.wiring
        let rate = configuration.sampleRateGSps
        var seen = Set<ChannelID>()
        var flats = [[FlatInstruction]]()
        var timelines = [ChannelTimeline]()
        for program in programs {
            guard (0..<wiring.channelCount).contains(program.channel.rawValue) else {
                throw .invalidSetting("program for \(program.channel), which is not in the wiring map")
            }
            let name = wiring.role(of: program.channel).description
            guard seen.insert(program.channel).inserted else { throw .invalidSetting("two programs for channel \(name)") }
            flats.append(try flatten(program, name: name, limits: limits))
            let f0 = configuration.initialFrequencyGHz[program.channel.rawValue]
            timelines.append(ChannelTimeline(channel: program.channel, nco: NumericallyControlledOscillator(frequencyGHz: f0)))
        }
        // Which channels take part in each sync group, and how often.
        var participants = [String: [Int]]()
        for (c, flat) in flats.enumerated() {
            var counts = [String: Int]()
            for f in flat { if case .sync(let g) = f.instruction { counts[g, default: 0] += 1 } }
            for g in counts.keys { participants[g, default: []].append(c) }
            for (g, n) in counts {
                for other in participants[g]! where other != c {
                    let m = syncCount(flats[other], group: g)
                    if m != n {
                        throw .invalidSetting("sync group \"\(g)\": \(wiring.role(of: timelines[c].channel)) syncs \(n) times, \(wiring.role(of: timelines[other].channel)) \(m) times")
                    }
                }
            }
        }
        var cursors = Array(repeating: 0, count: flats.count)
        var acquisitionCount = 0
        while true {
            for c in flats.indices {
                let name = wiring.role(of: timelines[c].channel).description
                while cursors[c] < flats[c].count {
                    let f = flats[c][cursors[c]]
                    if case .sync = f.instruction { break }
                    try execute(f, on: &timelines[c], name: name, role: wiring.role(of: timelines[c].channel),
                                wiring: wiring, waveforms: waveforms, rateGSps: rate, limits: limits)
                    if case .acquire = f.instruction {
                        acquisitionCount += 1
                        if acquisitionCount > limits.maxAcquisitions {
                            throw .limitExceeded(channel: name, index: f.index, message: "more than \(limits.maxAcquisitions) acquisitions")
                        }
                    }
                    cursors[c] += 1
                }
            }
            let waiting = flats.indices.filter { cursors[$0] < flats[$0].count }
            if waiting.isEmpty { break }
            var released = false
            for (group, members) in participants.sorted(by: { $0.key < $1.key }) {
                let ready = members.allSatisfy { m in
                    cursors[m] < flats[m].count && flats[m][cursors[m]].instruction == .sync(group: group)
                }
                guard ready else { continue }
                let latest = members.map { timelines[$0].endSample }.max()!
                for m in members {
                    timelines[m].endSample = latest
                    timelines[m].syncSamples.append(latest)
                    cursors[m] += 1
                }
                released = true
            }
            if !released {
                let blocked = waiting.map { c in
                    "\(wiring.role(of: timelines[c].channel)) at instruction \(flats[c][cursors[c]].index) (\(flats[c][cursors[c]].instruction))"
                }
                throw .syncDeadlock("no sync group can complete; waiting: " + blocked.joined(separator: ", "))
            }
        }
        return timelines
    }

    /// Executes one loop-free, non-sync instruction on a channel.
    private static func execute(_ f: FlatInstruction, on timeline: inout ChannelTimeline, name: String, role: ChannelRole,
                                wiring: WiringMap, waveforms: WaveformTable, rateGSps: Double,
                                limits: SequencerLimits) throws(FirmwareError) {
        func fail(_ message: String) -> FirmwareError { .invalidInstruction(channel: name, index: f.index, message: message) }
        func samples(_ ns: Double) throws(FirmwareError) -> Int {
            let exact = ns * rateGSps
            let rounded = exact.rounded()
            guard ns.isFinite, rounded >= 0, abs(exact - rounded) <= wholeSampleTolerance * max(1, exact) else {
                throw fail("\(ns) ns is not a whole, non-negative number of samples at \(rateGSps) GS/s")
            }
            return Int(rounded)
        }
        func checkEnd(_ end: Int) throws(FirmwareError) {
            if end > limits.maxSamples {
                throw .limitExceeded(channel: name, index: f.index, message: "program reaches sample \(end) > \(limits.maxSamples)")
            }
        }
        let nowNs = Double(timeline.endSample) / rateGSps
        switch f.instruction {
        case .play(let id):
            guard let env = waveforms[id] else { throw fail("unknown waveform \"\(id)\"") }
            try checkEnd(timeline.endSample + env.count)
            if role.isFlux && timeline.nco.frequencyGHz != 0 { throw fail("flux channels play at NCO frequency 0") }
            let modulated = timeline.nco.modulate(env, startTimeNs: nowNs, sampleRateGHz: rateGSps)
            timeline.pulses.append(PlacedPulse(waveform: id, startSample: timeline.endSample, samples: modulated))
            timeline.endSample += env.count
        case .wait(let ns):
            let n = try samples(ns)
            try checkEnd(timeline.endSample + n)
            timeline.endSample += n
        case .setPhase(let rad):
            guard rad.isFinite else { throw fail("phase \(rad) is not finite") }
            timeline.nco.advance(toNs: nowNs)
            timeline.nco.shiftPhase(byRad: rad - timeline.nco.phaseRad)
        case .shiftPhase(let rad):
            guard rad.isFinite else { throw fail("phase \(rad) is not finite") }
            timeline.nco.shiftPhase(byRad: rad)
        case .setFrequency(let ghz), .shiftFrequency(let ghz):
            var target = ghz
            if case .shiftFrequency = f.instruction { target += timeline.nco.frequencyGHz }
            guard abs(target) < rateGSps / 2 else { throw fail("NCO frequency \(target) GHz is beyond Nyquist (\(rateGSps / 2) GHz)") }
            timeline.nco.setFrequency(target, atNs: nowNs)
        case let .acquire(ns, weights):
            guard case .readoutTone(let q) = role else { throw fail("acquire is only allowed on readout-tone channels") }
            let n = try samples(ns)
            guard n > 0 else { throw fail("acquisition of 0 ns") }
            timeline.acquisitions.append(AcquisitionWindow(
                qubit: q, feedline: wiring.feedline(of: q), startNs: nowNs, durationNs: Double(n) / rateGSps,
                weights: weights, frequencyGHz: timeline.nco.frequencyGHz, phaseAtStartRad: timeline.nco.phase(atNs: nowNs)))
        case .sync, .loop:
            preconditionFailure("sync and loop are resolved by the caller")
        }
    }
}
