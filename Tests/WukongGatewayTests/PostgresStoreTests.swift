// PostgreSQL-specific checks on a throw-away cluster: URL and connection errors, wake-ups across
// processes (LISTEN/NOTIFY), a race of several stores (standing in for machines) claiming the same jobs,
// worker pools on four stores running 200 jobs each exactly once, and a real `wukong worker` killed with
// SIGKILL mid-job whose jobs a second worker finishes with the counts a clean run gives.
import Foundation
import Testing
import WukongDevice
@testable import WukongGateway

/// A `wukong` child process with its output collected.
final class WukongProcess: @unchecked Sendable {
    let process = Process()
    let output = LockedBox("")

    init(_ arguments: [String]) throws {
        var exe = Bundle.main.bundleURL.appendingPathComponent("wukong")
        if !FileManager.default.fileExists(atPath: exe.path) { exe = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("wukong") }
        process.executableURL = exe
        process.arguments = arguments
        // A directory without calibration/device.yaml: the gate backend only, and a quick start.
        process.currentDirectoryURL = URL(fileURLWithPath: Fixture.tempDB()).deletingLastPathComponent()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = String(decoding: handle.availableData, as: UTF8.self)
            output.withLock { $0 += chunk }
        }
        try process.run()
    }

    /// Waits until the output contains `text`; fails with the output so far.
    func waitFor(_ text: String, seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if output.withLock({ $0.contains(text) }) { return }
            if !process.isRunning { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        throw PostgresCluster.Failure(description: "no '\(text)' from wukong \(process.arguments ?? []): \(output.withLock { $0 })")
    }

    func kill9() async throws {
        kill(process.processIdentifier, SIGKILL)
        try await waitForExit()
    }

    /// Waits for the process to end without blocking a cooperative thread (Process.waitUntilExit would).
    func waitForExit(seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { try await Task.sleep(nanoseconds: 20_000_000) }
        if process.isRunning { throw PostgresCluster.Failure(description: "wukong \(process.arguments ?? []) did not exit") }
    }
}

/// An executor that records how many times, and how many at once, each job runs; its counts follow from the seed.
final class RecordingExecutor: JobExecutor, @unchecked Sendable {
    let backend = "gate"
    private let state = LockedBox((runs: [String: Int](), inFlight: [String: Int](), maxInFlight: 0))

    static func counts(seed: UInt64) -> [String: Int] { ["00": Int(seed % 97), "11": 100 - Int(seed % 97)] }

    func execute(_ job: JobRecord, calibration: CalibrationSnapshot?, shouldStop: @Sendable () -> Bool) throws -> [ItemResult] {
        state.withLock { s in
            s.runs[job.id, default: 0] += 1
            s.inFlight[job.id, default: 0] += 1
            s.maxInFlight = max(s.maxInFlight, s.inFlight[job.id]!)
        }
        usleep(2000)
        state.withLock { $0.inFlight[job.id]! -= 1 }
        return [ItemResult(index: 0, sets: [SetResult(counts: Self.counts(seed: job.seed), memory: nil)])]
    }

    var runs: [String: Int] { state.withLock { $0.runs } }
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
}

/// `count` stores on one database: as many machines, as far as PostgreSQL can tell.
func openStores(_ url: String, count: Int) async throws -> [PostgresJobStore] {
    var stores: [PostgresJobStore] = []
    for _ in 0..<count { stores.append(try await PostgresJobStore(url)) }
    return stores
}

@Suite(.enabled(if: PostgresCluster.enabled, PostgresCluster.skipReason))
struct PostgresStoreTests {
    @Test func urlParsingAndItsErrors() throws {
        let u = try PostgresStoreURL("postgres://alice:s%40cret@db.example:6543/jobs?sslmode=require")
        #expect(u.user == "alice" && u.password == "s@cret" && u.host == "db.example" && u.port == 6543 && u.database == "jobs" && u.tls == .require)
        #expect(!u.description.contains("cret"), "the password never appears in printed URLs")
        let d = try PostgresStoreURL("postgresql://bob@127.0.0.1/wukong")
        #expect(d.port == 5432 && d.password == nil && d.tls == .prefer)
        let cases: [(String, String)] = [
            ("mysql://a@h/db", "must start with postgres://"),
            ("postgres://a@/db", "host is missing"),
            ("postgres://h:5432/db", "user is missing"),
            ("postgres://a@h:5432", "database name is missing"),
            ("postgres://a@h/db?sslmode=maybe", "sslmode 'maybe'"),
            ("postgres://a@h/db?pool=3", "unknown parameter 'pool'"),
            ("postgres://a:hunter2@h:5432", "database name is missing"),
        ]
        for (text, expected) in cases {
            do {
                _ = try PostgresStoreURL(text)
                Issue.record("\(text) should be refused")
            } catch let e as PostgresStoreError {
                #expect(e.description.contains(expected), "\(e.description)")
                #expect(!e.description.contains("hunter2"), "passwords are not echoed")
            }
        }
    }

