// The sequencer instruction set (docs/formats/sequencer.md): per-channel programs, the waveform and
// weight tables they refer to, the limits the executor enforces, and the firmware's error type.
import Numerics
import WukongPulses

/// One sequencer instruction. Times are ns and must be whole samples at the line rate (2 GS/s: 0.5 ns).
public indirect enum SequencerInstruction: Sendable, Equatable {
    /// Plays waveform `id` from the table, modulated by the channel's NCO; time advances by its length.
    case play(String)
    /// Outputs zeros for `ns`.
    case wait(ns: Double)
    /// Sets the NCO phase to `rad` at the current time (frequency unchanged).
    case setPhase(rad: Double)
    /// Adds `rad` to the NCO phase (a virtual Z).
    case shiftPhase(rad: Double)
    /// Sets the NCO frequency at the current time, phase-continuous.
    case setFrequency(ghz: Double)
    /// Adds `ghz` to the NCO frequency at the current time, phase-continuous.
    case shiftFrequency(ghz: Double)
    /// Records an acquisition window of `ns` starting now, integrated with weights `weights`
    /// (readout-tone channels only). Takes no time: play the readout pulse alongside.
    case acquire(ns: Double, weights: String)
    /// A barrier: every channel whose program syncs on `group` waits for the latest of them.
    case sync(group: String)
    /// Repeats `body` `count` times.
    case loop(count: Int, body: [SequencerInstruction])

    /// The mnemonic used in documentation and errors.
    public var mnemonic: String {
        switch self {
        case .play: "play"
        case .wait: "wait"
        case .setPhase: "set_phase"
        case .shiftPhase: "shift_phase"
        case .setFrequency: "set_frequency"
        case .shiftFrequency: "shift_frequency"
        case .acquire: "acquire"
        case .sync: "sync"
        case .loop: "loop"
        }
    }
}

/// The program of one channel.
public struct ChannelProgram: Sendable, Equatable {
    public let channel: ChannelID
    public var instructions: [SequencerInstruction]
    public init(channel: ChannelID, instructions: [SequencerInstruction]) {
        self.channel = channel
        self.instructions = instructions
    }
}

/// Waveforms by id, as complex envelope samples at the line rate (full scale = 1).
public struct WaveformTable: Sendable, Equatable {
    public private(set) var samples: [String: [Complex<Double>]] = [:]
    public init() {}

    /// Adds samples (full scale = 1, at the line rate).
    public mutating func add(_ id: String, samples: [Complex<Double>]) {
        self.samples[id] = samples
    }

    /// Adds an envelope rendered at `sampleRateGSps`.
    public mutating func add(_ id: String, envelope: Envelope, sampleRateGSps: Double = defaultSampleRateGHz) throws(PulseError) {
        samples[id] = try envelope.samples(sampleRateGHz: sampleRateGSps)
    }

    public subscript(id: String) -> [Complex<Double>]? { samples[id] }
}

/// Limits the executor enforces; each error names the channel and the instruction index.
public struct SequencerLimits: Sendable, Equatable {
    /// Most instructions in one channel program, counting loop bodies once (as written).
    public var maxProgramLength: Int = 100_000
    /// Largest `loop` count.
    public var maxLoopCount: Int = 100_000
    /// Most instructions one channel executes after loops are unrolled.
    public var maxExecutedInstructions: Int = 1_000_000
    /// Most samples on any line (2e6 samples = 1 ms at 2 GS/s).
    public var maxSamples: Int = 2_000_000
    /// Most acquisition windows in one run.
    public var maxAcquisitions: Int = 100_000
    /// Deepest loop nesting.
    public var maxLoopDepth: Int = 8
    public init() {}
}

/// An error of the firmware simulator. Program errors name the channel (by role) and the
/// instruction index path (`3.1` = instruction 1 inside the loop at index 3).
public enum FirmwareError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidSetting(String)
    case invalidInstruction(channel: String, index: String, message: String)
    case limitExceeded(channel: String, index: String, message: String)
    case syncDeadlock(String)
    case readout(String)

    public var description: String {
        switch self {
        case .invalidSetting(let m): "invalid firmware setting: \(m)"
        case let .invalidInstruction(c, i, m): "\(c), instruction \(i): \(m)"
        case let .limitExceeded(c, i, m): "\(c), instruction \(i): limit exceeded: \(m)"
        case .syncDeadlock(let m): "sync deadlock: \(m)"
        case .readout(let m): "readout: \(m)"
        }
    }
}
