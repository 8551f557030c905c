// Turns a `POST /v1/jobs` body into a validated `JobSpec`: every field checked, every program parsed
// (so syntax errors come back with line and column before anything is queued), every limit applied.
import Foundation
import WukongCircuits
import WukongCompiler
import WukongDevice
import WukongRuntime

/// A decoded, validated submission.
public struct Submission: Sendable {
    public var spec: JobSpec
    /// Seed from the request, if any (else the gateway draws one).
    public var seed: UInt64?
    /// Calibration snapshot id from the request, if any (else the current one).
    public var calibrationID: String?
}

/// Decodes and validates submissions against `GatewayLimits`.
public struct SubmissionDecoder: Sendable {
    public var limits: GatewayLimits

    public init(limits: GatewayLimits) { self.limits = limits }

    /// Decodes a request body. Throws `APIError` (400/413/422) naming the field or limit.
    public func decode(_ body: JSONValue) throws -> Submission {
        guard case .object = body else { throw APIError(status: 400, code: "invalid_json", message: "the body must be a JSON object") }
        let backend: String
        switch body["backend"] {
        case nil, .null?: backend = "gate"
        case .string(let b)?:
            guard JobSpec.backends.contains(b) else {
                throw APIError.invalid("backend", "unknown backend '\(b)'; expected one of \(JobSpec.backends.joined(separator: ", "))")
            }
            backend = b
        default: throw APIError.invalid("backend", "backend must be a string")
        }
        let noise: String
        switch body["noise"] {
        case nil, .null?: noise = "none"
        case .string(let n)?:
            guard JobSpec.noiseModels.contains(n) else {
                throw APIError.invalid("noise", "unknown noise model '\(n)'; expected one of \(JobSpec.noiseModels.joined(separator: ", "))")
            }
            noise = n
        default: throw APIError.invalid("noise", "noise must be a string")
        }
        if backend == "pulse", noise != "none" {
            throw APIError.invalid("noise", "the pulse backend runs noise-free (a closed system on the true device); use noise 'none', or noise '\(noise)' on the gate backend")
        }
        var seed: UInt64?
        switch body["seed"] {
        case nil, .null?: seed = nil
        case .int(let i)? where i >= 0: seed = UInt64(i)
        case .string(let s)?: guard let v = UInt64(s) else { throw APIError.invalid("seed", "seed must be a non-negative integer") }; seed = v
        default: throw APIError.invalid("seed", "seed must be a non-negative integer")
        }
        var calibrationID: String?
        switch body["calibration_id"] {
        case nil, .null?: break
        case .string(let s)?: calibrationID = s
        default: throw APIError.invalid("calibration_id", "calibration_id must be a string")
        }
        let tags = try decodeTags(body["tags"])
        guard let rawItems = body["items"]?.arrayValue else { throw APIError.invalid("items", "items must be a non-empty array") }
        guard !rawItems.isEmpty else { throw APIError.invalid("items", "items must be a non-empty array") }
        guard rawItems.count <= limits.maxItemsPerJob else {
            throw APIError(status: 422, code: "limit_items", message: "\(rawItems.count) items; at most \(limits.maxItemsPerJob) per job", field: "items")
        }
        var items: [JobItem] = []
        var resultBytes = 0
        var circuits: [String: Circuit] = [:]
        for (i, raw) in rawItems.enumerated() {
            let (item, circuit) = try decodeItem(raw, index: i, cache: &circuits)
            if item.language.isPulseLevel, backend != "pulse" {
                throw APIError.invalid("items[\(i)].language",
                                       "\(item.language.rawValue) programs run on backend 'pulse' only, not on backend '\(backend)'; set backend 'pulse'")
            }
            if backend == "pulse", !item.language.isPulseLevel { try checkPulse(item, circuit: circuit, index: i) }
            if item.iq, backend != "pulse" {
                throw APIError.invalid("items[\(i)].iq", "per-shot IQ points come from the pulse backend's readout model; set backend 'pulse' or drop iq")
            }
            items.append(item)
            let width = max(circuit.numClbits, circuit.numClbits == 0 ? circuit.numQubits : 0)
            let distinct = min(item.shots, width >= 20 ? item.shots : 1 << width)
            // Counts, plus per shot a quoted bitstring (memory) and per measurement an [i, q] pair of
            // shortest-form doubles (about 45 bytes).
            let measurements = max(circuit.instructions.filter { if case .measure = $0.operation { return true } else { return false } }.count, circuit.numClbits == 0 ? circuit.numQubits : 0)
            let perShot = (item.memory || item.iq ? width + 3 : 0) + (item.iq ? measurements * 45 + 4 : 0)
            resultBytes += item.parameterSets.count * (distinct * (width + 12) + item.shots * perShot)
        }
        let executions = items.reduce(0) { $0 + $1.parameterSets.count }
        guard executions <= limits.maxExecutionsPerJob else {
            throw APIError(status: 422, code: "limit_executions",
                           message: "\(executions) executions (items × parameter sets); at most \(limits.maxExecutionsPerJob) per job", field: "items")
        }
        guard resultBytes <= limits.maxResultBytes else {
            throw APIError(status: 413, code: "limit_result_size",
                           message: "the results would take about \(resultBytes) bytes; the limit is \(limits.maxResultBytes) (ask for fewer shots, no memory or no iq)",
                           field: "items")
        }
        return Submission(spec: JobSpec(backend: backend, noise: noise, items: items, tags: tags), seed: seed, calibrationID: calibrationID)
    }

