// OpenPulse items through the API (issue 6): a pulse-level job on the oracle snapshot completes with
// the populations its pulses prepare and reruns identically from the stored seed; syntax errors and
// waveform limits are 422s at submission; the gate backend refuses OpenPulse items.
import Foundation
import Testing
import WukongDevice
@testable import WukongGateway

@Suite struct OpenPulseJobTests {
    /// The oracle snapshot of the true device (the one ExecutionPathTests' catalog holds).
    static var oracle: CalibrationSnapshot {
        ExecutionPathTests.catalog.sorted.first { $0.metadata.snapshotID == ExecutionPathTests.oracleID }!
    }

    /// A DRAG pulse with the oracle's calibrated π shape on qubit q scaled by `fraction`.
    static func drag(_ q: Int, fraction: Double) -> String {
        let c = oracle
        return "drag(\(c.value(.piAmplitude, q) * fraction), \(c.value(.rphiDuration, q))ns, \(c.value(.rphiSigma, q))ns, \(c.value(.dragBeta, q)))"
    }

    /// π on qubit 0, π/2 on qubit 1, both captured into c (bit 0 = qubit 0), plus an IQ capture of qubit 0.
    static var rabi: String {
        """
        OPENQASM 3.0;
        defcalgrammar "openpulse";
        cal {
            bit[2] c;
            play(q0_drive, \(drag(0, fraction: 1)));
            play(q1_drive, \(drag(1, fraction: 0.5)));
            c[0] = capture_v0(q0_readout);
            c[1] = capture_v0(q1_readout);
        }
        """
    }

    static func job(_ program: String, language: String = "openpulse", backend: String = "pulse", seed: Int = 11, shots: Int = 300,
                    memory: Bool = false) -> JSONValue {
        ["backend": .string(backend), "seed": .int(seed), "calibration_id": .string(ExecutionPathTests.oracleID),
         "items": [["language": .string(language), "shots": .int(shots), "memory": .bool(memory), "program": .string(program)]]]
    }

    @Test func openPulseRabiJobCompletesAndRerunsIdentically() async throws {
        let gw = try await ExecutionPathTests.start()
        let (_, first) = try await ExecutionPathTests.run(gw, Self.job(Self.rabi, memory: true))
        let c = ExecutionPathTests.counts(first)
        print("OpenPulse π/π-half job on the oracle snapshot: \(c)")
        #expect(c.values.reduce(0, +) == 300)
        #expect(c.keys.allSatisfy { $0.count == 2 })
        // Bit 0 (rightmost) is qubit 0 after a π pulse: nearly always 1 (readout error only).
        let q0 = Double(c.filter { $0.key.last == "1" }.values.reduce(0, +)) / 300
        #expect(q0 > 0.85, "\(c)")
        // Bit 1 is qubit 1 after π/2: about half.
        let q1 = Double(c.filter { $0.key.first == "1" }.values.reduce(0, +)) / 300
        #expect(q1 > 0.3 && q1 < 0.7, "\(c)")
        let set = try #require(first["items"]?.arrayValue?.first?["results"]?.arrayValue?.first)
        let memoryValues = set["memory"]?.arrayValue?.compactMap { $0.stringValue }
        let memory = try #require(memoryValues)
        #expect(memory.count == 300)
        var fromMemory: [String: Int] = [:]
        for m in memory { fromMemory[m, default: 0] += 1 }
        #expect(fromMemory == c, "memory must tally to the counts")
        #expect(set["metadata"]?["program"] == "openpulse")
        #expect(set["metadata"]?["physical_qubits"] == [0, 1])
        // Same seed: identical counts; another seed: different shots.
        let (_, second) = try await ExecutionPathTests.run(gw, Self.job(Self.rabi, memory: true))
        #expect(ExecutionPathTests.counts(second) == c)
        let (_, other) = try await ExecutionPathTests.run(gw, Self.job(Self.rabi, seed: 12, memory: true))
        let otherMemory = other["items"]?.arrayValue?.first?["results"]?.arrayValue?.first?["memory"]?.arrayValue?.compactMap(\.stringValue)
        #expect(otherMemory != memory)
        await gw.stop()
    }

