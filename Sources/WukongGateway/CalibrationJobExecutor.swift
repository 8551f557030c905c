// Calibration as a job: `POST /v1/calibrations/run` queues a job of backend `calibration` in the same
// store, claimed by the same workers; this executor runs the requested experiments (WukongCalibration)
// on the true device, starting from the job's pinned snapshot, and hands the new snapshot to a sink
// that stores it and registers it in the catalog. The new snapshot's id and time derive from the job,
// so a requeued job re-creates the same snapshot (stored under the same id) rather than a second one.
import Foundation
import WukongCalibration
import WukongDevice

/// A calibration request as the API and the stored job spec carry it.
public struct CalibrationJobRequest: Sendable, Equatable {
    public var qubits: [Int]
    public var couplers: [Int]
    public var experiments: [ExperimentKind]
    /// Coarse sweeps (seconds) instead of lab-grade ones (minutes per qubit).
    public var quick: Bool

    /// The stored form, also the request body's fields.
    public var json: JSONValue {
        ["qubits": .array(qubits.map { .int($0) }), "couplers": .array(couplers.map { .int($0) }),
         "experiments": .array(experiments.map { .string($0.rawValue) }), "quick": .bool(quick)]
    }

    /// Decodes and validates a request body against `snapshot`; errors are 422s naming the field.
    public init(body: JSONValue, snapshot: CalibrationSnapshot) throws {
        func ints(_ field: String) throws -> [Int]? {
            guard let v = body[field], v != .null else { return nil }
            guard let a = v.arrayValue else { throw APIError.invalid(field, "must be an array of integers") }
            return try a.enumerated().map { k, x in
                guard let i = x.intValue else { throw APIError.invalid("\(field)[\(k)]", "must be an integer") }
                return i
            }
        }
        qubits = try ints("qubits") ?? []
        var kinds = ExperimentKind.allCases
        if let e = body["experiments"], e != .null {
            guard let a = e.arrayValue else { throw APIError.invalid("experiments", "must be an array of experiment names") }
            kinds = try a.enumerated().map { k, x in
                guard let name = x.stringValue, let kind = ExperimentKind(rawValue: name) else {
                    throw APIError.invalid("experiments[\(k)]", "unknown experiment; known: \(ExperimentKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return kind
            }
        }
        let topo = snapshot.topology
        if let given = try ints("couplers") {
            couplers = given
        } else if kinds.contains(.cz) {
            let chosen = Set(qubits)
            couplers = topo.couplers.filter { snapshot.couplerEnabled[$0.coupler.rawValue] && chosen.contains($0.low.rawValue)
                && chosen.contains($0.high.rawValue) }.map(\.coupler.rawValue)
        } else {
            couplers = []
        }
        if couplers.isEmpty { kinds.removeAll { $0 == .cz } }
        experiments = kinds
        if let q = body["quick"], q != .null {
            guard case .bool(let b) = q else { throw APIError.invalid("quick", "must be true or false") }
            quick = b
        } else {
            quick = false
        }
        do {
            try Calibrator.validate(request(seed: 0), snapshot: snapshot)
        } catch let e as CalibrationError {
            let field = e.message.hasPrefix("coupler") || e.message.contains("coupler") ? "couplers"
                : e.message.contains("experiment") ? "experiments" : "qubits"
            throw APIError.invalid(field, e.message)
        }
    }

    /// Reads the stored form back.
    public init(stored: JSONValue) throws {
        let bad = ExecutionFailed(description: "the calibration job's stored request is malformed")
        guard let q = stored["qubits"]?.arrayValue, let c = stored["couplers"]?.arrayValue,
              let e = stored["experiments"]?.arrayValue else { throw bad }
        qubits = q.compactMap(\.intValue)
        couplers = c.compactMap(\.intValue)
        experiments = e.compactMap { $0.stringValue.flatMap(ExperimentKind.init) }
        quick = stored["quick"] == .bool(true)
    }

    /// The library request, with the job's seed.
    public func request(seed: UInt64, workers: Int = 2) -> CalibrationRequest {
        CalibrationRequest(qubits: qubits, couplers: couplers, experiments: Set(experiments),
                           settings: quick ? .quick : .full, czSettings: quick ? .quick : .full, seed: seed,
                           workers: workers, plots: false)
    }
}

/// Runs jobs of backend `calibration`.
public struct CalibrationJobExecutor: JobExecutor {
    public let backend = "calibration"
    let chip: EmulatedChip
    /// Receives each new snapshot (store it, register it) before the job completes.
    let sink: @Sendable (CalibrationSnapshot, _ jobID: String) throws -> Void

    /// - Parameters:
    ///   - device: the hidden true chip (handed through to the experiments, never read here).
    ///   - sink: stores and registers the new snapshot; see `Gateway.calibrationSink`.
    public init(device: ChipDevice, sink: @escaping @Sendable (CalibrationSnapshot, String) throws -> Void) {
        chip = EmulatedChip(device: device)
        self.sink = sink
    }

    public func execute(_ job: JobRecord, calibration: CalibrationSnapshot?, shouldStop: @Sendable () -> Bool) throws -> [ItemResult] {
        guard let start = calibration else {
            throw ExecutionFailed(description: "calibration snapshot '\(job.calibrationID)' is not loaded in this gateway")
        }
        guard let stored = job.spec.calibration else { throw ExecutionFailed(description: "the job carries no calibration request") }
        let request = try CalibrationJobRequest(stored: stored)
        if shouldStop() { throw ExecutionStopped() }
        let run: CalibrationRun
        do {
            run = try Calibrator.run(chip: chip, start: start, request: request.request(seed: job.seed))
        } catch {
            throw ExecutionFailed(description: "\(error)")
        }
        // Deterministic identity: time = the job's first start, id suffix = the job id's.
        let date = job.startedAt ?? job.createdAt
        var meta = run.snapshot.metadata
        let stamp = CalibrationSnapshot.timestamp(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        meta.snapshotID = "cal-\(stamp)-\(job.id.suffix(6))"
        meta.createdAt = CalibrationSnapshot.timestamp(date)
        meta.note += " (job \(job.id))"
        let snapshot = try CalibrationSnapshot(metadata: meta, rows: run.snapshot.rows, cols: run.snapshot.cols,
                                               couplerEnabled: run.snapshot.couplerEnabled,
                                               weightSegmentNs: run.snapshot.weightSegmentNs, fields: run.snapshot.fields)
        try sink(snapshot, job.id)
        let experiments: [JSONValue] = run.results.map { r in
            ["element": .string(r.element), "experiment": .string(r.name),
             "measurements": .array(r.measurements.map { m in
                 ["quantity": .string(m.quantity), "value": .number(m.value), "uncertainty": .number(m.uncertainty), "unit": .string(m.unit)]
             }),
             "reduced_chi_squared": r.fit.map { .number($0.reducedChiSquared) } ?? .null]
        }
        let metadata: JSONValue = ["snapshot_id": .string(meta.snapshotID), "parent_id": .string(start.metadata.snapshotID),
                                   "seconds": .number(run.seconds), "experiments": .array(experiments),
                                   "failures": .array(run.failures.map { .string($0) })]
        return [ItemResult(index: 0, sets: [SetResult(counts: [:], memory: nil, metadata: metadata)])]
    }
}

extension CalibrationSnapshot {
    /// The snapshot as HDF5 bytes (written through a temporary file).
    func hdf5Data() throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wukong-snapshot-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try write(to: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Reads a snapshot from HDF5 bytes.
    init(hdf5Data data: Data) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wukong-snapshot-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try data.write(to: URL(fileURLWithPath: path))
        self = try CalibrationSnapshot.read(from: path)
    }
}

/// Runs an async operation to completion from a synchronous worker thread (never from a task).
func waitSynchronously<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = LockedBox<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let r: Result<T, any Error>
        do { r = .success(try await body()) } catch { r = .failure(error) }
        box.withLock { $0 = r }
        done.signal()
    }
    done.wait()
    return try box.withLock { $0! }.get()
}