    /// What the pulse backend cannot take: more qubits than `maxPulseQubits`.
    func checkPulse(_ item: JobItem, circuit: Circuit, index i: Int) throws {
        if circuit.numQubits > limits.maxPulseQubits {
            throw APIError(status: 422, code: "limit_pulse_qubits",
                           message: "the program uses \(circuit.numQubits) qubits; the pulse backend emulates at most \(limits.maxPulseQubits) physical qubits per program (use the gate backend for wider circuits)",
                           field: "items[\(i)].program")
        }
    }

    func decodeTags(_ value: JSONValue?) throws -> [String] {
        guard let value, value != .null else { return [] }
        guard let array = value.arrayValue else { throw APIError.invalid("tags", "tags must be an array of strings") }
        guard array.count <= limits.maxTags else {
            throw APIError(status: 422, code: "limit_tags", message: "\(array.count) tags; at most \(limits.maxTags)", field: "tags")
        }
        return try array.enumerated().map { (i, t) in
            guard let s = t.stringValue, !s.isEmpty, s.count <= limits.maxTagLength else {
                throw APIError.invalid("tags[\(i)]", "each tag must be a string of 1–\(limits.maxTagLength) characters")
            }
            return s
        }
    }

    func decodeItem(_ raw: JSONValue, index i: Int, cache: inout [String: Circuit]) throws -> (JobItem, Circuit) {
        let field = "items[\(i)]"
        guard case .object = raw else { throw APIError.invalid(field, "each item must be an object") }
        let program: String
        var programIsObject = false
        switch raw["program"] {
        case .string(let s)?: program = s
        case let v? where v.objectValue != nil:
            program = v.serialized()
            programIsObject = true
        default: throw APIError.invalid("\(field).program", "program text is required (for language schedule: a JSON object or its text)")
        }
        guard program.utf8.count <= limits.maxProgramBytes else {
            throw APIError(status: 413, code: "limit_program_size",
                           message: "the program is \(program.utf8.count) bytes; at most \(limits.maxProgramBytes)", field: "\(field).program")
        }
        let language: APILanguage
        switch raw["language"] {
        case let v where (v == nil || v == .null) && (programIsObject || program.drop(while: { $0.isWhitespace }).first == "{"):
            language = .schedule
        case nil, .null?:
            switch ProgramLanguage.detect(program) {
            case .qasm2?: language = .openqasm2
            case .qasm3?: language = OpenPulseProgram.isPulseProgram(program) ? .openpulse : .openqasm3
            case .originir?: language = .originir
            case nil: throw APIError.invalid("\(field).language", "cannot tell the language; set 'language' to openqasm2, openqasm3, originir, openpulse or schedule")
            }
        case .string(let s)?:
            guard let l = APILanguage(rawValue: s) else {
                throw APIError.invalid("\(field).language", "unknown language '\(s)'; expected openqasm2, openqasm3, originir, openpulse or schedule")
            }
            // An OpenQASM 3 program with defcalgrammar/cal/defcal is read as OpenPulse.
            language = l == .openqasm3 && OpenPulseProgram.isPulseProgram(program) ? .openpulse : l
            if programIsObject, language != .schedule {
                throw APIError.invalid("\(field).program", "a JSON object program is a pulse schedule: set language 'schedule' or send the program as text")
            }
        default: throw APIError.invalid("\(field).language", "language must be a string")
        }
        let shots: Int
        switch raw["shots"] {
        case nil, .null?: shots = 1000
        case let v?:
            guard let n = v.intValue else { throw APIError.invalid("\(field).shots", "shots must be an integer") }
            guard (1...limits.maxShotsPerItem).contains(n) else {
                throw APIError(status: 422, code: "limit_shots", message: "shots must be 1–\(limits.maxShotsPerItem), got \(n)", field: "\(field).shots")
            }
            shots = n
        }
        let memory: Bool
        switch raw["memory"] {
        case nil, .null?: memory = false
        case .bool(let b)?: memory = b
        default: throw APIError.invalid("\(field).memory", "memory must be true or false")
        }
        let iq: Bool
        switch raw["iq"] {
        case nil, .null?: iq = false
        case .bool(let b)?: iq = b
        default: throw APIError.invalid("\(field).iq", "iq must be true or false")
        }
        let sets = try decodeParameters(raw["parameters"], field: "\(field).parameters")
        if language == .schedule, sets != [[:]] {
            throw APIError.invalid("\(field).parameters", "a pulse schedule has no parameters")
        }
        let circuit = try parse(program, language: language, field: "\(field).program", cache: &cache)
        for name in circuit.parameterNames {
            if let k = sets.firstIndex(where: { $0[name] == nil }) {
                throw APIError.invalid("\(field).parameters", "parameter set \(k) has no value for '\(name)'")
            }
        }
        if !circuit.parameterNames.isEmpty, sets.count * circuit.instructions.count <= 1_000_000 {
            for (k, values) in sets.enumerated() {
                if let bad = nonFiniteParameter(in: circuit, values: values) {
                    throw APIError.invalid("\(field).parameters[\(k)]", "with parameter set \(k), \(bad)")
                }
            }
        }
        return (JobItem(program: program, language: language, parameterSets: sets, shots: shots, memory: memory, iq: iq), circuit)
    }

