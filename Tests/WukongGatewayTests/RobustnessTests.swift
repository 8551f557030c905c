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
}
