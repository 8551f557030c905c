// `wukong run` (execute a program on a backend) and `wukong convert` (translate between languages).
import ArgumentParser
import Foundation
import WukongCircuits
import WukongDevice
import WukongGateSim
import WukongRuntime

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an OpenQASM 2/3 or OriginIR program and print the counts (qubit/clbit 0 rightmost).")

    enum Backend: String, ExpressibleByArgument, CaseIterable { case gate, pulse }
    enum Noise: String, ExpressibleByArgument, CaseIterable { case calibration, none }
    enum StateChoice: String, ExpressibleByArgument, CaseIterable { case auto, statevector, mps }

    @Argument(help: "The program file (.qasm or OriginIR).") var file: String
    @Option(help: "Backend: gate (the fast state-vector path) or pulse (compile, lower to pulses, emulate on the true device).")
    var backend: Backend = .gate
    @Option(help: "Device spec of the true chip for --backend pulse.") var spec: String = "calibration/device.yaml"
    @Option(help: "Number of shots.") var shots: Int = 1024
    @Option(help: "Seed of the sampling; the same seed gives the same counts.") var seed: UInt64 = 0
    @Option(help: "Noise: calibration (T1/T2, gate fidelities, idle, ZZ and readout from --calibration) or none.")
    var noise: Noise = .none
    @Flag(help: ArgumentHelp("With --noise calibration: add leakage (gates/rphi/leakage, gates/cz/leakage of the snapshot; NaN = none) with seepage at 2/T1; runs on trajectories.",
                             discussion: "A leaked qubit reads 1; gates on it act as the identity. --json adds leaked_fraction per qubit."))
    var leakage = false
    @Option(help: "Calibration snapshot for --noise calibration (default $WUKONG_CALIBRATION, else calibration/nominal.h5).")
    var calibration: String?
    @Option(help: "Bind a symbolic parameter, NAME=VALUE (repeatable).") var param: [String] = []
    @Option(help: "Write the final state vector to this HDF5 file (dataset 'statevector').") var statevector: String?
    @Option(help: "Threads for the kernels (default: all cores).") var threads: Int?
    @Option(help: "Gate backend precision: double (default) or single (complex float: half the memory; terminal measurements only, noise none).")
    var precision: String = "double"
    @Flag(inversion: .prefixedNo, help: "--backend pulse: render every pulse through FirmwareSim (sequencer, NCO, 14-bit DACs) before emulation.")
    var firmware = true
    @Option(help: "--backend pulse: the global state, auto (state vector up to 24 simulated qubits, MPS above), statevector or mps.")
    var state: StateChoice = .auto
    @Option(help: "--backend pulse with the MPS state: largest bond dimension kept after a 2-qubit channel.")
    var maxBond: Int = 1024
    @Option(help: "--backend pulse with the MPS state: discarded-weight cutoff per SVD (relative Schmidt weight dropped).")
    var mpsCutoff: Double = 1e-20
    @Option(help: "--backend pulse: print the exact probability (no readout error) of this clbit string (repeatable; 'zeros'/'ones' for all 0/1).")
    var probe: [String] = []
    @Flag(help: "Print JSON.") var json = false

    /// The pulse path's state options from --state, --max-bond, --mps-cutoff.
    var stateOptions: PulseStateOptions {
        guard maxBond >= 1 else { fail("--max-bond must be ≥ 1, got \(maxBond)") }
        guard mpsCutoff >= 0 && mpsCutoff < 1 else { fail("--mps-cutoff must be in [0, 1), got \(mpsCutoff)") }
        return PulseStateOptions(kind: PulseStateOptions.Kind(rawValue: state.rawValue)!, mps: MPSOptions(maxBondDimension: maxBond, cutoff: mpsCutoff))
    }

    /// The state figures of a pulse run for JSON and text output.
    static func stateDocument(_ report: PulseStateReport?, probes: [(bits: String, probability: Double)],
                              leakage: [GateLeakage]) -> [String: Any] {
        var doc: [String: Any] = ["total_leakage": leakage.reduce(0) { $0 + $1.leakage }]
        if let report {
            doc["state"] = ["kind": report.kind, "qubits": report.qubits, "max_bond": report.maxBondDimension,
                            "discarded_weight": report.discardedWeight]
        }
        if !probes.isEmpty { doc["probes"] = Dictionary(uniqueKeysWithValues: probes.map { ($0.bits, $0.probability) }) }
        return doc
    }

    static func stateLine(_ report: PulseStateReport?, probes: [(bits: String, probability: Double)], leakage: [GateLeakage]) -> String {
        var line = String(format: "total leakage %.3e", leakage.reduce(0) { $0 + $1.leakage })
        if let r = report {
            line += r.kind == "mps" ? String(format: "; state mps over %d qubits, max bond %d, discarded weight %.3e", r.qubits,
                                             r.maxBondDimension, r.discardedWeight)
                                    : "; state vector over \(r.qubits) qubits"
        }
        for p in probes { line += String(format: "\nP(%@) = %.6f (exact, no readout error)", p.bits, p.probability) }
        return line
    }

    func run() throws {
        if let source = try? String(contentsOfFile: file, encoding: .utf8), OpenPulseProgram.isPulseProgram(source) {
            guard backend == .pulse else { fail("\(file) is an OpenPulse program (cal/defcal): run it with --backend pulse") }
            return try runOpenPulse(source)
        }
        let circuit = reportingErrors { try ProgramReader.read(path: file) }
        if leakage && (backend != .gate || noise != .calibration) {
            fail("--leakage needs --backend gate --noise calibration (the leakage probabilities come from the calibration snapshot)")
        }
        if backend == .pulse { return try runPulse(circuit) }
        var options = GateRunOptions()
        options.shots = shots
        options.seed = seed
        guard let chosen = SimulationPrecision(rawValue: precision) else { fail("--precision must be double or single, got '\(precision)'") }
        if chosen == .single && noise == .calibration { fail("--precision single runs with --noise none only") }
        options.precision = chosen
        if let threads {
            guard threads >= 1 else { fail("--threads must be ≥ 1") }
            options.execution = ExecutionOptions(threadCount: threads)
        }
        for binding in param {
            let parts = binding.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else { fail("--param '\(binding)' is not NAME=VALUE") }
            options.parameters[parts[0]] = value
        }
        let start = Date()
        let result = reportingErrors { () throws -> GateRunResult in
            guard noise == .calibration else { return try CircuitSimulator.run(circuit, options: options) }
            let path = calibration ?? ProcessInfo.processInfo.environment["WUKONG_CALIBRATION"] ?? "calibration/nominal.h5"
            var noiseOptions = NoiseOptions()
            noiseOptions.leakage = leakage
            return try NoisySimulator.run(circuit, noise: try GateNoiseModel(calibrationFile: path, options: noiseOptions), options: options)
        }
        let elapsedMs = Date().timeIntervalSince(start) * 1000
        if let statevector {
            reportingErrors {
                try CircuitSimulator.finalState(circuit, parameters: options.parameters, execution: options.execution)
                    .writeHDF5(to: statevector)
            }
        }
        let sorted = result.counts.sorted { $0.key < $1.key }
        if json {
            var doc: [String: Any] = [
                "backend": backend.rawValue, "noise": noise.rawValue, "shots": shots, "seed": seed, "precision": chosen.rawValue,
                "qubits": circuit.numQubits, "clbits": result.clbitCount,
                "counts": Dictionary(uniqueKeysWithValues: sorted.map { ($0.key, $0.value) }),
                "measured_all_implicitly": result.measuredAllImplicitly,
                "timing_ms": ["simulate": elapsedMs],
            ]
            if let leaked = result.leakedFractions {
                doc["leakage"] = true
                doc["method"] = "trajectories"   // leakage always runs on quantum trajectories
                doc["leaked_fraction"] = leaked
            }
            let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("\(circuit.numQubits) qubits, \(shots) shots, seed \(seed), backend \(backend.rawValue), noise \(noise.rawValue)"
                  + (result.measuredAllImplicitly ? " (no measurement in the program: all qubits sampled)" : ""))
            for (bits, count) in sorted { print("\(bits)  \(count)") }
            if let leaked = result.leakedFractions {
                print("leakage on (quantum trajectories); leaked at the end: "
                      + leaked.enumerated().map { String(format: "q%d %.4f", $0.offset, $0.element) }.joined(separator: ", "))
            }
            print(String(format: "simulated in %.1f ms", elapsedMs))
        }
    }
}

