// `wukong bench gate` (time the benchmark circuits, export them as OpenQASM 2 for the reference
// tools) and `wukong bench kernels` (per-kernel figures against the memory-bandwidth bound).
// Argument parsing and printing only; the circuits and timing live in WukongGateSim.
import ArgumentParser
import Foundation
import WukongCircuits
import WukongGateSim

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of the gate-level simulator (use a release build: swift build -c release).",
        subcommands: [GateBench.self, KernelBench.self])
}

/// Parses "1,2" into [1, 2].
private func intList(_ text: String, _ flag: String) -> [Int] {
    let values = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) >= 1 }) else { fail("\(flag) '\(text)' is not a list of positive integers") }
    return values.map { $0! }
}

struct GateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Time the benchmark circuits (QFT, GHZ, brickwork, ansatz) on the state vector.",
        discussion: """
            Circuits: qft:N, ghz:N, brickwork:NxL, ansatz:NxL, random:NxG (definitions in
            Sources/WukongGateSim/GateBenchmarks.swift). The timed region is lowering + fusion + the
            kernels (+ ⟨H⟩ for the ansatz), from |0…0⟩; the figure is the best wall time of --repeat
            runs, with the process CPU time of that run beside it. --export-qasm writes each circuit as
            OpenQASM 2 (and the ansatz observable as JSON) so that scripts/bench/gate_reference.py runs
            the identical circuit on the reference simulators.
            """)

    @Option(help: "Comma-separated circuits (default: the quick set; 'full' = the issue's set).")
    var circuits: String = "quick"
    @Option(help: "Comma-separated thread counts, e.g. 1,2.") var threads: String = "1"
    @Option(name: .customLong("repeat"), help: "Repetitions per figure; the best wall time is reported.")
    var repetitions: Int = 3
    @Option(help: "Fusion window in qubits (0 or 1 = no fusion).") var fusion: Int = 2
    @Flag(inversion: .prefixedNo,
          help: "Fuse with diagonal gathering (Euler-split one-qubit gates, gathered diagonals, real kernels) when its cost model prices it lower.")
    var gatherDiagonals = true
    @Option(help: "Cache blocking: chunks of 2^L amplitudes (0 = off; default 18 in double, 19 in single: 4 MiB either way).")
    var cacheBlockQubits: Int?
    @Option(help: "Precision of the state vector: double or single (complex float; <H> summed in double).")
    var precision: String = "double"
    @Option(help: "Seed of the random circuits and ansatz parameters.") var seed: UInt64 = 2026
    @Option(help: "Add this many random circuits over the whole gate table (3–10 qubits, 80 gates, seeds seed+1…).")
    var random: Int = 0
    @Option(help: "Add this many random circuits over the gates OpenQASM 2 spells directly (as --random).")
    var randomQasm2: Int = 0
    @Option(help: "Write each circuit as OpenQASM 2 into this directory.") var exportQasm: String?
    @Flag(help: "Only export (with --export-qasm); time nothing.") var exportOnly = false
    @Option(help: "Noisy density-matrix benchmark NxL (brickwork with depolarizing after every gate), or 'none'.")
    var noisy: String = "10x20"
    @Option(help: "Depolarizing strength after each 1-qubit gate of the noisy benchmark.")
    var noisyP1: Double = GateBenchmarks.noisyDepolarizing.p1
    @Option(help: "Depolarizing strength after each 2-qubit gate of the noisy benchmark.")
    var noisyP2: Double = GateBenchmarks.noisyDepolarizing.p2
    @Option(help: "Compute the adjoint gradient of each ansatz (1) or not (0).") var gradient: Int = 1
    @Flag(help: "Print JSON.") var json = false

    /// The noisy benchmark's size, nil for 'none'.
    func noisySize() -> (qubits: Int, layers: Int)? {
        if noisy.lowercased() == "none" { return nil }
        let sizes = noisy.lowercased().split(separator: "x").compactMap { Int($0) }
        guard sizes.count == 2, (1...DensityMatrix.maxQubitCount).contains(sizes[0]), sizes[1] >= 1 else {
            fail("--noisy '\(noisy)' is not NxL with 1 ≤ N ≤ \(DensityMatrix.maxQubitCount), L ≥ 1, or 'none'")
        }
        return (sizes[0], sizes[1])
    }

    /// The circuits to run, each with the seed of its random choices.
    func selection() -> [(spec: GateBenchmarks.Spec, seed: UInt64)] {
        var out: [(GateBenchmarks.Spec, UInt64)] = []
        for item in circuits.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
            switch item.lowercased() {
            case "quick": out += GateBenchmarks.quickSet.map { ($0, seed) }
            case "full": out += GateBenchmarks.fullSet.map { ($0, seed) }
            case "none", "": continue
            default:
                guard let spec = GateBenchmarks.Spec(item) else {
                    fail("circuit '\(item)' is not one of qft:N, ghz:N, brickwork:NxL, ansatz:NxL, random:NxG, randomq2:NxG (N ≥ 3)")
                }
                out.append((spec, seed))
            }
        }
        for k in 0..<max(0, random) {
            out.append((.random(qubits: 3 + k % 8, gates: 80), seed &+ UInt64(k + 1)))
        }
        for k in 0..<max(0, randomQasm2) {
            out.append((.randomQASM2(qubits: 3 + k % 8, gates: 80), seed &+ UInt64(k + 1)))
        }
        return out
    }

    /// File stem of an exported circuit; random circuits carry their seed.
    static func stem(_ spec: GateBenchmarks.Spec, _ seed: UInt64) -> String {
        switch spec {
        case .random, .randomQASM2: return "\(spec.fileStem)_s\(seed)"
        default: break
        }
        return spec.fileStem
    }

    func export(_ list: [(spec: GateBenchmarks.Spec, seed: UInt64)], to directory: String) {
        reportingErrors {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (spec, seed) in list {
                let base = (directory as NSString).appendingPathComponent(Self.stem(spec, seed))
                try CircuitExporter.qasm2(spec.circuit(seed: seed)).write(toFile: base + ".qasm", atomically: true, encoding: .utf8)
                if spec.isExpectation {
                    // Terms as [coefficient, Pauli letters with qubit 0 rightmost].
                    let terms = GateBenchmarks.ansatzObservable(qubits: spec.qubitCount).terms.map { term -> [Any] in
                        var letters = term.pauli.description
                        letters = String(repeating: "I", count: max(0, spec.qubitCount - letters.count)) + letters
                        return [term.coefficient, letters]
                    }
                    let data = try JSONSerialization.data(withJSONObject: ["qubits": spec.qubitCount, "terms": terms],
                                                          options: [.sortedKeys])
                    try data.write(to: URL(fileURLWithPath: base + ".observable.json"))
                }
            }
        }
    }

    func run() throws {
        let list = selection()
        let threadCounts = intList(threads, "--threads")
        guard repetitions >= 1 else { fail("--repeat must be ≥ 1") }
        if let exportQasm { export(list, to: exportQasm) }
        if exportOnly {
            guard exportQasm != nil else { fail("--export-only needs --export-qasm DIR") }
            if !json { print("exported \(list.count) circuits to \(exportQasm!)") }
            return
        }
        guard let chosenPrecision = SimulationPrecision(rawValue: precision) else { fail("--precision must be double or single") }
        let loadBefore = GateBenchmarks.loadAverage() ?? "n/a"
        var results: [GateBenchmarkResult] = []
        var gradientLines: [String] = []
        var records: [[String: Any]] = []
        if !json {
            print("wukong bench gate: \(precision) precision, fusion \(fusion), cache blocks 2^\(cacheBlockQubits ?? (chosenPrecision == .single ? CacheBlocking.defaultLocalQubitsSingle : CacheBlocking.defaultLocalQubits)), best of \(repetitions), loadavg before: \(loadBefore)")
            print("circuit              qubits  gates  steps sweeps thr    best s     cpu s  cpu/wall  <H>")
        }
        for (spec, seed) in list {
            for t in threadCounts {
                let r = reportingErrors {
                    try GateBenchmarks.run(spec, threads: t, repetitions: repetitions, fusionQubits: fusion, seed: seed,
                                           cacheBlockQubits: cacheBlockQubits, precision: chosenPrecision,
                                           gatherDiagonals: gatherDiagonals)
                }
                results.append(r)
                var record: [String: Any] = [
                    "circuit": spec.description, "file_stem": Self.stem(spec, seed), "qubits": spec.qubitCount,
                    "gates": r.gateCount, "fused_steps": r.fusedCount, "sweeps": r.sweeps, "threads": t, "fusion": fusion,
                    "seed": seed, "best_wall_s": r.timing.bestWallSeconds, "cpu_s_at_best": r.timing.cpuSecondsAtBest,
                    "wall_s": r.timing.wallSeconds, "cpu_s": r.timing.cpuSeconds, "norm": r.norm,
                    "loadavg": GateBenchmarks.loadAverage() ?? "n/a",
                ]
                if let e = r.expectation { record["expectation"] = e }
                if case let .ansatz(n, l) = spec, gradient != 0,
                   let g = try GateBenchmarks.ansatzGradientResult(qubits: n, layers: l, threads: t,
                                                                   repetitions: repetitions, seed: seed) {
                    record["gradient_best_wall_s"] = g.timing.bestWallSeconds
                    record["gradient_cpu_s_at_best"] = g.timing.cpuSecondsAtBest
                    record["gradient_wall_s"] = g.timing.wallSeconds
                    record["gradient_value"] = g.value
                    record["gradient_norm"] = g.gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    record["gradient"] = g.gradient
                    gradientLines.append("gradient \(spec.description) " + String(format: "T=%d: %d parameters, best %.4f s (cpu %.4f s), "
                                                + "%.1f gradients/s, |∇| = %.12f",
                                                t, g.gradient.count, g.timing.bestWallSeconds,
                                                g.timing.cpuSecondsAtBest, 1 / g.timing.bestWallSeconds,
                                                record["gradient_norm"] as! Double))
                }
                records.append(record)
                if !json {
                    let wall = r.timing.bestWallSeconds, cpu = r.timing.cpuSecondsAtBest
                    // Foundation on Linux ignores the width of %@, so pad by hand.
                    let name = spec.description.padding(toLength: 20, withPad: " ", startingAt: 0)
                    print(name + String(format: " %6d %6d %6d %6d %3d %9.4f %9.4f %9.2f  ",
                                        spec.qubitCount, r.gateCount, r.fusedCount, r.sweeps, t, wall, cpu, cpu / wall)
                          + (r.expectation.map { String(format: "%.12f", $0) } ?? ""))
                }
            }
        }
        var noisyRecords: [[String: Any]] = []
        var noisyLines: [String] = []
        if let size = noisySize() {
            for t in threadCounts {
                guard let r = try GateBenchmarks.noisyDensityMatrix(qubits: size.qubits, layers: size.layers, threads: t,
                                                                    repetitions: repetitions, seed: seed,
                                                                    p1: noisyP1, p2: noisyP2) else { continue }
                noisyRecords.append([
                    "circuit": "noisy-dm:\(size.qubits)x\(size.layers)", "qubits": size.qubits, "layers": size.layers,
                    "threads": t, "p1": r.p1, "p2": r.p2, "gates": r.gateCount, "seed": seed,
                    "best_wall_s": r.timing.bestWallSeconds, "cpu_s_at_best": r.timing.cpuSecondsAtBest,
                    "wall_s": r.timing.wallSeconds, "purity": r.purity, "expectation_z0": r.expectationZ0,
                    "trace": r.trace, "loadavg": GateBenchmarks.loadAverage() ?? "n/a",
                ])
                noisyLines.append(String(format: "noisy density matrix brickwork %dx%d (p1 %g, p2 %g, %d gates+channels) T=%d: "
                                         + "best %.4f s (cpu %.4f s), purity %.12f, <Z0> %.12f, Tr rho - 1 = %.1e",
                                         size.qubits, size.layers, r.p1, r.p2, r.gateCount, t, r.timing.bestWallSeconds,
                                         r.timing.cpuSecondsAtBest, r.purity, r.expectationZ0, r.trace - 1))
            }
        }
        let loadAfter = GateBenchmarks.loadAverage() ?? "n/a"
        if json {
            let doc: [String: Any] = ["tool": "wukong", "results": records, "loadavg_before": loadBefore,
                                      "loadavg_after": loadAfter, "repetitions": repetitions,
                                      "noisy_density_matrix": noisyRecords]
            let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for line in gradientLines + noisyLines { print(line) }
            print("loadavg after: \(loadAfter)")
        }
    }
}

struct KernelBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Time the state-vector kernels against the measured memory-bandwidth bound 32·2ⁿ/B.")

    @Option(help: "Register size n (24: a 256 MiB state).") var qubits: Int = 24
    @Option(help: "Comma-separated thread counts.") var threads: String = "1,2"
    @Option(name: .customLong("repeat"), help: "Repetitions per figure (best is reported).") var repetitions: Int = 3
    @Option(help: "Buffer for the bandwidth measurement, MiB.") var bandwidthMib: Int = 512

    func run() throws {
        guard (4...StateVector.maxQubitCount).contains(qubits) else { fail("--qubits must be in 4...\(StateVector.maxQubitCount)") }
        guard repetitions >= 1, bandwidthMib >= 1 else { fail("--repeat and --bandwidth-mib must be ≥ 1") }
        var config = StateVectorBenchmark.Configuration()
        config.qubitCount = qubits
        config.threadCounts = intList(threads, "--threads")
        config.repetitions = repetitions
        config.bandwidthBufferMiB = bandwidthMib
        print("loadavg before: \(GateBenchmarks.loadAverage() ?? "n/a")")
        print(StateVectorBenchmark.run(config))
        print("loadavg after: \(GateBenchmarks.loadAverage() ?? "n/a")")
    }
}
