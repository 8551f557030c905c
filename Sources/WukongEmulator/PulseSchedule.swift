// The JSON pulse schedule (docs/formats/schedule.md): channels per element (drive, flux, readout),
// instructions with times in ns, an optional inline device, and limits. Decoding errors name the
// field path (`instructions[3].envelope.sigma_ns`); compilation lives in PulseSchedule+Compile.
import Foundation
import Numerics

/// Limits a schedule must respect (checked while compiling; each violation names its field).
public struct ScheduleLimits: Sendable, Equatable {
    /// Samples in one `play` (envelope or explicit samples).
    public var maxSamplesPerWaveform: Int
    /// End time of the last instruction, ns.
    public var maxDurationNs: Double
    /// Distinct channels used.
    public var maxChannels: Int
    /// Instructions in the schedule.
    public var maxInstructions: Int

    public init(maxSamplesPerWaveform: Int = 200_000, maxDurationNs: Double = 1_000_000, maxChannels: Int = 64,
                maxInstructions: Int = 100_000) {
        self.maxSamplesPerWaveform = maxSamplesPerWaveform
        self.maxDurationNs = maxDurationNs
        self.maxChannels = maxChannels
        self.maxInstructions = maxInstructions
    }
}

/// A schedule error: the JSON path of the offending field and what is wrong with it.
public struct ScheduleError: Error, CustomStringConvertible, Sendable {
    /// Field path, e.g. `instructions[2].envelope.sigma_ns`.
    public let path: String
    public let message: String
    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { path.isEmpty ? "schedule: \(message)" : "schedule: \(path): \(message)" }
}

/// The kind of a channel.
public enum ChannelKind: String, Sendable, Codable, CaseIterable {
    case drive, flux, readout
}

/// A channel `<element>.<kind>`, e.g. `q0.drive`, `c3.flux`, `q12.readout`.
public struct ChannelID: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// Element name (`q<n>` or `c<n>`).
    public let element: String
    public let kind: ChannelKind
    public init(element: String, kind: ChannelKind) {
        self.element = element
        self.kind = kind
    }
    /// Parses `element.kind`; nil when malformed.
    public init?(parsing s: String) {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let k = ChannelKind(rawValue: String(parts[1])) else { return nil }
        self.init(element: String(parts[0]), kind: k)
    }
    public var description: String { "\(element).\(kind.rawValue)" }
    public static func < (a: ChannelID, b: ChannelID) -> Bool { a.description < b.description }
}

/// A named envelope with its parameters (times in ns), as in `wukong waveform render`.
public struct EnvelopeSpec: Sendable, Decodable, Equatable {
    /// drag, gaussian, lifted_gaussian, flattop_cosine, flattop_erf, cosine, constant.
    public var shape: String
    public var durationNs: Double
    public var amp: Double
    public var angle: Double?
    public var sigmaNs: Double?
    public var betaNs: Double?
    public var riseNs: Double?
    public var edgeSigmaNs: Double?

    enum CodingKeys: String, CodingKey {
        case shape, amp, angle
        case durationNs = "duration_ns", sigmaNs = "sigma_ns", betaNs = "beta_ns", riseNs = "rise_ns", edgeSigmaNs = "edge_sigma_ns"
    }
}

/// Explicit samples: numbers (real) or [re, im] pairs.
public struct SampleList: Sendable, Decodable, Equatable {
    public var values: [Complex<Double>]
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let reals = try? c.decode([Double].self) {
            values = reals.map { Complex($0, 0) }
        } else {
            let pairs = try c.decode([[Double]].self)
            values = []
            for (k, p) in pairs.enumerated() {
                guard p.count == 2 else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "sample \(k) must be a number or [re, im]")
                }
                values.append(Complex(p[0], p[1]))
            }
        }
    }
}

/// One instruction. Which fields are required depends on `op` (checked when compiling).
public struct ScheduleInstruction: Sendable, Decodable, Equatable {
    /// play, shift_phase, set_phase, set_frequency, delay, barrier, acquire.
    public var op: String
    public var channel: String?
    /// For `barrier`: the channels to align (all channels when omitted).
    public var channels: [String]?
    /// Explicit start time, ns (default: the channel's cursor, i.e. right after its previous instruction).
    public var tNs: Double?
    public var envelope: EnvelopeSpec?
    public var samples: SampleList?
    public var phaseRad: Double?
    public var frequencyGHz: Double?
    public var durationNs: Double?

    enum CodingKeys: String, CodingKey {
        case op, channel, channels, envelope, samples
        case tNs = "t_ns", phaseRad = "phase_rad", frequencyGHz = "frequency_ghz", durationNs = "duration_ns"
    }
}

