// Shared fixtures of the pulse-backend tests: the true device, the oracle and nominal snapshots,
// and exact output distributions of the gate path.
import Foundation
import WukongCircuits
import WukongCompiler
import WukongEmulator
import WukongNumerics
import WukongDevice
import WukongGateSim
@testable import WukongRuntime

enum Fixtures {
    /// The package root, from this file's path (Tests/WukongRuntimeTests/Fixtures.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let spec: DeviceSpec = try! DeviceSpec.load(path: packageRoot.appendingPathComponent("calibration/device.yaml").path)
    /// The hidden truth.
    static let device: ChipDevice = try! ChipDevice.generate(from: spec)
    /// Values read off the truth (single-qubit gates matched; CZ amplitudes from design formulas).
    static let oracle: CalibrationSnapshot = try! CalibrationSnapshot.oracle(device: device, spec: spec)
    /// The shipped, uncalibrated snapshot.
    static let nominal: CalibrationSnapshot = try! CalibrationSnapshot.read(
        from: packageRoot.appendingPathComponent("calibration/nominal.h5").path)

    /// Parses an OpenQASM 2 program.
    static func qasm(_ body: String) throws -> Circuit {
        try OpenQASMParser.parse("OPENQASM 2.0;\ninclude \"qelib1.inc\";\n" + body)
    }

    /// The gate path's exact output distribution over clbit strings (terminal measurements).
    static func gateDistribution(_ circuit: Circuit) throws -> [String: Double] {
        let state = try CircuitSimulator.finalState(circuit)
        let measures = circuit.instructions.compactMap { i -> (Int, Int)? in
            if case let .measure(q, c) = i.operation { return (q, c) } else { return nil }
        }
        let width = circuit.numClbits
        var out: [String: Double] = [:]
        for (i, p) in state.probabilities().enumerated() where p > 0 {
            var bits = [Character](repeating: "0", count: width)
            for (q, c) in measures { bits[width - 1 - c] = (i >> q) & 1 == 1 ? "1" : "0" }
            out[String(bits), default: 0] += p
        }
        return out
    }

    /// Total-variation distance ½Σ|p − q|.
    static func totalVariation(_ p: [String: Double], _ q: [String: Double]) -> Double {
        Set(p.keys).union(q.keys).reduce(0) { $0 + abs(p[$1, default: 0] - q[$1, default: 0]) } / 2
    }
}

/// CZ calibration of the couplers a set of circuits uses, on the true device (what the CZ calibration
/// experiment would find), written into a copy of the oracle snapshot.
enum CZFixture {
    /// Per calibrated coupler: average CZ fidelity up to virtual Z, leakage, conditional-phase error.
    nonisolated(unsafe) static var report: [Int: TwoQubitPhases] = [:]
    static let lock = NSLock()

    /// Couplers the CZs of `circuits` land on when compiled against `snapshot`.
    static func couplers(_ circuits: [Circuit], snapshot: CalibrationSnapshot) throws -> Set<Int> {
        var out = Set<Int>()
        for c in circuits {
            let compiled = try Compiler.compile(c, target: CompilerTarget(calibration: snapshot))
            for i in compiled.schedule.instructions { if case let .cz(k, _) = i.operation { out.insert(k) } }
        }
        return out
    }

    /// CZ length and ramps: the design 40 ns / 5 ns leaves 1–10 % leakage on some pairs, and 60 ns with
    /// 10-ns ramps still leaves 1 % on coupler 0 (F = 0.990, which put the random 3-qubit circuit at
    /// TVD 0.025); 80 ns with 20-ns ramps reaches F = 0.99997 there (leakage 2e-5; `czLengthSweep`).
    static let durationNs = 80.0, rampNs = 20.0

