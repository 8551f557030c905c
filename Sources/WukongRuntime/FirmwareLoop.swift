// Firmware in the loop: a pulse timeline becomes one sequencer program per channel (FirmwareSim's
// instruction set, docs/formats/sequencer.md), the `SequencerExecutor` renders the lines (NCO, DAC
// quantization and clipping, bandwidth, distortion, crosstalk), and each pulse's slice of its line is
// handed to the emulator as a play at the qubit's reference frame.
//
// Conventions. The emulator's envelope relative to the reference carrier f_ref at absolute time t is
// E(t) = s(t)·e^{iφ}·e^{−i2π(f − f_ref)t} for samples s on a frame (f, φ) (invariant 5). The NCO
// modulates by e^{+iθ(t)} (the conjugate convention), so the compiler writes conj(s) into the waveform
// table and runs the NCO at ν = f − f_ref with θ = −φ + 2πν·t: the line then carries conj(E), and
// `handOff` — the one place — conjugates it back. Flux samples are real (NCO at 0).
import Foundation
import Numerics
import FirmwareSim
import WukongDevice
import WukongEmulator
import WukongPulses

/// The control electronics between a pulse timeline and the emulator.
public struct FirmwareLoop: Sendable {
    public var configuration: FirmwareConfiguration

    /// FirmwareSim's default lines (2 GS/s, 14-bit DACs, full scale 1, no latency or distortion) with
    /// crosstalk off: the v1 pulse path keeps idle qubits as the identity, so crosstalk onto idle
    /// neighbours could not be emulated anyway.
    public init(topology: ChipTopology) {
        var c = FirmwareConfiguration(wiring: WiringMap(topology: topology))
        c.xyCrosstalk = .none
        c.fluxCrosstalk = .none
        configuration = c
    }

    public init(configuration: FirmwareConfiguration) {
        self.configuration = configuration
    }

    /// The emulator envelope of a line's samples: the one conjugation between firmware and emulator.
    public static func handOff(_ line: ArraySlice<Complex<Double>>) -> [Complex<Double>] { line.map(\.conjugate) }

    /// A pulse of the timeline as samples on a port (drive samples relative to the frame (f, φ)).
    struct Pulse {
        var port: PulsePort
        var frequencyGHz: Double
        var phaseRad: Double
        var startNs: Double
        var samples: [Complex<Double>]
    }

    /// The pulses of a timeline event: DRAG and user plays as they are, a CZ as its two flux pulses.
    static func pulses(of event: PulseEvent, channels: ClusterChannels) throws -> [Pulse]? {
        switch event.kind {
        case let .drag(p):
            let s = try Envelope.drag(durationNs: p.durationNs, sigmaNs: p.sigmaNs, betaNs: p.betaNs, amp: p.amplitude)
                .samples(sampleRateGHz: PulseLowering.sampleRateGHz)
            return [Pulse(port: .drive(p.qubit), frequencyGHz: p.frequencyGHz, phaseRad: p.phaseRad, startNs: event.startNs,
                          samples: s.map { $0.length > 1 ? $0 / Complex($0.length, 0) : $0 })]
        case let .cz(p):
            guard case let .block(block) = channels.emulatorPulse(p).sequence(sampleRateGHz: PulseLowering.sampleRateGHz).segments.first else {
                return []
            }
            return block.fluxes.map { f in
                let port: PulsePort = f.element == 2 ? .couplerFlux(p.coupler) : .flux(f.element == 0 ? p.low : p.high)
                return Pulse(port: port, frequencyGHz: 0, phaseRad: 0, startNs: event.startNs, samples: f.samplesPhi0.map { Complex($0, 0) })
            }
        case let .play(port, f, phase, samples) where port.kind != .readout:
            return [Pulse(port: port, frequencyGHz: f, phaseRad: phase, startNs: event.startNs, samples: samples)]
        default:
            return nil
        }
    }

    func channel(of port: PulsePort) -> FirmwareSim.ChannelID {
        let w = configuration.wiring
        switch port.kind {
        case .drive: return w.driveChannel(QubitIndex(port.element))
        case .flux: return port.isCoupler ? w.fluxChannel(CouplerIndex(port.element)) : w.fluxChannel(QubitIndex(port.element))
        case .readout: return w.readoutChannel(QubitIndex(port.element))
        }
    }

