// Export of an execution: every active line's samples to HDF5 (complex {r, i} with units) and an
// SVG plot of the lines' I quadratures, offset so they do not overlap.
import Numerics
import WukongHDF5
import WukongPlot

extension ExecutionResult {
    /// Writes `/time` (ns), `/lines/<name>/{output, digital}` (full scale) and `/acquisitions`
    /// (start and duration in ns, qubit, IF in GHz) to a new HDF5 file.
    public func writeHDF5(to path: String) throws {
        let file = try HDF5File.create(path: path)
        let root = try file.root()
        try root.setAttribute("format", string: "wukong-firmware-run")
        try root.setAttribute("sample_rate_gsps", double: sampleRateGSps)
        try root.write("time", doubles: timesNs, units: "ns")
        let group = try root.createGroup("lines")
        for line in lines.keys.sorted() {
            let w = lines[line]!
            let g = try group.createGroup(w.role.description)
            try g.setAttribute("clipped_values", int: Int64(w.clippedValues))
            try g.write("output", real: w.output.map(\.real), imag: w.output.map(\.imaginary), units: "full scale")
            try g.write("digital", real: w.digital.map(\.real), imag: w.digital.map(\.imaginary), units: "full scale")
        }
        if !acquisitions.isEmpty {
            let a = try root.createGroup("acquisitions")
            try a.write("start", doubles: acquisitions.map(\.startNs), units: "ns")
            try a.write("duration", doubles: acquisitions.map(\.durationNs), units: "ns")
            try a.write("qubit", doubles: acquisitions.map { Double($0.qubit.rawValue) }, units: "1")
            try a.write("frequency", doubles: acquisitions.map(\.frequencyGHz), units: "GHz")
        }
        try file.flush()
    }

    /// An SVG plot of the I quadrature of up to `maxLines` active lines, line k offset by 2k.
    public func svgPlot(title: String, maxLines: Int = 12) -> String {
        let t = timesNs
        let series = lines.keys.sorted().prefix(maxLines).enumerated().map { k, line in
            PlotSeries(label: lines[line]!.role.description, x: t, y: lines[line]!.output.map { $0.real + 2 * Double(k) })
        }
        return LinePlot(title: title, xLabel: "time (ns)", yLabel: "I (full scale), offset 2 per line", series: Array(series)).svg()
    }
}
