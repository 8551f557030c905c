// Tests of WukongPlot: the SVG is well-formed XML and holds every series, legend entry and label.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import WukongPlot

/// Collects element names and the `data-label` of each polyline while parsing.
final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var seriesLabels: [String] = []
    var texts: [String] = []
    private var currentText = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(name)
        if name == "polyline", let label = attributes["data-label"] { seriesLabels.append(label) }
        currentText = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(currentText) }
        currentText = ""
    }
}

@Test func svgPlotIsWellFormedAndContainsEachSeries() {
    let times = (0..<60).map { (Double($0) + 0.5) * 0.5 }
    let inPhase = times.map { exp(-0.5 * pow(($0 - 15) / 7.5, 2)) }
    let quadrature = times.map { -0.3 * ($0 - 15) / 56.25 * exp(-0.5 * pow(($0 - 15) / 7.5, 2)) }
    let plot = LinePlot(title: "DRAG <π> & friends", xLabel: "time (ns)", yLabel: "amplitude (arb.)",
                        series: [PlotSeries(label: "I", x: times, y: inPhase),
                                 PlotSeries(label: "Q \"drag\"", x: times, y: quadrature)])
    let svg = plot.svg()
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = SVGCollector()
    parser.delegate = collector
    #expect(parser.parse(), "XML error: \(String(describing: parser.parserError))")
    #expect(collector.elements.first == "svg")
    #expect(collector.seriesLabels == ["I", "Q \"drag\""])
    for expected in ["DRAG <π> & friends", "time (ns)", "amplitude (arb.)", "I", "Q \"drag\""] {
        #expect(collector.texts.contains(expected), "missing text \(expected)")
    }
    // Axis ticks: at least three numeric labels on each axis.
    #expect(collector.texts.filter { Double($0) != nil }.count >= 6)
}

@Test func emptyAndConstantSeriesStillRender() {
    let empty = LinePlot(title: "nothing", xLabel: "frequency (GHz)", yLabel: "|c| (arb.)")
    #expect(XMLParser(data: Data(empty.svg().utf8)).parse())
    let flat = LinePlot(title: "flat", xLabel: "t (ns)", yLabel: "v",
                        series: [PlotSeries(label: "c", x: [0, 1, 2], y: [1, 1, 1])])
    #expect(XMLParser(data: Data(flat.svg().utf8)).parse())
}

@Test func ticksAreNiceAndCoverTheRange() {
    let ticks = niceTicks(0.13, 29.8)
    #expect(ticks.first! <= 0.13 && ticks.last! >= 29.8)
    // Span 29.67 over ~5 ticks is 5.9 per tick, rounded up to the nice step 10.
    #expect(ticks == [0, 10, 20, 30])
    #expect(niceTicks(-1, 1) == [-1, -0.5, 0, 0.5, 1])
    #expect(tickLabel(0.5) == "0.5")
    #expect(tickLabel(-2) == "-2")
    #expect(fmt(-0.25) == "-0.25")
    #expect(fmt(3.1) == "3.10")
    #expect(escapeXML("a<b&\"c\"") == "a&lt;b&amp;&quot;c&quot;")
}
