// `wukong chip show`: the true device drawn from the spec, as text or JSON.
import ArgumentParser
import Foundation
import WukongDevice
import WukongRuntime

struct ChipCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "chip", abstract: "Inspect the emulated chip.",
                                                    subcommands: [Show.self, PulseInfo.self])

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

    struct PulseInfo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pulse-info",
            abstract: "Print what OpenPulse programs may use: ports, frames (from the calibration), waveform templates, limits.")
        @Option(help: "Calibration snapshot the frames' frequencies come from (default $WUKONG_CALIBRATION, else calibration/nominal.h5).")
        var calibration: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let path = calibration ?? ProcessInfo.processInfo.environment["WUKONG_CALIBRATION"] ?? "calibration/nominal.h5"
            let snapshot = reportingErrors { try CalibrationSnapshot.read(from: path) }
            let info = OpenPulseDevice(calibration: snapshot)
            let doc = info.document(calibrationPath: path)
            if json {
                let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("calibration \(path) (\(snapshot.metadata.snapshotID))")
            print("dt = \(OpenPulseDevice.dtNs) ns (AWG \(PulseLowering.sampleRateGHz) GS/s); ADC \(OpenPulseDevice.adcRateGSps) GS/s")
            print("ports: xy<q> (drive), z<q> (flux), ro<q> (readout) for q in 0..<\(snapshot.topology.qubitCount); zc<c> (coupler flux) for c in 0..<\(snapshot.topology.couplerCount)")
            print("frames:")
            for f in info.frames.prefix(12) {
                print(String(format: "  %-12@ %-5@ %.6f GHz", f.name as NSString, f.port.name as NSString, f.frequencyGHz))
            }
            print("  … (\(info.frames.count) frames; --json lists all)")
            print("waveform templates:")
            for t in OpenPulseDevice.templates {
                print("  \(t.name)(\(t.parameters.map { "\($0.name): \($0.type)" }.joined(separator: ", "))) — \(t.description)")
            }
            let l = info.limits
            print("limits: \(l.maxSamplesPerWaveform) samples/waveform, \(l.maxDurationNs) ns total, \(l.maxCaptures) captures, "
                  + "\(l.maxRawTraceSamples) raw-trace samples/capture, \(l.maxPlays) plays, \(l.maxClusterElements) elements per play cluster")
        }
    }
}
