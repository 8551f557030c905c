// `wukong worker`: runs jobs from a shared store without serving HTTP — the same worker pool and
// executors as `wukong serve`'s in-process workers. With PostgreSQL, start any number of these on any
// number of machines next to one or more `wukong serve --workers 0` gateways.
import ArgumentParser
import Dispatch
import Foundation
import WukongGateway

struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run queued jobs from a shared job store (no HTTP).",
        discussion: """
            Claims jobs from the store (PostgreSQL: FOR UPDATE SKIP LOCKED, woken by LISTEN/NOTIFY), runs them and \
            stores the results. Load the same calibration snapshots as the gateways, so every job's pinned snapshot \
            is known. SIGINT or SIGTERM: stop claiming, finish and store the running jobs, exit.
            """)

    @Option(help: "Job store: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (or sqlite:PATH on this machine).")
    var store: String
    @Option(help: "Worker tasks executing jobs in this process.") var workers = 2
    @Option(help: "Calibration snapshot (HDF5); repeat for more, the first is current.") var calibration: [String] = []
    @Option(help: "Device spec (YAML) of the true chip the pulse backend emulates (default calibration/device.yaml; when that is missing the pulse backend is off).")
    var spec: String?
    @Option(help: "Worker lease length in seconds (a crashed worker's jobs are requeued after this).") var leaseSeconds = 30.0
    @Option(help: "Longest idle wait between claims in seconds (PostgreSQL wakes workers on new jobs; this is the fallback).")
    var pollSeconds: Double?

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard leaseSeconds > 0 else { throw ValidationError("--lease-seconds must be positive") }
        if let p = pollSeconds, !(p > 0) { throw ValidationError("--poll-seconds must be positive") }
    }

    func run() throws {
        let storeSpec = store, workerCount = workers, lease = leaseSeconds
        let poll = pollSeconds ?? idlePollSeconds(store: store)
        let files = calibration.isEmpty ? ["calibration/nominal.h5"] : calibration
        let (baseExecutors, specPath) = try makeExecutors(specOption: spec, limits: GatewayLimits())
        let pulseDevice = baseExecutors.compactMap { ($0 as? PulseJobExecutor)?.device }.first
        try blockingAwait {
            let store = try await openStore(storeSpec)
            let catalog = try CalibrationCatalog(files: files)
            // Calibration jobs too, on the same true device as the pulse backend; their snapshots go to the store.
            var executors = baseExecutors
            if let pulseDevice {
                executors.append(CalibrationJobExecutor(device: pulseDevice, sink: Gateway.calibrationSink(store: store, catalog: catalog)))
            }
            var config = WorkerConfiguration(count: workerCount, leaseSeconds: lease)
            config.pollSeconds = poll
            let pool = WorkerPool(store: store, executors: executors, catalog: catalog, config: config)
            let running = Task { await pool.run() }
            let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    say("wukong worker: stopping (running jobs finish first)")
                    running.cancel()
                }
                source.resume()
                return source
            }
            say("wukong worker running \(workerCount) workers on store \(displayStore(storeSpec)) (backends \(executors.map(\.backend).joined(separator: ", ")), calibration \(catalog.currentID), device spec \(specPath))")
            await running.value
            signals.forEach { $0.cancel() }
            if let postgres = store as? PostgresJobStore { await postgres.close() }
        }
    }
}
