// The embedded job store: SQLite through GRDB, WAL, synchronous=FULL (a job is acknowledged only
// once its row is durable, against kill -9 and power loss). Every mutation runs in one BEGIN IMMEDIATE
// transaction, so claims by concurrent workers — in this process or another one on the same file —
// never overlap. Submissions are group-committed: concurrent inserts share one transaction and one
// fsync (each 201 is answered after that commit). Claims, heartbeats and lease requeues commit with
// synchronous=NORMAL: still durable against a process crash (WAL), and after a power loss a rolled-back
// claim only means the job is claimed again. Counts by state, by backend and of each owner's active
// jobs live in tables kept by triggers, so quota checks and queue positions at submission are O(1).
import Foundation
import GRDB

/// `JobStore` on SQLite. `SQLiteJobStore(path:)` opens a file (a `DatabasePool` in WAL mode);
/// `SQLiteJobStore.inMemory()` gives a private database for tests.
public final class SQLiteJobStore: JobStore {
    let writer: any DatabaseWriter
    /// The clock used for leases and timestamps; tests move it forward to expire leases.
    let clock: @Sendable () -> Date

    /// Opens (creating and migrating if needed) the database file at `path`.
    public init(path: String, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Read pages through a memory map instead of pread (256 MiB window).
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
        }
        writer = try DatabasePool(path: path, configuration: config)
        // GRDB's pool switches WAL databases to synchronous=NORMAL after `prepareDatabase`; set FULL on
        // the writer connection again so a commit is durable when it returns.
        try writer.barrierWriteWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        self.clock = clock
        try Self.migrator.migrate(writer)
    }

    /// A private in-memory database.
    public init(inMemoryWithClock clock: @escaping @Sendable () -> Date = { Date() }) throws {
        writer = try DatabaseQueue()
        self.clock = clock
        try Self.migrator.migrate(writer)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-jobs-keys") { db in
            try db.execute(sql: """
                CREATE TABLE jobs (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    owner TEXT NOT NULL,
                    state TEXT NOT NULL,
                    reason_code TEXT, reason TEXT,
                    backend TEXT NOT NULL,
                    spec TEXT NOT NULL,
                    seed INTEGER NOT NULL,
                    calibration_id TEXT NOT NULL,
                    attempt INTEGER NOT NULL DEFAULT 0,
                    lease_owner TEXT, lease_expires_at REAL,
                    created_at REAL NOT NULL, started_at REAL, finished_at REAL,
                    idempotency_key TEXT, fingerprint TEXT NOT NULL DEFAULT '');
                CREATE INDEX jobs_state_seq ON jobs(state, backend, seq);
                CREATE INDEX jobs_owner_seq ON jobs(owner, seq);
                CREATE UNIQUE INDEX jobs_idempotency ON jobs(owner, idempotency_key) WHERE idempotency_key IS NOT NULL;
                CREATE TABLE job_tags (tag TEXT NOT NULL, job_seq INTEGER NOT NULL, PRIMARY KEY (tag, job_seq));
                CREATE TABLE results (job_id TEXT NOT NULL, item_index INTEGER NOT NULL, body TEXT NOT NULL,
                                      PRIMARY KEY (job_id, item_index));
                CREATE TABLE api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
                                       scope TEXT NOT NULL, created_at REAL NOT NULL, revoked_at REAL);
                """)
        }
        m.registerMigration("v2-counters") { db in
            let active = "('queued','running','cancelling')"
            try db.execute(sql: """
                CREATE TABLE job_counts (state TEXT NOT NULL, backend TEXT NOT NULL, n INTEGER NOT NULL,
                                         PRIMARY KEY (state, backend)) WITHOUT ROWID;
                CREATE TABLE owner_active (owner TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO job_counts (state, backend, n) SELECT state, backend, count(*) FROM jobs GROUP BY state, backend;
                INSERT INTO owner_active (owner, n) SELECT owner, count(*) FROM jobs WHERE state IN \(active) GROUP BY owner;
                CREATE TRIGGER jobs_counts_insert AFTER INSERT ON jobs BEGIN
                    INSERT INTO job_counts (state, backend, n) VALUES (NEW.state, NEW.backend, 1)
                        ON CONFLICT (state, backend) DO UPDATE SET n = n + 1;
                    INSERT INTO owner_active (owner, n) SELECT NEW.owner, 1 WHERE NEW.state IN \(active)
                        ON CONFLICT (owner) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER jobs_counts_update AFTER UPDATE OF state ON jobs WHEN OLD.state <> NEW.state BEGIN
                    UPDATE job_counts SET n = n - 1 WHERE state = OLD.state AND backend = OLD.backend;
                    INSERT INTO job_counts (state, backend, n) VALUES (NEW.state, NEW.backend, 1)
                        ON CONFLICT (state, backend) DO UPDATE SET n = n + 1;
                    UPDATE owner_active SET n = n - 1
                        WHERE owner = OLD.owner AND OLD.state IN \(active) AND NEW.state NOT IN \(active);
                    INSERT INTO owner_active (owner, n) SELECT NEW.owner, 1
                        WHERE NEW.state IN \(active) AND OLD.state NOT IN \(active)
                        ON CONFLICT (owner) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER jobs_counts_delete AFTER DELETE ON jobs BEGIN
                    UPDATE job_counts SET n = n - 1 WHERE state = OLD.state AND backend = OLD.backend;
                    UPDATE owner_active SET n = n - 1 WHERE owner = OLD.owner AND OLD.state IN \(active);
                END;
                """)
        }
        m.registerMigration("v2-calibrations") { db in
            try db.execute(sql: """
                CREATE TABLE calibration_snapshots (id TEXT PRIMARY KEY, job_id TEXT, stored_at REAL NOT NULL, body BLOB NOT NULL);
                CREATE TABLE calibration_assignments (seq INTEGER PRIMARY KEY AUTOINCREMENT, backend TEXT NOT NULL,
                                                      snapshot_id TEXT NOT NULL, assigned_at REAL NOT NULL, assigned_by TEXT NOT NULL);
                CREATE INDEX calibration_assignments_backend ON calibration_assignments(backend, seq);
                """)
        }
        return m
    }

    /// Runs `body` in one BEGIN IMMEDIATE transaction and returns its value. `durable: false` commits
    /// with synchronous=NORMAL (no fsync; survives a process crash, may roll back on power loss) — only
    /// for writes that are safe to lose that way (claims, heartbeats, lease requeues).
    func immediate<T: Sendable>(durable: Bool = true, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.writeWithoutTransaction { db in
            if !durable { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            defer { if !durable { try? db.execute(sql: "PRAGMA synchronous = FULL") } }
            var out: T?
            try db.inTransaction(.immediate) {
                out = try body(db)
                return .commit
            }
            return out!
        }
    }

    /// Submissions waiting for the next group commit, and whether a commit loop is running.
    private struct PendingInserts {
        var waiting: [(job: NewJob, maxActiveJobs: Int?, done: CheckedContinuation<(job: JobRecord, created: Bool, queuePosition: Int?), any Error>)] = []
        var committing = false
    }
    private let pending = LockedBox(PendingInserts())

    static let columns = "seq, id, owner, state, reason_code, reason, spec, seed, calibration_id, attempt, lease_owner, lease_expires_at, created_at, started_at, finished_at"

    static func record(_ row: Row) throws -> JobRecord {
        let specText: String = row["spec"]
        let spec = try JobSpec(stored: JSONValue.parse(Data(specText.utf8)))
        func date(_ column: String) -> Date? { (row[column] as Double?).map { Date(timeIntervalSince1970: $0) } }
        return JobRecord(
            id: row["id"], ownerKeyID: row["owner"], sequence: row["seq"],
            state: JobState(rawValue: row["state"]) ?? .failed,
            reasonCode: (row["reason_code"] as String?).flatMap(ReasonCode.init), reason: row["reason"],
            spec: spec, seed: UInt64(bitPattern: row["seed"]), calibrationID: row["calibration_id"],
            attempt: row["attempt"], leaseOwner: row["lease_owner"], leaseExpiresAt: date("lease_expires_at"),
            createdAt: date("created_at") ?? Date(timeIntervalSince1970: 0), startedAt: date("started_at"),
            finishedAt: date("finished_at"))
    }

    static func fetchJob(_ db: Database, id: String) throws -> JobRecord? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(columns) FROM jobs WHERE id = ?"), arguments: [id]).map(record)
    }

    /// Applies a lifecycle transition to a stored job: the one place states change.
    static func apply(_ t: JobTransition, to id: String, now: Date, db: Database,
                      worker: String? = nil, leaseSeconds: Double = 0, results: [ItemResult] = []) throws {
        var sets = ["state = ?", "reason_code = ?", "reason = ?"]
        var args: [(any DatabaseValueConvertible)?] = [t.state.rawValue, t.reasonCode?.rawValue, t.reason]
        for action in t.actions {
            switch action {
            case .startExecution:
                sets += ["lease_owner = ?", "lease_expires_at = ?", "attempt = attempt + 1", "started_at = coalesce(started_at, ?)"]
                args += [worker, now.timeIntervalSince1970 + leaseSeconds, now.timeIntervalSince1970]
            case .releaseLease, .requeueKeepingSeed:
                sets += ["lease_owner = NULL", "lease_expires_at = NULL"]
            case .recordFinish:
                sets.append("finished_at = ?")
                args.append(now.timeIntervalSince1970)
            case .storeResults:
                for r in results {
                    try db.execute(sql: "INSERT OR REPLACE INTO results (job_id, item_index, body) VALUES (?, ?, ?)",
                                   arguments: [id, r.index, r.json(parameterSets: nil).serialized()])
                }
            case .discardResults:
                try db.execute(sql: "DELETE FROM results WHERE job_id = ?", arguments: [id])
            case .signalWorkerToStop:
                break  // the worker learns it from its next heartbeat
            }
        }
        args.append(id)
        try db.execute(sql: "UPDATE jobs SET \(sets.joined(separator: ", ")) WHERE id = ?", arguments: StatementArguments(args))
    }

    public func insert(_ job: NewJob, maxActiveJobs: Int?) async throws -> (job: JobRecord, created: Bool) {
        let (record, created, _) = try await insertReturningPosition(job, maxActiveJobs: maxActiveJobs)
        return (record, created)
    }

    /// Group-committed insert; the queue position comes from the same transaction.
    public func insertReturningPosition(_ job: NewJob, maxActiveJobs: Int?) async throws -> (job: JobRecord, created: Bool, queuePosition: Int?) {
        try await withCheckedThrowingContinuation { continuation in
            let lead = pending.withLock { p -> Bool in
                p.waiting.append((job, maxActiveJobs, continuation))
                if p.committing { return false }
                p.committing = true
                return true
            }
            if lead { Task { await self.commitPendingInserts() } }
        }
    }

    /// The group commit: takes every waiting submission, stores them in one durable transaction and
    /// answers each; repeats while more arrived during the commit.
    func commitPendingInserts() async {
        while true {
            let batch = pending.withLock { p in
                let b = p.waiting
                p.waiting = []
                if b.isEmpty { p.committing = false }
                return b
            }
            if batch.isEmpty { return }
            let now = clock()
            let jobs = batch.map { ($0.job, $0.maxActiveJobs) }
            do {
                let outcomes = try await immediate { db in
                    jobs.map { job, maxActive in
                        Result { () throws -> (job: JobRecord, created: Bool, queuePosition: Int?) in
                            let (record, created) = try Self.insertOne(job, maxActiveJobs: maxActive, now: now, db: db)
                            return (record, created, try Self.queuePosition(db, jobID: record.id))
                        }
                    }
                }
                for (waiter, outcome) in zip(batch, outcomes) { waiter.done.resume(with: outcome) }
            } catch {
                for waiter in batch { waiter.done.resume(throwing: error) }
            }
        }
    }

    /// One submission inside the group transaction. Checks (idempotency, quota) run before any write, so
    /// a refused submission leaves nothing behind and the others of the group still commit.
    static func insertOne(_ job: NewJob, maxActiveJobs: Int?, now: Date, db: Database) throws -> (job: JobRecord, created: Bool) {
        if let key = job.idempotencyKey,
           let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, fingerprint FROM jobs WHERE owner = ? AND idempotency_key = ?"),
                                      arguments: [job.ownerKeyID, key]) {
            guard (row["fingerprint"] as String) == job.fingerprint else {
                throw APIError(status: 409, code: "idempotency_conflict",
                               message: "this Idempotency-Key was used with a different request body", field: "Idempotency-Key")
            }
            return (try Self.fetchJob(db, id: row["id"])!, false)
        }
        if let maxActiveJobs {
            let active = try Int.fetchOne(db.cachedStatement(sql: "SELECT n FROM owner_active WHERE owner = ?"),
                                          arguments: [job.ownerKeyID]) ?? 0
            if active >= maxActiveJobs {
                throw APIError(status: 429, code: "limit_concurrent_jobs",
                               message: "this key already has \(active) active jobs; the limit is \(maxActiveJobs)",
                               retryAfterSeconds: 1)
            }
        }
        try db.cachedStatement(sql: """
            INSERT INTO jobs (id, owner, state, backend, spec, seed, calibration_id, created_at, idempotency_key, fingerprint)
            VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [job.id, job.ownerKeyID, job.spec.backend, job.spec.json.serialized(), Int64(bitPattern: job.seed),
                                     job.calibrationID, now.timeIntervalSince1970, job.idempotencyKey, job.fingerprint])
        let seq = db.lastInsertedRowID
        for tag in Set(job.spec.tags) {
            try db.cachedStatement(sql: "INSERT INTO job_tags (tag, job_seq) VALUES (?, ?)").execute(arguments: [tag, seq])
        }
        let record = JobRecord(id: job.id, ownerKeyID: job.ownerKeyID, sequence: seq, state: .queued, reasonCode: nil, reason: nil,
                               spec: job.spec, seed: job.seed, calibrationID: job.calibrationID, attempt: 0, leaseOwner: nil,
                               leaseExpiresAt: nil, createdAt: now, startedAt: nil, finishedAt: nil)
        return (record, true)
    }

    public func job(id: String) async throws -> JobRecord? {
        try await writer.read { db in try Self.fetchJob(db, id: id) }
    }

    public func results(jobID: String) async throws -> [ItemResult]? {
        try await writer.read { db in
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM jobs WHERE id = ?", arguments: [jobID]),
                  state == JobState.completed.rawValue else { return nil }
            return try String.fetchAll(db, sql: "SELECT body FROM results WHERE job_id = ? ORDER BY item_index", arguments: [jobID])
                .map { ItemResult(stored: try JSONValue.parse(Data($0.utf8))) }
        }
    }

    public func list(_ filter: JobFilter) async throws -> (jobs: [JobRecord], nextCursor: String?) {
        try await writer.read { db in
            var conditions: [String] = []
            var args: [(any DatabaseValueConvertible)?] = []
            if let owner = filter.ownerKeyID { conditions.append("owner = ?"); args.append(owner) }
            if let state = filter.state { conditions.append("state = ?"); args.append(state.rawValue) }
            if let tag = filter.tag { conditions.append("seq IN (SELECT job_seq FROM job_tags WHERE tag = ?)"); args.append(tag) }
            if let cursor = filter.cursor, let seq = Int64(cursor) { conditions.append("seq < ?"); args.append(seq) }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            args.append(filter.limit + 1)
            let rows = try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM jobs \(whereClause) ORDER BY seq DESC LIMIT ?",
                                        arguments: StatementArguments(args))
            var jobs = try rows.map(Self.record)
            var next: String?
            if jobs.count > filter.limit {
                jobs.removeLast()
                next = jobs.last.map { String($0.sequence) }
            }
            return (jobs, next)
        }
    }

    public func queuePosition(jobID: String) async throws -> Int? {
        try await writer.read { db in try Self.queuePosition(db, jobID: jobID) }
    }

    static func queuePosition(_ db: Database, jobID: String) throws -> Int? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, state, backend FROM jobs WHERE id = ?"), arguments: [jobID]),
              (row["state"] as String) == JobState.queued.rawValue else { return nil }
        // All queued jobs of the backend minus those at or after this one: O(jobs behind it), so
        // O(1) right after submission.
        let backend: String = row["backend"], seq: Int64 = row["seq"]
        let total = try Int.fetchOne(db.cachedStatement(sql: "SELECT n FROM job_counts WHERE state = 'queued' AND backend = ?"),
                                     arguments: [backend]) ?? 0
        let behind = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM jobs WHERE state = 'queued' AND backend = ? AND seq >= ?"),
                                      arguments: [backend, seq]) ?? 0
        return max(0, total - behind)
    }

    public func cancel(jobID: String) async throws -> JobRecord {
        let now = clock()
        return try await immediate { db in
            guard let job = try Self.fetchJob(db, id: jobID) else { throw APIError.notFound("job \(jobID)") }
            switch JobLifecycle.transition(from: job.state, on: .cancel) {
            case .success(let t):
                try Self.apply(t, to: jobID, now: now, db: db)
                return try Self.fetchJob(db, id: jobID)!
            case .failure:
                throw APIError(status: 409, code: "job_finished", message: "the job is already \(job.state.rawValue)")
            }
        }
    }

    public func claim(worker: String, backends: [String], leaseSeconds: Double) async throws -> JobRecord? {
        let now = clock()
        return try await immediate(durable: false) { db in
            let placeholders = backends.map { _ in "?" }.joined(separator: ",")
            guard let id = try String.fetchOne(db, sql: """
                SELECT id FROM jobs WHERE state = 'queued' AND backend IN (\(placeholders)) ORDER BY seq LIMIT 1
                """, arguments: StatementArguments(backends)) else { return nil }
            guard case .success(let t) = JobLifecycle.transition(from: .queued, on: .claim) else { return nil }
            try Self.apply(t, to: id, now: now, db: db, worker: worker, leaseSeconds: leaseSeconds)
            return try Self.fetchJob(db, id: id)
        }
    }

    public func heartbeat(jobID: String, worker: String, leaseSeconds: Double) async throws -> HeartbeatReply {
        let now = clock()
        return try await immediate(durable: false) { db in
            guard let job = try Self.fetchJob(db, id: jobID), job.leaseOwner == worker,
                  job.state == .running || job.state == .cancelling else { return .lost }
            try db.execute(sql: "UPDATE jobs SET lease_expires_at = ? WHERE id = ?",
                           arguments: [now.timeIntervalSince1970 + leaseSeconds, jobID])
            return job.state == .cancelling ? .stop : .proceed
        }
    }

    public func complete(jobID: String, worker: String, results: [ItemResult]) async throws -> Bool {
        try await finish(jobID: jobID, worker: worker, event: .complete, results: results)
    }

    public func fail(jobID: String, worker: String, message: String) async throws -> Bool {
        try await finish(jobID: jobID, worker: worker, event: .fail(message: message), results: [])
    }

    /// Ends a run if `worker` still holds the lease (the fence that makes results exactly-once visible).
    func finish(jobID: String, worker: String, event: JobEvent, results: [ItemResult]) async throws -> Bool {
        let now = clock()
        return try await immediate { db in
            guard let job = try Self.fetchJob(db, id: jobID), job.leaseOwner == worker,
                  case .success(let t) = JobLifecycle.transition(from: job.state, on: event) else { return false }
            try Self.apply(t, to: jobID, now: now, db: db, results: results)
            return true
        }
    }

    public func requeueExpiredLeases(maxAttempts: Int) async throws -> Int {
        let now = clock()
        return try await immediate(durable: false) { db in
            let expired = try Row.fetchAll(db, sql: """
                SELECT id, state, attempt FROM jobs WHERE state IN ('running','cancelling') AND lease_expires_at < ?
                """, arguments: [now.timeIntervalSince1970])
            for row in expired {
                let state = JobState(rawValue: row["state"]) ?? .running
                if case .success(let t) = JobLifecycle.transition(
                    from: state, on: .leaseExpired(attempt: row["attempt"], maxAttempts: maxAttempts)) {
                    try Self.apply(t, to: row["id"], now: now, db: db)
                }
            }
            return expired.count
        }
    }

    public func queuedByBackend() async throws -> [String: Int] {
        try await writer.read { db in
            var out: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT backend, n FROM job_counts WHERE state = 'queued' AND n > 0") {
                out[row["backend"]] = row["n"]
            }
            return out
        }
    }

    /// `PRAGMA synchronous` of the writer connection (2 = FULL); tests check durability is really on.
    func writerSynchronousLevel() async throws -> Int {
        try await writer.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The trigger-kept counters and the same figures recounted from the jobs table, as sorted
    /// `state/backend=n` and `owner=n` lines (zero counters omitted). Tests require them equal.
    func counterAudit() async throws -> (kept: [String], recount: [String]) {
        try await writer.read { db in
            func lines(_ sql: String) throws -> [String] {
                try Row.fetchAll(db, sql: sql).map { "\($0[0] as String)=\($0[1] as Int)" }
            }
            let kept = try lines("SELECT state || '/' || backend, n FROM job_counts WHERE n <> 0 ORDER BY 1")
                + lines("SELECT 'owner ' || owner, n FROM owner_active WHERE n <> 0 ORDER BY 1")
            let recount = try lines("SELECT state || '/' || backend, count(*) FROM jobs GROUP BY state, backend ORDER BY 1")
                + lines("SELECT 'owner ' || owner, count(*) FROM jobs WHERE state IN ('queued','running','cancelling') GROUP BY owner ORDER BY 1")
            return (kept, recount)
        }
    }

    public func countsByState() async throws -> [JobState: Int] {
        try await writer.read { db in
            var out: [JobState: Int] = [:]
            for s in JobState.allCases { out[s] = 0 }
            for row in try Row.fetchAll(db, sql: "SELECT state, sum(n) AS n FROM job_counts GROUP BY state") {
                if let s = JobState(rawValue: row["state"]) { out[s] = row["n"] }
            }
            return out
        }
    }

    public func recentJobs(limit: Int) async throws -> [JobRecord] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM jobs ORDER BY seq DESC LIMIT ?", arguments: [limit]).map(Self.record)
        }
    }

    public func createKey(name: String, scope: APIScope) async throws -> (record: APIKeyRecord, secret: String) {
        let secret = APIKeySecret.generate()
        let record = APIKeyRecord(id: APIKeySecret.newID(), name: name, scope: scope, createdAt: clock(), revokedAt: nil)
        try await immediate { db in
            try db.execute(sql: "INSERT INTO api_keys (id, name, hash, scope, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [record.id, name, APIKeySecret.hash(secret), scope.rawValue, record.createdAt.timeIntervalSince1970])
        }
        return (record, secret)
    }

    static func keyRecord(_ row: Row) -> APIKeyRecord {
        APIKeyRecord(id: row["id"], name: row["name"], scope: APIScope(rawValue: row["scope"]) ?? .user,
                     createdAt: Date(timeIntervalSince1970: row["created_at"]),
                     revokedAt: (row["revoked_at"] as Double?).map { Date(timeIntervalSince1970: $0) })
    }

    public func key(secretHash hash: String) async throws -> APIKeyRecord? {
        try await writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE hash = ? AND revoked_at IS NULL", arguments: [hash]).map(Self.keyRecord)
        }
    }

    public func listKeys() async throws -> [APIKeyRecord] {
        try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at").map(Self.keyRecord) }
    }

    public func revokeKey(id: String) async throws -> Bool {
        let now = clock()
        return try await immediate { db in
            try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                           arguments: [now.timeIntervalSince1970, id])
            return db.changesCount > 0
        }
    }
}

extension SQLiteJobStore {
    public func saveSnapshot(id: String, jobID: String?, hdf5: Data) async throws {
        let now = clock().timeIntervalSince1970
        try await immediate { db in
            try db.execute(sql: "INSERT OR REPLACE INTO calibration_snapshots (id, job_id, stored_at, body) VALUES (?, ?, ?, ?)",
                           arguments: [id, jobID, now, hdf5])
        }
    }

    public func storedSnapshot(id: String) async throws -> Data? {
        try await writer.read { db in
            try Data.fetchOne(db, sql: "SELECT body FROM calibration_snapshots WHERE id = ?", arguments: [id])
        }
    }

    public func storedSnapshotIDs() async throws -> [String] {
        try await writer.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM calibration_snapshots ORDER BY stored_at, id")
        }
    }

    public func assignCalibration(backend: String, snapshotID: String, by keyID: String) async throws -> CalibrationAssignment {
        let now = clock()
        try await immediate { db in
            try db.execute(sql: "INSERT INTO calibration_assignments (backend, snapshot_id, assigned_at, assigned_by) VALUES (?, ?, ?, ?)",
                           arguments: [backend, snapshotID, now.timeIntervalSince1970, keyID])
        }
        return CalibrationAssignment(backend: backend, snapshotID: snapshotID, assignedAt: now, assignedBy: keyID)
    }

    public func calibrationAssignments(backend: String) async throws -> [CalibrationAssignment] {
        try await writer.read { db in
            try Row.fetchAll(db, sql: "SELECT backend, snapshot_id, assigned_at, assigned_by FROM calibration_assignments WHERE backend = ? ORDER BY seq",
                             arguments: [backend]).map { row in
                CalibrationAssignment(backend: row["backend"], snapshotID: row["snapshot_id"],
                                      assignedAt: Date(timeIntervalSince1970: row["assigned_at"]), assignedBy: row["assigned_by"])
            }
        }
    }
}
