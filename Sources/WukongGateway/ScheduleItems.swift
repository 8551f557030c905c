// Items in language `schedule`: the JSON pulse schedule of docs/formats/schedule.md, run on the true
// device for the schedule's `elements` like `wukong pulse run --return shots` (closed system). Checked
// at submission without the device: decoded (errors name the field path), then the gateway's limits on
// the instruction list (samples per waveform and in all, the channel cursors' end, acquires per
// readout channel, elements, acquires after the last drive/flux play). What needs the device (envelope
// fields per shape, element channels) is checked when the job runs: such a job fails with the field
// path in its reason. Counts are over the acquisitions in order (acquisition 0 rightmost).
import Foundation
import Numerics
import WukongCircuits
import WukongDevice
import WukongEmulator

extension APILanguage {
    /// Pulse-level items (`openpulse`, `schedule`) run on backend `pulse` only, outside the circuit path.
    public var isPulseLevel: Bool { self == .openpulse || self == .schedule }
}

extension SubmissionDecoder {
    /// Decodes a schedule item and applies the limits; returns a stand-in circuit with one clbit per
    /// acquisition (for the result-size estimate). Errors are 422s naming the field path.
    func checkSchedule(_ text: String, field: String) throws -> Circuit {
        let schedule: PulseSchedule
        do {
            schedule = try PulseSchedule.decode(json: Data(text.utf8))
        } catch {
            throw APIError(status: 422, code: "invalid_program", message: error.description, field: field)
        }
        if schedule.device != nil {
            throw APIError(status: 422, code: "invalid_program",
                           message: "schedule: device: the gateway runs schedules on the true chip; drop 'device' and name 'elements' (q<n>, c<n>)", field: field)
        }
        guard let elements = schedule.elements, !elements.isEmpty else {
            throw APIError(status: 422, code: "invalid_program", message: "schedule: elements: required (the chip's q<n>/c<n> to emulate)", field: field)
        }
        for (k, e) in elements.enumerated() {
            let kind = e.first, number = Int(e.dropFirst())
            guard let number, kind == "q" || kind == "c", number >= 0,
                  kind == "q" ? number < limits.chipQubits : number < 4 * limits.chipQubits else {
                throw APIError(status: 422, code: "invalid_program", message: "schedule: elements[\(k)]: '\(e)' is not an element of the chip (q<n> or c<n>)",
                               field: field)
            }
        }
        if elements.count > limits.maxScheduleElements {
            throw APIError(status: 422, code: "limit_pulse_qubits",
                           message: "the schedule emulates \(elements.count) elements; at most \(limits.maxScheduleElements) (three transmon levels each)", field: field)
        }
        if schedule.instructions.count > limits.maxGatesPerItem {
            throw APIError(status: 422, code: "limit_gates",
                           message: "the schedule has \(schedule.instructions.count) instructions; at most \(limits.maxGatesPerItem)", field: field)
        }
        let rate = schedule.sampleRateGHz ?? 2
        var cursor: [String: Double] = [:]
        var samples = 0.0
        var acquires: [String: Int] = [:]
        var evolutionEnd = 0.0  // end of the last drive/flux play
        var floor = 0.0  // where channels not used yet start (after a barrier over all channels)
        for (k, instruction) in schedule.instructions.enumerated() {
            let path = "schedule: instructions[\(k)]"
            if instruction.op == "barrier" {
                // Without a list: every channel of every element, including ones not used yet (`floor`).
                let listed = instruction.channels ?? Array(cursor.keys)
                let end = max(listed.map { cursor[$0, default: floor] }.max() ?? floor, instruction.channels == nil ? floor : 0)
                for c in listed { cursor[c] = end }
                if instruction.channels == nil { floor = end }
                continue
            }
            guard let channel = instruction.channel else { continue }  // decode already named a missing channel
            let start = instruction.tNs ?? cursor[channel, default: floor]
            var length = 0.0
            switch instruction.op {
            case "play":
                let n = instruction.samples.map { Double($0.values.count) } ?? (instruction.envelope.map { ($0.durationNs * rate).rounded() } ?? 0)
                if n > Double(limits.maxSamplesPerWaveform) {
                    throw APIError(status: 422, code: "limit_waveform_samples",
                                   message: "\(path): a waveform of \(Int(n)) samples; at most \(limits.maxSamplesPerWaveform)", field: field)
                }
                samples += n
                length = n / rate
                if !channel.hasSuffix(".readout") { evolutionEnd = max(evolutionEnd, start + length) }
            case "delay": length = instruction.durationNs ?? 0
            case "acquire":
                length = instruction.durationNs ?? 0
                if start < evolutionEnd {
                    throw APIError(status: 422, code: "invalid_program",
                                   message: String(format: "%@: the acquire starts at %.1f ns, before the last drive/flux play ends (%.1f ns): mid-schedule measurement is not supported (add a barrier)",
                                                   path, start, evolutionEnd), field: field)
                }
                acquires[channel, default: 0] += 1
                samples += length * rate  // the readout tone
            default: break
            }
            cursor[channel] = start + length
            if start + length > limits.maxScheduleNs {
                throw APIError(status: 422, code: "limit_schedule_duration",
                               message: String(format: "%@: the schedule runs to %.0f ns; at most %.0f ns", path, start + length, limits.maxScheduleNs),
                               field: field)
            }
        }
        if samples > Double(limits.maxWaveformSamples) {
            throw APIError(status: 422, code: "limit_waveform_samples",
                           message: "the schedule plays \(Int(samples)) waveform samples; at most \(limits.maxWaveformSamples)", field: field)
        }
        if let (c, n) = acquires.max(by: { $0.value < $1.value }), n > limits.maxCapturesPerQubit {
            throw APIError(status: 422, code: "limit_captures", message: "\(c) acquires \(n) times per shot; at most \(limits.maxCapturesPerQubit)", field: field)
        }
        let total = acquires.values.reduce(0, +)
        guard total > 0 else {
            throw APIError(status: 422, code: "invalid_program", message: "schedule: instructions: no acquire (the counts come from the acquisitions)", field: field)
        }
        return Circuit(numQubits: 0, numClbits: total)
    }

