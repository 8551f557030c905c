// The scale-out job store: PostgreSQL through postgres-nio, for several gateway replicas and workers on
// several machines sharing one database. Each method is one transaction on a pooled connection. Claims
// take the oldest queued row with SELECT … FOR UPDATE SKIP LOCKED, so concurrent claimers never wait on
// or share a job; every other change locks its row (FOR UPDATE) before applying the lifecycle's
// transition. Queuing a job (or requeuing one) sends NOTIFY wukong_jobs; idle workers LISTEN on a
// connection of their own and poll as a fallback. Times are the database server's clock (one clock for
// every machine), unless a test injects its own.
import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// `JobStore` on PostgreSQL. Open with `PostgresJobStore(url:)`; call `close()` when done.
public final class PostgresJobStore: JobStore {
    public let url: PostgresStoreURL
    let client: PostgresClient
    let connectionConfiguration: PostgresConnection.Configuration
    /// nil = the server's clock (`now()` of the transaction); tests pass a movable one.
    let clock: (@Sendable () -> Date)?
    let logger: Logger
    let runTask: Task<Void, Never>
    let listener = LockedBox<ListenerState>(ListenerState())
    let wake = LockedBox(WakeState())
    /// Longest a store call may take (waiting for a connection included) before it fails.
    let operationTimeout: Double

    /// The NOTIFY channel new and requeued jobs are announced on (payload: the backend name).
    public static let channel = "wukong_jobs"

    struct WakeState {
        var epoch: UInt64 = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    struct ListenerState {
        var task: Task<Void, Never>?
        var connection: PostgresConnection?
        var closed = false
    }

    /// Connects (failing with the host and port when the server cannot be reached), creates or migrates the
    /// schema, and starts the connection pool.
    public init(url: PostgresStoreURL, clock: (@Sendable () -> Date)? = nil, operationTimeout: Double = 30) async throws {
        self.url = url
        self.clock = clock
        self.operationTimeout = operationTimeout
        var logger = Logger(label: "wukong.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let (clientTLS, connectionTLS) = try Self.tls(url.tls)
        // Like libpq: without a password in the URL, $PGPASSWORD (keeps it out of command lines and `ps`).
        let password = url.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
        connectionConfiguration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: password, database: url.database, tls: connectionTLS)
        // One direct connection first: a clear error when the server is unreachable, then the migration.
        let probe: PostgresConnection
        do {
            probe = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 0, logger: logger)
        } catch {
            throw PostgresStoreError("cannot connect to PostgreSQL at \(url.host):\(url.port) (database '\(url.database)', user '\(url.user)'): \(Self.describe(error))")
        }
        do {
            try await Self.migrate(probe, logger: logger)
            try? await probe.close()
        } catch {
            try? await probe.close()
            throw PostgresStoreError("cannot create the job tables in PostgreSQL database '\(url.database)' at \(url.host):\(url.port): \(Self.describe(error))")
        }
        var config = PostgresClient.Configuration(
            host: url.host, port: url.port, username: url.user, password: password, database: url.database, tls: clientTLS)
        config.options.maximumConnections = 16
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        runTask = Task { await client.run() }
    }

    /// Opens the store at a `postgres://` URL string.
    public convenience init(_ text: String, clock: (@Sendable () -> Date)? = nil) async throws {
        try await self.init(url: PostgresStoreURL(text), clock: clock)
    }

    /// Stops the listener and the connection pool. The store cannot be used afterwards.
    public func close() async {
        let (task, connection) = listener.withLock { s in
            s.closed = true
            defer { s.task = nil; s.connection = nil }
            return (s.task, s.connection)
        }
        task?.cancel()
        try? await connection?.close()
        await task?.value
        runTask.cancel()
        await runTask.value
    }