    func decodeParameters(_ value: JSONValue?, field: String) throws -> [ParameterSet] {
        func one(_ v: JSONValue, _ f: String) throws -> ParameterSet {
            guard let members = v.objectValue else { throw APIError.invalid(f, "a parameter set is an object of name → number") }
            var out: ParameterSet = [:]
            for (k, x) in members {
                guard let d = x.doubleValue, d.isFinite else { throw APIError.invalid(f, "parameter '\(k)' must be a finite number") }
                out[k] = d
            }
            return out
        }
        switch value {
        case nil, .null?: return [[:]]
        case .object?: return [try one(value!, field)]
        case .array(let sets)?:
            guard !sets.isEmpty else { return [[:]] }
            guard sets.count <= limits.maxParameterSetsPerItem else {
                throw APIError(status: 422, code: "limit_parameter_sets",
                               message: "\(sets.count) parameter sets; at most \(limits.maxParameterSetsPerItem) per item", field: field)
            }
            return try sets.enumerated().map { try one($1, "\(field)[\($0)]") }
        default: throw APIError.invalid(field, "parameters must be an object or an array of objects")
        }
    }

    /// Parses once per distinct program text and checks qubits and gate count.
    func parse(_ program: String, language: APILanguage, field: String, cache: inout [String: Circuit]) throws -> Circuit {
        if let c = cache[program] { return c }
        if language.isPulseLevel {
            let circuit = language == .schedule ? try checkSchedule(program, field: field) : try parseOpenPulse(program, field: field).circuit
            cache[program] = circuit
            return circuit
        }
        let parserLimits = ParserLimits(maxSourceBytes: limits.maxProgramBytes, maxQubits: 1024, maxInstructions: limits.maxGatesPerItem + 1)
        let circuit: Circuit
        do {
            circuit = try ProgramReader.parse(program, file: field, language: language.programLanguage, limits: parserLimits)
        } catch let e as ParseError {
            throw APIError(status: 422, code: "invalid_program",
                           message: "line \(e.location.line), column \(e.location.column): \(e.message)", field: field)
        } catch {
            throw APIError(status: 422, code: "invalid_program", message: "\(error)", field: field)
        }
        if circuit.numQubits > limits.chipQubits {
            throw APIError(status: 422, code: "limit_qubits",
                           message: "the program uses \(circuit.numQubits) qubits; the Wukong chip has \(limits.chipQubits)", field: field)
        }
        if circuit.numQubits > limits.simulatorQubits {
            throw APIError(status: 422, code: "limit_qubits",
                           message: "the program uses \(circuit.numQubits) qubits; the gate backend's state-vector simulator holds at most \(limits.simulatorQubits)",
                           field: field)
        }
        if circuit.instructions.count > limits.maxGatesPerItem {
            throw APIError(status: 422, code: "limit_gates",
                           message: "the program has \(circuit.instructions.count) instructions; at most \(limits.maxGatesPerItem)", field: field)
        }
        if let bad = nonFiniteParameter(in: circuit, values: [:]) {
            throw APIError(status: 422, code: "invalid_program", message: bad, field: field)
        }
        let depth = Self.depth(circuit)
        if depth > limits.maxDepthPerItem {
            throw APIError(status: 422, code: "limit_depth", message: "the program is \(depth) layers deep; at most \(limits.maxDepthPerItem)",
                           field: field)
        }
        cache[program] = circuit
        return circuit
    }
}