/// The initial frame of a drive or readout channel.
public struct FrameSpec: Sendable, Decodable, Equatable {
    public var frequencyGHz: Double
    public var phaseRad: Double?
    enum CodingKeys: String, CodingKey { case frequencyGHz = "frequency_ghz", phaseRad = "phase_rad" }
}

/// Readout resonator parameters of an inline qubit (defaults: chip-physics §5.2).
public struct InlineReadoutSpec: Sendable, Decodable, Equatable {
    public var resonatorGHz: Double?
    public var couplingGHz: Double?
    public var kappaGHz: Double?
    public var fidelity0: Double?
    public var fidelity1: Double?
    enum CodingKeys: String, CodingKey {
        case resonatorGHz = "resonator_ghz", couplingGHz = "coupling_ghz", kappaGHz = "kappa_ghz"
        case fidelity0 = "fidelity_0", fidelity1 = "fidelity_1"
    }
}

/// A small device given inline: `one_transmon` (element q0) or `two_transmons_coupler` (q0, q1, c0).
public struct InlineDeviceSpec: Sendable, Decodable, Equatable {
    public var kind: String
    public var levels: Int?
    /// one_transmon: f01, GHz.
    public var frequencyGHz: Double?
    /// two_transmons_coupler: the two qubits' f01, GHz.
    public var qubitsGHz: [Double]?
    public var anharmonicityGHz: Double?
    public var driveRabiGHz: Double?
    public var t1Us: Double?
    public var t2Us: Double?
    public var thermalPopulation: Double?
    public var couplerMaxGHz: Double?
    /// Coupler idle (parking) frequency, GHz (default: the decoupling point 6.05 GHz).
    public var couplerIdleGHz: Double?
    public var couplerAnharmonicityGHz: Double?
    public var qubitCouplerGHz: Double?
    public var directGHz: Double?
    public var couplingForm: String?
    public var readout: InlineReadoutSpec?

    enum CodingKeys: String, CodingKey {
        case kind, levels, readout
        case frequencyGHz = "frequency_ghz", qubitsGHz = "qubits_ghz", anharmonicityGHz = "anharmonicity_ghz"
        case driveRabiGHz = "drive_rabi_ghz", t1Us = "t1_us", t2Us = "t2_us", thermalPopulation = "thermal_population"
        case couplerMaxGHz = "coupler_max_ghz", couplerIdleGHz = "coupler_idle_ghz"
        case couplerAnharmonicityGHz = "coupler_anharmonicity_ghz", qubitCouplerGHz = "qubit_coupler_ghz"
        case directGHz = "direct_ghz", couplingForm = "coupling_form"
    }
}

/// A pulse schedule as read from JSON.
public struct PulseSchedule: Sendable, Decodable, Equatable {
    public var version: Int
    /// AWG sample rate, GHz (default 2).
    public var sampleRateGHz: Double?
    public var device: InlineDeviceSpec?
    /// Elements of the true device to emulate (overridden by the CLI's --elements).
    public var elements: [String]?
    /// Initial frames of drive/readout channels, by channel name.
    public var frames: [String: FrameSpec]?
    public var instructions: [ScheduleInstruction]

    enum CodingKeys: String, CodingKey {
        case version, device, elements, frames, instructions
        case sampleRateGHz = "sample_rate_ghz"
    }

    /// Decodes a schedule, turning decoding errors into `ScheduleError`s with the field path.
    public static func decode(json data: Data) throws(ScheduleError) -> PulseSchedule {
        let s: PulseSchedule
        do {
            s = try JSONDecoder().decode(PulseSchedule.self, from: data)
        } catch let e as DecodingError {
            throw ScheduleError.from(e)
        } catch {
            throw ScheduleError("", "\(error)")
        }
        guard s.version == 1 else { throw ScheduleError("version", "unsupported version \(s.version) (expected 1)") }
        return s
    }
}

extension ScheduleError {
    /// Renders a coding path as `a.b[3].c`.
    static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for k in keys {
            if let i = k.intValue { out += "[\(i)]" } else { out += out.isEmpty ? k.stringValue : ".\(k.stringValue)" }
        }
        return out
    }

    static func from(_ e: DecodingError) -> ScheduleError {
        switch e {
        case let .keyNotFound(key, ctx):
            return ScheduleError(path(ctx.codingPath + [key]), "required field is missing")
        case let .typeMismatch(type, ctx):
            return ScheduleError(path(ctx.codingPath), "expected \(type)")
        case let .valueNotFound(type, ctx):
            return ScheduleError(path(ctx.codingPath), "expected \(type), found null")
        case let .dataCorrupted(ctx):
            return ScheduleError(path(ctx.codingPath), ctx.debugDescription)
        @unknown default:
            return ScheduleError("", "\(e)")
        }
    }
}
