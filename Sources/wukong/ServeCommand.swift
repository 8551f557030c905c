// `wukong serve` (the gateway: HTTP API plus in-process workers on one store) and `wukong keys`
// (create, list and revoke API keys directly in the store). `wukong worker` is in WorkerCommand.swift.
import ArgumentParser
import Dispatch
import Foundation
import WukongGateway

/// Opens a store: `sqlite:PATH` (or a bare path) for the embedded SQLite file, `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`
/// for a PostgreSQL database shared by several gateways and workers.
func openStore(_ spec: String) async throws -> any JobStore {
    if spec.hasPrefix("postgres://") || spec.hasPrefix("postgresql://") {
        return try await PostgresJobStore(url: PostgresStoreURL(spec))
    }
    if spec.contains("://") {
        throw ValidationError("unknown store '\(spec)': use sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
    }
    let path = spec.hasPrefix("sqlite:") ? String(spec.dropFirst("sqlite:".count)) : spec
    guard !path.isEmpty else { throw ValidationError("--store sqlite: needs a file path (sqlite:PATH)") }
    let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return try SQLiteJobStore(path: path)
}

/// A store description safe to print (a PostgreSQL password is hidden).
func displayStore(_ spec: String) -> String {
    (try? PostgresStoreURL(spec)).map(\.description) ?? spec
}

/// Idle workers poll this often: with PostgreSQL, LISTEN/NOTIFY wakes them and polling is only the fallback.
func idlePollSeconds(store spec: String) -> Double {
    spec.hasPrefix("postgres") ? 2.0 : 0.05
}

/// The executors of a worker process: the gate path always, the pulse path when the device spec exists.
func makeExecutors(specOption: String?, limits: GatewayLimits) throws -> (executors: [any JobExecutor], specPath: String) {
    let specPath = specOption ?? "calibration/device.yaml"
    var executors: [any JobExecutor] = [GateJobExecutor()]
    if FileManager.default.fileExists(atPath: specPath) {
        var pulse = try PulseJobExecutor(specPath: specPath, maxQubits: limits.maxPulseQubits)
        pulse.limits = limits
        executors.append(pulse)
    } else if specOption != nil {
        throw ValidationError("no device spec at \(specPath) (the pulse backend needs it)")
    } else {
        say("warning: no device spec at \(specPath); the pulse backend is off (pass --spec PATH)")
    }
    return (executors, specPath)
}

/// Writes a line to standard output unbuffered (so a supervising process sees it at once).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Runs async work from a synchronous command (the root command is synchronous) and waits for it.
func blockingAwait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: Result<T, any Error>?
    Task {
        do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        semaphore.signal()
    }
    semaphore.wait()
    return try outcome!.get()
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the cloud gateway: HTTP API and workers on one store.",
        discussion: "Prints a first operator API key when the store has none. Stop with Ctrl-C or SIGTERM (running jobs finish).")

    @Option(help: "Job store: sqlite:PATH, or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE shared with other gateways and workers.")
    var store = "sqlite:.wukong/gateway.db"
    @Option(help: "Worker tasks executing jobs (0: serve only, `wukong worker` processes run them).") var workers = 2
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Calibration snapshot (HDF5); repeat for more, the first is current.") var calibration: [String] = []
    @Option(help: "Device spec (YAML) of the true chip the pulse backend emulates; loaded once at start (default calibration/device.yaml; when that is missing the pulse backend is off).")
    var spec: String?
    @Option(help: "Worker lease length in seconds (a crashed server's jobs are requeued after this).") var leaseSeconds = 30.0
    @Option(help: "Submissions per second per key (token bucket).") var rate = 20.0
    @Option(help: "Queued or running jobs allowed per key.") var maxActiveJobs = 50

    func run() throws {
        let storeSpec = store, workerCount = workers, host = host, port = port, lease = leaseSeconds
        let files = calibration.isEmpty ? ["calibration/nominal.h5"] : calibration
        var limits = GatewayLimits()
        limits.submitRatePerSecond = rate
        limits.submitBurst = max(1, rate * 2)
        limits.maxActiveJobsPerKey = maxActiveJobs
        // Never more state-vector qubits than the workers can hold at once in half of this machine's memory.
        limits.simulatorQubits = GatewayLimits.simulatorQubits(memoryBytes: ProcessInfo.processInfo.physicalMemory, workers: workers)
        let fixedLimits = limits
        guard workers >= 0 else { throw ValidationError("--workers must be 0 or more (0: serve only; `wukong worker` runs the jobs)") }
        let (baseExecutors, specPath) = try makeExecutors(specOption: spec, limits: limits)
        let pulseDevice = baseExecutors.compactMap { ($0 as? PulseJobExecutor)?.device }.first
        try blockingAwait {
            let store = try await openStore(storeSpec)
            let catalog = try CalibrationCatalog(files: files)
            // Calibration jobs run on the same true device as the pulse backend.
            var executors = baseExecutors
            if let pulseDevice {
                executors.append(CalibrationJobExecutor(device: pulseDevice, sink: Gateway.calibrationSink(store: store, catalog: catalog)))
            }
            let fixedExecutors = executors
            if try await store.listKeys().isEmpty {
                let (record, secret) = try await store.createKey(name: "first operator", scope: .operator)
                say("Created the first operator API key (\(record.id)); it is shown only once:\n\n  export WUKONG_API_KEY=\(secret)\n")
            } else {
                say("The store has API keys already (their secrets are not stored); make another with: wukong keys create --store \(storeSpec) --scope operator")
            }
            let metrics = GatewayMetrics()
            let gateway = Gateway(store: store, catalog: catalog, limits: fixedLimits, metrics: metrics,
                                  onlineBackends: Set(fixedExecutors.map(\.backend)))
            try await gateway.restoreCalibrations()
            var config = WorkerConfiguration(count: workerCount, leaseSeconds: lease)
            config.pollSeconds = idlePollSeconds(store: storeSpec)
            let pool = WorkerPool(store: store, executors: fixedExecutors, catalog: catalog, metrics: metrics, config: config)
            let app = gateway.buildApplication(host: host, port: port) { bound in
                say("wukong gateway listening on http://\(host):\(bound) (\(workerCount) workers, store \(displayStore(storeSpec)), calibration \(catalog.currentID), device spec \(specPath))")
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await pool.run() }
                try await app.runService()
                group.cancelAll()
            }
        }
    }
}

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage API keys in the store.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key; the secret is printed once.")
        @Option(help: "Job store: sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.") var store = "sqlite:.wukong/gateway.db"
        @Option(help: "A name for the key.") var name = "user"
        @Option(help: "Scope: user or operator.") var scope = "user"

        func run() throws {
            guard let s = APIScope(rawValue: scope) else { throw ValidationError("scope must be user or operator") }
            let spec = store, name = name
            let (record, secret) = try blockingAwait { try await openStore(spec).createKey(name: name, scope: s) }
            print("\(record.id) \(record.scope.rawValue) \(record.name)\n\(secret)")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        @Option(help: "Job store: sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.") var store = "sqlite:.wukong/gateway.db"

        func run() throws {
            let spec = store
            for k in try blockingAwait({ try await openStore(spec).listKeys() }) {
                print("\(k.id)\t\(k.scope.rawValue)\t\(k.revokedAt == nil ? "active" : "revoked")\t\(k.name)")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id.")
        @Option(help: "Job store: sqlite:PATH or postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.") var store = "sqlite:.wukong/gateway.db"
        @Argument(help: "Key id (key_…).") var id: String

        func run() throws {
            let spec = store, id = id
            guard try blockingAwait({ try await openStore(spec).revokeKey(id: id) }) else { fail("no active key \(id)") }
            print("revoked \(id)")
        }
    }
}