    @Test func unreachableServerIsNamedWithHostAndPort() async throws {
        let port = try PostgresCluster.freeLoopbackPort()
        do {
            _ = try await PostgresJobStore("postgres://postgres@127.0.0.1:\(port)/nothing?sslmode=disable")
            Issue.record("nothing listens on \(port)")
        } catch let e as PostgresStoreError {
            #expect(e.description.contains("cannot connect to PostgreSQL at 127.0.0.1:\(port)"), "\(e.description)")
        }
        // A reachable server with a missing database names the database.
        let cluster = try await PostgresCluster.shared()
        do {
            _ = try await PostgresJobStore(cluster.url(database: "no_such_db"))
            Issue.record("the database does not exist")
        } catch let e as PostgresStoreError {
            #expect(e.description.contains("no_such_db") && e.description.contains("127.0.0.1:\(cluster.port)"), "\(e.description)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func idleWorkerWakesOnNotifyFromAnotherStore() async throws {
        let url = try await PostgresCluster.shared().makeDatabase()
        let worker = try await PostgresJobStore(url), gateway = try await PostgresJobStore(url)
        defer { Task { await worker.close(); await gateway.close() } }
        // Let the listener subscribe (its first connection also advances the epoch once).
        await worker.waitForWork(after: worker.workEpoch(), timeout: 10)
        let epoch = worker.workEpoch()
        let waiting = Task {
            let start = Date()
            await worker.waitForWork(after: epoch, timeout: 60)
            return Date().timeIntervalSince(start)
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        _ = try await gateway.insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: 1, calibrationID: "c"), maxActiveJobs: nil)
        let waited = await waiting.value
        #expect(worker.workEpoch() > epoch, "the NOTIFY advanced the epoch")
        #expect(waited < 60, "woken by the notification, not by the 60 s timeout (waited \(waited) s)")
        #expect(try await worker.claim(worker: "w", backends: ["gate"], leaseSeconds: 30) != nil)
    }

