// In-process workers: claim a job, run it on a thread of its own through its backend's executor while
// a heartbeat extends the lease, then commit results and state in one transaction. A reaper requeues
// jobs whose lease lapsed (a crashed process), keeping the seed, so reruns give identical shots.
import Dispatch
import Foundation
import WukongDevice

/// Settings of the worker pool. Times in seconds.
public struct WorkerConfiguration: Sendable {
    /// Number of concurrent workers.
    public var count = 2
    /// Lease length; a job whose worker stops heartbeating for this long is requeued.
    public var leaseSeconds = 30.0
    /// Interval between heartbeats (a third of the lease by default).
    public var heartbeatSeconds = 10.0
    /// Idle poll interval when the queue is empty (with a store that wakes workers, the longest an idle worker
    /// waits when a wake-up is lost).
    public var pollSeconds = 0.05
    /// Claims allowed before a job whose leases keep expiring is failed with `worker_lost`.
    public var maxAttempts = 3

    public init(count: Int = 2, leaseSeconds: Double = 30) {
        self.count = count
        self.leaseSeconds = leaseSeconds
        self.heartbeatSeconds = leaseSeconds / 3
    }
}

/// N workers and a lease reaper over one store.
public final class WorkerPool: Sendable {
    let store: any JobStore
    let executors: [String: any JobExecutor]
    let catalog: CalibrationCatalog
    let metrics: GatewayMetrics
    let config: WorkerConfiguration
    /// Unique per process, so a restarted process never mistakes a dead process's lease for its own.
    let instanceID: String

    public init(store: any JobStore, executors: [any JobExecutor], catalog: CalibrationCatalog,
                metrics: GatewayMetrics = GatewayMetrics(), config: WorkerConfiguration) {
        self.store = store
        var byBackend: [String: any JobExecutor] = [:]
        for e in executors { byBackend[e.backend] = e }
        self.executors = byBackend
        self.catalog = catalog
        self.metrics = metrics
        self.config = config
        self.instanceID = "w\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Runs until the surrounding task is cancelled; jobs already running finish and are stored first.
    public func run() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.reaperLoop() }
            for i in 0..<config.count {
                group.addTask { await self.workerLoop(id: "\(self.instanceID)-\(i)") }
            }
        }
    }

    func reaperLoop() async {
        while !Task.isCancelled {
            if let n = try? await store.requeueExpiredLeases(maxAttempts: config.maxAttempts), n > 0 { metrics.recordRequeues(n) }
            try? await Task.sleep(nanoseconds: UInt64(min(1.0, config.leaseSeconds / 4) * 1e9))
        }
    }

    func workerLoop(id: String) async {
        let backends = Array(executors.keys)
        while !Task.isCancelled {
            let epoch = store.workEpoch()
            let claimed: JobRecord?
            do {
                claimed = try await store.claim(worker: id, backends: backends, leaseSeconds: config.leaseSeconds)
            } catch {
                claimed = nil
            }
            guard let job = claimed else {
                await store.waitForWork(after: epoch, timeout: config.pollSeconds)
                continue
            }
            // Unstructured so that shutdown (cancellation) lets the run finish and commit.
            await Task { await self.runClaimed(job, worker: id) }.value
        }
    }

    /// Executes one claimed job and records its outcome. Also usable directly by tests.
    func runClaimed(_ job: JobRecord, worker: String) async {
        guard let executor = executors[job.spec.backend] else {
            _ = try? await store.fail(jobID: job.id, worker: worker, message: "no executor for backend '\(job.spec.backend)'")
            return
        }
        let stop = LockedBox<HeartbeatReply>(.proceed)
        let store = self.store, config = self.config
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(config.heartbeatSeconds * 1e9))
                if Task.isCancelled { break }
                let reply = (try? await store.heartbeat(jobID: job.id, worker: worker, leaseSeconds: config.leaseSeconds)) ?? .proceed
                if reply != .proceed { stop.withLock { $0 = reply } }
            }
        }
        let calibration = catalog.snapshots[job.calibrationID]
        let outcome: Result<[ItemResult], any Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result {
                    try executor.execute(job, calibration: calibration, shouldStop: { stop.withLock { $0 } != .proceed })
                })
            }
        }
        heartbeat.cancel()
        let latency = Date().timeIntervalSince(job.createdAt)
        switch outcome {
        case .success(let results):
            if (try? await store.complete(jobID: job.id, worker: worker, results: results)) == true {
                metrics.recordFinished(success: true, shots: job.spec.totalShots, latencySeconds: latency)
            }
        case .failure(let error):
            if stop.withLock({ $0 }) == .lost { return }
            let message = error is ExecutionStopped ? "stopped on request" : "\(error)"
            if (try? await store.fail(jobID: job.id, worker: worker, message: message)) == true, !(error is ExecutionStopped) {
                metrics.recordFinished(success: false, shots: 0, latencySeconds: latency)
            }
        }
    }
}
