// The same store contract checked on both implementations: SQLite (in memory or on a file) and PostgreSQL
// (a database of its own on the test cluster). Submit, claim, heartbeat, complete, cancel, idempotency,
// quotas, lease expiry with the stored seed, fencing of stale workers, listing, keys, and wake-ups.
import Foundation
import Testing
@testable import WukongGateway

/// Which store a conformance test runs on.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// A fresh, empty store; `clock` nil = real time.
    func make(clock: TestClock? = nil) async throws -> any JobStore {
        var read: (@Sendable () -> Date)?
        if let clock { read = { clock.read() } }
        switch self {
        case .sqlite:
            return try SQLiteJobStore(path: Fixture.tempDB(), clock: read ?? { Date() })
        case .postgres:
            return try await PostgresJobStore(PostgresCluster.shared().makeDatabase(), clock: read)
        }
    }
}

/// Releases a store's connections (PostgreSQL); SQLite closes with its last reference.
func closeStore(_ store: any JobStore) async {
    if let pg = store as? PostgresJobStore { await pg.close() }
}

/// Both store kinds, or SQLite only when PostgreSQL is not installed and this is not CI.
let storeKinds: [StoreKind] = PostgresCluster.enabled ? StoreKind.allCases : [.sqlite]

@Suite struct StoreConformanceTests {
    @Test(arguments: storeKinds)
    func calibrationSnapshotsAndAssignmentHistory(kind: StoreKind) async throws {
        let clock = TestClock()
        let store = try await kind.make(clock: clock)
        defer { Task { await closeStore(store) } }
        let body = Data((0..<300).map { UInt8($0 % 256) })
        try await store.saveSnapshot(id: "cal-a", jobID: "job_1", hdf5: body)
        try await store.saveSnapshot(id: "cal-b", jobID: nil, hdf5: Data([1, 2, 3]))
        #expect(try await store.storedSnapshot(id: "cal-a") == body)
        #expect(try await store.storedSnapshot(id: "missing") == nil)
        // Saving the same id again replaces it (a requeued calibration job re-derives its id).
        try await store.saveSnapshot(id: "cal-b", jobID: "job_2", hdf5: Data([4, 5]))
        #expect(try await store.storedSnapshot(id: "cal-b") == Data([4, 5]))
        #expect(Set(try await store.storedSnapshotIDs()) == ["cal-a", "cal-b"])
        _ = try await store.assignCalibration(backend: "pulse", snapshotID: "cal-a", by: "key_op")
        _ = try await store.assignCalibration(backend: "gate", snapshotID: "cal-b", by: "key_op")
        _ = try await store.assignCalibration(backend: "pulse", snapshotID: "cal-b", by: "key_op")
        let history = try await store.calibrationAssignments(backend: "pulse")
        #expect(history.map(\.snapshotID) == ["cal-a", "cal-b"] && history.allSatisfy { $0.assignedBy == "key_op" })
        #expect(history[0].assignedAt <= history[1].assignedAt)
        #expect(try await store.calibrationAssignments(backend: "none").isEmpty)
    }