    /// The emulator's limits that follow from the gateway's.
    var scheduleLimits: ScheduleLimits {
        ScheduleLimits(maxSamplesPerWaveform: limits.maxSamplesPerWaveform, maxDurationNs: limits.maxScheduleNs,
                       maxInstructions: limits.maxGatesPerItem)
    }
}

extension PulseJobExecutor {
    /// Runs a schedule item on the true device (closed system), with the CLI's sub-step convergence:
    /// counts over the acquisitions (acquisition 0 rightmost), memory, and with `iq` one column per
    /// acquisition (clbit = its index, qubit = the measured qubit).
    func runSchedule(_ job: JobRecord, item i: Int, spec item: JobItem) throws -> [SetResult] {
        let limits = SubmissionDecoder(limits: self.limits)
        let compiled: CompiledSchedule
        do {
            compiled = try PulseSchedule.decode(json: Data(item.program.utf8)).compile(device: device, limits: limits.scheduleLimits)
        } catch {
            throw ExecutionFailed(description: error.description)
        }
        let probe = SchrodingerSolver(model: compiled.model)
        var steps = 1
        if probe.needsSubsteps(compiled.sequence) {
            steps = probe.convergedSubsteps(compiled.sequence, initial: compiled.model.groundState, tolerance: 1e-7, limit: 1024).substeps
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let r = WukongEmulator.runSchedule(compiled, returning: .shots, noise: false, shots: item.shots,
                                           seed: executionSeed(job: job.seed, item: i, set: 0), solverOptions: SolverOptions(substeps: steps))
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        guard let shots = r.shots else { throw ExecutionFailed(description: "the schedule run returned no shots") }
        let width = shots.labels.count
        var counts: [String: Int] = [:]
        var memory: [String] = []
        for s in 0..<shots.shots {
            var bits = [Character](repeating: "0", count: width)
            for c in 0..<width where shots.bits[s * width + c] != 0 { bits[width - 1 - c] = "1" }
            let b = String(bits)
            counts[b, default: 0] += 1
            if item.memory || item.iq { memory.append(b) }
        }
        var iq: IQData?
        if item.iq {
            iq = IQData(clbits: Array(0..<width), qubits: shots.labels.map { Int($0.dropFirst()) ?? -1 },
                        i: shots.iq.map(\.real), q: shots.iq.map(\.imaginary))
        }
        let metadata: JSONValue = [
            "program": "schedule", "timing_ms": ["emulate": .number(ms)], "substeps": .int(steps),
            "elements": .array(compiled.elementNames.map { .string($0) }), "model_dimension": .int(compiled.model.dimension),
            "duration_ns": .number(compiled.evolutionEndNs),
        ]
        return [SetResult(counts: counts, memory: item.memory || item.iq ? memory : nil, iq: iq, metadata: metadata)]
    }
}
