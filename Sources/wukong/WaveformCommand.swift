// `wukong waveform render`: one envelope through an AWG channel, to HDF5 and optionally SVG.
import ArgumentParser
import FirmwareSim
import Foundation

struct WaveformCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "waveform", abstract: "Waveform synthesis.",
                                                    subcommands: [Render.self])

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a pulse envelope through an AWG channel (NCO, DAC, bandwidth) to HDF5 and SVG.")
        @Option(help: "Shape: \(WaveformRequest.shapes.joined(separator: ", ")).") var shape: String
        @Option(help: "Pulse length, ns (a whole number of samples).") var durationNs: Double
        @Option(help: "Amplitude, fraction of full scale (|amp| ≤ 1).") var amp: Double = 0.5
        @Option(help: "Phase of the amplitude, rad.") var angle: Double = 0
        @Option(help: "Gaussian sigma, ns (default duration/4).") var sigmaNs: Double?
        @Option(help: "DRAG beta, ns (Qiskit convention).") var betaNs: Double = 0
        @Option(help: "Flat-top edge length, ns (default min(10, duration/4)).") var riseNs: Double?
        @Option(help: "Flat-top erf edge width, ns (default rise/4).") var edgeSigmaNs: Double?
        @Option(name: .customLong("if-ghz"), help: "NCO intermediate frequency, GHz.") var ifGHz: Double = 0
        @Option(name: .customLong("sample-rate-gsps"), help: "Sample rate, GS/s.") var sampleRateGSps: Double = 2
        @Option(help: "DAC resolution, bits.") var dacBits: Int = 14
        @Option(name: .customLong("bandwidth-ghz"), help: "Analog bandwidth (ideal low-pass), GHz; omit for none.") var bandwidthGHz: Double?
        @Option(help: "HDF5 output file.") var output: String
        @Option(help: "Also write an SVG plot here.") var svg: String?

        func run() throws {
            var request = WaveformRequest(shape: shape, durationNs: durationNs)
            request.amp = amp
            request.angle = angle
            request.sigmaNs = sigmaNs
            request.betaNs = betaNs
            request.riseNs = riseNs
            request.edgeSigmaNs = edgeSigmaNs
            let config = AWGChannelConfig(sampleRateGSps: sampleRateGSps, dacBits: dacBits,
                                          analogBandwidthGHz: bandwidthGHz, intermediateFrequencyGHz: ifGHz)
            let rendered = reportingErrors {
                var channel = try AWGChannel(config: config)
                return try channel.render(request.envelope())
            }
            reportingErrors { try rendered.writeHDF5(to: output, request: request, config: config) }
            print("wrote \(rendered.output.count) samples (\(request.shape), \(durationNs) ns at \(sampleRateGSps) GS/s) to \(output)")
            if rendered.clippedValues > 0 { print("warning: \(rendered.clippedValues) I/Q values clipped at full scale") }
            if let svg {
                let title = "\(shape) \(durationNs) ns, amp \(amp), IF \(ifGHz) GHz"
                reportingErrors { try rendered.svgPlot(title: title).write(toFile: svg, atomically: true, encoding: .utf8) }
                print("wrote plot to \(svg)")
            }
        }
    }
}
