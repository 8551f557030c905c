// The `wukong` command line: argument parsing only; every command calls a library.
import ArgumentParser
import Foundation

@main
struct Wukong: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wukong",
        abstract: "Emulator of the Origin Wukong 72-qubit superconducting chip.",
        discussion: """
            The device spec (calibration/device.yaml) defines the hidden true chip; calibration snapshots
            (HDF5) hold what calibration believes. See README.md for the quick start.
            """,
        subcommands: [
            RunCommand.self, ConvertCommand.self, CompileCommand.self, PulseCommand.self, FirmwareCommand.self,
            ChipCommand.self, CalibrationCommand.self, CalibrateCommand.self, WaveformCommand.self, BenchCommand.self,
            ServeCommand.self, WorkerCommand.self, KeysCommand.self, SubmitCommand.self, JobsCommand.self, ResultCommand.self, PropertiesCommand.self,
        ])
}

/// Options shared by commands that need the device spec.
struct SpecOptions: ParsableArguments {
    @Option(name: .long, help: "Device spec YAML (default: $WUKONG_SPEC, else calibration/device.yaml).")
    var spec: String?

    var resolvedPath: String {
        spec ?? ProcessInfo.processInfo.environment["WUKONG_SPEC"] ?? "calibration/device.yaml"
    }
}

/// Prints an error to standard error and exits with status 1, without a stack trace.
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

/// Runs `body`, turning any thrown error into a one-line message and exit status 1.
func reportingErrors<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch { fail("\(error)") }
}
