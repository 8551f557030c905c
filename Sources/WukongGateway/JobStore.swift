// The job-store interface: durable jobs, results, idempotency records and API keys. SQLite (GRDB) is
// the embedded default; PostgreSQL (postgres-nio: FOR UPDATE SKIP LOCKED claims, LISTEN/NOTIFY wake-ups)
// serves several gateway replicas and workers on several machines. Every method is one transaction.
import Foundation

/// A submission ready to be stored.
public struct NewJob: Sendable {
    public var id: String
    public var ownerKeyID: String
    public var spec: JobSpec
    public var seed: UInt64
    public var calibrationID: String
    /// Client's `Idempotency-Key`, if sent.
    public var idempotencyKey: String?
    /// SHA-256 of the canonical request body; compared when the key repeats.
    public var fingerprint: String

    public init(id: String = NewJob.newID(), ownerKeyID: String, spec: JobSpec, seed: UInt64, calibrationID: String,
                idempotencyKey: String? = nil, fingerprint: String = "") {
        self.id = id
        self.ownerKeyID = ownerKeyID
        self.spec = spec
        self.seed = seed
        self.calibrationID = calibrationID
        self.idempotencyKey = idempotencyKey
        self.fingerprint = fingerprint
    }

    /// A fresh job id: `job_` and 24 random hex digits.
    public static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        return "job_" + lowercaseHex((0..<12).map { _ in UInt8.random(in: 0...255, using: &g) })
    }
}

/// Which jobs to list.
public struct JobFilter: Sendable {
    /// Only this key's jobs (nil = all, for operators).
    public var ownerKeyID: String?
    public var state: JobState?
    public var tag: String?
    /// At most this many, 1…500.
    public var limit: Int = 50
    /// Opaque cursor from the previous page.
    public var cursor: String?

    public init(ownerKeyID: String? = nil, state: JobState? = nil, tag: String? = nil, limit: Int = 50, cursor: String? = nil) {
        self.ownerKeyID = ownerKeyID
        self.state = state
        self.tag = tag
        self.limit = limit
        self.cursor = cursor
    }
}

/// What a heartbeat tells the worker.
public enum HeartbeatReply: Sendable, Equatable {
    /// Lease extended; carry on.
    case proceed
    /// The user cancelled; stop between items.
    case stop
    /// The lease is no longer ours (expired and requeued): abandon the run, its results would be discarded.
    case lost
}

/// An API key as stored: never the secret, only its SHA-256.
public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var scope: APIScope
    public var createdAt: Date
    public var revokedAt: Date?
}

/// What an API key may do.
public enum APIScope: String, Sendable, CaseIterable {
    /// Submit jobs and read its own.
    case user
    /// Everything a user may, plus every job and calibration operations.
    case `operator`
}

/// One entry of a backend's calibration history: from `assignedAt` on, the backend used `snapshotID`.
public struct CalibrationAssignment: Sendable, Equatable {
    public var backend: String
    public var snapshotID: String
    public var assignedAt: Date
    /// Id of the operator key that made the assignment.
    public var assignedBy: String

    public init(backend: String, snapshotID: String, assignedAt: Date, assignedBy: String) {
        self.backend = backend
        self.snapshotID = snapshotID
        self.assignedAt = assignedAt
        self.assignedBy = assignedBy
    }
}

