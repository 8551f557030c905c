// `wukong pulse`: pulse-level emulation. `run` solves a JSON pulse schedule; `cz` calibrates a CZ
// flux pulse on the two-transmon + coupler model; `bench` prints the benchmark problems as JSON.
import ArgumentParser
import Foundation
import WukongDevice
import WukongEmulator

struct PulseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pulse", abstract: "Pulse-level emulation.",
                                                    subcommands: [Run.self, CZ.self, Bench.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Emulate a JSON pulse schedule (docs/formats/schedule.md) and write the result to HDF5.")
        @Argument(help: "The schedule, JSON.") var schedule: String
        @Option(name: .customLong("device"), help: "Device spec YAML for the true chip (when the schedule has no inline device).")
        var deviceSpec: String?
        @Option(help: "Elements of the true chip, e.g. q0,c0,q1 (overrides the schedule's list).") var elements: String?
        @Option(help: "Levels per mode (2–4).") var levels: Int?
        @Option(name: .customLong("return"), help: "unitary, state, populations or shots.") var returning: String = "state"
        @Option(help: "Readout shots (with --return shots).") var shots: Int = 1000
        @Option(help: "on: Lindblad T1/T2 and noisy readout with T1 decay; off: closed system.") var noise: String = "off"
        @Option(help: "Seed of the shot sampler.") var seed: UInt64 = 1
        @Option(help: "Sub-steps per driven sample (default: 1 when piecewise-constant frame steps are exact — no coupling oscillates in the frame; otherwise chosen by doubling from 8 until the final state changes by < 1e-7).")
        var substeps: Int?

        /// Convergence target and cap of the automatic sub-step count (largest amplitude change of
        /// the final state between n and 2n sub-steps).
        static let substepTolerance = 1e-7
        static let substepLimit = 1024
        @Option(help: "With --noise on: trajectories (state-vector Monte Carlo) instead of the Lindblad density matrix; default: Lindblad up to \(OpenSystemMethod.automaticLindbladLimit) dimensions, else 500 trajectories.")
        var trajectories: Int?
        @Option(name: .customLong("flux-noise-phi0"), help: "Quasi-static flux noise σ_Φ (Φ0) on every mode, drawn per shot (with --return shots or populations); overrides the device spec's flux_noise_sigma_phi0, which --noise on --return shots uses by default (0: none).")
        var fluxNoisePhi0: Double?
        @Option(help: "HDF5 output file.") var output: String

        func run() throws {
            guard let what = PulseRunReturn(rawValue: returning) else {
                fail("--return must be one of \(PulseRunReturn.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard noise == "on" || noise == "off" else { fail("--noise must be on or off") }
            guard shots >= 0, shots <= 10_000_000 else { fail("--shots must lie in 0...10000000") }
            if let substeps, substeps < 1 { fail("--substeps must be ≥ 1") }
            if let trajectories, trajectories < 1 || trajectories > 1_000_000 { fail("--trajectories must lie in 1...1000000") }
            if let trajectories, noise != "on" { fail("--trajectories \(trajectories) needs --noise on") }
            if let f = fluxNoisePhi0 {
                guard f >= 0 && f <= 0.1 else { fail("--flux-noise-phi0 must lie in 0...0.1 Φ0") }
                guard returning == "shots" || returning == "populations" else {
                    fail("--flux-noise-phi0 needs --return shots or populations (one flux draw per shot)")
                }
            }
            let compiled = reportingErrors { () throws -> CompiledSchedule in
                let data = try Data(contentsOf: URL(fileURLWithPath: schedule))
                let s = try PulseSchedule.decode(json: data)
                var device: ChipDevice?
                if s.device == nil {
                    let path = deviceSpec ?? ProcessInfo.processInfo.environment["WUKONG_SPEC"] ?? "calibration/device.yaml"
                    device = try ChipDevice.generate(from: DeviceSpec.load(path: path))
                }
                let list = elements.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
                return try s.compile(device: device, elements: list, levels: levels)
            }
            var steps = substeps ?? 1
            let probe = SchrodingerSolver(model: compiled.model)
            if substeps == nil && probe.needsSubsteps(compiled.sequence) {
                let c = probe.convergedSubsteps(compiled.sequence, initial: compiled.model.groundState,
                                                tolerance: Self.substepTolerance, limit: Self.substepLimit)
                steps = c.substeps
                let note = c.converged
                    ? String(format: "%d sub-steps per driven sample (final state converged to %.1e)\n", steps, c.change)
                    : String(format: "warning: %d sub-steps per driven sample; the final state still changed by %.1e at the cap\n", steps, c.change)
                FileHandle.standardError.write(Data(note.utf8))
            }
            let start = Date()
            let method: OpenSystemMethod = trajectories.map { .trajectories(TrajectoryOptions(trajectories: $0, seed: seed)) } ?? .automatic
            let flux = QuasiStaticFluxNoise.forRun(model: compiled.model, override: fluxNoisePhi0, noise: noise == "on", returning: what)
            let result = runSchedule(compiled, returning: what, noise: noise == "on", shots: shots, seed: seed,
                                     solverOptions: SolverOptions(substeps: steps), method: method, fluxNoise: flux)
            let elapsed = Date().timeIntervalSince(start)
            reportingErrors { try result.writeHDF5(to: output) }
            let names = compiled.elementNames.joined(separator: ",")
            print(String(format: "%@: %d-dimensional model (%@), %.1f ns, %d acquisitions; %@ in %.3f s → %@", schedule,
                         compiled.model.dimension, names, compiled.evolutionEndNs, compiled.acquisitions.count, returning, elapsed, output))
            if let p = result.populations?.last {
                let top = p.indices.sorted { p[$0] > p[$1] }.prefix(4).map { String(format: "|%d⟩ %.6f", $0, p[$0]) }
                print("final populations: " + top.joined(separator: ", "))
            }
            if let s = result.shots, s.shots > 0 {
                for (c, label) in s.labels.enumerated() {
                    let ones = (0..<s.shots).reduce(0) { $0 + Int(s.bits[$1 * s.labels.count + c]) }
                    print(String(format: "%@: P(1) = %.4f over %d shots", label, Double(ones) / Double(s.shots), s.shots))
                }
            }
        }
    }

    struct CZ: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Calibrate a CZ (coupler + moving-qubit flat-top flux pulses) on two transmons and a coupler.")
        @Option(help: "Pulse length, ns.") var durationNs: Double = 50
        @Option(help: "Raised-cosine edge length, ns.") var riseNs: Double = 5
        @Option(help: "Coupler idle (decoupling) frequency, GHz.") var couplerIdleGHz: Double = 6.05
        @Option(help: "Lowest coupler on-frequency in the scan, GHz.") var couplerMinGHz: Double = 4.9
        @Option(help: "Highest coupler on-frequency in the scan, GHz.") var couplerMaxGHz: Double = 5.6
        @Option(help: "Largest moving-qubit detuning in the scan, GHz.") var qubitMaxDetuningGHz: Double = 0.06
        @Option(help: "Grid points per axis.") var points: Int = 9
        @Option(help: "Refinement evaluations.") var refinements: Int = 80

        func run() throws {
            let model = SubsystemModel.twoTransmonsWithCoupler().tuning(mode: 2, toFrequencyGHz: couplerIdleGHz)
            let f = model.frequenciesGHz()
            let cGrid = (0..<points).map { i in
                model.fluxOffset(mode: 2, toFrequencyGHz: couplerMaxGHz - (couplerMaxGHz - couplerMinGHz) * Double(i) / Double(points - 1))
            }
            let qGrid = (0..<points).map { i in
                model.fluxOffset(mode: 1, toFrequencyGHz: f[1] - qubitMaxDetuningGHz * Double(i) / Double(points - 1))
            }
            let start = Date()
            let r = CZCalibration.calibrate(model: model, coupler: 2, movingQubit: 1, durationNs: durationNs, riseNs: riseNs,
                                            couplerFluxGrid: cGrid, qubitFluxGrid: qGrid, maxRefinements: refinements)
            let elapsed = Date().timeIntervalSince(start)
            for p in r.scan {
                print(String(format: "scan  Φc %.5f  Φq %.5f  cp %+.4f  leak %.2e  F %.5f", p.pulse.couplerFluxPhi0,
                             p.pulse.qubitFluxPhi0, p.phases.conditionalPhaseRad, p.phases.leakage, p.phases.czFidelity))
            }
            let fc = model.elements[2].frequencyGHz(fluxOffsetPhi0: model.fluxOffsetsPhi0[2] + r.pulse.couplerFluxPhi0)
            let fq = model.elements[1].frequencyGHz(fluxOffsetPhi0: r.pulse.qubitFluxPhi0)
            print(String(format: "best  Φc %.6f (coupler on %.4f GHz)  Φq %.6f (q1 at %.4f GHz)", r.pulse.couplerFluxPhi0, fc,
                         r.pulse.qubitFluxPhi0, fq))
            print(String(format: "      conditional phase %+.6f rad  leakage %.3e  CZ fidelity %.6f  vZ %@",
                         r.phases.conditionalPhaseRad, r.phases.leakage, r.phases.czFidelity, "\(r.phases.virtualZRad)"))
            print(String(format: "      %d scan points + %d refinements in %.2f s", r.scan.count, r.refinementEvaluations, elapsed))
        }
    }

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Benchmark problems (a)–(d) of issue 4, as JSON.")
        @Flag(help: "Print JSON (the only format).") var json = false
        @Option(help: "Repetitions per timing (best of).") var repeats: Int = 5
        @Option(help: "Comma-separated problems to run (a, b, c, d; default all): profiling one problem.")
        var problems: String = "a,b,c,d"

        func run() throws {
            let chosen = Set(problems.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            if let bad = chosen.first(where: { !["a", "b", "c", "d"].contains($0) }) {
                throw ValidationError("--problems: unknown problem '\(bad)' (choose from a, b, c, d)")
            }
            print(reportingErrors { try PulseBenchmark.runAll(repeats: repeats, problems: chosen) })
        }
    }
}