    static func tls(_ mode: PostgresStoreURL.TLSMode) throws -> (PostgresClient.Configuration.TLS, PostgresConnection.Configuration.TLS) {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable:
            return (.disable, .disable)
        case .prefer:
            tls.certificateVerification = .none
            return (.prefer(tls), .prefer(try NIOSSLContext(configuration: tls)))
        case .require:
            tls.certificateVerification = .none
            return (.require(tls), .require(try NIOSSLContext(configuration: tls)))
        case .verifyFull:
            return (.require(tls), .require(try NIOSSLContext(configuration: tls)))
        }
    }

    /// A readable account of a postgres-nio error: the server's message and SQLSTATE, or the network error.
    static func describe(_ error: any Error) -> String {
        if let e = error as? PostgresStoreError { return e.description }
        if let e = error as? PSQLError {
            if let info = e.serverInfo {
                var text = info[.message] ?? "server error"
                if let state = info[.sqlState] { text += " (SQLSTATE \(state))" }
                if let detail = info[.detail] { text += "; \(detail)" }
                return text
            }
            if let underlying = e.underlying { return describe(underlying) }
            return "\(e.code)"
        }
        if error is PostgresDecodingError { return String(reflecting: error) }
        return "\(error)"
    }

    // MARK: Plumbing

    /// Runs `body` on a pooled connection within `operationTimeout`, turning driver errors into readable ones.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let client = self.client, timeout = operationTimeout
        do {
            return try await withThrowingTaskGroup(of: TimedOutcome<T>.self) { group in
                group.addTask { .value(try await client.withConnection { try await body($0) }) }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
                    return .timedOut
                }
                defer { group.cancelAll() }
                guard case .value(let v) = try await group.next()! else {
                    throw PostgresStoreError("PostgreSQL at \(url.host):\(url.port) did not answer within \(Int(timeout)) s")
                }
                return v
            }
        } catch let e as APIError {
            throw e
        } catch let e as PostgresStoreError {
            throw e
        } catch {
            throw PostgresStoreError("PostgreSQL store \(url): \(Self.describe(error))")
        }
    }

    /// Runs `body` in one transaction (BEGIN … COMMIT, ROLLBACK when it throws).
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let value = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs a query and collects its rows.
    func rows(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    /// The current time in seconds since 1970: the injected clock, else the transaction's `now()` on the server.
    func now(_ connection: PostgresConnection) async throws -> Double {
        if let clock { return clock().timeIntervalSince1970 }
        return try await rows(connection, "SELECT extract(epoch FROM now())::float8 AS t")[0]["t"].decode(Double.self)
    }

    /// Announces queued work to every listening worker (delivered when the transaction commits).
    func notify(_ connection: PostgresConnection, backend: String) async throws {
        _ = try await rows(connection, "SELECT pg_notify(\(Self.channel), \(backend))")
    }

    static let columns = "seq, id, owner, state, reason_code, reason, spec, seed, calibration_id, attempt, lease_owner, lease_expires_at, created_at, started_at, finished_at"

    static func record(_ row: PostgresRandomAccessRow) throws -> JobRecord {
        let spec = try JobSpec(stored: JSONValue.parse(Data(try row["spec"].decode(String.self).utf8)))
        func date(_ column: String) throws -> Date? { try row[column].decode(Double?.self).map { Date(timeIntervalSince1970: $0) } }
        return JobRecord(
            id: try row["id"].decode(String.self), ownerKeyID: try row["owner"].decode(String.self),
            sequence: try row["seq"].decode(Int64.self),
            state: JobState(rawValue: try row["state"].decode(String.self)) ?? .failed,
            reasonCode: try row["reason_code"].decode(String?.self).flatMap(ReasonCode.init), reason: try row["reason"].decode(String?.self),
            spec: spec, seed: UInt64(bitPattern: try row["seed"].decode(Int64.self)),
            calibrationID: try row["calibration_id"].decode(String.self), attempt: try row["attempt"].decode(Int.self),
            leaseOwner: try row["lease_owner"].decode(String?.self), leaseExpiresAt: try date("lease_expires_at"),
            createdAt: try date("created_at") ?? Date(timeIntervalSince1970: 0), startedAt: try date("started_at"),
            finishedAt: try date("finished_at"))
    }

    func fetchJob(_ connection: PostgresConnection, id: String, lock: Bool = false) async throws -> JobRecord? {
        let sql = "SELECT \(Self.columns) FROM wukong_jobs WHERE id = $1" + (lock ? " FOR UPDATE" : "")
        var binds = PostgresBindings()
        binds.append(id)
        return try await rows(connection, PostgresQuery(unsafeSQL: sql, binds: binds)).first.map(Self.record)
    }

    /// SQL text with positional parameters, built piece by piece.
    struct SQL {
        var binds = PostgresBindings()
        /// Appends a parameter and returns its placeholder (`$n`).
        mutating func bind<V: PostgresDynamicTypeEncodable>(_ value: V?) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        func query(_ text: String) -> PostgresQuery { PostgresQuery(unsafeSQL: text, binds: binds) }
    }

    /// Applies a lifecycle transition to a stored (and locked) job: the one place states change.
    func apply(_ t: JobTransition, to id: String, now: Double, connection: PostgresConnection,
               worker: String? = nil, leaseSeconds: Double = 0, results: [ItemResult] = []) async throws {
        var q = SQL()
        // Column → new value; PostgreSQL refuses a column assigned twice (release and requeue both clear the lease).
        var sets: [(column: String, value: String)] = []
        func set(_ column: String, _ value: String) {
            if let i = sets.firstIndex(where: { $0.column == column }) { sets[i].value = value } else { sets.append((column, value)) }
        }
        set("state", q.bind(t.state.rawValue))
        set("reason_code", q.bind(t.reasonCode?.rawValue))
        set("reason", q.bind(t.reason))
        for action in t.actions {
            switch action {
            case .startExecution:
                set("lease_owner", q.bind(worker))
                set("lease_expires_at", q.bind(now + leaseSeconds))
                set("attempt", "attempt + 1")
                set("started_at", "coalesce(started_at, \(q.bind(now)))")
            case .releaseLease, .requeueKeepingSeed:
                set("lease_owner", "NULL")
                set("lease_expires_at", "NULL")
            case .recordFinish:
                set("finished_at", q.bind(now))
            case .storeResults:
                _ = try await rows(connection, """
                    INSERT INTO wukong_results (job_id, item_index, body)
                    SELECT \(id), i, b FROM unnest(\(results.map(\.index))::bigint[], \(results.map { $0.json(parameterSets: nil).serialized() })::text[]) AS r (i, b)
                    ON CONFLICT (job_id, item_index) DO UPDATE SET body = excluded.body
                    """)
            case .discardResults:
                _ = try await rows(connection, "DELETE FROM wukong_results WHERE job_id = \(id)")
            case .signalWorkerToStop:
                break  // the worker learns it from its next heartbeat
            }
        }
        let idParameter = q.bind(id)
        let assignments = sets.map { "\($0.column) = \($0.value)" }.joined(separator: ", ")
        _ = try await rows(connection, q.query("UPDATE wukong_jobs SET \(assignments) WHERE id = \(idParameter)"))
    }

    // MARK: JobStore: jobs

    public func insert(_ job: NewJob, maxActiveJobs: Int?) async throws -> (job: JobRecord, created: Bool) {
        try await transaction { [self] c in
            if maxActiveJobs != nil {
                // Serialises this owner's submissions so the active-job count cannot be raced past the quota.
                _ = try await rows(c, "SELECT pg_advisory_xact_lock(hashtextextended(\(job.ownerKeyID), 0))")
            }
            if let key = job.idempotencyKey, let earlier = try await earlierJob(c, owner: job.ownerKeyID, key: key, fingerprint: job.fingerprint) {
                return (earlier, false)
            }
            if let maxActiveJobs {
                let active = try await rows(c, """
                    SELECT count(*) AS n FROM wukong_jobs WHERE owner = \(job.ownerKeyID) AND state IN ('queued', 'running', 'cancelling')
                    """)[0]["n"].decode(Int.self)
                if active >= maxActiveJobs {
                    throw APIError(status: 429, code: "limit_concurrent_jobs",
                                   message: "this key already has \(active) active jobs; the limit is \(maxActiveJobs)",
                                   retryAfterSeconds: 1)
                }
            }
            let now = try await now(c)
            let inserted = try await rows(c, """
                INSERT INTO wukong_jobs (id, owner, state, backend, spec, seed, calibration_id, created_at, idempotency_key, fingerprint, tags)
                VALUES (\(job.id), \(job.ownerKeyID), 'queued', \(job.spec.backend), \(job.spec.json.serialized()), \(Int64(bitPattern: job.seed)),
                        \(job.calibrationID), \(now), \(job.idempotencyKey), \(job.fingerprint), \(Set(job.spec.tags).sorted()))
                ON CONFLICT (owner, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING seq
                """)
            if inserted.isEmpty, let key = job.idempotencyKey,
               let earlier = try await earlierJob(c, owner: job.ownerKeyID, key: key, fingerprint: job.fingerprint) {
                return (earlier, false)  // a concurrent request with the same key won
            }
            try await notify(c, backend: job.spec.backend)
            guard let stored = try await fetchJob(c, id: job.id) else {
                throw PostgresStoreError("job \(job.id) vanished right after it was inserted")
            }
            return (stored, true)
        }
    }

    /// The job stored earlier under this owner's idempotency key; 409 when its request body differed.
    func earlierJob(_ c: PostgresConnection, owner: String, key: String, fingerprint: String) async throws -> JobRecord? {
        guard let row = try await rows(c, "SELECT id, fingerprint FROM wukong_jobs WHERE owner = \(owner) AND idempotency_key = \(key)").first else {
            return nil
        }
        guard try row["fingerprint"].decode(String.self) == fingerprint else {
            throw APIError(status: 409, code: "idempotency_conflict",
                           message: "this Idempotency-Key was used with a different request body", field: "Idempotency-Key")
        }
        return try await fetchJob(c, id: try row["id"].decode(String.self))
    }

    public func job(id: String) async throws -> JobRecord? {
        try await withConnection { [self] c in try await fetchJob(c, id: id) }
    }

    public func results(jobID: String) async throws -> [ItemResult]? {
        try await withConnection { [self] c in
            guard let state = try await rows(c, "SELECT state FROM wukong_jobs WHERE id = \(jobID)").first?["state"].decode(String.self),
                  state == JobState.completed.rawValue else { return nil }
            return try await rows(c, "SELECT body FROM wukong_results WHERE job_id = \(jobID) ORDER BY item_index").map {
                ItemResult(stored: try JSONValue.parse(Data(try $0["body"].decode(String.self).utf8)))
            }
        }
    }

    public func list(_ filter: JobFilter) async throws -> (jobs: [JobRecord], nextCursor: String?) {
        try await withConnection { [self] c in
            var q = SQL()
            var conditions: [String] = []
            if let owner = filter.ownerKeyID { conditions.append("owner = \(q.bind(owner))") }
            if let state = filter.state { conditions.append("state = \(q.bind(state.rawValue))") }
            if let tag = filter.tag { conditions.append("tags @> ARRAY[\(q.bind(tag))]::text[]") }
            if let cursor = filter.cursor, let seq = Int64(cursor) { conditions.append("seq < \(q.bind(seq))") }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let limit = q.bind(filter.limit + 1)
            var jobs = try await rows(c, q.query("SELECT \(Self.columns) FROM wukong_jobs \(whereClause) ORDER BY seq DESC LIMIT \(limit)"))
                .map(Self.record)
            var next: String?
            if jobs.count > filter.limit {
                jobs.removeLast()
                next = jobs.last.map { String($0.sequence) }
            }
            return (jobs, next)
        }
    }

    public func queuePosition(jobID: String) async throws -> Int? {
        try await withConnection { [self] c in
            guard let row = try await rows(c, "SELECT seq, state, backend FROM wukong_jobs WHERE id = \(jobID)").first,
                  try row["state"].decode(String.self) == JobState.queued.rawValue else { return nil }
            let seq = try row["seq"].decode(Int64.self), backend = try row["backend"].decode(String.self)
            return try await rows(c, "SELECT count(*) AS n FROM wukong_jobs WHERE state = 'queued' AND backend = \(backend) AND seq < \(seq)")[0]["n"]
                .decode(Int.self)
        }
    }

    public func cancel(jobID: String) async throws -> JobRecord {
        try await transaction { [self] c in
            guard let job = try await fetchJob(c, id: jobID, lock: true) else { throw APIError.notFound("job \(jobID)") }
            switch JobLifecycle.transition(from: job.state, on: .cancel) {
            case .success(let t):
                try await apply(t, to: jobID, now: try await now(c), connection: c)
                return try await fetchJob(c, id: jobID)!
            case .failure:
                throw APIError(status: 409, code: "job_finished", message: "the job is already \(job.state.rawValue)")
            }
        }
    }

    public func claim(worker: String, backends: [String], leaseSeconds: Double) async throws -> JobRecord? {
        try await transaction { [self] c in
            // SKIP LOCKED: a row another claimer has locked is passed over, never waited for, never taken twice.
            guard let row = try await rows(c, """
                SELECT id FROM wukong_jobs WHERE state = 'queued' AND backend = ANY(\(backends)::text[])
                ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED
                """).first else { return nil }
            let id = try row["id"].decode(String.self)
            guard case .success(let t) = JobLifecycle.transition(from: .queued, on: .claim) else { return nil }
            try await apply(t, to: id, now: try await now(c), connection: c, worker: worker, leaseSeconds: leaseSeconds)
            return try await fetchJob(c, id: id)
        }
    }

    public func heartbeat(jobID: String, worker: String, leaseSeconds: Double) async throws -> HeartbeatReply {
        try await transaction { [self] c in
            let now = try await now(c)
            guard let row = try await rows(c, """
                UPDATE wukong_jobs SET lease_expires_at = \(now + leaseSeconds)
                WHERE id = \(jobID) AND lease_owner = \(worker) AND state IN ('running', 'cancelling')
                RETURNING state
                """).first else { return .lost }
            return try row["state"].decode(String.self) == JobState.cancelling.rawValue ? .stop : .proceed
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
        try await transaction { [self] c in
            guard let job = try await fetchJob(c, id: jobID, lock: true), job.leaseOwner == worker,
                  case .success(let t) = JobLifecycle.transition(from: job.state, on: event) else { return false }
            try await apply(t, to: jobID, now: try await now(c), connection: c, results: results)
            return true
        }
    }

    public func requeueExpiredLeases(maxAttempts: Int) async throws -> Int {
        try await transaction { [self] c in
            let now = try await now(c)
            // SKIP LOCKED: a job whose worker is heartbeating right now is left alone; so are rows another
            // replica's reaper is handling.
            let expired = try await rows(c, """
                SELECT id, state, attempt, backend FROM wukong_jobs
                WHERE state IN ('running', 'cancelling') AND lease_expires_at < \(now)
                ORDER BY seq FOR UPDATE SKIP LOCKED
                """)
            var requeuedBackends = Set<String>()
            for row in expired {
                let state = JobState(rawValue: try row["state"].decode(String.self)) ?? .running
                let id = try row["id"].decode(String.self)
                if case .success(let t) = JobLifecycle.transition(
                    from: state, on: .leaseExpired(attempt: try row["attempt"].decode(Int.self), maxAttempts: maxAttempts)) {
                    try await apply(t, to: id, now: now, connection: c)
                    if t.state == .queued { requeuedBackends.insert(try row["backend"].decode(String.self)) }
                }
            }
            for backend in requeuedBackends.sorted() { try await notify(c, backend: backend) }
            return expired.count
        }
    }

    public func countsByState() async throws -> [JobState: Int] {
        try await withConnection { [self] c in
            var out: [JobState: Int] = [:]
            for s in JobState.allCases { out[s] = 0 }
            for row in try await rows(c, "SELECT state, count(*) AS n FROM wukong_jobs GROUP BY state") {
                if let s = JobState(rawValue: try row["state"].decode(String.self)) { out[s] = try row["n"].decode(Int.self) }
            }
            return out
        }
    }

    public func queuedByBackend() async throws -> [String: Int] {
        try await withConnection { [self] c in
            var out: [String: Int] = [:]
            for row in try await rows(c, "SELECT backend, count(*) AS n FROM wukong_jobs WHERE state = 'queued' GROUP BY backend") {
                out[try row["backend"].decode(String.self)] = try row["n"].decode(Int.self)
            }
            return out
        }
    }

    public func recentJobs(limit: Int) async throws -> [JobRecord] {
        try await withConnection { [self] c in
            var q = SQL()
            let l = q.bind(limit)
            return try await rows(c, q.query("SELECT \(Self.columns) FROM wukong_jobs ORDER BY seq DESC LIMIT \(l)")).map(Self.record)
        }
    }

    // MARK: JobStore: wake-ups

    public func workEpoch() -> UInt64 { wake.withLock { $0.epoch } }

    /// Waits for a NOTIFY on `wukong_jobs` (or for the listener to (re)connect, after which a claim may find
    /// jobs queued meanwhile), at most `timeout` seconds: the poll fallback when a notification is lost.
    public func waitForWork(after epoch: UInt64, timeout: Double) async {
        startListener()
        let wake = self.wake
        let id = wake.withLock { s -> Int in s.nextWaiter += 1; return s.nextWaiter }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = wake.withLock { s -> Bool in
                    if s.epoch != epoch || Task.isCancelled { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume(); return }
                Task {
                    try? await Task.sleep(nanoseconds: UInt64(max(0, timeout) * 1e9))
                    wake.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
                }
            }
        } onCancel: {
            wake.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Advances the epoch and wakes every waiter.
    func signalWork() {
        let waiters = wake.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.epoch &+= 1
            defer { s.waiters = [:] }
            return Array(s.waiters.values)
        }
        for w in waiters { w.resume() }
    }

    /// Starts the LISTEN connection once (idle workers need it; a gateway that never waits does not).
    func startListener() {
        listener.withLock { s in
            guard s.task == nil, !s.closed else { return }
            s.task = Task { [self] in await listenLoop() }
        }
    }

    /// Holds a dedicated connection listening on the channel; reconnects with backoff when it drops.
    func listenLoop() async {
        var delay = 0.1
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: connectionConfiguration, id: 1, logger: logger)
                let keep = listener.withLock { s -> Bool in
                    guard !s.closed else { return false }
                    s.connection = connection
                    return true
                }
                guard keep else { try? await connection.close(); return }
                try await connection.listen(on: Self.channel) { notifications in
                    signalWork()  // (re)subscribed: jobs queued while nobody listened are claimable now
                    delay = 0.1
                    for try await _ in notifications { signalWork() }
                }
                try? await connection.close()
            } catch {
                logger.debug("LISTEN connection lost: \(Self.describe(error))")
            }
            if Task.isCancelled || listener.withLock({ $0.closed }) { return }
            try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            delay = min(delay * 2, 5)
        }
    }
}

/// A store call's result, or the sign that it ran out of time.
private enum TimedOutcome<T: Sendable>: Sendable {
    case value(T)
    case timedOut
}
