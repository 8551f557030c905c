// Named waveform requests (as the CLI and schedules spell them) and their export: samples to
// HDF5 (complex {r, i} datasets with units) and an SVG plot of I and Q against time.
import Foundation
import Numerics
import WukongHDF5
import WukongPlot
import WukongPulses

/// A waveform described by a shape name and parameters, e.g. from `wukong waveform render`.
public struct WaveformRequest: Sendable, Equatable {
    /// One of `WaveformRequest.shapes`.
    public var shape: String
    public var durationNs: Double
    public var amp: Double = 0.5
    public var angle: Double = 0
    public var sigmaNs: Double? = nil
    public var betaNs: Double = 0
    public var riseNs: Double? = nil
    public var edgeSigmaNs: Double? = nil

    public init(shape: String, durationNs: Double) {
        self.shape = shape
        self.durationNs = durationNs
    }

    /// Shape names accepted by `envelope()`.
    public static let shapes = ["gaussian", "lifted-gaussian", "drag", "flattop-cosine", "flattop-erf", "cosine", "constant"]

    /// The envelope, with defaults σ = T/4, rise = min(10 ns, T/4), erf edge σ = rise/4.
    public func envelope() throws -> Envelope {
        let sigma = sigmaNs ?? durationNs / 4
        let rise = riseNs ?? min(10, durationNs / 4)
        switch shape {
        case "gaussian": return try .gaussian(durationNs: durationNs, sigmaNs: sigma, amp: amp, angle: angle)
        case "lifted-gaussian": return try .liftedGaussian(durationNs: durationNs, sigmaNs: sigma, amp: amp, angle: angle)
        case "drag": return try .drag(durationNs: durationNs, sigmaNs: sigma, betaNs: betaNs, amp: amp, angle: angle)
        case "flattop-cosine": return try .flatTopCosine(durationNs: durationNs, riseNs: rise, amp: amp, angle: angle)
        case "flattop-erf":
            return try .flatTopErf(durationNs: durationNs, riseNs: rise, edgeSigmaNs: edgeSigmaNs ?? rise / 4, amp: amp, angle: angle)
        case "cosine": return try .cosine(durationNs: durationNs, amp: amp, angle: angle)
        case "constant": return try .constant(durationNs: durationNs, amp: amp, angle: angle)
        default:
            throw WaveformExportError("unknown shape '\(shape)'; choose one of: \(Self.shapes.joined(separator: ", "))")
        }
    }
}

/// A waveform that cannot be built or written.
public struct WaveformExportError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension AWGOutput {
    /// Writes the waveform to a new HDF5 file: `/waveform/{time, envelope, ideal, samples}`
    /// (time in ns; complex data as compound {r, i}) with the request and channel settings as attributes.
    public func writeHDF5(to path: String, request: WaveformRequest, config: AWGChannelConfig) throws {
        let file = try HDF5File.create(path: path)
        let root = try file.root()
        try root.setAttribute("format", string: "wukong-waveform")
        let g = try root.createGroup("waveform")
        try g.setAttribute("shape", string: request.shape)
        try g.setAttribute("duration_ns", double: request.durationNs)
        try g.setAttribute("amp", double: request.amp)
        try g.setAttribute("angle_rad", double: request.angle)
        try g.setAttribute("beta_ns", double: request.betaNs)
        if let s = request.sigmaNs { try g.setAttribute("sigma_ns", double: s) }
        try g.setAttribute("sample_rate_gsps", double: config.sampleRateGSps)
        try g.setAttribute("dac_bits", int: Int64(config.dacBits))
        try g.setAttribute("intermediate_frequency_ghz", double: config.intermediateFrequencyGHz)
        try g.setAttribute("clipped_values", int: Int64(clippedValues))
        try g.write("time", doubles: timesNs, units: "ns")
        try g.write("envelope", real: envelope.map(\.real), imag: envelope.map(\.imaginary), units: "full scale")
        try g.write("ideal", real: ideal.map(\.real), imag: ideal.map(\.imaginary), units: "full scale")
        try g.write("samples", real: output.map(\.real), imag: output.map(\.imaginary), units: "full scale")
        try file.flush()
    }

    /// An SVG plot of the output's I and Q (and |envelope|) against time.
    public func svgPlot(title: String) -> String {
        LinePlot(title: title, xLabel: "time (ns)", yLabel: "amplitude (full scale)", series: [
            PlotSeries(label: "I", x: timesNs, y: output.map(\.real)),
            PlotSeries(label: "Q", x: timesNs, y: output.map(\.imaginary)),
            PlotSeries(label: "|envelope|", x: timesNs, y: envelope.map(\.length)),
        ]).svg()
    }
}
