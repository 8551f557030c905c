// Robustness: cancelling a running job stops its worker between items, and random or mutated
// request bodies never produce a 5xx.
import Foundation
import Testing
import WukongNumerics
@testable import WukongGateway

@Suite struct RobustnessTests {
    @Test(.timeLimit(.minutes(2)))
    func cancellingARunningJobStopsItBetweenItems() async throws {
        let gw = try await LiveGateway.start()
        let items = JSONValue.array(Array(repeating: ["program": .string(Fixture.wide(16)), "shots": 1000], count: 200))
        let id = try #require(try await gw.user.post("/v1/jobs", ["items": items]).json["id"]?.stringValue)
        var polls = 0
        while try await gw.user.get("/v1/jobs/\(id)").json["state"] != "running", polls < 500 {
            polls += 1
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        let r = try await gw.user.send("POST", "/v1/jobs/\(id)/cancel")
        #expect(r.json["state"] == "cancelling", "\(r.text)")
        let final = try await gw.user.wait(for: id, timeoutSeconds: 60)
        #expect(final["state"] == "cancelled")
        #expect(final["reason_code"] == "cancelled_by_user")
        APITests.expectError(try await gw.user.get("/v1/jobs/\(id)/results"), 409, "results_not_ready")
        await gw.stop()
    }

    @Test func mutatedBodiesNeverCauseServerErrors() async throws {
        let seed: UInt64 = 20_261_122
        var rng = SeededGenerator(seed: seed)
        let gw = try await LiveGateway.start(workers: 0)
        let valid = APITests.bellJob().serialized()
        let fragments = ["{", "}", "[", "]", "\"", ":", ",", "null", "-1", "1e999", "\"items\"", "\"shots\"", "\\u0000", "true", "99999999999999999999"]
        var statuses: [Int: Int] = [:]
        for round in 0..<120 {
            var bytes = Array(valid.utf8)
            switch round % 3 {
            case 0: // flip bytes
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let k = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes[k] = UInt8.random(in: 0...255, using: &rng)
                }
            case 1: // splice JSON fragments in
                let k = Int.random(in: 0..<bytes.count, using: &rng)
                bytes.insert(contentsOf: Array(fragments.randomElement(using: &rng)!.utf8), at: k)
            default: // truncate
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            }
            let r = try await gw.user.send("POST", "/v1/jobs", body: String(decoding: bytes, as: UTF8.self))
            statuses[r.status, default: 0] += 1
            #expect(r.status < 500, "seed \(seed) round \(round): \(r.status) \(r.text)")
            if r.status >= 400 { #expect(r.json["error"]?["code"]?.stringValue != nil, "seed \(seed) round \(round): \(r.text)") }
        }
        // Type confusion at every field.
        for field in ["items", "seed", "tags", "backend", "noise", "calibration_id"] {
            for value: JSONValue in [nil, 1, -1, "x", [1], ["a": 1], true, 1.5] {
                let r = try await gw.user.post("/v1/jobs", [(field, value)].reduce(into: APITests.bellJob()) { body, kv in
                    if case .object(var m) = body { m.removeAll { $0.0 == kv.0 }; m.append(kv); body = .object(m) }
                })
                #expect(r.status < 500, "\(field)=\(value.serialized()): \(r.text)")
            }
        }
        await gw.stop()
    }

    /// Regression (scripts/fuzz/programs.py, seed 20261123): `my(1e400)` parsed to an infinite angle, the
    /// state vector became NaN and the worker's measurement precondition killed the whole server.
    @Test func nonFiniteAnglesAreRefusedAndNeverReachASimulator() async throws {
        let gw = try await LiveGateway.start(workers: 1)
        let header = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\n"
        let found = header + "gate my(t) a,b { rz(t/2) a; cx a,b; u3(pi,0,t) b; }\nmy(1e400) q[0],q[1];\nmeasure q -> c;\n"
        for program in [found, header + "rx(pi/0) q[0];\nmeasure q -> c;\n", header + "u3(0,-1e400*0,0) q[1];\nmeasure q -> c;\n"] {
            let r = try await gw.user.post("/v1/jobs", ["items": [["program": .string(program), "shots": 10]]])
            let message = APITests.expectError(r, 422, "invalid_program")
            #expect(message.contains("finite"), "\(message)")
        }
        // A parameter set that makes an angle infinite is refused too, naming the set.
        let parametric = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float theta;\nqubit[1] q;\nbit[1] c;\nrx(1/theta) q[0];\nc[0] = measure q[0];\n"
        let r = try await gw.user.post("/v1/jobs", ["items": [["program": .string(parametric), "parameters": [["theta": 1], ["theta": 0]]]]])
        APITests.expectError(r, 422, "invalid_field")
        #expect(r.json["error"]?["field"] == "items[0].parameters[1]")
        // Behind the gateway's checks, the executor fails such a job with a reason instead of trapping.
        let spec = JobSpec(items: [JobItem(program: found, language: .openqasm2, shots: 10)])
        let record = JobRecord(id: "job_x", ownerKeyID: "k", sequence: 1, state: .running, reasonCode: nil, reason: nil, spec: spec, seed: 1,
                               calibrationID: Fixture.calibration.currentID, attempt: 1, leaseOwner: "w", leaseExpiresAt: nil,
                               createdAt: Date(), startedAt: nil, finishedAt: nil)
        do {
            _ = try GateJobExecutor().execute(record, calibration: nil, shouldStop: { false })
            Issue.record("an infinite angle must fail the run")
        } catch let e as ExecutionFailed {
            #expect(e.description.contains("item 0, parameter set 0") && e.description.contains("finite"), "\(e.description)")
        }
        // The gateway still serves.
        #expect(try await gw.client(nil).get("/healthz").status == 200)
        await gw.stop()
    }
}