    @Test func openqasm3WithCalIsReadAsOpenPulseAndIQIsReturned() async throws {
        let gw = try await ExecutionPathTests.start()
        let program = """
            OPENQASM 3.0;
            cal {
                play(q0_drive, \(Self.drag(0, fraction: 1)));
                complex[float[64]] one = capture_v1(q0_readout);
            }
            """
        let body: JSONValue = ["backend": "pulse", "seed": 3, "calibration_id": .string(ExecutionPathTests.oracleID),
                "items": [["language": "openqasm3", "shots": 50, "iq": true, "program": .string(program)]]]
        // An openqasm3 item with cal/defcal is stored as openpulse.
        #expect(try SubmissionDecoder(limits: GatewayLimits()).decode(body).spec.items[0].language == .openpulse)
        let (_, results) = try await ExecutionPathTests.run(gw, body)
        let item = try #require(results["items"]?.arrayValue?.first)
        let iq = try #require(item["results"]?.arrayValue?.first?["iq"])
        #expect(iq["qubits"] == [0] && iq["clbits"] == [-1])
        #expect(iq["shots"]?.arrayValue?.count == 50)
        let rows = iq["shots"]?.arrayValue ?? []
        #expect(rows.allSatisfy { $0.arrayValue?.count == 1 })
        await gw.stop()
    }

    @Test func badOpenPulseProgramsAre422s() async throws {
        let gw = try await ExecutionPathTests.start()
        // A syntax error in a cal block: line and column.
        let broken = "OPENQASM 3.0;\ndefcalgrammar \"openpulse\";\ncal {\n    waveform w = ;\n}\n"
        let syntax = APITests.expectError(try await gw.user.post("/v1/jobs", Self.job(broken)), 422, "invalid_program")
        #expect(syntax.contains("line 4, column"), "\(syntax)")
        // An unknown frame is found when the program is interpreted against the snapshot: also located.
        let unknown = "OPENQASM 3.0;\ncal {\n    play(q99_drive, \(Self.drag(0, fraction: 1)));\n}\n"
        let frame = APITests.expectError(try await gw.user.post("/v1/jobs", Self.job(unknown)), 422, "invalid_program")
        #expect(frame.contains("line 3, column"), "\(frame)")
        // 60 µs at 2 GS/s = 120 000 samples in one waveform: over the 100 000 limit.
        let long = "OPENQASM 3.0;\ncal {\n    waveform w = constant(0.1, 60us);\n    play(q0_drive, w);\n}\n"
        let limit = APITests.expectError(try await gw.user.post("/v1/jobs", Self.job(long)), 422, "limit_waveform_samples")
        #expect(limit.contains("line 3"), "\(limit)")
        // The gate backend names itself.
        let gate = try await gw.user.post("/v1/jobs", Self.job(Self.rabi, backend: "gate"))
        let message = APITests.expectError(gate, 422, "invalid_field")
        #expect(message.contains("backend 'pulse'") && message.contains("'gate'"), "\(message)")
        #expect(gate.json["error"]?["field"] == "items[0].language")
        await gw.stop()
    }

    /// A π pulse (the oracle's calibrated DRAG shape, amplitude × `fraction`) on q0 of the true chip, then a readout.
    static func piSchedule(fraction: Double = 1) -> JSONValue {
        let c = oracle
        let envelope: JSONValue = ["shape": "drag", "duration_ns": .number(c.value(.rphiDuration, 0)), "sigma_ns": .number(c.value(.rphiSigma, 0)),
                                   "beta_ns": .number(c.value(.dragBeta, 0)), "amp": .number(c.value(.piAmplitude, 0) * fraction)]
        return ["version": 1, "elements": ["q0"],
                "instructions": [["op": "play", "channel": "q0.drive", "envelope": envelope], ["op": "barrier"],
                                 ["op": "acquire", "channel": "q0.readout", "duration_ns": 1500]]]
    }

    static func scheduleJob(_ program: JSONValue, seed: Int = 5, shots: Int = 200, iq: Bool = false) -> JSONValue {
        ["backend": "pulse", "seed": .int(seed),
         "items": [["language": "schedule", "shots": .int(shots), "iq": .bool(iq), "program": program]]]
    }

    @Test func scheduleJobCountsItsAcquisitions() async throws {
        let gw = try await ExecutionPathTests.start()
        let (_, first) = try await ExecutionPathTests.run(gw, Self.scheduleJob(Self.piSchedule(), iq: true))
        let c = ExecutionPathTests.counts(first)
        print("schedule π pulse on the true q0: \(c)")
        #expect(c.values.reduce(0, +) == 200 && c.keys.allSatisfy { $0 == "0" || $0 == "1" })
        #expect(Double(c["1", default: 0]) / 200 > 0.8, "a π pulse leaves q0 mostly in |1⟩: \(c)")
        let set = try #require(first["items"]?.arrayValue?.first?["results"]?.arrayValue?.first)
        #expect(set["iq"]?["qubits"] == [0] && set["iq"]?["clbits"] == [0])
        #expect(set["iq"]?["shots"]?.arrayValue?.count == 200)
        #expect(set["metadata"]?["program"] == "schedule")
        // π/2 (half the amplitude): about half the shots read 1; sent as text with the same seed the
        // counts are identical, with another seed they differ.
        let half = Self.piSchedule(fraction: 0.5)
        let (_, a) = try await ExecutionPathTests.run(gw, Self.scheduleJob(half))
        let h = ExecutionPathTests.counts(a)
        let p1 = Double(h["1", default: 0]) / 200
        #expect(p1 > 0.3 && p1 < 0.7, "\(h)")
        let (_, b) = try await ExecutionPathTests.run(gw, Self.scheduleJob(.string(half.serialized())))
        #expect(ExecutionPathTests.counts(b) == h)
        let (_, other) = try await ExecutionPathTests.run(gw, Self.scheduleJob(half, seed: 6, iq: true))
        let otherIQ = other["items"]?.arrayValue?.first?["results"]?.arrayValue?.first?["iq"]
        let (_, again) = try await ExecutionPathTests.run(gw, Self.scheduleJob(half, seed: 7, iq: true))
        #expect(again["items"]?.arrayValue?.first?["results"]?.arrayValue?.first?["iq"] != otherIQ, "other seeds give other shots")
        await gw.stop()
    }