    @Test(.timeLimit(.minutes(3)))
    func racingClaimersOnSeveralStoresTakeEachJobOnce() async throws {
        let url = try await PostgresCluster.shared().makeDatabase()
        let stores = try await openStores(url, count: 4)
        defer { Task { for x in stores { await x.close() } } }
        let jobCount = 200
        // Jobs are inserted while 8 claimers (2 per store) race for them.
        let inserter = Task {
            for i in 0..<jobCount {
                _ = try await stores[i % 4].insert(NewJob(ownerKeyID: "k", spec: Fixture.spec(), seed: UInt64(i), calibrationID: "c"), maxActiveJobs: nil)
            }
        }
        let done = LockedBox(0)
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for w in 0..<8 {
                let store = stores[w % 4]
                group.addTask {
                    var mine: [String] = []
                    while done.withLock({ $0 }) < jobCount {
                        let epoch = store.workEpoch()
                        if let job = try await store.claim(worker: "w\(w)", backends: ["gate"], leaseSeconds: 60) {
                            mine.append(job.id)
                            let result = ItemResult(index: 0, sets: [SetResult(counts: ["00": Int(job.seed)], memory: nil)])
                            #expect(try await store.complete(jobID: job.id, worker: "w\(w)", results: [result]))
                            done.withLock { $0 += 1 }
                        } else {
                            await store.waitForWork(after: epoch, timeout: 0.2)
                        }
                    }
                    return mine
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        try await inserter.value
        #expect(claimed.count == jobCount, "every job claimed (none lost)")
        #expect(Set(claimed).count == claimed.count, "no job claimed twice")
        let counts = try await stores[0].countsByState()
        #expect(counts[.completed] == jobCount && counts[.queued] == 0 && counts[.running] == 0)
        for job in try await stores[0].list(JobFilter(limit: 500)).jobs {
            #expect(try await stores[1].results(jobID: job.id) == [ItemResult(index: 0, sets: [SetResult(counts: ["00": Int(job.seed)], memory: nil)])])
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func workerPoolsOnFourStoresRunEveryJobExactlyOnce() async throws {
        let url = try await PostgresCluster.shared().makeDatabase()
        let stores = try await openStores(url, count: 4)
        defer { Task { for x in stores { await x.close() } } }
        let executor = RecordingExecutor()
        var config = WorkerConfiguration(count: 2, leaseSeconds: 30)
        config.pollSeconds = 2  // new jobs arrive by NOTIFY; polling is the fallback
        let pools = stores.map { WorkerPool(store: $0, executors: [executor], catalog: Fixture.calibration, config: config) }
        let running = pools.map { pool in Task { await pool.run() } }
        var ids: [String] = []
        for i in 0..<200 {
            ids.append(try await stores[i % 4].insert(NewJob(ownerKeyID: "k\(i % 3)", spec: Fixture.spec(), seed: UInt64(1000 + i), calibrationID: "c"),
                                                      maxActiveJobs: nil).job.id)
        }
        let deadline = Date().addingTimeInterval(150)
        while try await stores[0].countsByState()[.completed] ?? 0 < ids.count, Date() < deadline {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        running.forEach { $0.cancel() }
        for r in running { await r.value }
        #expect(try await stores[0].countsByState()[.completed] == ids.count, "every job completed")
        let runs = executor.runs
        #expect(runs.count == ids.count && runs.values.allSatisfy { $0 == 1 }, "each job executed exactly once")
        #expect(executor.maxInFlight == 1, "no job ran twice at the same time")
        for id in ids {
            let job = try #require(try await stores[3].job(id: id))
            #expect(job.attempt == 1)
            #expect(try await stores[2].results(jobID: id) == [ItemResult(index: 0, sets: [SetResult(counts: RecordingExecutor.counts(seed: job.seed), memory: nil)])])
        }
    }

    @Test(.timeLimit(.minutes(4)))
    func killedWorkerLosesNothingAndASecondWorkerGivesIdenticalCounts() async throws {
        let url = try await PostgresCluster.shared().makeDatabase()
        let store = try await PostgresJobStore(url)
        defer { Task { await store.close() } }
        let calibration = Fixture.root.appendingPathComponent("calibration/nominal.h5").path
        let spec = JobSpec(items: Array(repeating: JobItem(program: Fixture.wide(14), language: .openqasm2, shots: 2000), count: 6))
        var ids: [String] = []
        for seed in 0..<5 {
            ids.append(try await store.insert(NewJob(ownerKeyID: "k", spec: spec, seed: UInt64(100 + seed), calibrationID: Fixture.calibration.currentID),
                                              maxActiveJobs: nil).job.id)
        }
        let arguments = ["worker", "--store", url, "--workers", "1", "--lease-seconds", "1.5", "--poll-seconds", "0.5", "--calibration", calibration]
        let first = try WukongProcess(arguments)
        try await first.waitFor("wukong worker running")
        var sawRunning = false
        for _ in 0..<1000 where !sawRunning {
            let running = try await store.list(JobFilter(state: .running)).jobs
            sawRunning = !running.isEmpty
            if !sawRunning { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        try await first.kill9()
        #expect(sawRunning)
        let completedAtKill = try await store.countsByState()[.completed] ?? 0
        #expect(completedAtKill < ids.count, "the kill came while jobs were left")

        let second = try WukongProcess(arguments)
        let deadline = Date().addingTimeInterval(180)
        while try await store.countsByState()[.completed] ?? 0 < ids.count, Date() < deadline {
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        var retried = 0
        for id in ids {
            let job = try #require(try await store.job(id: id))
            #expect(job.state == .completed, "\(id): \(job.state) \(job.reason ?? "")")
            if job.attempt >= 2 { retried += 1 }
            let got = try #require(try await store.results(jobID: id))
            #expect(got.count == 6, "one result per item, stored once")
            let reference = try GateJobExecutor().execute(job, calibration: nil, shouldStop: { false })
            #expect(got == reference, "job \(id) differs from a clean run with its stored seed")
        }
        #expect(retried >= 1, "the job running at the kill was requeued and rerun")
        // SIGTERM: the worker stops claiming and exits cleanly.
        second.process.terminate()
        try await second.waitForExit()
        #expect(second.process.terminationStatus == 0, "\(second.output.withLock { $0 })")
    }
}
