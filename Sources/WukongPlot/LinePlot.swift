// LinePlot: a small, dependency-free SVG line-plot writer (series, ticks, axis labels, title,
// legend), used to draw waveforms (I and Q against time in ns) and spectra.

/// One named polyline of (x, y) points.
public struct PlotSeries: Sendable, Equatable {
    /// Legend label.
    public var label: String
    /// x values (same units as the plot's x axis).
    public var x: [Double]
    /// y values, one per x.
    public var y: [Double]

    /// - Precondition: `x.count == y.count`.
    public init(label: String, x: [Double], y: [Double]) {
        precondition(x.count == y.count, "series \(label): \(x.count) x values but \(y.count) y values")
        self.label = label
        self.x = x
        self.y = y
    }
}

/// A line plot rendered to SVG text. Axis labels should carry their units, e.g. "time (ns)".
public struct LinePlot: Sendable, Equatable {
    /// Title drawn above the plot area.
    public var title: String
    /// x-axis label, with units.
    public var xLabel: String
    /// y-axis label, with units.
    public var yLabel: String
    /// The series, drawn in order with a repeating colour cycle.
    public var series: [PlotSeries]
    /// Canvas width in SVG pixels.
    public var width: Double
    /// Canvas height in SVG pixels.
    public var height: Double

    public init(title: String, xLabel: String, yLabel: String, series: [PlotSeries] = [],
                width: Double = 720, height: Double = 420) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
    }

    /// The plot as a complete SVG 1.1 document.
    /// - Complexity: O(total points).
    public func svg() -> String {
        let margin = (left: 70.0, right: 150.0, top: 40.0, bottom: 55.0)
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        let finite = series.flatMap { zip($0.x, $0.y) }.filter { $0.0.isFinite && $0.1.isFinite }
        let xRange = paddedRange(finite.map(\.0))
        let yRange = paddedRange(finite.map(\.1))
        let xTicks = niceTicks(xRange.lower, xRange.upper)
        let yTicks = niceTicks(yRange.lower, yRange.upper)
        let xLow = min(xRange.lower, xTicks.first ?? xRange.lower), xHigh = max(xRange.upper, xTicks.last ?? xRange.upper)
        let yLow = min(yRange.lower, yTicks.first ?? yRange.lower), yHigh = max(yRange.upper, yTicks.last ?? yRange.upper)
        func px(_ x: Double) -> Double { margin.left + (x - xLow) / (xHigh - xLow) * plotWidth }
        func py(_ y: Double) -> Double { margin.top + (yHigh - y) / (yHigh - yLow) * plotHeight }

        var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(fmt(width))" height="\(fmt(height))" \
        viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="sans-serif" font-size="12">

        """
        out += "<rect x=\"0\" y=\"0\" width=\"\(fmt(width))\" height=\"\(fmt(height))\" fill=\"white\"/>\n"
        out += "<text x=\"\(fmt(margin.left + plotWidth / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(escapeXML(title))</text>\n"
        out += "<g class=\"axes\" stroke=\"#444\" stroke-width=\"1\">\n"
        out += "<rect x=\"\(fmt(margin.left))\" y=\"\(fmt(margin.top))\" width=\"\(fmt(plotWidth))\" height=\"\(fmt(plotHeight))\" fill=\"none\"/>\n"
        for tick in xTicks {
            let x = px(tick), y = margin.top + plotHeight
            out += "<line x1=\"\(fmt(x))\" y1=\"\(fmt(y))\" x2=\"\(fmt(x))\" y2=\"\(fmt(y + 5))\"/>\n"
            out += "<text x=\"\(fmt(x))\" y=\"\(fmt(y + 18))\" text-anchor=\"middle\" stroke=\"none\">\(tickLabel(tick))</text>\n"
        }
        for tick in yTicks {
            let y = py(tick)
            out += "<line x1=\"\(fmt(margin.left - 5))\" y1=\"\(fmt(y))\" x2=\"\(fmt(margin.left))\" y2=\"\(fmt(y))\"/>\n"
            out += "<text x=\"\(fmt(margin.left - 8))\" y=\"\(fmt(y + 4))\" text-anchor=\"end\" stroke=\"none\">\(tickLabel(tick))</text>\n"
        }
        out += "</g>\n"
        out += "<text x=\"\(fmt(margin.left + plotWidth / 2))\" y=\"\(fmt(height - 12))\" text-anchor=\"middle\">\(escapeXML(xLabel))</text>\n"
        let yMid = margin.top + plotHeight / 2
        out += "<text x=\"18\" y=\"\(fmt(yMid))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(fmt(yMid)))\">\(escapeXML(yLabel))</text>\n"

        for (index, s) in series.enumerated() {
            let colour = palette[index % palette.count]
            let points = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }
                .map { "\(fmt(px($0.0))),\(fmt(py($0.1)))" }.joined(separator: " ")
            out += "<polyline class=\"series\" data-label=\"\(escapeXML(s.label))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(points)\"/>\n"
            let legendY = margin.top + 10 + Double(index) * 18
            let legendX = margin.left + plotWidth + 15
            out += "<line x1=\"\(fmt(legendX))\" y1=\"\(fmt(legendY))\" x2=\"\(fmt(legendX + 20))\" y2=\"\(fmt(legendY))\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            out += "<text class=\"legend\" x=\"\(fmt(legendX + 26))\" y=\"\(fmt(legendY + 4))\">\(escapeXML(s.label))</text>\n"
        }
        out += "</svg>\n"
        return out
    }
}

/// Colour cycle (colour-blind-safe Okabe–Ito hues).
private let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
