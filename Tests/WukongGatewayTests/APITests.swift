// The HTTP API end to end over a loopback socket: every endpoint, auth, visibility, idempotency,
// limits and error shapes. Each test starts its own gateway on an ephemeral port.
import Foundation
import Testing
@testable import WukongGateway

@Suite struct APITests {
    static func bellJob(seed: Int = 7, shots: Int = 1000) -> JSONValue {
        ["seed": .int(seed), "tags": ["bell"], "items": [["language": "openqasm2", "shots": .int(shots), "program": .string(Fixture.bell)]]]
    }

    /// Expects an error response with `status` and `code`; returns its message.
    @discardableResult
    static func expectError(_ r: ClientResponse, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        #expect(r.status == status, "\(r.text)", sourceLocation: sourceLocation)
        #expect(r.json["error"]?["code"]?.stringValue == code, "\(r.text)", sourceLocation: sourceLocation)
        return r.json["error"]?["message"]?.stringValue ?? ""
    }

    @Test func bellJobRunsAndIsReproducible() async throws {
        let gw = try await LiveGateway.start()
        defer { Task { await gw.stop() } }
        var counts: [JSONValue] = []
        for _ in 0..<2 {
            let r = try await gw.user.post("/v1/jobs", Self.bellJob())
            #expect(r.status == 201, "\(r.text)")
            let id = try #require(r.json["id"]?.stringValue)
            let final = try await gw.user.wait(for: id)
            #expect(final["state"] == "completed")
            #expect(final["timing"]?["finished_at"]?.stringValue != nil)
            let results = try await gw.user.get("/v1/jobs/\(id)/results")
            #expect(results.status == 200)
            let c = try #require(results.json["items"]?.arrayValue?.first?["results"]?.arrayValue?.first?["counts"])
            let total = (c.objectValue ?? []).reduce(0) { $0 + ($1.1.intValue ?? 0) }
            #expect(total == 1000)
            let outcomes = Set((c.objectValue ?? []).map { $0.0 })
            #expect(outcomes.isSubset(of: ["00", "11"]))
            counts.append(c)
        }
        #expect(counts[0] == counts[1], "the same seed must give identical counts")
        await gw.stop()
    }

    @Test func authIsRequiredAndJobsArePrivate() async throws {
        let gw = try await LiveGateway.start(workers: 0)
        Self.expectError(try await gw.client(nil).post("/v1/jobs", Self.bellJob()), 401, "unauthorized")
        Self.expectError(try await gw.client("wk_wrong").get("/v1/jobs"), 401, "unauthorized")
        Self.expectError(try await gw.client(nil).get("/v1/backends"), 401, "unauthorized")
        let id = try #require(try await gw.user.post("/v1/jobs", Self.bellJob()).json["id"]?.stringValue)
        let bob = gw.client(gw.otherUserKey)
        Self.expectError(try await bob.get("/v1/jobs/\(id)"), 404, "not_found")
        Self.expectError(try await bob.get("/v1/jobs/\(id)/results"), 404, "not_found")
        Self.expectError(try await bob.send("POST", "/v1/jobs/\(id)/cancel"), 404, "not_found")
        #expect(try await bob.get("/v1/jobs").json["jobs"]?.arrayValue?.isEmpty == true)
        #expect(try await gw.client(gw.operatorKey).get("/v1/jobs/\(id)").status == 200)
        #expect(try await gw.user.get("/v1/jobs/\(id)").json["queue_position"] == 0)
        Self.expectError(try await gw.user.get("/v1/jobs/\(id)/results"), 409, "results_not_ready")
        await gw.stop()
    }

    @Test func idempotencyKeyReplaysOrConflicts() async throws {
        let gw = try await LiveGateway.start(workers: 0)
        let first = try await gw.user.post("/v1/jobs", Self.bellJob(), headers: ["Idempotency-Key": "k-1"])
        #expect(first.status == 201)
        let replay = try await gw.user.post("/v1/jobs", Self.bellJob(), headers: ["Idempotency-Key": "k-1"])
        #expect(replay.status == 200)
        #expect(replay.json["id"] == first.json["id"])
        Self.expectError(try await gw.user.post("/v1/jobs", Self.bellJob(seed: 8), headers: ["Idempotency-Key": "k-1"]), 409, "idempotency_conflict")
        await gw.stop()
    }

