// `wukong calibrate`: run calibration experiments on the emulated chip and write the new snapshot.
import ArgumentParser
import Foundation
import WukongCalibration
import WukongDevice

struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibrate qubits and couplers on the emulated chip, starting from a snapshot.",
        discussion: """
            Runs spectroscopy and Ramsey (frequency), Rabi and error amplification (π, π/2 amplitude), DRAG,
            readout, T1, T2 (Ramsey, echo) and CZ experiments on the true chip of --spec, fits each, and writes a
            new snapshot whose parent is --calibration; every updated value records the experiment, time and
            fit quality. Independent qubits (then couplers) run in parallel. See docs/calibration.md.
            """)

    @OptionGroup var specOptions: SpecOptions
    @Option(help: "The starting snapshot (HDF5).") var calibration: String = "calibration/nominal.h5"
    @Option(help: "Where to write the calibrated snapshot.") var output: String
    @Option(help: "Qubits: comma-separated ids or 'all' (default all).") var qubits: String = "all"
    @Option(help: "Couplers: comma-separated ids, 'all', or 'none'; default: enabled couplers between the chosen qubits.")
    var couplers: String?
    @Option(help: "Experiments, comma-separated: frequency,rabi,drag,readout,t1,t2,cz (default all).")
    var experiments: String = ExperimentKind.allCases.map(\.rawValue).joined(separator: ",")
    @Option(help: "Directory for SVG plots of every experiment's data and fit.") var plots: String?
    @Option(help: "Seed of the shot noise.") var seed: UInt64 = 1
    @Option(help: "Parallel workers.") var workers: Int = 2
    @Flag(help: "Coarse sweeps and fewer shots (fast; what the tests use).") var quick = false
    @Option(help: "CZ flux-pulse length in ns (default 60; 80 with --cz-ramp-ns 20 leaks less on this chip).") var czDurationNs: Double?
    @Option(help: "CZ flux-pulse rise/fall in ns (default 10).") var czRampNs: Double?

    func run() throws {
        let start = reportingErrors { try CalibrationSnapshot.read(from: calibration) }
        let spec = reportingErrors { try DeviceSpec.load(path: specOptions.resolvedPath) }
        guard start.metadata.deviceSpecID == spec.specID else {
            fail("--calibration \(calibration) belongs to device spec \(start.metadata.deviceSpecID), not \(spec.specID) of \(specOptions.resolvedPath)")
        }
        let topo = start.topology
        let qubitList = reportingErrors { try Self.parseIDs(qubits, option: "--qubits", all: Array(0..<topo.qubitCount)) }
        let kinds = reportingErrors { try ExperimentKind.parseList(experiments) }
        let couplerList: [Int]
        if let couplers {
            couplerList = reportingErrors {
                try Self.parseIDs(couplers, option: "--couplers", all: (0..<topo.couplerCount).filter { start.couplerEnabled[$0] })
            }
        } else if kinds.contains(.cz) {
            let chosen = Set(qubitList)
            couplerList = topo.couplers.filter { start.couplerEnabled[$0.coupler.rawValue] && chosen.contains($0.low.rawValue)
                && chosen.contains($0.high.rawValue) }.map(\.coupler.rawValue)
        } else {
            couplerList = []
        }
        var kindSet = Set(kinds)
        if couplerList.isEmpty { kindSet.remove(.cz) }
        var czSettings: CZSweepSettings = quick ? .quick : .full
        if let czDurationNs {
            guard czDurationNs > 0 && czDurationNs.isFinite else { fail("--cz-duration-ns must be positive, got \(czDurationNs)") }
            czSettings.durationNs = czDurationNs
        }
        if let czRampNs {
            guard czRampNs > 0 && 2 * czRampNs < (czSettings.durationNs ?? 60) else {
                fail("--cz-ramp-ns must be positive and shorter than half the CZ length, got \(czRampNs)")
            }
            czSettings.rampNs = czRampNs
        }
        let request = CalibrationRequest(qubits: qubitList, couplers: couplerList, experiments: kindSet,
                                         settings: quick ? .quick : .full, czSettings: czSettings, seed: seed,
                                         workers: max(workers, 1), plots: plots != nil)
        let device = reportingErrors { try ChipDevice.generate(from: spec) }
        print("calibrating \(qubitList.count) qubits, \(couplerList.count) couplers: \(kindSet.map(\.rawValue).sorted().joined(separator: ","))")
        let run = reportingErrors {
            try Calibrator.run(chip: EmulatedChip(device: device), start: start, request: request) { print($0) }
        }
        reportingErrors { try run.snapshot.write(to: output) }
        if let plots {
            reportingErrors {
                try FileManager.default.createDirectory(atPath: plots, withIntermediateDirectories: true)
                for p in run.plots { try p.svg.write(toFile: (plots as NSString).appendingPathComponent(p.name), atomically: true, encoding: .utf8) }
            }
            print("wrote \(run.plots.count) plots to \(plots)")
        }
        if !run.failures.isEmpty {
            FileHandle.standardError.write(Data("warning: \(run.failures.count) calibration chains failed (their earlier results are kept):\n".utf8))
            for f in run.failures { FileHandle.standardError.write(Data("  \(f)\n".utf8)) }
        }
        print(String(format: "wrote snapshot %@ (parent %@) to %@ after %.1f s", run.snapshot.metadata.snapshotID,
                     start.metadata.snapshotID, output, run.seconds))
    }

    /// Parses `all`, `none` or comma-separated integers.
    static func parseIDs(_ text: String, option: String, all: [Int]) throws -> [Int] {
        switch text {
        case "all": return all
        case "none", "": return []
        default:
            return try text.split(separator: ",").map { item in
                guard let v = Int(item.trimmingCharacters(in: .whitespaces)) else {
                    throw CalibrationError("\(option): '\(item)' is not an integer id")
                }
                return v
            }
        }
    }
}
