// `wukong chip show`: the true device drawn from the spec, as text or JSON.
import ArgumentParser
import WukongDevice

struct ChipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chip", abstract: "Inspect the emulated chip.",
                                                    subcommands: [Show.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the chip drawn from the device spec: topology and per-element parameters.")
        @OptionGroup var specOptions: SpecOptions
        @Flag(help: "Print JSON (qubits, couplers with endpoints, per-element parameters).") var json = false

        func run() throws {
            let device = reportingErrors { try ChipDevice.generate(from: DeviceSpec.load(path: specOptions.resolvedPath)) }
            print(json ? reportingErrors { try device.reportJSON() } : device.summaryText())
        }
    }
}