    @Test func badSchedulesAre422s() async throws {
        let gw = try await ExecutionPathTests.start()
        // An envelope without amp: the field path, at submission.
        let noAmp: JSONValue = ["version": 1, "elements": ["q0"],
                                "instructions": [["op": "play", "channel": "q0.drive", "envelope": ["shape": "gaussian", "duration_ns": 30, "sigma_ns": 7]],
                                                 ["op": "barrier"], ["op": "acquire", "channel": "q0.readout", "duration_ns": 1500]]]
        let path = APITests.expectError(try await gw.user.post("/v1/jobs", Self.scheduleJob(noAmp)), 422, "invalid_program")
        #expect(path.contains("instructions[0].envelope.amp"), "\(path)")
        // An acquire overlapping the drive (no barrier): mid-schedule measurement, at submission.
        var overlap = Self.piSchedule()
        overlap = ["version": 1, "elements": ["q0"], "instructions": .array([overlap["instructions"]!.arrayValue![0], overlap["instructions"]!.arrayValue![2]])]
        let mid = APITests.expectError(try await gw.user.post("/v1/jobs", Self.scheduleJob(overlap)), 422, "invalid_program")
        #expect(mid.contains("instructions[1]") && mid.contains("barrier"), "\(mid)")
        // A drag envelope without sigma_ns is found when the schedule is compiled on the device: the
        // job fails with the field path in its reason.
        let noSigma: JSONValue = ["version": 1, "elements": ["q0"],
                                  "instructions": [["op": "play", "channel": "q0.drive", "envelope": ["shape": "drag", "duration_ns": 30, "amp": 0.3]],
                                                   ["op": "barrier"], ["op": "acquire", "channel": "q0.readout", "duration_ns": 1500]]]
        let accepted = try await gw.user.post("/v1/jobs", Self.scheduleJob(noSigma))
        #expect(accepted.status == 201, "\(accepted.text)")
        let failed = try await gw.user.wait(for: try #require(accepted.json["id"]?.stringValue), timeoutSeconds: 120)
        #expect(failed["state"] == "failed")
        #expect(failed["reason"]?.stringValue?.contains("instructions[0].envelope.sigma_ns") == true, "\(failed.serialized())")
        // 60 µs of constant drive at 2 GS/s: 120 000 samples in one waveform.
        let long: JSONValue = ["version": 1, "elements": ["q0"],
                               "instructions": [["op": "play", "channel": "q0.drive", "envelope": ["shape": "constant", "duration_ns": 60000, "amp": 0.01]],
                                                ["op": "acquire", "channel": "q0.readout", "duration_ns": 1500]]]
        APITests.expectError(try await gw.user.post("/v1/jobs", Self.scheduleJob(long)), 422, "limit_waveform_samples")
        // Three acquires of one readout channel: over the capture limit.
        let thrice: JSONValue = ["version": 1, "elements": ["q0"],
                                 "instructions": .array([JSONValue](repeating: ["op": "acquire", "channel": "q0.readout", "duration_ns": 500], count: 3))]
        APITests.expectError(try await gw.user.post("/v1/jobs", Self.scheduleJob(thrice)), 422, "limit_captures")
        // An inline device is not the chip.
        let inline: JSONValue = ["version": 1, "device": ["kind": "one_transmon", "frequency_ghz": 5.0],
                                 "instructions": [["op": "acquire", "channel": "q0.readout", "duration_ns": 500]]]
        APITests.expectError(try await gw.user.post("/v1/jobs", Self.scheduleJob(inline)), 422, "invalid_program")
        // Backend gate names the backend.
        var gate = Self.scheduleJob(Self.piSchedule())
        gate = ["backend": "gate", "items": gate["items"]!]
        APITests.expectError(try await gw.user.post("/v1/jobs", gate), 422, "invalid_field")
        await gw.stop()
    }
}