extension SubmissionDecoder {
    /// The OpenPulse limits that follow from the gateway's: samples per waveform, program duration
    /// (`maxScheduleNs`) and captures (`maxCapturesPerQubit` on each of `maxPulseQubits` qubits).
    public var openPulseLimits: OpenPulseLimits {
        var l = OpenPulseLimits()
        l.maxSamplesPerWaveform = limits.maxSamplesPerWaveform
        l.maxDurationNs = limits.maxScheduleNs
        l.maxCaptures = limits.maxCapturesPerQubit * limits.maxPulseQubits
        l.maxPlays = min(l.maxPlays, limits.maxGatesPerItem)
        return l
    }

    /// Parses an OpenPulse program (syntax, gate part, defcal bodies); errors are 422 `invalid_program`
    /// with line and column.
    func parseOpenPulse(_ program: String, field: String) throws -> OpenPulseProgram {
        let parserLimits = ParserLimits(maxSourceBytes: limits.maxProgramBytes, maxQubits: limits.chipQubits, maxInstructions: limits.maxGatesPerItem + 1)
        do {
            return try OpenPulseProgram.parse(program, file: field, limits: openPulseLimits, parserLimits: parserLimits)
        } catch let e as ParseError {
            throw APIError(status: 422, code: "invalid_program",
                           message: "line \(e.location.line), column \(e.location.column): \(e.message)", field: field)
        } catch {
            throw APIError(status: 422, code: "invalid_program", message: "\(error)", field: field)
        }
    }

