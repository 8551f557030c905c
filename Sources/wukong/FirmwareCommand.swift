// `wukong firmware run PROGRAM.json`: channel programs through the firmware simulator (sequencer,
// NCOs, DACs, crosstalk) to sampled lines in HDF5, and optionally an SVG plot.
import ArgumentParser
import FirmwareSim
import Foundation

struct FirmwareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "firmware", abstract: "Control-electronics simulator.",
                                                    subcommands: [Run.self])

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render sequencer programs (JSON, docs/formats/sequencer.md) to sampled lines in HDF5 and SVG.")
        @Argument(help: "Program file (JSON).") var program: String
        @Option(help: "HDF5 output file.") var output: String
        @Option(help: "Also write an SVG plot of the active lines here.") var svg: String?
        @Option(name: .customLong("tail-ns"), help: "Zeros rendered after the last event, ns.") var tailNs: Double = 0
        @Flag(help: "Turn off the default XY (−30 dB) and flux crosstalk.") var noCrosstalk = false

        func run() throws {
            let wiring = WiringMap.wukong
            let data = reportingErrors { try Data(contentsOf: URL(fileURLWithPath: program)) }
            let file = reportingErrors { try FirmwareProgramFile(json: data, wiring: wiring) }
            var config = FirmwareConfiguration(wiring: wiring)
            if noCrosstalk {
                config.xyCrosstalk = .none
                config.fluxCrosstalk = .none
            }
            for (channel, f) in file.initialFrequencyGHz { config.initialFrequencyGHz[channel.rawValue] = f }
            var options = ExecutorOptions()
            options.tailNs = tailNs
            let started = Date()
            let result = reportingErrors {
                try SequencerExecutor(configuration: config, options: options).run(file.programs, waveforms: file.waveforms)
            }
            let seconds = Date().timeIntervalSince(started)
            reportingErrors { try result.writeHDF5(to: output) }
            print("wrote \(result.lines.count) lines × \(result.sampleCount) samples (\(Double(result.sampleCount) / result.sampleRateGSps) ns) "
                  + "and \(result.acquisitions.count) acquisition windows to \(output) in \(String(format: "%.3f", seconds)) s")
            let clipped = result.lines.values.reduce(0) { $0 + $1.clippedValues }
            if clipped > 0 { print("warning: \(clipped) I/Q values clipped at full scale") }
            if let svg {
                reportingErrors { try result.svgPlot(title: "firmware run: \(program)").write(toFile: svg, atomically: true, encoding: .utf8) }
                print("wrote plot to \(svg)")
            }
        }
    }
}
