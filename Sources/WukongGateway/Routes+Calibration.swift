// Calibration routes: run a calibration (operator; a job of backend `calibration` through the same
// store and workers), point a backend at a snapshot (operator; recorded in the store's assignment
// history), the snapshot in force for a backend at a time, and snapshots by id (memory, else the store).
import Foundation
import Hummingbird
import WukongDevice

extension Gateway {
    func addCalibrationRoutes(_ router: Router<BasicRequestContext>) {
        router.post("/v1/calibrations/run") { request, _ -> Response in
            let key = try await self.authenticateOperator(request)
            guard self.onlineBackends.contains(CalibrationJobExecutor.backendName) else {
                throw APIError(status: 503, code: "backend_offline", message: "calibration jobs are not running on this gateway (no device spec)")
            }
            let body = try await self.jsonBody(request)
            let startID = body["calibration_id"]?.stringValue ?? self.catalog.currentID(for: "pulse")
            guard let start = try await self.snapshot(id: startID) else {
                throw APIError(status: 422, code: "unknown_calibration", message: "no calibration snapshot '\(startID)'", field: "calibration_id")
            }
            let parsed = try CalibrationJobRequest(body: body, snapshot: start)
            var seed = UInt64.random(in: 0...UInt64.max)
            if let s = body["seed"], s != .null {
                guard let v = s.intValue, v >= 0 else { throw APIError.invalid("seed", "must be a non-negative integer") }
                seed = UInt64(v)
            }
            let spec = JobSpec(backend: CalibrationJobExecutor.backendName, noise: "none", items: [], tags: ["calibration"],
                               calibration: parsed.json)
            let job = NewJob(ownerKeyID: key.id, spec: spec, seed: seed, calibrationID: startID,
                             fingerprint: SHA256.hex(body.serialized(sortKeys: true)))
            let (stored, _) = try await self.store.insert(job, maxActiveJobs: nil)
            self.metrics.recordAccepted()
            let position = try await self.store.queuePosition(jobID: stored.id)
            return jsonResponse(stored.json(queuePosition: position), status: 201)
        }
        router.put("/v1/backends/:name/calibration") { request, context -> Response in
            let key = try await self.authenticateOperator(request)
            let name = try self.backendName(context)
            let body = try await self.jsonBody(request)
            guard let id = body["calibration_id"]?.stringValue, !id.isEmpty else {
                throw APIError.invalid("calibration_id", "required: the id of a calibration snapshot (see GET /v1/calibrations)")
            }
            guard try await self.snapshot(id: id) != nil else {
                throw APIError(status: 422, code: "unknown_calibration", message: "no calibration snapshot '\(id)'", field: "calibration_id")
            }
            let previous = self.catalog.currentID(for: name)
            let a = try await self.store.assignCalibration(backend: name, snapshotID: id, by: key.id)
            self.catalog.assign(id, to: name)
            return jsonResponse(["backend": .string(name), "calibration_id": .string(id), "previous_id": .string(previous),
                                 "assigned_at": iso8601(a.assignedAt)])
        }
        router.get("/v1/backends/:name/properties") { request, context -> Response in
            _ = try await self.authenticate(request)
            let name = try self.backendName(context)
            var snapshotID = self.catalog.currentID(for: name)
            var since: JSONValue = .null
            if let at = request.uri.queryParameters["at"] {
                guard let time = parseTime(String(at)) else {
                    throw APIError(status: 400, code: "invalid_query", message: "at must be an ISO 8601 time such as 2026-11-23T00:00:00Z", field: "at")
                }
                // The last assignment at or before `at`; before any, the start-up default.
                let history = try await self.store.calibrationAssignments(backend: name)
                if let a = history.last(where: { $0.assignedAt <= time }) {
                    snapshotID = a.snapshotID
                    since = iso8601(a.assignedAt)
                } else {
                    snapshotID = self.catalog.currentID
                }
            }
            guard let snapshot = try await self.snapshot(id: snapshotID) else { throw APIError.notFound("calibration \(snapshotID)") }
            var properties = snapshot.propertiesJSON
            if case .object(var members) = properties {
                members.insert(("backend", .string(name)), at: 0)
                members.insert(("in_force_since", since), at: 1)
                properties = .object(members)
            }
            return jsonResponse(properties)
        }
        router.get("/v1/calibrations/:id") { request, context -> Response in
            _ = try await self.authenticate(request)
            let id = context.parameters.get("id") ?? ""
            guard let snapshot = try await self.snapshot(id: id) else { throw APIError.notFound("calibration \(id)") }
            return jsonResponse(snapshot.fullJSON)
        }
    }

    /// The key presenting the request if it has operator scope; 401 or 403 otherwise.
    func authenticateOperator(_ request: Request) async throws -> APIKeyRecord {
        let key = try await authenticate(request)
        guard key.scope == .operator else {
            throw APIError(status: 403, code: "forbidden", message: "this operation needs an operator key")
        }
        return key
    }

    /// The request body as JSON (bounded by the submission limit).
    func jsonBody(_ request: Request) async throws -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limits.maxBodyBytes)
        } catch {
            throw APIError(status: 413, code: "limit_body_size", message: "the request body exceeds \(limits.maxBodyBytes) bytes")
        }
        return try JSONValue.parse(Data(buffer.readableBytesView))
    }

    /// A snapshot by id: the catalog, else the store (a snapshot another gateway process calibrated),
    /// which is then registered.
    func snapshot(id: String) async throws -> CalibrationSnapshot? {
        if let s = catalog.snapshot(id) { return s }
        guard let data = try await store.storedSnapshot(id: id) else { return nil }
        let s = try CalibrationSnapshot(hdf5Data: data)
        catalog.register(s)
        return s
    }

    /// Loads the snapshots calibration jobs stored and each backend's latest assignment (at start-up).
    public func restoreCalibrations() async throws {
        for id in try await store.storedSnapshotIDs() where catalog.snapshot(id) == nil {
            if let data = try await store.storedSnapshot(id: id) { catalog.register(try CalibrationSnapshot(hdf5Data: data)) }
        }
        for name in BackendCatalog.names {
            if let last = try await store.calibrationAssignments(backend: name).last, catalog.snapshot(last.snapshotID) != nil {
                catalog.assign(last.snapshotID, to: name)
            }
        }
    }

    /// The sink of `CalibrationJobExecutor`: store the snapshot's bytes, then register it in the catalog.
    public static func calibrationSink(store: any JobStore, catalog: CalibrationCatalog)
        -> @Sendable (CalibrationSnapshot, String) throws -> Void {
        { snapshot, jobID in
            let data = try snapshot.hdf5Data()
            try waitSynchronously { try await store.saveSnapshot(id: snapshot.metadata.snapshotID, jobID: jobID, hdf5: data) }
            catalog.register(snapshot)
        }
    }
}

extension CalibrationJobExecutor {
    /// The job-level backend name of calibration jobs.
    public static let backendName = "calibration"
}

/// ISO 8601 with or without fractional seconds.
func parseTime(_ s: String) -> Date? {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let d = f.date(from: s) { return d }
    f.formatOptions = [.withInternetDateTime]
    return f.date(from: s)
}