extension RunCommand {
    /// `--backend pulse`: counts plus timing metadata (compile, lower, emulate, sample) and cache figures.
    func runPulse(_ circuit: Circuit) throws {
        guard noise == .none else { fail("--backend pulse runs noise-free in v1 (closed system); use --noise none") }
        let path = calibration ?? ProcessInfo.processInfo.environment["WUKONG_CALIBRATION"] ?? "calibration/nominal.h5"
        let snapshot = reportingErrors { try CalibrationSnapshot.read(from: path) }
        let device = reportingErrors { try ChipDevice.generate(from: try DeviceSpec.load(path: spec)) }
        var options = PulseBackend.Options()
        if firmware { options.firmware = FirmwareLoop(topology: snapshot.topology) }
        options.state = stateOptions
        options.probes = probe
        for binding in param {
            let parts = binding.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else { fail("--param '\(binding)' is not NAME=VALUE") }
            options.compile.parameters[parts[0]] = value
        }
        let r = reportingErrors {
            try PulseBackend.run(circuit, calibration: snapshot, device: device, shots: shots, seed: seed, options: options)
        }
        let sorted = r.counts.sorted { $0.key < $1.key }
        let maxLeak = r.gateLeakage.map(\.leakage).max() ?? 0
        let timing = ["compile": r.timing.compileMs, "lower": r.timing.lowerMs, "firmware": r.timing.firmwareMs,
                      "emulate": r.timing.emulateMs, "sample": r.timing.sampleMs, "total": r.timing.totalMs]
        if json {
            var doc: [String: Any] = [
                "backend": "pulse", "noise": "none", "shots": shots, "seed": seed, "calibration": path, "firmware": firmware,
                "qubits": circuit.numQubits, "clbits": r.clbitCount, "physical_qubits": r.usedQubits,
                "counts": Dictionary(uniqueKeysWithValues: sorted.map { ($0.key, $0.value) }),
                "measured_all_implicitly": r.measuredAllImplicitly, "timing_ms": timing,
                "cache": ["hits": r.cacheHits, "misses": r.cacheMisses], "gates": r.gateLeakage.count,
                "max_leakage": maxLeak,
            ]
            doc.merge(Self.stateDocument(r.state, probes: r.probes, leakage: r.gateLeakage)) { $1 }
            let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("\(circuit.numQubits) qubits (physical \(r.usedQubits)), \(shots) shots, seed \(seed), backend pulse, calibration \(path)"
                  + (r.measuredAllImplicitly ? " (no measurement in the program: all qubits sampled)" : ""))
            for (bits, count) in sorted { print("\(bits)  \(count)") }
            print(String(format: "timing: compile %.1f ms, lower %.1f ms, firmware %.1f ms, emulate %.1f ms, sample %.1f ms; "
                         + "%d gates, cache %d hits / %d misses, max leakage %.2e",
                         r.timing.compileMs, r.timing.lowerMs, r.timing.firmwareMs, r.timing.emulateMs, r.timing.sampleMs,
                         r.gateLeakage.count, r.cacheHits, r.cacheMisses, maxLeak))
            print(Self.stateLine(r.state, probes: r.probes, leakage: r.gateLeakage))
        }
    }
}