    @Test(arguments: storeKinds)
    func submitClaimHeartbeatCompleteAndReadResults(kind: StoreKind) async throws {
        let store = try await kind.make()
        defer { Task { await closeStore(store) } }
        let spec = JobSpec(items: [JobItem(program: Fixture.bell, language: .openqasm2, parameterSets: [["a": 0.5], ["a": 1.5]], shots: 64)],
                           tags: ["t1", "t2"])
        let (a, created) = try await store.insert(NewJob(ownerKeyID: "k", spec: spec, seed: 0xFFFF_FFFF_FFFF_FFF0, calibrationID: "cal-1"),
                                                  maxActiveJobs: nil)
        #expect(created && a.state == .queued && a.attempt == 0)
        #expect(a.seed == 0xFFFF_FFFF_FFFF_FFF0, "seeds above Int64.max survive the round trip")
        let (b, _) = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 2, calibrationID: "cal-1"), maxActiveJobs: nil)
        let (p, _) = try await store.insert(NewJob(ownerKeyID: "k", spec: JobSpec(backend: "pulse", items: spec.items), seed: 3, calibrationID: "c"),
                                            maxActiveJobs: nil)
        #expect(b.sequence > a.sequence)
        #expect(try await store.queuePosition(jobID: a.id) == 0)
        #expect(try await store.queuePosition(jobID: b.id) == 1)
        #expect(try await store.queuePosition(jobID: p.id) == 0, "positions count per backend")
        #expect(try await store.queuedByBackend() == ["gate": 2, "pulse": 1])
        #expect(try await store.job(id: a.id)?.spec == spec)

        let claimed = try #require(try await store.claim(worker: "w1", backends: ["gate"], leaseSeconds: 30))
        #expect(claimed.id == a.id, "the oldest queued job of the backend first")
        #expect(claimed.state == .running && claimed.attempt == 1 && claimed.leaseOwner == "w1" && claimed.startedAt != nil)
        #expect(try await store.queuePosition(jobID: a.id) == nil)
        #expect(try await store.queuePosition(jobID: b.id) == 0)
        #expect(try await store.heartbeat(jobID: a.id, worker: "w1", leaseSeconds: 30) == .proceed)
        #expect(try await store.heartbeat(jobID: a.id, worker: "w2", leaseSeconds: 30) == .lost)
        #expect(try await store.results(jobID: a.id) == nil, "no results before completion")

        let results = [ItemResult(index: 0, sets: [SetResult(counts: ["00": 30, "11": 34], memory: ["00", "11"]),
                                                    SetResult(counts: ["01": 64], memory: nil)])]
        #expect(try await store.complete(jobID: a.id, worker: "w2", results: results) == false, "only the lease holder completes")
        #expect(try await store.complete(jobID: a.id, worker: "w1", results: results))
        #expect(try await store.complete(jobID: a.id, worker: "w1", results: results) == false, "a job completes once")
        #expect(try await store.results(jobID: a.id) == results)
        let done = try #require(try await store.job(id: a.id))
        #expect(done.state == .completed && done.leaseOwner == nil && done.finishedAt != nil)
        let counts = try await store.countsByState()
        #expect(counts[.completed] == 1 && counts[.queued] == 2 && counts[.running] == 0)
        #expect(try await store.recentJobs(limit: 2).map(\.id) == [p.id, b.id])

        // A failing run records its message.
        let second = try #require(try await store.claim(worker: "w1", backends: ["gate", "pulse"], leaseSeconds: 30))
        #expect(second.id == b.id)
        #expect(try await store.fail(jobID: b.id, worker: "w1", message: "boom"))
        let failed = try #require(try await store.job(id: b.id))
        #expect(failed.state == .failed && failed.reasonCode == .executionError && failed.reason == "boom")
        #expect(try await store.claim(worker: "w1", backends: ["gate"], leaseSeconds: 30) == nil, "no gate job left")
    }

    @Test(arguments: storeKinds)
    func cancelQueuedRunningAndFinished(kind: StoreKind) async throws {
        let store = try await kind.make()
        defer { Task { await closeStore(store) } }
        let (queued, _) = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 1, calibrationID: "c"), maxActiveJobs: nil)
        let cancelled = try await store.cancel(jobID: queued.id)
        #expect(cancelled.state == .cancelled && cancelled.reasonCode == .cancelledByUser)
        await #expect(throws: APIError.self) { try await store.cancel(jobID: queued.id) }
        await #expect(throws: APIError.self) { try await store.cancel(jobID: "job_missing") }
        #expect(try await store.claim(worker: "w", backends: ["gate"], leaseSeconds: 30) == nil, "a cancelled job is never claimed")

        let (running, _) = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 2, calibrationID: "c"), maxActiveJobs: nil)
        _ = try #require(try await store.claim(worker: "w", backends: ["gate"], leaseSeconds: 30))
        #expect(try await store.cancel(jobID: running.id).state == .cancelling)
        #expect(try await store.heartbeat(jobID: running.id, worker: "w", leaseSeconds: 30) == .stop)
        let late = [ItemResult(index: 0, sets: [SetResult(counts: ["00": 100], memory: nil)])]
        #expect(try await store.complete(jobID: running.id, worker: "w", results: late))
        let final = try #require(try await store.job(id: running.id))
        #expect(final.state == .cancelled)
        #expect(try await store.results(jobID: running.id) == nil, "results of a cancelled job are discarded")
    }

    @Test(arguments: storeKinds)
    func idempotencyKeyReplaysSameBodyAndRejectsOther(kind: StoreKind) async throws {
        let store = try await kind.make()
        defer { Task { await closeStore(store) } }
        let job = NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 1, calibrationID: "c", idempotencyKey: "abc", fingerprint: "f1")
        let (first, created) = try await store.insert(job, maxActiveJobs: 5)
        #expect(created)
        var again = job
        again.id = NewJob.newID()
        let (second, created2) = try await store.insert(again, maxActiveJobs: 5)
        #expect(!created2 && second.id == first.id)
        again.fingerprint = "f2"
        do {
            _ = try await store.insert(again, maxActiveJobs: 5)
            Issue.record("a reused key with another body must be refused")
        } catch let e as APIError {
            #expect(e.status == 409 && e.code == "idempotency_conflict")
        }
        again.ownerKeyID = "other"
        #expect(try await store.insert(again, maxActiveJobs: 5).created, "keys are per owner")
        #expect(try await store.countsByState()[.queued] == 2)
    }

    @Test(arguments: storeKinds)
    func concurrentJobQuotaHoldsUnderConcurrentSubmissions(kind: StoreKind) async throws {
        let store = try await kind.make()
        defer { Task { await closeStore(store) } }
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<12 {
                group.addTask {
                    do {
                        _ = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 1, calibrationID: "c"), maxActiveJobs: 5)
                        return true
                    } catch let e as APIError where e.code == "limit_concurrent_jobs" {
                        #expect(e.status == 429 && e.retryAfterSeconds != nil)
                        return false
                    }
                }
            }
            var accepted = 0
            for try await ok in group where ok { accepted += 1 }
            return accepted
        }
        #expect(outcomes == 5, "exactly the quota is accepted, never more")
        #expect(try await store.insert(NewJob(ownerKeyID: "other", spec: Fixture.spec(), seed: 1, calibrationID: "c"), maxActiveJobs: 5).created)
    }

    @Test(arguments: storeKinds)
    func expiredLeaseIsRequeuedWithItsSeedAndSnapshotAndStaleWorkerIsFenced(kind: StoreKind) async throws {
        let clock = TestClock()
        let store = try await kind.make(clock: clock)
        defer { Task { await closeStore(store) } }
        let (job, _) = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 42, calibrationID: "cal-x"), maxActiveJobs: nil)
        let epochBefore = store.workEpoch()
        let first = try #require(try await store.claim(worker: "dead", backends: ["gate"], leaseSeconds: 5))
        #expect(first.attempt == 1)
        clock.advance(3)
        #expect(try await store.heartbeat(jobID: job.id, worker: "dead", leaseSeconds: 5) == .proceed)
        clock.advance(4)
        #expect(try await store.requeueExpiredLeases(maxAttempts: 3) == 0, "the heartbeat extended the lease")
        clock.advance(2)
        #expect(try await store.requeueExpiredLeases(maxAttempts: 3) == 1)
        let requeued = try #require(try await store.job(id: job.id))
        #expect(requeued.state == .queued && requeued.reasonCode == .leaseExpiredRequeued && requeued.leaseOwner == nil)
        #expect(requeued.seed == 42 && requeued.calibrationID == "cal-x" && requeued.spec == job.spec)
        let second = try #require(try await store.claim(worker: "alive", backends: ["gate"], leaseSeconds: 5))
        #expect(second.attempt == 2 && second.seed == 42 && second.calibrationID == "cal-x")
        #expect(try await store.heartbeat(jobID: job.id, worker: "dead", leaseSeconds: 5) == .lost)
        let stale = ItemResult(index: 0, sets: [SetResult(counts: ["11": 100], memory: nil)])
        #expect(try await store.complete(jobID: job.id, worker: "dead", results: [stale]) == false)
        #expect(try await store.fail(jobID: job.id, worker: "dead", message: "late") == false)
        let good = ItemResult(index: 0, sets: [SetResult(counts: ["00": 100], memory: nil)])
        #expect(try await store.complete(jobID: job.id, worker: "alive", results: [good]))
        #expect(try await store.results(jobID: job.id) == [good])
        if kind == .postgres {
            // The insert and the requeue each sent NOTIFY; a listening store sees the epoch move.
            await store.waitForWork(after: epochBefore, timeout: 10)
            #expect(store.workEpoch() != epochBefore)
        }

        // Leases that keep expiring end in worker_lost.
        let (doomed, _) = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 7, calibrationID: "c"), maxActiveJobs: nil)
        for _ in 0..<2 {
            _ = try #require(try await store.claim(worker: "w", backends: ["gate"], leaseSeconds: 1))
            clock.advance(2)
            _ = try await store.requeueExpiredLeases(maxAttempts: 2)
        }
        let lost = try #require(try await store.job(id: doomed.id))
        #expect(lost.state == .failed && lost.reasonCode == .workerLost && lost.attempt == 2)
    }

    @Test(arguments: storeKinds)
    func listFiltersPagesAndKeys(kind: StoreKind) async throws {
        let store = try await kind.make()
        defer { Task { await closeStore(store) } }
        var ids: [String] = []
        for i in 0..<25 {
            let spec = JobSpec(items: [JobItem(program: Fixture.bell, language: .openqasm2, shots: 10 + i)], tags: ["batch", "n\(i)"])
            ids.append(try await store.insert(NewJob(ownerKeyID: i % 2 == 0 ? "even" : "odd", spec: spec, seed: UInt64(i), calibrationID: "c"),
                                              maxActiveJobs: nil).job.id)
        }
        _ = try await store.cancel(jobID: ids[4])
        #expect(try await store.list(JobFilter(tag: "n3")).jobs.map(\.id) == [ids[3]])
        #expect(try await store.list(JobFilter(tag: "batch", limit: 100)).jobs.count == 25)
        #expect(try await store.list(JobFilter(state: .cancelled)).jobs.map(\.id) == [ids[4]])
        let odd = try await store.list(JobFilter(ownerKeyID: "odd", limit: 100)).jobs
        #expect(odd.count == 12 && odd.allSatisfy { $0.ownerKeyID == "odd" })
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try await store.list(JobFilter(limit: 10, cursor: cursor))
            #expect(page.jobs.count <= 10)
            seen += page.jobs.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == ids.reversed(), "pages cover every job once, newest first")

        let (op, secret) = try await store.createKey(name: "ops", scope: .operator)
        let (user, _) = try await store.createKey(name: "alice", scope: .user)
        #expect(!secret.isEmpty)
        let found = try #require(try await store.key(secretHash: APIKeySecret.hash(secret)))
        #expect(found.id == op.id && found.scope == .operator && found.name == "ops")
        #expect(try await store.key(secretHash: APIKeySecret.hash("wk_wrong")) == nil)
        #expect(Set(try await store.listKeys().map(\.id)) == [op.id, user.id])
        #expect(try await store.revokeKey(id: op.id))
        #expect(try await store.revokeKey(id: op.id) == false)
        #expect(try await store.key(secretHash: APIKeySecret.hash(secret)) == nil, "a revoked key no longer authenticates")
        #expect(try await store.listKeys().first { $0.id == op.id }?.revokedAt != nil)
    }
}
