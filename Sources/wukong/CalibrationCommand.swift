// `wukong calibration show|nominal|oracle`: read snapshots, write the nominal one or the oracle one.
import ArgumentParser
import Foundation
import WukongDevice

struct CalibrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calibration", abstract: "Calibration snapshots.",
                                                    subcommands: [Show.self, Nominal.self, Oracle.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a calibration snapshot (HDF5).")
        @Argument(help: "The snapshot file.") var file: String

        func run() throws {
            print(reportingErrors { try CalibrationSnapshot.read(from: file) }.summaryText())
        }
    }

    struct Nominal: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the nominal snapshot: design values of the device spec, nothing measured.")
        @OptionGroup var specOptions: SpecOptions
        @Option(help: "Where to write the snapshot.") var output: String = "calibration/nominal.h5"
        @Option(help: "Creation time (ISO 8601), for a reproducible file; default now.") var createdAt: String?

        func run() throws {
            let date: Date
            if let createdAt {
                guard let parsed = ISO8601DateFormatter().date(from: createdAt) else {
                    fail("--created-at '\(createdAt)' is not an ISO 8601 time such as 2024-01-06T00:00:00Z")
                }
                date = parsed
            } else {
                date = Date()
            }
            let snapshot = reportingErrors {
                try CalibrationSnapshot.nominal(spec: DeviceSpec.load(path: specOptions.resolvedPath), at: date)
            }
            reportingErrors { try snapshot.write(to: output) }
            print("wrote nominal snapshot \(snapshot.metadata.snapshotID) to \(output)")
        }
    }

    struct Oracle: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the oracle snapshot: values read off the hidden true device (single-qubit gates matched; CZ amplitudes "
                + "from design formulas, virtual Z 0 — run `wukong calibrate --experiments cz` on it for calibrated CZs). "
                + "For tests and benchmarks; a lab never has this.")
        @OptionGroup var specOptions: SpecOptions
        @Option(help: "Where to write the snapshot.") var output: String

        func run() throws {
            let snapshot = reportingErrors {
                let spec = try DeviceSpec.load(path: specOptions.resolvedPath)
                return try CalibrationSnapshot.oracle(device: try ChipDevice.generate(from: spec), spec: spec)
            }
            reportingErrors { try snapshot.write(to: output) }
            print("wrote oracle snapshot \(snapshot.metadata.snapshotID) to \(output)")
        }
    }
}