/// Durable storage of jobs and keys. Every method is atomic.
public protocol JobStore: Sendable {
    /// Stores a job in state queued. With an idempotency key already used by this owner, returns the
    /// earlier job when the fingerprint matches (`created == false`) and throws 409 otherwise. With
    /// `maxActiveJobs`, throws 429 `limit_concurrent_jobs` when the owner already has that many active.
    func insert(_ job: NewJob, maxActiveJobs: Int?) async throws -> (job: JobRecord, created: Bool)
    /// `insert`, plus the job's queue position as `queuePosition(jobID:)` would give it right after.
    /// Has a default (insert, then ask); a store may answer both from one transaction.
    func insertReturningPosition(_ job: NewJob, maxActiveJobs: Int?) async throws -> (job: JobRecord, created: Bool, queuePosition: Int?)
    func job(id: String) async throws -> JobRecord?
    /// Results of a completed job, nil otherwise.
    func results(jobID: String) async throws -> [ItemResult]?
    /// A page of jobs, newest first, and the cursor of the next page.
    func list(_ filter: JobFilter) async throws -> (jobs: [JobRecord], nextCursor: String?)
    /// Number of queued jobs submitted before this one (0 = next), nil unless queued.
    func queuePosition(jobID: String) async throws -> Int?
    /// Applies the cancel event; throws 409 when the job is already terminal.
    func cancel(jobID: String) async throws -> JobRecord
    /// Atomically claims the oldest queued job of `backends` for `worker`, with a lease of `leaseSeconds`.
    func claim(worker: String, backends: [String], leaseSeconds: Double) async throws -> JobRecord?
    /// Extends the lease if `worker` still holds it.
    func heartbeat(jobID: String, worker: String, leaseSeconds: Double) async throws -> HeartbeatReply
    /// Stores results and completes the job, in one transaction, if `worker` still holds the lease.
    /// Returns false when the lease was lost (the results are dropped).
    func complete(jobID: String, worker: String, results: [ItemResult]) async throws -> Bool
    /// Fails the job (or finishes a cancel) if `worker` still holds the lease.
    func fail(jobID: String, worker: String, message: String) async throws -> Bool
    /// Applies `leaseExpired` to every running or cancelling job whose lease lapsed; returns how many.
    func requeueExpiredLeases(maxAttempts: Int) async throws -> Int
    /// Number of jobs in each state.
    func countsByState() async throws -> [JobState: Int]
    /// Queued jobs per backend name (backends without queued jobs are absent).
    func queuedByBackend() async throws -> [String: Int]
    /// Recent terminal jobs' (created, finished) times, newest first, for latency figures.
    func recentJobs(limit: Int) async throws -> [JobRecord]

    /// Creates a key; the secret is returned once and never stored.
    func createKey(name: String, scope: APIScope) async throws -> (record: APIKeyRecord, secret: String)
    /// The unrevoked key whose secret hashes to `hash`.
    func key(secretHash hash: String) async throws -> APIKeyRecord?
    func listKeys() async throws -> [APIKeyRecord]
    /// Revokes a key by id; false when there is none.
    func revokeKey(id: String) async throws -> Bool

    // Calibration: snapshots made by calibration jobs and each backend's assignment history.

    /// Stores a snapshot (HDF5 bytes) under its id; storing the same id again replaces it (a requeued
    /// calibration job re-derives the same id).
    func saveSnapshot(id: String, jobID: String?, hdf5: Data) async throws
    /// The HDF5 bytes of a stored snapshot, nil when unknown.
    func storedSnapshot(id: String) async throws -> Data?
    /// Ids of every stored snapshot, oldest first.
    func storedSnapshotIDs() async throws -> [String]
    /// Appends to `backend`'s history: from now (the store's clock) on it uses `snapshotID`.
    func assignCalibration(backend: String, snapshotID: String, by keyID: String) async throws -> CalibrationAssignment
    /// `backend`'s history, oldest first.
    func calibrationAssignments(backend: String) async throws -> [CalibrationAssignment]
    /// A counter that grows whenever new work may have been queued (read it before a claim that may come back empty).
    func workEpoch() -> UInt64
    /// Returns once the work epoch has passed `epoch` (a job was queued or requeued somewhere), or after `timeout`
    /// seconds, whichever is first. Idle workers call it instead of sleeping.
    func waitForWork(after epoch: UInt64, timeout: Double) async
}

extension JobStore {
    /// Stores without wake-ups never advance the epoch.
    public func workEpoch() -> UInt64 { 0 }
    /// Stores without wake-ups poll: this sleeps for `timeout` seconds.
    public func waitForWork(after epoch: UInt64, timeout: Double) async {
        try? await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1e9))
    }

    public func insertReturningPosition(_ job: NewJob, maxActiveJobs: Int?) async throws -> (job: JobRecord, created: Bool, queuePosition: Int?) {
        let (record, created) = try await insert(job, maxActiveJobs: maxActiveJobs)
        return (record, created, try await queuePosition(jobID: record.id))
    }
}
