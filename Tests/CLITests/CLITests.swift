// End-to-end tests of the `wukong` executable: real processes, real files, exit codes and output.
import Foundation
import Testing

/// Runs the built `wukong` binary with arguments; returns exit status, stdout and stderr.
func runWukong(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = Bundle.main.bundleURL.appendingPathComponent("wukong")
    if !FileManager.default.fileExists(atPath: process.executableURL!.path) {
        // The test bundle sits in the products directory on Linux; fall back to its parent.
        process.executableURL = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("wukong")
    }
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func temporaryFile(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("wukong-cli-\(UUID().uuidString)-\(name)").path
}

@Test func chipShowJSONListsTheGridNeighbourPairs() throws {
    let r = try runWukong(["chip", "show", "--json"])
    #expect(r.status == 0, "\(r.err)")
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    let qubits = json["qubits"] as! [[String: Any]]
    let couplers = json["couplers"] as! [[String: Any]]
    #expect(qubits.count == 72 && couplers.count == 126)
    var expected = Set<[Int]>()
    for q in 0..<72 {
        if q % 6 < 5 { expected.insert([q, q + 1]) }
        if q / 6 < 11 { expected.insert([q, q + 6]) }
    }
    #expect(Set(couplers.map { $0["qubits"] as! [Int] }) == expected)
    let first = qubits[0]["parameters"] as! [String: Any]
    #expect(first["t1Us"] as? Double == 9.254)
}

@Test func calibrationShowReadsTheShippedSnapshot() throws {
    let r = try runWukong(["calibration", "show", "calibration/nominal.h5"])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("Calibration snapshot cal-nominal-"))
    #expect(r.out.contains("nominal ×"))
}

@Test func badInputGivesAOneLineErrorAndStatus1() throws {
    let missing = try runWukong(["chip", "show", "--spec", "/nonexistent/device.yaml"])
    #expect(missing.status == 1)
    #expect(missing.err.hasPrefix("error: /nonexistent/device.yaml"))
    let corrupt = temporaryFile("corrupt.h5")
    try Data("garbage".utf8).write(to: URL(fileURLWithPath: corrupt))
    let bad = try runWukong(["calibration", "show", corrupt])
    #expect(bad.status == 1 && bad.err.contains("not an HDF5 file") && bad.err.contains(corrupt))
    let shape = try runWukong(["waveform", "render", "--shape", "blob", "--duration-ns", "10", "--output", temporaryFile("x.h5")])
    #expect(shape.status == 1 && shape.err.contains("unknown shape 'blob'"))
}

@Test func waveformRenderWritesHDF5AndSVG() throws {
    let h5 = temporaryFile("drag.h5"), svg = temporaryFile("drag.svg")
    let r = try runWukong(["waveform", "render", "--shape", "drag", "--duration-ns", "30", "--beta-ns", "0.36",
                           "--if-ghz", "0.1", "--output", h5, "--svg", svg])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("wrote 60 samples"))
    #expect(FileManager.default.fileExists(atPath: h5))
    let text = try String(contentsOfFile: svg, encoding: .utf8)
    #expect(text.hasPrefix("<svg") || text.hasPrefix("<?xml"))
}

@Test func nominalCommandWritesAReadableSnapshot() throws {
    let out = temporaryFile("nominal.h5")
    let r = try runWukong(["calibration", "nominal", "--output", out, "--created-at", "2024-01-06T00:00:00Z"])
    #expect(r.status == 0, "\(r.err)")
    let shown = try runWukong(["calibration", "show", out])
    #expect(shown.out.contains("2024-01-06T00:00:00Z"))
}

@Test func h5dumpReadsTheShippedSnapshot() throws {
    // hdf5-tools is installed by scripts/install-deps; the reference HDF5 reader must accept our file.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["h5dump", "-H", packageRoot.appendingPathComponent("calibration/nominal.h5").path]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = Pipe()
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    for group in ["chip", "qubits", "couplers", "gates", "rphi", "cz", "readout", "provenance"] {
        #expect(text.contains("GROUP \"\(group)\""), "h5dump lacks group \(group)")
    }
    #expect(text.contains("H5T_COMPOUND") && text.contains("\"r\"") && text.contains("\"i\""))
}

@Test func runPrintsBellCountsAndConvertRoundTrips() throws {
    let program = temporaryFile("bell.qasm")
    try "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
        .write(toFile: program, atomically: true, encoding: .utf8)
    let r = try runWukong(["run", program, "--shots", "500", "--seed", "2", "--json"])
    #expect(r.status == 0, "\(r.err)")
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    let counts = json["counts"] as! [String: Int]
    #expect(Set(counts.keys) == ["00", "11"] && counts.values.reduce(0, +) == 500)
    let originIR = temporaryFile("bell.ir")
    #expect(try runWukong(["convert", program, "--to", "originir", "--output", originIR]).status == 0)
    let again = try runWukong(["run", originIR, "--shots", "500", "--seed", "2", "--json"])
    let counts2 = (try JSONSerialization.jsonObject(with: Data(again.out.utf8)) as! [String: Any])["counts"] as! [String: Int]
    #expect(counts2 == counts)
}