    /// The sequencer programs of a timeline (one per channel) and their waveform table.
    func programs(_ pulses: [Pulse], referenceGHz: [Int: Double]) -> ([ChannelProgram], WaveformTable) {
        var table = WaveformTable()
        var byChannel: [FirmwareSim.ChannelID: [(Pulse, String)]] = [:]
        for (k, p) in pulses.enumerated() {
            let id = "w\(k)"
            table.add(id, samples: p.samples.map(\.conjugate))
            byChannel[channel(of: p.port), default: []].append((p, id))
        }
        var out: [ChannelProgram] = []
        for (ch, list) in byChannel.sorted(by: { $0.key < $1.key }) {
            var cursor = 0.0
            var program: [SequencerInstruction] = []
            let ordered = list.sorted { $0.0.startNs < $1.0.startNs }
            for (p, id) in ordered {
                if p.startNs > cursor { program.append(SequencerInstruction.wait(ns: p.startNs - cursor)) }
                if p.port.kind == PulsePortKind.drive {
                    let fRef: Double = referenceGHz[p.port.element] ?? p.frequencyGHz
                    let nu: Double = p.frequencyGHz - fRef
                    let theta: Double = -p.phaseRad + 2 * Double.pi * nu * p.startNs
                    program.append(SequencerInstruction.setFrequency(ghz: nu))
                    program.append(SequencerInstruction.setPhase(rad: theta))
                }
                program.append(SequencerInstruction.play(id))
                let length: Double = Double(p.samples.count) / PulseLowering.sampleRateGHz
                cursor = max(cursor, p.startNs) + length
            }
            out.append(ChannelProgram(channel: ch, instructions: program))
        }
        return (out, table)
    }

    /// Renders every drive and flux pulse of `timeline` through the firmware and returns the timeline
    /// with those events replaced by plays of the rendered samples at the reference frames.
    /// - Returns: the new timeline and the largest |rendered − requested| sample difference.
    func render(_ timeline: PulseTimeline, channels: ClusterChannels) throws -> (PulseTimeline, maxError: Double) {
        var pulses: [Pulse] = []
        var replaced: [Int: Range<Int>] = [:]
        for (k, e) in timeline.events.enumerated() {
            guard let ps = try Self.pulses(of: e, channels: channels) else { continue }
            replaced[k] = pulses.count..<(pulses.count + ps.count)
            pulses += ps
        }
        guard !pulses.isEmpty else { return (timeline, 0) }
        let (programs, table) = self.programs(pulses, referenceGHz: timeline.referenceGHz)
        var options = ExecutorOptions()
        options.limits.maxSamples = max(options.limits.maxSamples, Int((timeline.durationNs * PulseLowering.sampleRateGHz).rounded()) + 16)
        let result: ExecutionResult
        do { result = try SequencerExecutor(configuration: configuration, options: options).run(programs, waveforms: table) }
        catch { throw PulseLoweringError.unsupported("firmware: \(error)") }
        let rate = PulseLowering.sampleRateGHz
        var maxError = 0.0
        var events: [PulseEvent] = []
        for (k, e) in timeline.events.enumerated() {
            guard let range = replaced[k] else { events.append(e); continue }
            for p in pulses[range] {
                let line = configuration.wiring.line(of: channel(of: p.port))
                let delay = try configuration.lines[line.rawValue].delaySamples(line: line)
                let first = Int((p.startNs * rate).rounded()) + delay
                let output = result.output(line)
                let slice = output[first..<min(first + p.samples.count, output.count)]
                var rendered = Self.handOff(slice)
                if p.port.kind == .flux { rendered = rendered.map { Complex($0.real, 0) } }
                // What the emulator would have received without firmware, at the reference frame.
                let fRef = p.port.kind == .drive ? (timeline.referenceGHz[p.port.element] ?? p.frequencyGHz) : 0
                for (j, s) in p.samples.enumerated() where j < rendered.count {
                    let t = (Double(j) + 0.5) / rate + p.startNs
                    let ideal = s * Complex(length: 1, phase: p.phaseRad - 2 * .pi * (p.frequencyGHz - fRef) * t)
                    maxError = max(maxError, (rendered[j] - ideal).length)
                }
                events.append(PulseEvent(kind: .play(port: p.port, frequencyGHz: fRef, phaseRad: 0,
                                                     samples: rendered.map { $0.length > 1 ? $0 / Complex($0.length, 0) : $0 }),
                                         startNs: p.startNs, durationNs: Double(p.samples.count) / rate))
            }
        }
        var out = timeline
        out.events = events
        return (out, maxError)
    }
}
