// Job routes: submit (with idempotency, rate limit and quota), status, results, cancel and list.
import Foundation
import Hummingbird

extension Gateway {
    func addJobRoutes(_ router: Router<BasicRequestContext>) {
        router.post("/v1/jobs") { request, _ -> Response in try await self.submit(request) }
        router.get("/v1/jobs") { request, _ -> Response in try await self.listJobs(request) }
        router.get("/v1/jobs/:id") { request, context -> Response in
            let key = try await self.authenticate(request)
            let job = try await self.visibleJob(context.parameters.get("id") ?? "", to: key)
            let position = try await self.store.queuePosition(jobID: job.id)
            return jsonResponse(job.json(queuePosition: position))
        }
        router.get("/v1/jobs/:id/results") { request, context -> Response in
            let key = try await self.authenticate(request)
            let (job, results) = try await self.completedResults(context.parameters.get("id") ?? "", key: key)
            let items: [JSONValue] = results.map { r in
                r.json(parameterSets: r.index < job.spec.items.count ? job.spec.items[r.index].parameterSets : nil)
            }
            return jsonResponse([
                "job_id": .string(job.id), "result_version": 1, "backend": .string(job.spec.backend),
                "noise": .string(job.spec.noise), "calibration_id": .string(job.calibrationID), "seed": .string(String(job.seed)),
                "bit_order": "clbit 0 is the rightmost character", "items": .array(items),
            ])
        }
        router.get("/v1/jobs/:id/results.h5") { request, context -> Response in
            let key = try await self.authenticate(request)
            let (job, results) = try await self.completedResults(context.parameters.get("id") ?? "", key: key)
            let data: Data
            do {
                data = try ResultsHDF5.data(job: job, results: results)
            } catch {
                throw APIError(status: 500, code: "hdf5_failed", message: "the HDF5 results file could not be written")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/x-hdf5"
            headers[.contentDisposition] = "attachment; filename=\"\(job.id).h5\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.post("/v1/jobs/:id/cancel") { request, context -> Response in
            let key = try await self.authenticate(request)
            let job = try await self.visibleJob(context.parameters.get("id") ?? "", to: key)
            let updated = try await self.store.cancel(jobID: job.id)
            return jsonResponse(updated.json(queuePosition: nil))
        }
    }

    /// A completed job's results, or 404 (not visible) / 409 (not completed).
    func completedResults(_ id: String, key: APIKeyRecord) async throws -> (JobRecord, [ItemResult]) {
        let job = try await visibleJob(id, to: key)
        guard job.state == .completed, let results = try await store.results(jobID: job.id) else {
            let why = job.reason.map { ": \($0)" } ?? ""
            throw APIError(status: 409, code: "results_not_ready", message: "the job is \(job.state.rawValue)\(why)")
        }
        return (job, results)
    }

    /// `POST /v1/jobs`: every check before anything is stored; 201 new, 200 idempotent replay.
    func submit(_ request: Request) async throws -> Response {
        let key = try await authenticate(request)
        if let wait = rateLimiter.take(key.id) {
            throw APIError(status: 429, code: "limit_rate",
                           message: "too many submissions: \(limits.submitRatePerSecond)/s with bursts of \(Int(limits.submitBurst)) per key",
                           retryAfterSeconds: max(1, Int(wait.rounded(.up))))
        }
        let tooLarge = APIError(status: 413, code: "limit_body_size", message: "the request body exceeds \(limits.maxBodyBytes) bytes")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maxBodyBytes { throw tooLarge }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: limits.maxBodyBytes) } catch { throw tooLarge }
        let body = try JSONValue.parse(Data(buffer.readableBytesView))
        let submission = try decoder.decode(body)
        guard onlineBackends.contains(submission.spec.backend) else {
            throw APIError(status: 503, code: "backend_offline",
                           message: "the \(submission.spec.backend) backend is not running on this gateway", field: "backend")
        }
        let calibrationID = submission.calibrationID ?? catalog.currentID(for: submission.spec.backend)
        guard let snapshot = try await snapshot(id: calibrationID) else {
            throw APIError(status: 422, code: "unknown_calibration", message: "no calibration snapshot '\(calibrationID)'", field: "calibration_id")
        }
        if submission.spec.backend == "pulse" { try decoder.checkPulseSchedules(submission.spec, calibration: snapshot) }
        let idempotencyKey = request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value
        if let k = idempotencyKey, k.isEmpty || k.count > 255 {
            throw APIError(status: 400, code: "invalid_header", message: "Idempotency-Key must be 1–255 characters", field: "Idempotency-Key")
        }
        let job = NewJob(ownerKeyID: key.id, spec: submission.spec, seed: submission.seed ?? UInt64.random(in: 0...UInt64.max),
                         calibrationID: calibrationID, idempotencyKey: idempotencyKey,
                         fingerprint: idempotencyKey == nil ? "" : SHA256.hex(body.serialized(sortKeys: true)))
        let (stored, created, position) = try await store.insertReturningPosition(job, maxActiveJobs: limits.maxActiveJobsPerKey)
        if created { metrics.recordAccepted() }
        return jsonResponse(stored.json(queuePosition: position), status: created ? 201 : 200)
    }

    /// `GET /v1/jobs?state=&tag=&limit=&cursor=`: newest first; users see their own jobs only.
    func listJobs(_ request: Request) async throws -> Response {
        let key = try await authenticate(request)
        let query = request.uri.queryParameters
        var filter = JobFilter(ownerKeyID: key.scope == .operator ? nil : key.id)
        if let s = query["state"] {
            guard let state = JobState(rawValue: String(s)) else {
                throw APIError(status: 400, code: "invalid_query", message: "unknown state '\(s)'", field: "state")
            }
            filter.state = state
        }
        if let t = query["tag"] { filter.tag = String(t) }
        if let l = query["limit"] {
            guard let n = Int(l), (1...500).contains(n) else {
                throw APIError(status: 400, code: "invalid_query", message: "limit must be 1–500", field: "limit")
            }
            filter.limit = n
        }
        if let c = query["cursor"] {
            guard Int64(c) != nil else { throw APIError(status: 400, code: "invalid_query", message: "malformed cursor", field: "cursor") }
            filter.cursor = String(c)
        }
        let (jobs, next) = try await store.list(filter)
        return jsonResponse(["jobs": .array(jobs.map { $0.json(queuePosition: nil) }), "next_cursor": next.json])
    }
}
