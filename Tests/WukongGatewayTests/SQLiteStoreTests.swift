// The SQLite store: atomic claims under concurrent claimers, lease expiry and requeue with the same
// seed, fencing of stale workers, idempotency, quotas, and persistence across reopen.
import Foundation
import Testing
@testable import WukongGateway

@Suite struct SQLiteStoreTests {
    @Test func concurrentClaimersNeverShareAJob() async throws {
        let path = Fixture.tempDB()
        // Two store instances on one file stand in for two processes.
        let a = try SQLiteJobStore(path: path), b = try SQLiteJobStore(path: path)
        let jobCount = 60
        for _ in 0..<jobCount {
            _ = try await a.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 1, calibrationID: "c"), maxActiveJobs: nil)
        }
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for w in 0..<8 {
                let store = w % 2 == 0 ? a : b
                group.addTask {
                    var mine: [String] = []
                    while let job = try await store.claim(worker: "w\(w)", backends: ["gate"], leaseSeconds: 60) { mine.append(job.id) }
                    return mine
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimed.count == jobCount)
        #expect(Set(claimed).count == jobCount, "a job was claimed twice")
        #expect(try await a.countsByState()[.running] == jobCount)
    }

    @Test func expiredLeaseIsRequeuedWithItsSeedAndStaleWorkerIsFenced() async throws {
        let clock = TestClock()
        let store = try SQLiteJobStore(inMemoryWithClock: { clock.read() })
        let (job, _) = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 42, calibrationID: "cal-x"), maxActiveJobs: nil)
        let first = try #require(try await store.claim(worker: "dead", backends: ["gate"], leaseSeconds: 5))
        #expect(first.attempt == 1)
        clock.advance(3)
        #expect(try await store.heartbeat(jobID: job.id, worker: "dead", leaseSeconds: 5) == .proceed)
        clock.advance(4)
        #expect(try await store.requeueExpiredLeases(maxAttempts: 3) == 0, "the heartbeat extended the lease")
        clock.advance(2)
        #expect(try await store.requeueExpiredLeases(maxAttempts: 3) == 1)
        let requeued = try #require(try await store.job(id: job.id))
        #expect(requeued.state == .queued)
        #expect(requeued.reasonCode == .leaseExpiredRequeued)
        #expect(requeued.seed == 42 && requeued.calibrationID == "cal-x")
        let second = try #require(try await store.claim(worker: "alive", backends: ["gate"], leaseSeconds: 5))
        #expect(second.attempt == 2)
        // The dead worker wakes up: its heartbeat and results are refused.
        #expect(try await store.heartbeat(jobID: job.id, worker: "dead", leaseSeconds: 5) == .lost)
        let stale = ItemResult(index: 0, sets: [SetResult(counts: ["11": 100], memory: nil)])
        #expect(try await store.complete(jobID: job.id, worker: "dead", results: [stale]) == false)
        let good = ItemResult(index: 0, sets: [SetResult(counts: ["00": 100], memory: nil)])
        #expect(try await store.complete(jobID: job.id, worker: "alive", results: [good]) == true)
        #expect(try await store.results(jobID: job.id) == [good])
    }

    @Test func leaseExpiringTooOftenFailsWithWorkerLost() async throws {
        let clock = TestClock()
        let store = try SQLiteJobStore(inMemoryWithClock: { clock.read() })
        let (job, _) = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 1, calibrationID: "c"), maxActiveJobs: nil)
        for _ in 0..<2 {
            _ = try await store.claim(worker: "w", backends: ["gate"], leaseSeconds: 1)
            clock.advance(2)
            _ = try await store.requeueExpiredLeases(maxAttempts: 2)
        }
        let failed = try #require(try await store.job(id: job.id))
        #expect(failed.state == .failed)
        #expect(failed.reasonCode == .workerLost)
    }

    @Test func idempotencyKeyReplaysSameBodyAndRejectsOther() async throws {
        let store = try SQLiteJobStore(inMemoryWithClock: { Date() })
        let job = NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 1, calibrationID: "c", idempotencyKey: "abc", fingerprint: "f1")
        let (first, created) = try await store.insert(job, maxActiveJobs: nil)
        #expect(created)
        var again = job
        again.id = NewJob.newID()
        let (second, created2) = try await store.insert(again, maxActiveJobs: nil)
        #expect(!created2 && second.id == first.id)
        again.fingerprint = "f2"
        await #expect(throws: APIError.self) { try await store.insert(again, maxActiveJobs: nil) }
        // Another owner may use the same key.
        again.ownerKeyID = "other"
        #expect(try await store.insert(again, maxActiveJobs: nil).created)
    }

    @Test func concurrentJobQuotaIsEnforcedAtomically() async throws {
        let store = try SQLiteJobStore(inMemoryWithClock: { Date() })
        for _ in 0..<3 { _ = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 1, calibrationID: "c"), maxActiveJobs: 3) }
        do {
            _ = try await store.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 1, calibrationID: "c"), maxActiveJobs: 3)
            Issue.record("the fourth job should be refused")
        } catch let e as APIError {
            #expect(e.status == 429 && e.code == "limit_concurrent_jobs" && e.retryAfterSeconds != nil)
        }
    }

    @Test func everyAcceptedJobSurvivesReopen() async throws {
        let path = Fixture.tempDB()
        var ids: [String] = []
        do {
            let store = try SQLiteJobStore(path: path)
            for i in 0..<25 {
                let spec = JobSpec(items: [JobItem(program: Fixture.bell, language: .openqasm2, parameterSets: [["a": Double(i)]], shots: 10 + i)],
                                   tags: ["batch", "n\(i)"])
                ids.append(try await store.insert(NewJob(ownerKeyID: "k", spec: spec, seed: UInt64(i), calibrationID: "c"), maxActiveJobs: nil).job.id)
            }
            _ = try await store.claim(worker: "w", backends: ["gate"], leaseSeconds: 60)
        }
        let reopened = try SQLiteJobStore(path: path)
        for (i, id) in ids.enumerated() {
            let job = try #require(try await reopened.job(id: id))
            #expect(job.seed == UInt64(i))
            #expect(job.spec.items[0].shots == 10 + i)
            #expect(job.spec.items[0].parameterSets == [["a": Double(i)]])
        }
        let page = try await reopened.list(JobFilter(tag: "n3"))
        #expect(page.jobs.map(\.id) == [ids[3]])
        #expect(try await reopened.countsByState()[.running] == 1)
        let firstPage = try await reopened.list(JobFilter(limit: 10))
        let secondPage = try await reopened.list(JobFilter(limit: 10, cursor: firstPage.nextCursor))
        #expect(firstPage.jobs.count == 10 && secondPage.jobs.count == 10)
        #expect(Set(firstPage.jobs.map(\.id)).isDisjoint(with: secondPage.jobs.map(\.id)))
    }

    /// The trigger-kept counters (by state and backend, active jobs per owner) must always equal a recount.
    static func expectCountersMatchRecount(_ store: SQLiteJobStore, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let audit = try await store.counterAudit()
        #expect(audit.kept == audit.recount, sourceLocation: sourceLocation)
        #expect(!audit.recount.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func groupCommittedInsertsKeepOrderQuotaAndCounters() async throws {
        let store = try SQLiteJobStore(path: Fixture.tempDB())
        // Commits are fsynced (GRDB's pool would otherwise leave WAL databases at NORMAL).
        #expect(try await store.writerSynchronousLevel() == 2)
        // 200 concurrent submissions from 4 owners, quota 40 each: exactly 40 per owner are accepted,
        // every accepted job has its own sequence number, and the counters match a recount.
        let outcomes = await withTaskGroup(of: (String, Result<JobRecord, any Error>).self) { group in
            for k in 0..<200 {
                let owner = "owner\(k % 4)"
                group.addTask {
                    let job = NewJob(ownerKeyID: owner, spec: Fixture.spec(), seed: UInt64(k), calibrationID: "c")
                    do {
                        return (owner, .success(try await store.insert(job, maxActiveJobs: 40).job))
                    } catch {
                        return (owner, .failure(error))
                    }
                }
            }
            var all: [(String, Result<JobRecord, any Error>)] = []
            for await o in group { all.append(o) }
            return all
        }
        var accepted: [String: Int] = [:]
        var sequences = Set<Int64>()
        for (owner, outcome) in outcomes {
            switch outcome {
            case .success(let job):
                accepted[owner, default: 0] += 1
                sequences.insert(job.sequence)
                #expect(job.state == .queued && job.ownerKeyID == owner)
            case .failure(let error):
                #expect((error as? APIError)?.code == "limit_concurrent_jobs", "\(error)")
            }
        }
        #expect(accepted == ["owner0": 40, "owner1": 40, "owner2": 40, "owner3": 40])
        #expect(sequences.count == 160)
        try await Self.expectCountersMatchRecount(store)
        // Lifecycle moves keep the counters right: claim, complete, fail, cancel, lease expiry.
        let a = try #require(try await store.claim(worker: "w1", backends: ["gate"], leaseSeconds: 60))
        let b = try #require(try await store.claim(worker: "w2", backends: ["gate"], leaseSeconds: 60))
        let c = try #require(try await store.claim(worker: "w3", backends: ["gate"], leaseSeconds: -1))
        #expect(try await store.complete(jobID: a.id, worker: "w1", results: [ItemResult(index: 0, sets: [SetResult(counts: ["00": 100])])]))
        #expect(try await store.fail(jobID: b.id, worker: "w2", message: "x"))
        #expect(try await store.requeueExpiredLeases(maxAttempts: 3) == 1)
        _ = try await store.cancel(jobID: c.id)
        try await Self.expectCountersMatchRecount(store)
        #expect(try await store.writerSynchronousLevel() == 2, "claims commit with NORMAL, then FULL is back")
        let counts = try await store.countsByState()
        #expect(counts[.queued] == 157 && counts[.completed] == 1 && counts[.failed] == 1 && counts[.cancelled] == 1)
        #expect(try await store.queuedByBackend() == ["gate": 157])
        // Queue positions count queued jobs of the backend submitted earlier.
        let page = try await store.list(JobFilter(state: .queued, limit: 500))
        let oldestFirst = page.jobs.sorted { $0.sequence < $1.sequence }
        for k in [0, 1, 77, 156] { #expect(try await store.queuePosition(jobID: oldestFirst[k].id) == k) }
        // A new submission is told its position from the insert transaction: behind all 157.
        let next = try await store.insertReturningPosition(NewJob(ownerKeyID: "owner9", spec: Fixture.spec(), seed: 1, calibrationID: "c"),
                                                           maxActiveJobs: nil)
        #expect(next.created && next.queuePosition == 157)
    }
}