    /// The limit code of an OpenPulse interpretation error raised by one of `openPulseLimits`, or nil
    /// for any other error. The interpreter reports limits as located `ParseError`s; their wording
    /// names the limit (see OpenPulseTimeline*.swift), which is what is matched here.
    static func openPulseLimitCode(_ e: ParseError) -> String? {
        let m = e.message
        if m.contains("samples exceed") { return "limit_waveform_samples" }
        if m.contains("runs past the limit") || m.contains("over the limit of") { return "limit_schedule_duration" }
        if m.hasPrefix("more than"), m.hasSuffix("captures") { return "limit_captures" }
        if m.hasPrefix("more than"), m.hasSuffix("plays") { return "limit_gates" }
        if m.hasPrefix("capture_v3 of") { return "limit_waveform_samples" }
        return nil
    }

    /// Interprets an OpenPulse item against `calibration` (its first parameter set) and applies the
    /// pulse limits: the interpreter's (waveform samples, duration, captures, as their limit codes),
    /// then physical qubits, total samples, captures per qubit and IQ values. Errors carry line and column.
    func checkOpenPulse(_ item: JobItem, field: String, calibration: CalibrationSnapshot) throws {
        let program = try parseOpenPulse(item.program, field: field)
        let timeline: PulseTimeline
        do {
            timeline = try OpenPulseBackend.timeline(program, calibration: calibration, limits: openPulseLimits,
                                                     parameters: item.parameterSets.first ?? [:])
        } catch let e as ParseError {
            throw APIError(status: 422, code: Self.openPulseLimitCode(e) ?? "invalid_program",
                           message: "line \(e.location.line), column \(e.location.column): \(e.message)", field: field)
        } catch {
            throw APIError(status: 422, code: "invalid_program", message: "the pulse backend cannot run this program: \(error)", field: field)
        }
        var qubits = Set<Int>()
        var samples = 0.0
        var captures: [Int: Int] = [:]
        let rate = PulseLowering.sampleRateGHz
        for event in timeline.events {
            switch event.kind {
            case .drag(let p):
                qubits.insert(p.qubit)
                samples += event.durationNs * rate
            case .cz:
                samples += 2 * event.durationNs * rate
            case .play(let port, _, _, let s):
                if !port.isCoupler { qubits.insert(port.element) }
                samples += Double(s.count)
            case .capture(let q, _, _):
                qubits.insert(q)
                captures[q, default: 0] += 1
            }
        }
        if qubits.count > limits.maxPulseQubits {
            throw APIError(status: 422, code: "limit_pulse_qubits",
                           message: "the program uses \(qubits.count) physical qubits; the pulse backend emulates at most \(limits.maxPulseQubits)", field: field)
        }
        if let (q, n) = captures.max(by: { $0.value < $1.value }), n > limits.maxCapturesPerQubit {
            throw APIError(status: 422, code: "limit_captures",
                           message: "qubit \(q) is captured \(n) times per shot; at most \(limits.maxCapturesPerQubit)", field: field)
        }
        if samples > Double(limits.maxWaveformSamples) {
            throw APIError(status: 422, code: "limit_waveform_samples",
                           message: "the program plays \(Int(samples)) waveform samples; at most \(limits.maxWaveformSamples)", field: field)
        }
        if item.shots * timeline.iqNames.count > openPulseLimits.maxIQValues {
            throw APIError(status: 422, code: "limit_result_size",
                           message: "\(item.shots) shots × \(timeline.iqNames.count) capture_v1 IQ points exceed \(openPulseLimits.maxIQValues) values", field: field)
        }
    }

    /// Circuit depth: the longest chain of gates, measurements and resets sharing qubits (barriers
    /// align their qubits without adding a layer; a conditioned operation also waits for its clbits).
    static func depth(_ circuit: Circuit) -> Int {
        var qubitLayer = [Int](repeating: 0, count: circuit.numQubits)
        var clbitLayer = [Int](repeating: 0, count: circuit.numClbits)
        var deepest = 0
        for instruction in circuit.instructions {
            let qs = instruction.operation.qubits.filter { $0 >= 0 && $0 < qubitLayer.count }
            var clbits: [Int] = instruction.condition.map { Array($0.clbits) } ?? []
            if case .measure(_, let c) = instruction.operation { clbits.append(c) }
            clbits = clbits.filter { $0 >= 0 && $0 < clbitLayer.count }
            let start = max(qs.map { qubitLayer[$0] }.max() ?? 0, clbits.map { clbitLayer[$0] }.max() ?? 0)
            if case .barrier = instruction.operation {
                for q in qs { qubitLayer[q] = start }
                continue
            }
            for q in qs { qubitLayer[q] = start + 1 }
            for c in clbits { clbitLayer[c] = start + 1 }
            deepest = max(deepest, start + 1)
        }
        return deepest
    }

