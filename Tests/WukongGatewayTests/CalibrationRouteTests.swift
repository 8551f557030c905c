// Calibration through the gateway, in process over a loopback socket: a calibration job (operator only)
// run by the workers on the true device, its snapshot registered and stored; assigning snapshots to
// backends (operator only, clear 404/422s); the snapshot in force at a time from the stored history;
// a restarted gateway restoring both. Plus the store methods on their own.
import Foundation
import Testing
import WukongCalibration
import WukongDevice
@testable import WukongGateway

enum CalibrationFixture {
    static let spec = try! DeviceSpec.load(path: Fixture.root.appendingPathComponent("calibration/device.yaml").path)
    static let device = try! ChipDevice.generate(from: spec)
    static var nominalPath: String { Fixture.root.appendingPathComponent("calibration/nominal.h5").path }
}

/// A gateway with the gate and calibration executors, its own catalog, on an in-memory store.
struct CalibrationGateway {
    let store: SQLiteJobStore
    let catalog: CalibrationCatalog
    let port: Int
    let operatorKey: String, userKey: String
    let task: Task<Void, any Error>

    static func start(store existing: SQLiteJobStore? = nil) async throws -> CalibrationGateway {
        let store = try existing ?? SQLiteJobStore(inMemoryWithClock: { Date() })
        let op = try await store.createKey(name: "op", scope: .operator).secret
        let user = try await store.createKey(name: "alice", scope: .user).secret
        let catalog = try CalibrationCatalog(files: [CalibrationFixture.nominalPath])
        let executors: [any JobExecutor] = [
            GateJobExecutor(),
            CalibrationJobExecutor(device: CalibrationFixture.device, sink: Gateway.calibrationSink(store: store, catalog: catalog)),
        ]
        let metrics = GatewayMetrics()
        let gateway = Gateway(store: store, catalog: catalog, metrics: metrics, onlineBackends: Set(executors.map(\.backend)))
        try await gateway.restoreCalibrations()
        let pool = WorkerPool(store: store, executors: executors, catalog: catalog, metrics: metrics,
                              config: WorkerConfiguration(count: 1, leaseSeconds: 60))
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = gateway.buildApplication(host: "127.0.0.1", port: 0) { continuation.yield($0) }
        let task = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await pool.run() }
                group.addTask { try await app.run() }
                try await group.next()
                group.cancelAll()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return CalibrationGateway(store: store, catalog: catalog, port: port, operatorKey: op, userKey: user, task: task)
    }

    func client(_ key: String?) -> GatewayClient { GatewayClient(baseURL: "http://127.0.0.1:\(port)", apiKey: key) }
    var op: GatewayClient { client(operatorKey) }
    var user: GatewayClient { client(userKey) }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

private func put(_ c: GatewayClient, _ path: String, _ body: JSONValue) async throws -> ClientResponse {
    try await c.send("PUT", path, body: body.serialized(), headers: ["Content-Type": "application/json"])
}

@Suite struct CalibrationRouteTests {
    @Test func calibrationJobMakesARegisteredStoredSnapshot() async throws {
        let gw = try await CalibrationGateway.start()
        let nominalID = gw.catalog.currentID
        let request: JSONValue = ["qubits": [0], "experiments": ["frequency", "rabi"], "quick": true, "seed": 5]
        APITests.expectError(try await gw.user.post("/v1/calibrations/run", request), 403, "forbidden")
        APITests.expectError(try await gw.client(nil).post("/v1/calibrations/run", request), 401, "unauthorized")
        // Bad requests name the field.
        let bad1 = try await gw.op.post("/v1/calibrations/run", ["qubits": [99], "experiments": ["rabi"]])
        APITests.expectError(bad1, 422, "invalid_field")
        #expect(bad1.json["error"]?["field"] == "qubits")
        let bad2 = try await gw.op.post("/v1/calibrations/run", ["qubits": [0], "experiments": ["rabi", "spin_echo"]])
        APITests.expectError(bad2, 422, "invalid_field")
        #expect(bad2.json["error"]?["field"] == "experiments[1]")
        APITests.expectError(try await gw.op.post("/v1/calibrations/run", ["qubits": [0], "calibration_id": "cal-nope"]),
                             422, "unknown_calibration")

        let r = try await gw.op.post("/v1/calibrations/run", request)
        #expect(r.status == 201, "\(r.text)")
        #expect(r.json["backend"] == "calibration")
        let id = try #require(r.json["id"]?.stringValue)
        let final = try await gw.op.wait(for: id, timeoutSeconds: 300)
        #expect(final["state"] == "completed", "\(final)")
        let results = try await gw.op.get("/v1/jobs/\(id)/results")
        let metadata = try #require(results.json["items"]?.arrayValue?.first?["results"]?.arrayValue?.first?["metadata"])
        let snapshotID = try #require(metadata["snapshot_id"]?.stringValue)
        #expect(metadata["parent_id"]?.stringValue == nominalID)
        #expect(snapshotID.hasSuffix(String(id.suffix(6))))

        // Visible at GET /v1/calibrations/{id}, with q0's frequency calibrated to the truth.
        let snap = try await gw.user.get("/v1/calibrations/\(snapshotID)")
        #expect(snap.status == 200, "\(snap.text)")
        #expect(snap.json["metadata"]?["parent_id"]?.stringValue == nominalID)
        let freqs = try #require(snap.json["fields"]?["qubits/drive_frequency"]?["values"]?.arrayValue)
        let truth = CalibrationFixture.device.qubit(QubitIndex(0)).idleFrequencyGHz
        let f0 = try #require(freqs[0].doubleValue)
        #expect(abs(f0 - truth) < 50e-6, "q0 \(f0) vs \(truth)")
        #expect(try await gw.store.storedSnapshot(id: snapshotID) != nil)

        // Point the pulse backend at it; a restarted gateway on the same store restores both.
        let a = try await put(gw.op, "/v1/backends/pulse/calibration", ["calibration_id": .string(snapshotID)])
        #expect(a.status == 200, "\(a.text)")
        #expect(a.json["previous_id"]?.stringValue == nominalID)
        await gw.stop()
        let again = try await CalibrationGateway.start(store: gw.store)
        #expect(again.catalog.currentID(for: "pulse") == snapshotID)
        #expect(again.catalog.currentID(for: "gate") == nominalID)
        let props = try await again.user.get("/v1/backends/pulse/properties")
        #expect(props.json["calibration_id"]?.stringValue == snapshotID)
        await again.stop()
    }