    /// Calibrates each coupler's CZ (`durationNs`, `rampNs`): a 4 × 5 scan of the coupler's on-frequency
    /// (5.4 → 4.8 GHz) and the moving qubit's frequency around the |11⟩–|02⟩ resonance f_L − α_H
    /// (+80 → −20 MHz, capped at its idle frequency), then Nelder–Mead (≤ 50 evaluations).
    static func calibrated(_ snapshot: CalibrationSnapshot, couplers: Set<Int>, durationNs: Double = durationNs,
                           rampNs: Double = rampNs, refinements: Int = 50) throws -> CalibrationSnapshot {
        var updates: [CalibrationUpdate] = []
        let channels = ClusterChannels(device: Fixtures.device)
        for c in couplers.sorted() {
            let ends = snapshot.topology.endpoints(of: CouplerIndex(c))
            let (low, high) = (ends.low.rawValue, ends.high.rawValue)
            let moving = Int(snapshot.value(.czMovingQubit, c).rounded())
            let pulse = CZFluxPulse(coupler: c, low: low, high: high, movingQubit: moving,
                                    durationNs: durationNs, riseNs: rampNs,
                                    couplerFluxPhi0: 0, qubitFluxPhi0: 0)
            let model = channels.czModel(pulse)
            let m = moving == low ? 0 : 1
            let f = model.frequenciesGHz()
            let couplerGrid = (0..<4).map { model.fluxOffset(mode: 2, toFrequencyGHz: 5.4 - 0.2 * Double($0)) }
            let resonance = f[1 - m] - model.elements[m].anharmonicityGHz
            let qubitGrid = [0.08, 0.04, 0.02, 0, -0.02].map { d in
                let target = resonance + d
                return target >= f[m] ? 0 : model.fluxOffset(mode: m, toFrequencyGHz: target)
            }
            var r = CZCalibration.calibrate(model: model, coupler: 2, movingQubit: m, durationNs: pulse.durationNs,
                                            riseNs: pulse.riseNs, couplerFluxGrid: couplerGrid, qubitFluxGrid: qubitGrid,
                                            maxRefinements: refinements)
            if r.phases.czFidelity < 0.99 {
                // Second try: the coupler held less far down (5.8 → 5.3 GHz), the qubit finer around resonance.
                let cg = (0..<4).map { model.fluxOffset(mode: 2, toFrequencyGHz: 5.8 - 0.15 * Double($0)) }
                let qg = [0.05, 0.03, 0.01, -0.01].map { d in
                    resonance + d >= f[m] ? 0 : model.fluxOffset(mode: m, toFrequencyGHz: resonance + d)
                }
                let second = CZCalibration.calibrate(model: model, coupler: 2, movingQubit: m, durationNs: pulse.durationNs,
                                                     riseNs: pulse.riseNs, couplerFluxGrid: cg, qubitFluxGrid: qg,
                                                     maxRefinements: refinements)
                if second.phases.czFidelity > r.phases.czFidelity { r = second }
            }
            lock.withLock { report[c] = r.phases }
            updates += [
                CalibrationUpdate(.czDuration, element: c, value: durationNs, source: "cz_calibration"),
                CalibrationUpdate(.czRamp, element: c, value: rampNs, source: "cz_calibration"),
                CalibrationUpdate(.czCouplerAmplitude, element: c, value: r.pulse.couplerFluxPhi0, source: "cz_calibration"),
                CalibrationUpdate(.czQubitAmplitude, element: c, value: r.pulse.qubitFluxPhi0, source: "cz_calibration"),
                CalibrationUpdate(.czVirtualZ, element: c, real: r.phases.virtualZRad, imag: nil, source: "cz_calibration"),
                CalibrationUpdate(.czFidelity, element: c, value: r.phases.czFidelity, source: "cz_calibration"),
            ]
        }
        return try snapshot.updating(updates, note: "CZ calibrated on the emulator for the runtime tests")
    }

    /// Bell, GHZ-5 and random 3-qubit circuits (seeds `randomSeeds`) of the agreement tests.
    static let circuits: [Circuit] = [
        try! Fixtures.qasm("qreg q[2]; creg c[2]; h q[0]; cx q[0],q[1]; measure q -> c;"),
        try! Fixtures.qasm(ghz5),
    ] + randomSeeds.map { try! Fixtures.qasm(random3(seed: $0)) }
    static let names = ["Bell", "GHZ-5"] + randomSeeds.map { "random-3 (seed \($0))" }
    static let randomSeeds: [UInt64] = [7, 11, 23]
    static let ghz5 = "qreg q[5]; creg c[5]; h q[0]; cx q[0],q[1]; cx q[1],q[2]; cx q[2],q[3]; cx q[3],q[4]; measure q -> c;"
    /// Three layers of seeded random U3 and CX on a triangle (one CX needs a SWAP on the grid).
    static func random3(seed: UInt64) -> String {
        var rng = SeededGenerator(seed: seed)
        func a() -> Double { (rng.uniform() * 2 - 1) * Double.pi }
        var s = "qreg q[3]; creg c[3];\n"
        for (x, y) in [(0, 1), (1, 2), (2, 0)] {
            for q in 0..<3 { s += "u3(\(a()),\(a()),\(a())) q[\(q)];\n" }
            s += "cx q[\(x)],q[\(y)];\n"
        }
        return s + "measure q -> c;\n"
    }

    /// The oracle snapshot with the circuits' couplers CZ-calibrated (computed once).
    static let snapshot: CalibrationSnapshot = {
        let used = try! couplers(circuits, snapshot: Fixtures.oracle)
        return try! calibrated(Fixtures.oracle, couplers: used)
    }()
}