@Test func runInSinglePrecisionGivesTheBellDistribution() throws {
    let program = temporaryFile("bell-single.qasm")
    try "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
        .write(toFile: program, atomically: true, encoding: .utf8)
    let r = try runWukong(["run", program, "--shots", "2000", "--seed", "4", "--precision", "single", "--json"])
    #expect(r.status == 0, "\(r.err)")
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    let counts = json["counts"] as! [String: Int]
    #expect(json["precision"] as? String == "single")
    #expect(Set(counts.keys) == ["00", "11"] && abs(counts["00", default: 0] - 1000) < 120)  // 5σ of Binomial(2000, ½)
    let bad = try runWukong(["run", program, "--precision", "half"])
    #expect(bad.status != 0 && bad.err.contains("--precision"))
}

@Test func runWithLeakageReportsLeakedFractionsAndNeedsCalibrationNoise() throws {
    let program = temporaryFile("bell-leak.qasm")
    try "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
        .write(toFile: program, atomically: true, encoding: .utf8)
    let calibration = packageRoot.appendingPathComponent("calibration/nominal.h5").path
    let r = try runWukong(["run", program, "--shots", "400", "--seed", "3", "--noise", "calibration", "--calibration", calibration,
                           "--leakage", "--json"])
    #expect(r.status == 0, "\(r.err)")
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    #expect(json["leakage"] as? Bool == true && json["method"] as? String == "trajectories")
    // The nominal snapshot records no leakage (NaN): nothing leaks.
    #expect(json["leaked_fraction"] as? [Double] == [0, 0])
    #expect((json["counts"] as! [String: Int]).values.reduce(0, +) == 400)
    let bad = try runWukong(["run", program, "--leakage"])
    #expect(bad.status != 0 && bad.err.contains("--leakage needs --backend gate --noise calibration"), "\(bad.err)")
}

@Test func runReportsParseErrorsWithLineAndColumn() throws {
    let program = temporaryFile("bad.qasm")
    try "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nfoo q[0];\n".write(toFile: program, atomically: true, encoding: .utf8)
    let r = try runWukong(["run", program])
    #expect(r.status == 1)
    #expect(r.err.contains("\(program):4:"), "\(r.err)")
}

@Test func compileEmitsAScheduleAgainstTheShippedCalibration() throws {
    let program = temporaryFile("ghz.qasm")
    try "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[3];\ncreg c[3];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\nmeasure q -> c;\n"
        .write(toFile: program, atomically: true, encoding: .utf8)
    let r = try runWukong(["compile", program, "--emit", "schedule"])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("cal-nominal-"))
    #expect(r.out.components(separatedBy: " cz ").count - 1 == 2, "\(r.out)")
    let native = try runWukong(["compile", program, "--emit", "native"])
    #expect(native.status == 0 && native.out.contains("OPENQASM 3"))
    #expect(!native.out.contains("cx "))
}

@Test func noisyRunShowsCalibrationNoise() throws {
    let program = temporaryFile("bell-noisy.qasm")
    try "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
        .write(toFile: program, atomically: true, encoding: .utf8)
    let r = try runWukong(["run", program, "--shots", "4000", "--seed", "9", "--noise", "calibration", "--json"])
    #expect(r.status == 0, "\(r.err)")
    let counts = (try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any])["counts"] as! [String: Int]
    // The nominal assignment matrices alone (F0 ≈ 0.965, F1 ≈ 0.93) put ~5–10 % of shots on 01 and 10.
    let odd = (counts["01"] ?? 0) + (counts["10"] ?? 0)
    #expect(odd > 100 && odd < 1200, "\(counts)")
    let missing = try runWukong(["run", program, "--noise", "calibration", "--calibration", "/nonexistent.h5"])
    #expect(missing.status == 1 && missing.err.contains("/nonexistent.h5"))
}

