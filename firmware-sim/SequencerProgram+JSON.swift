// The JSON spelling of a set of channel programs (docs/formats/sequencer.md, "JSON"), decoded into
// `ChannelProgram`s, a `WaveformTable` and starting NCO frequencies. Parsing only; files are read by the CLI.
import Foundation
import Numerics

/// A decoded JSON firmware program.
public struct FirmwareProgramFile: Sendable {
    public let programs: [ChannelProgram]
    public let waveforms: WaveformTable
    /// Starting NCO frequencies by channel, GHz.
    public let initialFrequencyGHz: [ChannelID: Double]

    /// Decodes `data` against `wiring`; errors name the channel and instruction index.
    public init(json data: Data, wiring: WiringMap, sampleRateGSps: Double = 2) throws {
        let raw: RawFile
        do { raw = try JSONDecoder().decode(RawFile.self, from: data) }
        catch { throw FirmwareError.invalidSetting("program JSON: \(error)") }
        var table = WaveformTable()
        for (id, w) in (raw.waveforms ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let samples = w.samples {
                guard samples.allSatisfy({ $0.count == 2 }) else {
                    throw FirmwareError.invalidSetting("waveform \"\(id)\": samples must be [I, Q] pairs")
                }
                table.add(id, samples: samples.map { Complex($0[0], $0[1]) })
            } else if let shape = w.shape, let duration = w.duration_ns {
                var request = WaveformRequest(shape: shape, durationNs: duration)
                request.amp = w.amp ?? request.amp
                request.angle = w.angle ?? 0
                request.sigmaNs = w.sigma_ns
                request.betaNs = w.beta_ns ?? 0
                request.riseNs = w.rise_ns
                do { try table.add(id, envelope: request.envelope(), sampleRateGSps: sampleRateGSps) }
                catch { throw FirmwareError.invalidSetting("waveform \"\(id)\": \(error)") }
            } else {
                throw FirmwareError.invalidSetting("waveform \"\(id)\" needs either samples or shape and duration_ns")
            }
        }
        var programs = [ChannelProgram]()
        for (name, body) in raw.channels.sorted(by: { $0.key < $1.key }) {
            guard let channel = wiring.channel(named: name) else {
                throw FirmwareError.invalidSetting("unknown channel \"\(name)\" (channels are xy<q>, z<q>, zc<c>, ro<q>)")
            }
            programs.append(ChannelProgram(channel: channel, instructions: try Self.instructions(body, channel: name, prefix: "")))
        }
        var frequencies = [ChannelID: Double]()
        for (name, f) in raw.initial_frequency_ghz ?? [:] {
            guard let channel = wiring.channel(named: name) else { throw FirmwareError.invalidSetting("unknown channel \"\(name)\"") }
            frequencies[channel] = f
        }
        self.programs = programs
        self.waveforms = table
        self.initialFrequencyGHz = frequencies
    }

    private static func instructions(_ raw: [RawInstruction], channel: String, prefix: String) throws -> [SequencerInstruction] {
        try raw.enumerated().map { k, r in
            let index = prefix.isEmpty ? "\(k)" : "\(prefix).\(k)"
            func need<T>(_ value: T?, _ field: String) throws -> T {
                guard let value else {
                    throw FirmwareError.invalidInstruction(channel: channel, index: index, message: "\(r.op) needs \"\(field)\"")
                }
                return value
            }
            switch r.op {
            case "play": return .play(try need(r.waveform, "waveform"))
            case "wait": return .wait(ns: try need(r.ns, "ns"))
            case "set_phase": return .setPhase(rad: try need(r.rad, "rad"))
            case "shift_phase": return .shiftPhase(rad: try need(r.rad, "rad"))
            case "set_frequency": return .setFrequency(ghz: try need(r.ghz, "ghz"))
            case "shift_frequency": return .shiftFrequency(ghz: try need(r.ghz, "ghz"))
            case "acquire": return .acquire(ns: try need(r.ns, "ns"), weights: r.weights ?? "calibrated")
            case "sync": return .sync(group: r.group ?? "all")
            case "loop":
                return .loop(count: try need(r.count, "count"),
                             body: try instructions(try need(r.body, "body"), channel: channel, prefix: index))
            default:
                throw FirmwareError.invalidInstruction(channel: channel, index: index, message: "unknown op \"\(r.op)\"")
            }
        }
    }
}

// Field names follow the JSON spelling (snake_case), hence the underscores.
private struct RawFile: Decodable {
    var waveforms: [String: RawWaveform]?
    var channels: [String: [RawInstruction]]
    var initial_frequency_ghz: [String: Double]?
}

private struct RawWaveform: Decodable {
    var samples: [[Double]]?
    var shape: String?
    var duration_ns: Double?
    var amp: Double?
    var angle: Double?
    var sigma_ns: Double?
    var beta_ns: Double?
    var rise_ns: Double?
}

private final class RawInstruction: Decodable {
    let op: String
    let waveform: String?
    let ns: Double?
    let rad: Double?
    let ghz: Double?
    let weights: String?
    let group: String?
    let count: Int?
    let body: [RawInstruction]?
}
