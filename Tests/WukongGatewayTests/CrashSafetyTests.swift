// Crash safety end to end: a real `wukong serve` process is killed with SIGKILL while a job runs,
// restarted on the same database, and every accepted job completes exactly once with the counts a
// clean run with the stored seed gives.
import Foundation
import Testing
@testable import WukongGateway

/// A `wukong serve` child process and its accumulated output.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let output = LockedBox("")

    init(database: String, leaseSeconds: Double) throws {
        var exe = Bundle.main.bundleURL.appendingPathComponent("wukong")
        if !FileManager.default.fileExists(atPath: exe.path) { exe = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("wukong") }
        process.executableURL = exe
        process.arguments = ["serve", "--store", "sqlite:\(database)", "--port", "0", "--workers", "1", "--lease-seconds", String(leaseSeconds),
                             "--calibration", Fixture.root.appendingPathComponent("calibration/nominal.h5").path]
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

    /// Waits for the "listening on" line and returns the port.
    func port() async throws -> Int {
        for _ in 0..<600 {
            let text = output.withLock { $0 }
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let p = Int(digits) { return p }
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        throw APIError(status: 0, code: "server_start", message: "server did not start: \(output.withLock { $0 })")
    }

    var apiKey: String? {
        let text = output.withLock { $0 }
        guard let r = text.range(of: "WUKONG_API_KEY=") else { return nil }
        return String(text[r.upperBound...].prefix { !$0.isWhitespace })
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

@Suite struct CrashSafetyTests {
    @Test(.timeLimit(.minutes(3)))
    func killedServerLosesNothingAndRerunsGiveIdenticalCounts() async throws {
        let db = Fixture.tempDB()
        let first = try ServerProcess(database: db, leaseSeconds: 1.5)
        let port = try await first.port()
        let key = try #require(first.apiKey)
        let client = GatewayClient(baseURL: "http://127.0.0.1:\(port)", apiKey: key)
        var ids: [String] = []
        for seed in 0..<5 {
            let items = JSONValue.array(Array(repeating: ["program": .string(Fixture.wide(14)), "shots": 2000], count: 24))
            let r = try await client.post("/v1/jobs", ["seed": .int(100 + seed), "items": items])
            #expect(r.status == 201, "\(r.text)")
            ids.append(try #require(r.json["id"]?.stringValue))
        }
        // Kill while a job is running (or as soon as the first one starts). 24 items per job keep each job
        // running long enough (≫ one poll round) that the kill lands inside it.
        var sawRunning = false
        for _ in 0..<400 where !sawRunning {
            for id in ids where try await client.get("/v1/jobs/\(id)").json["state"] == "running" { sawRunning = true }
            if !sawRunning { try await Task.sleep(nanoseconds: 10_000_000) }
        }
        first.kill9()
        #expect(sawRunning)

        let second = try ServerProcess(database: db, leaseSeconds: 1.5)
        let port2 = try await second.port()
        #expect(second.apiKey == nil, "the restarted server must keep the first key")
        let client2 = GatewayClient(baseURL: "http://127.0.0.1:\(port2)", apiKey: key)
        var retried = 0
        for id in ids {
            let final = try await client2.wait(for: id, timeoutSeconds: 120)
            #expect(final["state"] == "completed", "\(final.serialized())")
            if (final["attempt"]?.intValue ?? 0) >= 2 { retried += 1 }
            let results = try await client2.get("/v1/jobs/\(id)/results").json
            // The reference: the same spec and stored seed run in this process.
            let seed = try #require(UInt64(final["seed"]?.stringValue ?? ""))
            let spec = JobSpec(items: Array(repeating: JobItem(program: Fixture.wide(14), language: .openqasm2, shots: 2000), count: 24))
            let record = JobRecord(id: id, ownerKeyID: "", sequence: 0, state: .running, reasonCode: nil, reason: nil, spec: spec, seed: seed,
                                   calibrationID: "", attempt: 1, leaseOwner: nil, leaseExpiresAt: nil, createdAt: Date(), startedAt: nil, finishedAt: nil)
            let reference = try GateJobExecutor().execute(record, calibration: nil, shouldStop: { false })
            let got = (results["items"]?.arrayValue ?? []).map { ItemResult(stored: $0) }
            #expect(got == reference, "job \(id) differs from a clean run with its stored seed")
        }
        #expect(retried >= 1, "the job running at the kill must have been requeued and rerun")
        second.process.terminate()
        second.process.waitUntilExit()
    }
}