@Test func pulseInfoPublishesPortsFramesTemplatesAndLimits() throws {
    let r = try runWukong(["chip", "pulse-info", "--json", "--calibration", "calibration/nominal.h5"])
    #expect(r.status == 0, "\(r.err)")
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    let ports = json["ports"] as! [[String: Any]]
    // One XY, one Z and one readout port per qubit, one Z port per coupler.
    #expect(ports.count == 3 * 72 + 126)
    #expect(Set(ports.map { $0["kind"] as! String }) == ["drive", "flux", "readout"])
    let zc = ports.first { $0["name"] as? String == "zc0" }!
    #expect(zc["kind"] as? String == "flux" && zc["qubits"] as? [Int] == [0, 1])
    // Frames carry the calibration's frequencies (Hz): q1's drive frame is the nominal 4.75 GHz.
    let frames = json["frames"] as! [[String: Any]]
    let q1 = frames.first { $0["name"] as? String == "q1_drive" }!
    #expect(q1["port"] as? String == "xy1")
    #expect(abs((q1["frequency_hz"] as! Double) - 4.75e9) < 1)
    #expect(frames.count == 3 * 72 + 126)
    let templates = (json["waveform_templates"] as! [[String: Any]]).map { $0["name"] as! String }
    for t in ["gaussian", "drag", "constant", "gaussian_square", "erf_square", "drag_gaussian"] { #expect(templates.contains(t)) }
    let limits = json["limits"] as! [String: Any]
    #expect(limits["max_samples_per_waveform"] as? Int == 100_000 && limits["max_captures"] as? Int == 256)
    #expect(json["dt_s"] as? Double == 0.5e-9)
}

@Test func runExecutesAnOpenPulseProgramOnThePulseBackend() throws {
    let file = temporaryFile("pulse.qasm")
    try """
        OPENQASM 3.0;
        defcalgrammar "openpulse";
        include "stdgates.inc";
        defcal measure $1 -> bit { return capture_v0(q1_readout); }
        cal { bit[2] c; }
        x $0;
        c[0] = measure $0;
        c[1] = measure $1;
        """.write(toFile: file, atomically: true, encoding: .utf8)
    let r = try runWukong(["run", file, "--backend", "pulse", "--shots", "500", "--json"])
    #expect(r.status == 0, "\(r.err)")
    let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    let counts = json["counts"] as! [String: Int]
    #expect(counts.values.reduce(0, +) == 500)
    #expect(json["program"] as? String == "openpulse")
    // Bit 1 reads the idle qubit 1 (mostly 0); the gate path rejects the program with a pointer to pulse.
    #expect(counts.filter { $0.key.first == "0" }.values.reduce(0, +) > 400, "\(counts)")
    let timing = json["timing_ms"] as! [String: Double]
    #expect(timing["emulate"] != nil && timing["compile"] != nil)
    let gate = try runWukong(["run", file])
    #expect(gate.status == 1 && gate.err.contains("--backend pulse"))
    // A bad frame name is reported with file, line and column.
    try "OPENQASM 3.0;\ncal {\n  play(q9_driev, constant(0.1, 10ns));\n}\n".write(toFile: file, atomically: true, encoding: .utf8)
    let bad = try runWukong(["run", file, "--backend", "pulse"])
    #expect(bad.status == 1 && bad.err.contains(":3:8: error: 'q9_driev' is not a frame"), "\(bad.err)")
}

@Test func calibrateWritesAChildSnapshotAndPlots() throws {
    let out = temporaryFile("calibrated.h5"), plots = temporaryFile("plots")
    let r = try runWukong(["calibrate", "--calibration", "calibration/nominal.h5", "--output", out, "--qubits", "3",
                           "--experiments", "frequency", "--quick", "--plots", plots, "--seed", "2"])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("q3 spectroscopy: drive_frequency=") && r.out.contains("q3 ramsey_fine:"), "\(r.out)")
    let shown = try runWukong(["calibration", "show", out])
    #expect(shown.out.contains("cal-nominal-"), "the parent id is shown: \(shown.out)")
    let files = try FileManager.default.contentsOfDirectory(atPath: plots)
    #expect(files.contains("q3_spectroscopy.svg") && files.contains("q3_ramsey_fine.svg"), "\(files)")
    let bad = try runWukong(["calibrate", "--output", out, "--qubits", "99", "--experiments", "rabi"])
    #expect(bad.status == 1 && bad.err.contains("qubit 99 is not on the chip"), "\(bad.err)")
    let unknown = try runWukong(["calibrate", "--output", out, "--qubits", "0", "--experiments", "rabi,chevron"])
    #expect(unknown.status == 1 && unknown.err.contains("unknown experiment 'chevron'"), "\(unknown.err)")
}

/// `--state mps` and `--state statevector` run the same pulse-path channels: the JSON reports the state
/// used, and the exact probes agree to 1e-10 (firmware in the loop, the CLI default); bad options are
/// named in the error.
@Test func runPulseOnTheMPSStateReportsBondAndProbes() throws {
    func probes(_ state: String) throws -> ([String: Double], [String: Any]) {
        let r = try runWukong(["run", "examples/circuits/bell.qasm", "--backend", "pulse", "--shots", "200", "--state", state,
                               "--probe", "zeros", "--probe", "11", "--json"])
        #expect(r.status == 0, "\(r.err)")
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
        return (json["probes"] as! [String: Double], json["state"] as! [String: Any])
    }
    let (mps, mpsState) = try probes("mps")
    let (sv, svState) = try probes("statevector")
    #expect(mpsState["kind"] as? String == "mps" && svState["kind"] as? String == "statevector")
    #expect((mpsState["max_bond"] as? Int ?? 0) <= 2)
    #expect(Set(mps.keys) == ["00", "11"] && Set(sv.keys) == ["00", "11"])
    for (k, p) in sv { #expect(abs(p - mps[k, default: -1]) < 1e-10, "\(k): \(p) vs \(mps[k] ?? -1)") }
    let bad = try runWukong(["run", "examples/circuits/bell.qasm", "--backend", "pulse", "--probe", "0x1"])
    #expect(bad.status == 1 && bad.err.contains("probe '0x1'"), "\(bad.err)")
}