    /// Pulse-backend limits, checked on each distinct program compiled and lowered against `calibration`
    /// (with its first parameter set): physical qubits after routing, schedule length, waveform samples
    /// and captures per qubit. Throws 422 naming the limit, or `invalid_program` when the pulse path
    /// cannot lower the program.
    public func checkPulseSchedules(_ spec: JobSpec, calibration: CalibrationSnapshot) throws {
        let target = CompilerTarget(calibration: calibration)
        var seen = Set<String>()
        for (i, item) in spec.items.enumerated() where seen.insert(item.program).inserted {
            let field = "items[\(i)].program"
            if item.language == .schedule { continue }  // checked at decoding; runs on the true device, not the snapshot
            if item.language == .openpulse {
                try checkOpenPulse(item, field: field, calibration: calibration)
                continue
            }
            let program: PulseProgram
            do {
                let circuit = try ProgramReader.parse(item.program, file: field, language: item.language.programLanguage)
                program = try PulseLowering.lower(Compiler.compile(circuit.bind(item.parameterSets.first ?? [:]), target: target),
                                                  calibration: calibration)
            } catch {
                throw APIError(status: 422, code: "invalid_program", message: "the pulse backend cannot run this program: \(error)", field: field)
            }
            if program.usedQubits.count > limits.maxPulseQubits {
                throw APIError(status: 422, code: "limit_pulse_qubits",
                               message: "the routed program uses \(program.usedQubits.count) physical qubits; the pulse backend emulates at most \(limits.maxPulseQubits)",
                               field: field)
            }
            var samples = 0.0
            var captures: [Int: Int] = [:]
            for instruction in program.instructions {
                switch instruction.operation {
                case .drag: samples += instruction.durationNs * program.sampleRateGHz
                case .cz: samples += 2 * instruction.durationNs * program.sampleRateGHz  // coupler and moving-qubit flux
                case .measure(let q, _, let d):
                    samples += d * program.sampleRateGHz  // the readout tone
                    captures[q, default: 0] += 1
                case .frameShift, .barrier: break
                }
            }
            if let (q, n) = captures.max(by: { $0.value < $1.value }), n > limits.maxCapturesPerQubit {
                throw APIError(status: 422, code: "limit_captures",
                               message: "qubit \(q) is read out \(n) times per shot; at most \(limits.maxCapturesPerQubit)", field: field)
            }
            if program.durationNs > limits.maxScheduleNs {
                throw APIError(status: 422, code: "limit_schedule_duration",
                               message: String(format: "the pulse schedule lasts %.0f ns; at most %.0f ns", program.durationNs, limits.maxScheduleNs),
                               field: field)
            }
            if samples > Double(limits.maxWaveformSamples) {
                throw APIError(status: 422, code: "limit_waveform_samples",
                               message: "the pulse schedule plays \(Int(samples)) waveform samples; at most \(limits.maxWaveformSamples)", field: field)
            }
        }
    }
}

extension APILanguage {
    /// The front end that reads this language.
    public var programLanguage: ProgramLanguage {
        switch self {
        case .openqasm2: return .qasm2
        case .openqasm3: return .qasm3
        case .originir: return .originir
        case .openpulse: return .qasm3  // its gate part; the pulse part is read by `OpenPulseProgram`
        case .schedule: return .qasm3   // never read as a circuit (pulse-level items bypass the circuit path)
        }
    }
}
