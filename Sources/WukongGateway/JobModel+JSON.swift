// JSON forms of the job model: the stored spec and results, and the public views the API returns.
import Foundation

extension JobSpec {
    /// The stored form (same field names as the request).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("backend", .string(backend)), ("noise", .string(noise)), ("tags", .array(tags.map { .string($0) })),
            ("items", .array(items.map { item in
                .object([
                    ("program", .string(item.program)), ("language", .string(item.language.rawValue)),
                    ("shots", .int(item.shots)), ("memory", .bool(item.memory)), ("iq", .bool(item.iq)),
                    ("parameters", .array(item.parameterSets.map(JobSpec.parameterJSON))),
                ])
            })),
        ]
        if let calibration { members.append(("calibration", calibration)) }
        return .object(members)
    }

    static func parameterJSON(_ set: ParameterSet) -> JSONValue {
        .object(set.keys.sorted().map { ($0, .number(set[$0]!)) })
    }

    /// Reads the stored form back.
    public init(stored: JSONValue) throws {
        let bad = APIError(status: 500, code: "corrupt_record", message: "a stored job could not be read")
        guard let backend = stored["backend"]?.stringValue, let noise = stored["noise"]?.stringValue,
              let items = stored["items"]?.arrayValue else { throw bad }
        self.backend = backend
        self.noise = noise
        self.tags = stored["tags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.calibration = stored["calibration"]
        self.items = try items.map { item in
            guard let program = item["program"]?.stringValue, let lang = item["language"]?.stringValue.flatMap(APILanguage.init),
                  let shots = item["shots"]?.intValue else { throw bad }
            let sets = (item["parameters"]?.arrayValue ?? []).map { set -> ParameterSet in
                var out: ParameterSet = [:]
                for (k, v) in set.objectValue ?? [] { out[k] = v.doubleValue ?? .nan }
                return out
            }
            return JobItem(program: program, language: lang, parameterSets: sets.isEmpty ? [[:]] : sets, shots: shots,
                           memory: item["memory"] == .bool(true), iq: item["iq"] == .bool(true))
        }
    }
}

extension ItemResult {
    /// Public and stored form of an item's results.
    public func json(parameterSets: [ParameterSet]?) -> JSONValue {
        .object([
            ("index", .int(index)),
            ("results", .array(sets.enumerated().map { (k, set) in
                var members: [(String, JSONValue)] = []
                if let ps = parameterSets, k < ps.count, !ps[k].isEmpty { members.append(("parameters", JobSpec.parameterJSON(ps[k]))) }
                members.append(("counts", .object(set.counts.keys.sorted().map { ($0, .int(set.counts[$0]!)) })))
                if let memory = set.memory { members.append(("memory", .array(memory.map { .string($0) }))) }
                if let iq = set.iq { members.append(("iq", iq.json)) }
                if let metadata = set.metadata { members.append(("metadata", metadata)) }
                return .object(members)
            })),
        ])
    }

    /// Reads the stored form back.
    public init(stored: JSONValue) {
        index = stored["index"]?.intValue ?? 0
        sets = (stored["results"]?.arrayValue ?? []).map { set in
            var counts: [String: Int] = [:]
            for (k, v) in set["counts"]?.objectValue ?? [] { counts[k] = v.intValue ?? 0 }
            return SetResult(counts: counts, memory: set["memory"]?.arrayValue?.compactMap(\.stringValue), iq: set["iq"].flatMap(IQData.init),
                             metadata: set["metadata"])
        }
    }
}

/// ISO 8601 with milliseconds, UTC (`2026-11-22T23:59:10.123Z`), formatted by hand: a formatter per
/// call cost more than the rest of a job view.
func iso8601(_ date: Date?) -> JSONValue {
    guard let date else { return .null }
    let t = date.timeIntervalSince1970
    var seconds = time_t(t.rounded(.down))
    var millis = Int(((t - Double(seconds)) * 1000).rounded())
    if millis >= 1000 { seconds += 1; millis -= 1000 }
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func pad(_ v: Int32, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
    return .string("\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
                   + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z")
}

extension JobRecord {
    /// The public view of a job (`GET /v1/jobs/{id}`); `queuePosition` only while queued.
    public func json(queuePosition: Int?) -> JSONValue {
        var timing: [(String, JSONValue)] = [("created_at", iso8601(createdAt)), ("started_at", iso8601(startedAt)),
                                             ("finished_at", iso8601(finishedAt))]
        if let s = startedAt, let f = finishedAt { timing.append(("run_seconds", .number(f.timeIntervalSince(s)))) }
        if let f = finishedAt { timing.append(("total_seconds", .number(f.timeIntervalSince(createdAt)))) }
        return .object([
            ("id", .string(id)), ("state", .string(state.rawValue)),
            ("reason_code", reasonCode.map { .string($0.rawValue) } ?? .null), ("reason", reason.json),
            ("queue_position", queuePosition.map { .int($0) } ?? .null),
            ("backend", .string(spec.backend)), ("noise", .string(spec.noise)),
            ("items", .int(spec.items.count)), ("total_shots", .int(spec.totalShots)),
            ("seed", .string(String(seed))), ("calibration_id", .string(calibrationID)),
            ("tags", .array(spec.tags.map { .string($0) })), ("attempt", .int(attempt)),
            ("timing", .object(timing)),
        ])
    }
}

extension IQData {
    /// `{"clbits": [...], "qubits": [...], "shots": [[[i, q], ...per column], ...per shot]}`.
    public var json: JSONValue {
        let columns = clbits.count
        return .object([
            ("clbits", .array(clbits.map { .int($0) })), ("qubits", .array(qubits.map { .int($0) })),
            ("shots", .array((0..<shots).map { s in
                .array((0..<columns).map { c in .array([.number(i[s * columns + c]), .number(q[s * columns + c])]) })
            })),
        ])
    }

    /// Reads the stored form back; nil when it is not that shape.
    init?(_ value: JSONValue) {
        guard let clbits = value["clbits"]?.arrayValue?.compactMap(\.intValue), let qubits = value["qubits"]?.arrayValue?.compactMap(\.intValue),
              let shots = value["shots"]?.arrayValue else { return nil }
        var i: [Double] = [], q: [Double] = []
        for shot in shots {
            for point in shot.arrayValue ?? [] {
                let pair = point.arrayValue ?? []
                i.append(pair.first?.doubleValue ?? .nan)
                q.append(pair.count > 1 ? pair[1].doubleValue ?? .nan : .nan)
            }
        }
        self.init(clbits: clbits, qubits: qubits, i: i, q: q)
    }
}
