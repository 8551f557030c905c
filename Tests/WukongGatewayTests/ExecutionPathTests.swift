// The execution paths behind the API over a loopback socket: the noisy gate path (noise
// `calibration`), the pulse backend (timing and leakage metadata, its limits), and the HDF5 results
// download read back with WukongHDF5.
import Foundation
import Testing
import WukongDevice
import WukongHDF5
@testable import WukongGateway

@Suite struct ExecutionPathTests {
    /// The true device of the shipped spec, generated once.
    static let spec: DeviceSpec = try! DeviceSpec.load(path: Fixture.root.appendingPathComponent("calibration/device.yaml").path)
    static let device: ChipDevice = try! ChipDevice.generate(from: spec)
    /// The shipped nominal snapshot (current) plus the oracle snapshot read off the true device: the
    /// nominal one's uncalibrated CZ does not entangle on the pulse path, the oracle's does.
    static let catalog: CalibrationCatalog = {
        let oracle = try! CalibrationSnapshot.oracle(device: device, spec: spec)
        return CalibrationCatalog([Fixture.calibration.current, oracle])
    }()
    static var oracleID: String { catalog.sorted.first { $0.metadata.snapshotID != Fixture.calibration.currentID }!.metadata.snapshotID }

    static func start(workers: Int = 1) async throws -> LiveGateway {
        try await LiveGateway.start(workers: workers, executors: [GateJobExecutor(), PulseJobExecutor(device: device)], catalog: catalog)
    }

    static func job(backend: String = "gate", noise: String = "none", seed: Int = 7, shots: Int = 2000, memory: Bool = false,
                    program: String = Fixture.bell, calibration: String? = nil) -> JSONValue {
        ["backend": .string(backend), "noise": .string(noise), "seed": .int(seed), "calibration_id": calibration.map { .string($0) } ?? .null,
         "items": [["language": "openqasm2", "shots": .int(shots), "memory": .bool(memory), "program": .string(program)]]]
    }