    @Test func limitsAreCheckedBeforeQueueing() async throws {
        var limits = GatewayLimits()
        limits.maxBodyBytes = 64 << 10
        let gw = try await LiveGateway.start(limits: limits, workers: 0)
        Self.expectError(try await gw.user.post("/v1/jobs", Self.bellJob(shots: 10_001)), 422, "limit_shots")
        let many = JSONValue.array(Array(repeating: ["program": .string(Fixture.bell)], count: 201))
        Self.expectError(try await gw.user.post("/v1/jobs", ["items": many]), 422, "limit_items")
        let wide = try await gw.user.post("/v1/jobs", ["items": [["program": .string(Fixture.wide(31))]]])
        #expect(Self.expectError(wide, 422, "limit_qubits").contains("at most 30"))
        let huge = try await gw.user.post("/v1/jobs", ["items": [["program": .string(Fixture.wide(73))]]])
        #expect(Self.expectError(huge, 422, "limit_qubits").contains("72"))
        let big = String(repeating: "x", count: 70_000)
        Self.expectError(try await gw.user.post("/v1/jobs", ["items": [["program": .string(big)]]]), 413, "limit_body_size")
        let memoryHeavy: JSONValue = ["items": .array(Array(repeating: ["program": .string(Fixture.wide(20)), "shots": 10_000, "memory": true], count: 200))]
        // 200 items × 10 000 shots × 23 bytes of memory ≈ 46 MB of results plus counts: over 64 MiB? Check the code path at a lower limit.
        var tight = GatewayLimits()
        tight.maxResultBytes = 1 << 20
        let gw2 = try await LiveGateway.start(limits: tight, workers: 0)
        Self.expectError(try await gw2.user.post("/v1/jobs", memoryHeavy), 413, "limit_result_size")
        await gw2.stop()
        Self.expectError(try await gw.user.post("/v1/jobs", ["backend": "analog", "items": [["program": .string(Fixture.bell)]]]), 422, "invalid_field")
        Self.expectError(try await gw.user.post("/v1/jobs", ["noise": "calibrated", "items": [["program": .string(Fixture.bell)]]]), 422, "invalid_field")
        #expect(try await gw.store.countsByState()[.queued] == 0, "nothing rejected may be queued")
        await gw.stop()
    }

    @Test func malformedInputsAreClearErrors() async throws {
        let gw = try await LiveGateway.start(workers: 0)
        let broken = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nfoo q[0];\n"
        let r = try await gw.user.post("/v1/jobs", ["items": [["program": .string(broken), "language": "openqasm2"]]])
        let message = Self.expectError(r, 422, "invalid_program")
        #expect(message.contains("line 4, column"), "\(message)")
        #expect(r.json["error"]?["field"] == "items[0].program")
        Self.expectError(try await gw.user.send("POST", "/v1/jobs", body: "{not json"), 400, "invalid_json")
        Self.expectError(try await gw.user.post("/v1/jobs", ["items": []]), 422, "invalid_field")
        Self.expectError(try await gw.user.post("/v1/jobs", ["items": [["program": .string(Fixture.bell), "language": "cobol"]]]), 422, "invalid_field")
        let unbound = try await gw.user.post("/v1/jobs", ["items": [["program": .string(Fixture.parametric)]]])
        #expect(Self.expectError(unbound, 422, "invalid_field").contains("theta"))
        Self.expectError(try await gw.user.get("/v1/jobs?state=bogus"), 400, "invalid_query")
        Self.expectError(try await gw.user.get("/v1/jobs/job_missing"), 404, "not_found")
        Self.expectError(try await gw.user.get("/no/such/route"), 404, "not_found")
        await gw.stop()
    }

