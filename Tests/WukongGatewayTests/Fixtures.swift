// Shared fixtures: programs, the shipped calibration, a movable clock and a live gateway on an
// ephemeral loopback port (the API tests talk to it with URLSession, as real clients do).
import Foundation
import Testing
import WukongDevice
@testable import WukongGateway

enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bell = """
        OPENQASM 2.0;
        include "qelib1.inc";
        qreg q[2];
        creg c[2];
        h q[0];
        cx q[0],q[1];
        measure q -> c;
        """
    static let parametric = """
        OPENQASM 3.0;
        include "stdgates.inc";
        input float theta;
        qubit[1] q;
        bit[1] c;
        rx(theta) q[0];
        c[0] = measure q[0];
        """
    static let originIR = "QINIT 3\nCREG 3\nH q[0]\nCNOT q[0],q[1]\nCNOT q[1],q[2]\nMEASURE q[0],c[0]\nMEASURE q[1],c[1]\nMEASURE q[2],c[2]\n"

    /// A GHZ-like circuit on `n` qubits (enough work to keep a debug-build worker busy).
    static func wide(_ n: Int) -> String {
        var s = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[\(n)];\ncreg c[\(n)];\nh q[0];\n"
        for k in 1..<n { s += "cx q[\(k - 1)],q[\(k)];\nrx(0.3) q[\(k)];\n" }
        return s + "measure q -> c;\n"
    }

    static let calibration: CalibrationCatalog = {
        try! CalibrationCatalog(files: [root.appendingPathComponent("calibration/nominal.h5").path])
    }()

    static func spec(_ program: String = bell, shots: Int = 100, items: Int = 1) -> JobSpec {
        JobSpec(items: Array(repeating: JobItem(program: program, language: .openqasm2, shots: shots), count: items))
    }

    static func tempDB() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wukong-gw-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("jobs.db").path
    }
}

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let now = LockedBox(Date(timeIntervalSince1970: 1_700_000_000))
    func read() -> Date { now.withLock { $0 } }
    func advance(_ seconds: Double) { now.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A gateway with workers on 127.0.0.1 and an ephemeral port, over an in-memory store.
struct LiveGateway {
    let store: SQLiteJobStore
    let port: Int
    let operatorKey: String
    let userKey: String
    let otherUserKey: String
    let task: Task<Void, any Error>

    static func start(limits: GatewayLimits = GatewayLimits(), workers: Int = 1,
                      executors: [any JobExecutor] = [GateJobExecutor()],
                      catalog: CalibrationCatalog = Fixture.calibration) async throws -> LiveGateway {
        let store = try SQLiteJobStore(inMemoryWithClock: { Date() })
        let op = try await store.createKey(name: "op", scope: .operator).secret
        let user = try await store.createKey(name: "alice", scope: .user).secret
        let other = try await store.createKey(name: "bob", scope: .user).secret
        let metrics = GatewayMetrics()
        let gateway = Gateway(store: store, catalog: catalog, limits: limits, metrics: metrics)
        let pool = WorkerPool(store: store, executors: executors, catalog: catalog, metrics: metrics,
                              config: WorkerConfiguration(count: workers, leaseSeconds: 10))
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
        return LiveGateway(store: store, port: port, operatorKey: op, userKey: user, otherUserKey: other, task: task)
    }

    func client(_ key: String?) -> GatewayClient { GatewayClient(baseURL: "http://127.0.0.1:\(port)", apiKey: key) }
    var user: GatewayClient { client(userKey) }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}