    /// Submits, waits and returns (job id, the results document).
    static func run(_ gw: LiveGateway, _ body: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (String, JSONValue) {
        let r = try await gw.user.post("/v1/jobs", body)
        #expect(r.status == 201, "\(r.text)", sourceLocation: sourceLocation)
        let id = try #require(r.json["id"]?.stringValue, sourceLocation: sourceLocation)
        let final = try await gw.user.wait(for: id, timeoutSeconds: 300)
        #expect(final["state"] == "completed", "\(final.serialized())", sourceLocation: sourceLocation)
        let results = try await gw.user.get("/v1/jobs/\(id)/results")
        #expect(results.status == 200, "\(results.text)", sourceLocation: sourceLocation)
        return (id, results.json)
    }

    static func counts(_ results: JSONValue, item: Int = 0, set: Int = 0) -> [String: Int] {
        var out: [String: Int] = [:]
        let c = results["items"]?.arrayValue?[item]["results"]?.arrayValue?[set]["counts"]?.objectValue ?? []
        for (k, v) in c { out[k] = v.intValue ?? 0 }
        return out
    }

    @Test func noisyBellHasErrorsAndIsReproducible() async throws {
        let gw = try await Self.start()
        let (_, first) = try await Self.run(gw, Self.job(noise: "calibration"))
        let (_, second) = try await Self.run(gw, Self.job(noise: "calibration"))
        let c = Self.counts(first)
        #expect(c.values.reduce(0, +) == 2000)
        let wrong = c["01", default: 0] + c["10", default: 0]
        #expect(wrong > 0, "the calibration noise model must put some mass on 01/10: \(c)")
        #expect(Double(c["00", default: 0] + c["11", default: 0]) / 2000 > 0.6, "\(c)")
        #expect(Self.counts(second) == c, "the same seed and snapshot must give identical counts")
        #expect(first["noise"] == "calibration")
        // A different seed gives different (noisy) counts.
        let (_, other) = try await Self.run(gw, Self.job(noise: "calibration", seed: 8))
        #expect(Self.counts(other) != c)
        await gw.stop()
    }

    @Test func pulseBellRunsWithTimingAndLeakage() async throws {
        let gw = try await Self.start()
        let (_, results) = try await Self.run(gw, Self.job(backend: "pulse", shots: 1000, calibration: Self.oracleID))
        let c = Self.counts(results)
        #expect(c.values.reduce(0, +) == 1000)
        let good = Double(c["00", default: 0] + c["11", default: 0]) / 1000
        print("pulse Bell on the oracle snapshot: \(c)")
        #expect(good > 0.7, "a pulse Bell pair is mostly 00/11: \(c)")
        #expect(c["00", default: 0] > 200 && c["11", default: 0] > 200, "\(c)")
        #expect(results["backend"] == "pulse")
        let metadata = try #require(results["items"]?.arrayValue?.first?["results"]?.arrayValue?.first?["metadata"])
        for stage in ["compile", "lower", "emulate", "sample", "total"] {
            let ms = try #require(metadata["timing_ms"]?[stage]?.doubleValue, "timing_ms.\(stage) missing: \(metadata.serialized())")
            #expect(ms >= 0)
        }
        let leakage = try #require(metadata["max_leakage"]?.doubleValue)
        #expect(leakage >= 0 && leakage < 0.5)
        #expect(metadata["physical_qubits"]?.arrayValue?.count == 2)
        // The channel cache is shared: a second job on the same snapshot emulates nothing new, and
        // the same seed gives the same counts.
        let (_, again) = try await Self.run(gw, Self.job(backend: "pulse", shots: 1000, calibration: Self.oracleID))
        #expect(Self.counts(again) == c)
        let cache = again["items"]?.arrayValue?.first?["results"]?.arrayValue?.first?["metadata"]?["channel_cache"]
        #expect(cache?["misses"] == 0, "\(cache?.serialized() ?? "nil")")
        await gw.stop()
    }

    @Test func pulseRejectsNoiseMemoryAndWidePrograms() async throws {
        let gw = try await Self.start(workers: 0)
        let noisy = try await gw.user.post("/v1/jobs", Self.job(backend: "pulse", noise: "calibration"))
        let message = APITests.expectError(noisy, 422, "invalid_field")
        #expect(noisy.json["error"]?["field"] == "noise")
        #expect(message.contains("noise"))
        let memory = try await gw.user.post("/v1/jobs", Self.job(backend: "pulse", memory: true))
        APITests.expectError(memory, 422, "invalid_field")
        #expect(memory.json["error"]?["field"] == "items[0].memory")
        let wide = try await gw.user.post("/v1/jobs", Self.job(backend: "pulse", program: Fixture.wide(13)))
        APITests.expectError(wide, 422, "limit_pulse_qubits")
        // The same wide program is fine on the gate path, with or without noise.
        #expect(try await gw.user.post("/v1/jobs", Self.job(program: Fixture.wide(13))).status == 201)
        APITests.expectError(try await gw.user.post("/v1/jobs", Self.job(noise: "thermal")), 422, "invalid_field")
        // A valid pulse job queues (no workers here); queue depth is counted per backend; its HDF5
        // results are not ready.
        let queued = try await gw.user.post("/v1/jobs", Self.job(backend: "pulse"))
        #expect(queued.status == 201, "\(queued.text)")
        let pulse = try await gw.user.get("/v1/backends/pulse").json
        #expect(pulse["noise_models"] == ["none"])
        #expect(pulse["limits"]?["pulse_max_qubits"] == 12)
        #expect(pulse["queue_length"] == 1)
        let metrics = try await gw.client(nil).get("/metrics").text
        #expect(metrics.contains("wukong_queue_depth{backend=\"pulse\"} 1"))
        #expect(metrics.contains("wukong_queue_depth{backend=\"gate\"} 1"))
        let id = try #require(queued.json["id"]?.stringValue)
        APITests.expectError(try await gw.user.get("/v1/jobs/\(id)/results.h5"), 409, "results_not_ready")
        await gw.stop()
    }

    @Test func offlineBackendIsRefused() async throws {
        // A gateway deployed without the pulse executor (no device spec) refuses pulse jobs.
        let store = try SQLiteJobStore(inMemoryWithClock: { Date() })
        let key = try await store.createKey(name: "u", scope: .user).secret
        let gateway = Gateway(store: store, catalog: Fixture.calibration, onlineBackends: ["gate"])
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = gateway.buildApplication(host: "127.0.0.1", port: 0) { continuation.yield($0) }
        let task = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let client = GatewayClient(baseURL: "http://127.0.0.1:\(port)", apiKey: key)
        APITests.expectError(try await client.post("/v1/jobs", Self.job(backend: "pulse")), 503, "backend_offline")
        task.cancel()
        _ = await task.result
    }

    @Test func resultsHDF5MatchesJSON() async throws {
        let gw = try await Self.start()
        let body: JSONValue = [
            "noise": "calibration", "seed": 11,
            "items": [
                ["language": "openqasm2", "shots": 500, "memory": true, "program": .string(Fixture.bell)],
                ["language": "openqasm3", "shots": 300, "program": .string(Fixture.parametric),
                 "parameters": [["theta": 0.5], ["theta": 2.5]]],
            ],
        ]
        let (id, results) = try await Self.run(gw, body)
        let r = try await gw.user.get("/v1/jobs/\(id)/results.h5")
        #expect(r.status == 200)
        #expect(r.header("Content-Type") == "application/x-hdf5")
        #expect(r.body.prefix(8) == Data([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]), "HDF5 signature")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-results-\(UUID().uuidString).h5").path
        try r.body.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ResultsHDF5.lock.withLock {
            let file = try HDF5File.open(path: path)
            let root = try file.root()
            #expect(try root.stringAttribute("job_id") == id)
            #expect(try root.stringAttribute("backend") == "gate")
            #expect(try root.stringAttribute("seed") == "11")
            #expect(try root.stringAttribute("calibration_id") == Fixture.calibration.currentID)
            for (i, sets) in [(0, 1), (1, 2)] {
                for k in 0..<sets {
                    let g = try file.group("/items/\(i)/\(k)")
                    let keys = try g.dataset("bitstrings").readStrings()
                    let values = try g.dataset("counts").readInt64s()
                    var fromFile: [String: Int] = [:]
                    for (key, v) in zip(keys, values) { fromFile[key] = Int(v) }
                    #expect(fromFile == Self.counts(results, item: i, set: k), "item \(i) set \(k)")
                    #expect(g.contains("memory") == (i == 0))
                }
            }
            let memory = try file.dataset("/items/0/0/memory")
            #expect(try memory.shape() == [500, 2])
            #expect(try file.group("/items/1/1").stringAttribute("parameters").contains("2.5"))
        }
        // Not ready yet / not visible.
        APITests.expectError(try await gw.client(gw.otherUserKey).get("/v1/jobs/\(id)/results.h5"), 404, "not_found")
        await gw.stop()
    }
}
