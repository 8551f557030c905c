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
                    iq: Bool = false, program: String = Fixture.bell, calibration: String? = nil) -> JSONValue {
        ["backend": .string(backend), "noise": .string(noise), "seed": .int(seed), "calibration_id": calibration.map { .string($0) } ?? .null,
         "items": [["language": "openqasm2", "shots": .int(shots), "memory": .bool(memory), "iq": .bool(iq), "program": .string(program)]]]
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

    @Test func leakageNoiseModelRunsOnTheGatePath() async throws {
        // The shipped nominal snapshot records no leakage (NaN), so the physics is `calibration`'s, run on
        // trajectories: noisy, reproducible, and the model name is echoed; the pulse backend refuses it.
        let gw = try await Self.start()
        let (_, first) = try await Self.run(gw, Self.job(noise: "calibration_leakage"))
        let (_, second) = try await Self.run(gw, Self.job(noise: "calibration_leakage"))
        #expect(first["noise"] == "calibration_leakage")
        let c = Self.counts(first)
        #expect(c.values.reduce(0, +) == 2000)
        #expect(c["01", default: 0] + c["10", default: 0] > 0, "\(c)")
        #expect(Double(c["00", default: 0] + c["11", default: 0]) / 2000 > 0.6, "\(c)")
        #expect(Self.counts(second) == c)
        let pulse = try await gw.user.post("/v1/jobs", Self.job(backend: "pulse", noise: "calibration_leakage"))
        #expect(pulse.status == 422 && pulse.json["error"]?["field"] == "noise", "\(pulse.text)")
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

    @Test func pulseRejectsNoiseWideProgramsAndGateIQ() async throws {
        let gw = try await Self.start(workers: 0)
        let noisy = try await gw.user.post("/v1/jobs", Self.job(backend: "pulse", noise: "calibration"))
        let message = APITests.expectError(noisy, 422, "invalid_field")
        #expect(noisy.json["error"]?["field"] == "noise")
        #expect(message.contains("noise"))
        // IQ points come from the pulse path's readout model; the gate backend refuses them.
        let gateIQ = try await gw.user.post("/v1/jobs", Self.job(iq: true))
        APITests.expectError(gateIQ, 422, "invalid_field")
        #expect(gateIQ.json["error"]?["field"] == "items[0].iq")
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

    @Test func pulseJobsReturnPerShotMemoryAndIQ() async throws {
        let gw = try await Self.start()
        let shots = 400
        // Memory alone: per-shot bitstrings that tally to the counts, and the same counts as without memory.
        let (_, plain) = try await Self.run(gw, Self.job(backend: "pulse", shots: shots, calibration: Self.oracleID))
        let (_, withMemory) = try await Self.run(gw, Self.job(backend: "pulse", shots: shots, memory: true, calibration: Self.oracleID))
        let set = try #require(withMemory["items"]?.arrayValue?.first?["results"]?.arrayValue?.first)
        let memoryValues = set["memory"]?.arrayValue?.compactMap(\.stringValue)
        let memory = try #require(memoryValues)
        #expect(memory.count == shots)
        #expect(Dictionary(memory.map { ($0, 1) }, uniquingKeysWith: +) == Self.counts(withMemory))
        #expect(Self.counts(withMemory) == Self.counts(plain), "memory must not change the sampled shots")
        #expect(set["iq"] == nil)
        // IQ: one [I, Q] per shot and measurement; the bits are the IQ points' discrimination, so the
        // points of shots read 0 and read 1 form two clusters far apart compared with their spread.
        let (id, withIQ) = try await Self.run(gw, Self.job(backend: "pulse", shots: shots, iq: true, calibration: Self.oracleID))
        let iqSet = try #require(withIQ["items"]?.arrayValue?.first?["results"]?.arrayValue?.first)
        let iq = try #require(iqSet["iq"])
        #expect(iq["clbits"] == [0, 1])
        #expect(iq["qubits"]?.arrayValue?.count == 2)
        let points = try #require(iq["shots"]?.arrayValue)
        let bitValues = iqSet["memory"]?.arrayValue?.compactMap(\.stringValue)
        let bits = try #require(bitValues)
        #expect(points.count == shots && bits.count == shots)
        let c = Self.counts(withIQ)
        #expect(Double(c["00", default: 0] + c["11", default: 0]) / Double(shots) > 0.7, "\(c)")
        for column in 0..<2 {
            var groups: [[(Double, Double)]] = [[], []]
            for (shot, bitstring) in zip(points, bits) {
                let p = try #require(shot.arrayValue?[column].arrayValue)
                let bit = Array(bitstring.utf8)[1 - column] == UInt8(ascii: "1") ? 1 : 0
                groups[bit].append((p[0].doubleValue ?? .nan, p[1].doubleValue ?? .nan))
            }
            #expect(groups[0].count > 50 && groups[1].count > 50, "column \(column): \(groups[0].count) / \(groups[1].count)")
            func mean(_ g: [(Double, Double)]) -> (Double, Double) {
                (g.map(\.0).reduce(0, +) / Double(g.count), g.map(\.1).reduce(0, +) / Double(g.count))
            }
            let m0 = mean(groups[0]), m1 = mean(groups[1])
            let spread = (groups[0] + groups[1]).map { p in
                let m = groups[0].contains { $0 == p } ? m0 : m1
                return (p.0 - m.0) * (p.0 - m.0) + (p.1 - m.1) * (p.1 - m.1)
            }.reduce(0, +) / Double(shots)
            let distance = ((m0.0 - m1.0) * (m0.0 - m1.0) + (m0.1 - m1.1) * (m0.1 - m1.1)).squareRoot()
            #expect(distance > 2 * spread.squareRoot(), "column \(column): cluster distance \(distance), spread \(spread.squareRoot())")
        }
        // The same seed gives the same IQ points; results.h5 carries them as a complex [shots, 2] dataset.
        let (_, again) = try await Self.run(gw, Self.job(backend: "pulse", shots: shots, iq: true, calibration: Self.oracleID))
        #expect(again["items"]?.arrayValue?.first?["results"]?.arrayValue?.first?["iq"] == iq)
        let h5 = try await gw.user.get("/v1/jobs/\(id)/results.h5")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-iq-\(UUID().uuidString).h5").path
        try h5.body.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ResultsHDF5.lock.withLock {
            let file = try HDF5File.open(path: path)
            let dataset = try file.dataset("/items/0/0/iq")
            #expect(try dataset.shape() == [shots, 2])
            let (re, im) = try dataset.readComplex()
            #expect(re[3] == points[1].arrayValue?[1].arrayValue?[0].doubleValue)
            #expect(im[3] == points[1].arrayValue?[1].arrayValue?[1].doubleValue)
            #expect(try file.dataset("/items/0/0/iq_clbits").readInt64s() == [0, 1])
            #expect(try file.dataset("/items/0/0/memory").shape() == [shots, 2])
        }
        await gw.stop()
    }

    @Test func pulseScheduleLimitsAreCheckedBeforeQueueing() async throws {
        let executors: [any JobExecutor] = [GateJobExecutor(), PulseJobExecutor(device: Self.device)]
        var limits = GatewayLimits()
        limits.maxScheduleNs = 100
        limits.maxCapturesPerQubit = 1
        let a = try await LiveGateway.start(limits: limits, workers: 0, executors: executors, catalog: Self.catalog)
        // Two readouts of q[0] in one shot: over the capture limit.
        let twice = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[2];\nx q[0];\nmeasure q[0] -> c[0];\nmeasure q[0] -> c[1];\n"
        let captures = APITests.expectError(try await a.user.post("/v1/jobs", Self.job(backend: "pulse", program: twice)), 422, "limit_captures")
        #expect(captures.contains("2 times"))
        // A Bell pair's schedule (gates and readout windows) is longer than 100 ns.
        let long = APITests.expectError(try await a.user.post("/v1/jobs", Self.job(backend: "pulse", calibration: Self.oracleID)), 422,
                                        "limit_schedule_duration")
        #expect(long.contains("at most 100 ns"))
        #expect(try await a.user.post("/v1/jobs", Self.job(calibration: Self.oracleID)).status == 201, "the gate backend has no schedule")
        await a.stop()

        limits = GatewayLimits()
        limits.maxWaveformSamples = 100
        limits.maxDepthPerItem = 12
        let b = try await LiveGateway.start(limits: limits, workers: 0, executors: executors, catalog: Self.catalog)
        // Two readout tones alone are thousands of AWG samples.
        APITests.expectError(try await b.user.post("/v1/jobs", Self.job(backend: "pulse", calibration: Self.oracleID)), 422,
                             "limit_waveform_samples")
        // Depth is checked on every backend: 12 layers of x on each qubit plus the measurements.
        let deep = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n" + String(repeating: "x q[0];\nx q[1];\n", count: 12) + "measure q -> c;\n"
        let depth = APITests.expectError(try await b.user.post("/v1/jobs", Self.job(program: deep)), 422, "limit_depth")
        #expect(depth.contains("13 layers"))
        let shallow = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n" + String(repeating: "x q[0];\nx q[1];\n", count: 11) + "measure q -> c;\n"
        #expect(try await b.user.post("/v1/jobs", Self.job(program: shallow)).status == 201)
        await b.stop()
    }
}