    @Test func assignmentsAndPropertiesAtATime() async throws {
        let gw = try await CalibrationGateway.start()
        defer { Task { await gw.stop() } }
        let nominalID = gw.catalog.currentID
        let derived = try gw.catalog.current.updating([CalibrationUpdate(.t1, element: 3, value: 30, source: "test")], note: "test")
        gw.catalog.register(derived)
        let newID = derived.metadata.snapshotID
        let body: JSONValue = ["calibration_id": .string(newID)]
        APITests.expectError(try await put(gw.user, "/v1/backends/pulse/calibration", body), 403, "forbidden")
        APITests.expectError(try await put(gw.op, "/v1/backends/teleporter/calibration", body), 404, "not_found")
        let unknown = try await put(gw.op, "/v1/backends/pulse/calibration", ["calibration_id": "cal-missing"])
        APITests.expectError(unknown, 422, "unknown_calibration")
        #expect(unknown.json["error"]?["field"] == "calibration_id")
        APITests.expectError(try await put(gw.op, "/v1/backends/pulse/calibration", [:]), 422, "invalid_field")

        let before = Date()
        let r = try await put(gw.op, "/v1/backends/pulse/calibration", body)
        #expect(r.status == 200, "\(r.text)")
        let history = try await gw.store.calibrationAssignments(backend: "pulse")
        #expect(history.map(\.snapshotID) == [newID])
        #expect(try await gw.store.calibrationAssignments(backend: "gate").isEmpty)

        func propertiesID(_ query: String, backend: String = "pulse") async throws -> String? {
            try await gw.user.get("/v1/backends/\(backend)/properties\(query)").json["calibration_id"]?.stringValue
        }
        #expect(try await propertiesID("") == newID)
        #expect(try await propertiesID("", backend: "gate") == nominalID)
        let earlier = CalibrationSnapshot.timestamp(before.addingTimeInterval(-3600))
        let later = CalibrationSnapshot.timestamp(Date().addingTimeInterval(3600))
        #expect(try await propertiesID("?at=\(earlier)") == nominalID)
        #expect(try await propertiesID("?at=\(later)") == newID)
        let t1 = try await gw.user.get("/v1/backends/pulse/properties?at=\(later)")
        #expect(t1.json["standardized"]?["oneQubitProperties"]?["3"]?["T1"]?["value"]?.doubleValue == 30)
        APITests.expectError(try await gw.user.get("/v1/backends/pulse/properties?at=yesterday"), 400, "invalid_query")
        // New pulse jobs pin the backend's current snapshot; gate jobs keep theirs.
        let list = try await gw.user.get("/v1/calibrations")
        #expect(list.json["current_by_backend"]?["pulse"]?.stringValue == newID)
        await gw.stop()
    }
}

@Test func sqliteStoreKeepsSnapshotsAndAssignmentHistory() async throws {
    let clock = TestClock()
    let store = try SQLiteJobStore(inMemoryWithClock: { clock.read() })
    try await store.saveSnapshot(id: "cal-a", jobID: "job_1", hdf5: Data([1, 2, 3]))
    clock.advance(1)
    try await store.saveSnapshot(id: "cal-b", jobID: nil, hdf5: Data([4]))
    try await store.saveSnapshot(id: "cal-a", jobID: "job_1", hdf5: Data([9]))  // a rerun replaces
    #expect(try await store.storedSnapshot(id: "cal-a") == Data([9]))
    #expect(try await store.storedSnapshot(id: "cal-z") == nil)
    #expect(Set(try await store.storedSnapshotIDs()) == ["cal-a", "cal-b"])
    let first = try await store.assignCalibration(backend: "pulse", snapshotID: "cal-a", by: "key1")
    clock.advance(10)
    let second = try await store.assignCalibration(backend: "pulse", snapshotID: "cal-b", by: "key2")
    #expect(second.assignedAt.timeIntervalSince(first.assignedAt) == 10)
    let history = try await store.calibrationAssignments(backend: "pulse")
    #expect(history == [first, second])
    #expect(try await store.calibrationAssignments(backend: "gate").isEmpty)
}