    @Test func rateLimitAndQuotaAnswer429WithRetryAfter() async throws {
        var limits = GatewayLimits()
        limits.submitRatePerSecond = 0.01
        limits.submitBurst = 2
        let gw = try await LiveGateway.start(limits: limits, workers: 0)
        for _ in 0..<2 { #expect(try await gw.user.post("/v1/jobs", Self.bellJob()).status == 201) }
        let r = try await gw.user.post("/v1/jobs", Self.bellJob())
        Self.expectError(r, 429, "limit_rate")
        #expect(Int(r.header("Retry-After") ?? "") ?? 0 >= 1)
        await gw.stop()

        var quota = GatewayLimits()
        quota.maxActiveJobsPerKey = 1
        let gw2 = try await LiveGateway.start(limits: quota, workers: 0)
        #expect(try await gw2.user.post("/v1/jobs", Self.bellJob()).status == 201)
        let q = try await gw2.user.post("/v1/jobs", Self.bellJob())
        Self.expectError(q, 429, "limit_concurrent_jobs")
        #expect(q.header("Retry-After") != nil)
        await gw2.stop()
    }

    @Test func parameterSetsGiveOneResultEachAndOriginIRRuns() async throws {
        let gw = try await LiveGateway.start()
        let body: JSONValue = ["seed": 3, "items": [
            ["program": .string(Fixture.parametric), "language": "openqasm3", "shots": 200,
             "parameters": [["theta": 0.0], ["theta": .double(Double.pi)], ["theta": .double(Double.pi / 2)]]],
            ["program": .string(Fixture.originIR), "language": "originir", "shots": 50, "memory": true],
        ]]
        let r = try await gw.user.post("/v1/jobs", body)
        #expect(r.status == 201, "\(r.text)")
        let id = try #require(r.json["id"]?.stringValue)
        #expect(try await gw.user.wait(for: id)["state"] == "completed")
        let items = try #require(try await gw.user.get("/v1/jobs/\(id)/results").json["items"]?.arrayValue)
        let sets = try #require(items[0]["results"]?.arrayValue)
        #expect(sets.count == 3)
        #expect(sets[0]["counts"] == ["0": 200])
        #expect(sets[1]["counts"] == ["1": 200])
        #expect(sets[1]["parameters"]?["theta"]?.doubleValue == Double.pi)
        let ghz = try #require(items[1]["results"]?.arrayValue?.first)
        #expect(ghz["memory"]?.arrayValue?.count == 50)
        let outcomes = Set((ghz["counts"]?.objectValue ?? []).map { $0.0 })
        #expect(outcomes.isSubset(of: ["000", "111"]))
        await gw.stop()
    }

    @Test func cancelAndListing() async throws {
        let gw = try await LiveGateway.start(workers: 0)
        var ids: [String] = []
        for i in 0..<5 {
            var job = Self.bellJob(seed: i)
            if case .object(var m) = job { m.append(("tags", .array([.string("t\(i % 2)")]))); job = .object(m.filter { $0.0 != "tags" } + [m.last!]) }
            ids.append(try #require(try await gw.user.post("/v1/jobs", job).json["id"]?.stringValue))
        }
        let cancelled = try await gw.user.send("POST", "/v1/jobs/\(ids[0])/cancel")
        #expect(cancelled.json["state"] == "cancelled")
        #expect(cancelled.json["reason_code"] == "cancelled_by_user")
        Self.expectError(try await gw.user.send("POST", "/v1/jobs/\(ids[0])/cancel"), 409, "job_finished")
        #expect(try await gw.user.get("/v1/jobs/\(ids[4])").json["queue_position"] == 3)
        let queued = try await gw.user.get("/v1/jobs?state=queued").json["jobs"]?.arrayValue ?? []
        #expect(queued.count == 4)
        let tagged = try await gw.user.get("/v1/jobs?tag=t1").json["jobs"]?.arrayValue ?? []
        #expect(Set(tagged.compactMap { $0["id"]?.stringValue }) == [ids[1], ids[3]])
        let page1 = try await gw.user.get("/v1/jobs?limit=3").json
        let cursor = try #require(page1["next_cursor"]?.stringValue)
        let page2 = try await gw.user.get("/v1/jobs?limit=3&cursor=\(cursor)").json
        #expect((page1["jobs"]?.arrayValue?.count ?? 0) + (page2["jobs"]?.arrayValue?.count ?? 0) == 5)
        #expect(page2["next_cursor"] == .null)
        await gw.stop()
    }

    @Test func backendsPropertiesAndCalibrations() async throws {
        let gw = try await LiveGateway.start(workers: 0)
        let list = try await gw.user.get("/v1/backends").json["backends"]?.arrayValue ?? []
        #expect(list.compactMap { $0["name"]?.stringValue } == ["gate", "pulse"])
        let gate = try await gw.user.get("/v1/backends/gate").json
        #expect(gate["qubits"] == 72)
        #expect(gate["couplers"]?.arrayValue?.first?["qubits"]?.arrayValue?.count == 2)
        #expect(gate["native_gates"]?.arrayValue?.contains("cz") == true)
        #expect(gate["limits"]?["simulator_max_qubits"] == 30)
        Self.expectError(try await gw.user.get("/v1/backends/nope"), 404, "not_found")
        let props = try await gw.user.get("/v1/backends/gate/properties").json
        #expect(props["standardized"]?["oneQubitProperties"]?.objectValue?.count == 72)
        #expect(props["qubits"]?.arrayValue?.first?["t1_us"]?.doubleValue != nil)
        #expect(props["calibration_id"]?.stringValue == Fixture.calibration.currentID)
        let cals = try await gw.user.get("/v1/calibrations").json
        #expect(cals["current_id"]?.stringValue == Fixture.calibration.currentID)
        let one = try await gw.user.get("/v1/calibrations/\(Fixture.calibration.currentID)")
        #expect(one.status == 200 && one.json["fields"]?["qubits/t1"] != nil)
        Self.expectError(try await gw.user.get("/v1/calibrations/nope"), 404, "not_found")
        Self.expectError(try await gw.user.post("/v1/jobs", ["calibration_id": "nope", "items": [["program": .string(Fixture.bell)]]]),
                         422, "unknown_calibration")
        await gw.stop()
    }

    @Test func healthMetricsOpenAPIAndDashboard() async throws {
        let gw = try await LiveGateway.start(workers: 0)
        let anon = gw.client(nil)
        #expect(try await anon.get("/healthz").json["status"] == "ok")
        _ = try await gw.user.post("/v1/jobs", Self.bellJob())
        _ = try await gw.user.post("/v1/jobs", Self.bellJob(shots: 0))
        let metrics = try await anon.get("/metrics").text
        #expect(metrics.contains("wukong_queue_depth{backend=\"gate\"} 1"))
        #expect(metrics.contains("wukong_rejections_total{code=\"limit_shots\"} 1"))
        #expect(metrics.contains("# TYPE wukong_job_latency_seconds summary"))
        let openapi = try await anon.get("/openapi.json")
        #expect(openapi.status == 200)
        let paths = try #require(openapi.json["paths"]?.objectValue?.map(\.0))
        for p in ["/v1/jobs", "/v1/jobs/{id}", "/v1/jobs/{id}/results", "/v1/jobs/{id}/cancel", "/v1/backends", "/v1/backends/{name}",
                  "/v1/backends/{name}/properties", "/v1/calibrations", "/v1/calibrations/{id}", "/healthz", "/metrics", "/openapi.json", "/",
                  "/v1/jobs/{id}/results.h5", "/v1/calibrations/run", "/v1/backends/{name}/calibration"] {
            #expect(paths.contains(p), "OpenAPI lacks \(p)")
        }
        let page = try await anon.get("/")
        #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.text.components(separatedBy: "class=\"qubit\"").count - 1 == 72)
        #expect(page.text.contains("id=\"count-queued\">1<"))
        #expect(try await anon.get("/?color=readout").text.contains("readout fidelity"))
        await gw.stop()
    }
}