extension RunCommand {
    /// `--backend pulse` on an OpenQASM 3 + OpenPulse program.
    func runOpenPulse(_ source: String) throws {
        guard noise == .none else { fail("--backend pulse runs noise-free in v1 (closed system); use --noise none") }
        let path = calibration ?? ProcessInfo.processInfo.environment["WUKONG_CALIBRATION"] ?? "calibration/nominal.h5"
        let snapshot = reportingErrors { try CalibrationSnapshot.read(from: path) }
        let device = reportingErrors { try ChipDevice.generate(from: try DeviceSpec.load(path: spec)) }
        var parameters: [String: Double] = [:]
        for binding in param {
            let parts = binding.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else { fail("--param '\(binding)' is not NAME=VALUE") }
            parameters[parts[0]] = value
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let program = reportingErrors { try OpenPulseProgram.parse(source, file: file) }
        let parseMs = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        let r = reportingErrors {
            try OpenPulseBackend.run(program, calibration: snapshot, device: device, shots: shots, seed: seed, parameters: parameters,
                                     firmware: firmware ? FirmwareLoop(topology: snapshot.topology) : nil, state: stateOptions,
                                     probes: probe)
        }
        let sorted = r.counts.sorted { $0.key < $1.key }
        let maxLeak = r.gateLeakage.map(\.leakage).max() ?? 0
        let timing = ["parse": parseMs, "compile": r.timing.compileMs, "firmware": r.timing.firmwareMs, "emulate": r.timing.emulateMs,
                      "sample": r.timing.sampleMs, "total": parseMs + r.timing.totalMs]
        if json {
            var doc: [String: Any] = [
                "backend": "pulse", "program": "openpulse", "noise": "none", "shots": shots, "seed": seed, "calibration": path,
                "firmware": firmware, "firmware_max_sample_error": r.firmwareMaxError,
                "clbits": r.clbitCount, "physical_qubits": r.usedQubits,
                "counts": Dictionary(uniqueKeysWithValues: sorted.map { ($0.key, $0.value) }),
                "timing_ms": timing, "duration_ns": r.durationNs, "channels": r.gateLeakage.count,
                "play_clusters": r.clusterCount, "max_leakage": maxLeak,
            ]
            doc.merge(Self.stateDocument(r.state, probes: r.probes, leakage: r.gateLeakage)) { $1 }
            if !r.iq.isEmpty {
                doc["iq"] = Dictionary(uniqueKeysWithValues: r.iq.map { ($0.name, $0.values.map { [$0.real, $0.imaginary] }) })
            }
            if !r.traces.isEmpty {
                doc["traces"] = Dictionary(uniqueKeysWithValues: r.traces.map { ($0.name, $0.samples.map { [$0.real, $0.imaginary] }) })
            }
            let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("OpenPulse program, physical qubits \(r.usedQubits), \(shots) shots, seed \(seed), backend pulse, calibration \(path), \(r.durationNs) ns")
            for (bits, count) in sorted { print("\(bits)  \(count)") }
            for (name, values) in r.iq {
                let n = Double(max(values.count, 1))
                let (re, im) = (values.reduce(0.0) { $0 + $1.real } / n, values.reduce(0.0) { $0 + $1.imaginary } / n)
                print(String(format: "iq %@: %d points, mean (%.4f, %.4f)", name, values.count, re, im))
            }
            for (name, samples) in r.traces { print("trace \(name): \(samples.count) samples at 1 GS/s (--json prints them)") }
            print(String(format: "timing: parse %.1f ms, compile %.1f ms, firmware %.1f ms, emulate %.1f ms, sample %.1f ms; %d channels (%d play clusters), max leakage %.2e",
                         parseMs, r.timing.compileMs, r.timing.firmwareMs, r.timing.emulateMs, r.timing.sampleMs, r.gateLeakage.count, r.clusterCount, maxLeak))
        }
    }
}

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert", abstract: "Translate a program between OpenQASM 2, OpenQASM 3 and OriginIR.")

    @Argument(help: "The program file.") var file: String
    @Option(help: "Target language: qasm2, qasm3 or originir.") var to: String
    @Option(help: "Write here instead of standard output.") var output: String?

    func run() throws {
        guard let language = ProgramLanguage(rawValue: to.lowercased()) else {
            fail("--to '\(to)' is not one of: \(ProgramLanguage.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let circuit = reportingErrors { try ProgramReader.read(path: file) }
        let text = reportingErrors { try ProgramReader.export(circuit, to: language) }
        if let output {
            reportingErrors { try text.write(toFile: output, atomically: true, encoding: .utf8) }
        } else {
            print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}
