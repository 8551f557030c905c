// The dashboard page at `/`: plain HTML and inline SVG — the 12×6 chip coloured by the current
// calibration's T1 or readout fidelity, job counts by state, and the most recent jobs.
import Foundation
import WukongDevice

enum Dashboard {
    enum Colouring: String, CaseIterable {
        case t1, readout, frequency

        var key: CalibrationFieldKey {
            switch self {
            case .t1: return .t1
            case .readout: return .readoutFidelity
            case .frequency: return .driveFrequency
            }
        }
        var title: String {
            switch self {
            case .t1: return "T1"
            case .readout: return "readout fidelity"
            case .frequency: return "drive frequency"
            }
        }
        var format: String {
            switch self {
            case .t1: return "%.1f us"
            case .readout: return "%.4f"
            case .frequency: return "%.4f GHz"
            }
        }
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Blue (low) → yellow (high); grey for not measured.
    static func colour(_ t: Double) -> String {
        guard t.isFinite else { return "#bbbbbb" }
        let x = max(0, min(1, t))
        let r = Int(40 + 215 * x), g = Int(60 + 170 * x), b = Int(160 - 120 * x)
        return String(format: "#%02x%02x%02x", r, g, b)
    }

    /// The chip map as SVG: qubits as circles on the grid, couplers as lines (dashed when disabled).
    static func chipSVG(_ cal: CalibrationSnapshot, colourBy: Colouring) -> String {
        let topo = cal.topology
        let cell = 44.0, pad = 30.0
        let key = colourBy.key
        let values = topo.qubits.map { cal.value(key, $0) }
        let finite = values.filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        func centre(_ q: QubitIndex) -> (Double, Double) {
            let p = topo.position(of: q)
            return (pad + Double(p.col) * cell, pad + Double(p.row) * cell)
        }
        let width = pad * 2 + Double(topo.cols - 1) * cell, height = pad * 2 + Double(topo.rows - 1) * cell
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" id=\"chip\">"
        // Couplers are coloured by their calibrated CZ fidelity on the same blue → yellow scale (grey and
        // dashed when disabled or not measured).
        let cz = topo.couplers.map { cal.value(.czFidelity, $0.coupler) }
        let czFinite = zip(topo.couplers, cz).filter { cal.couplerEnabled[$0.0.coupler.rawValue] && $0.1.isFinite }.map(\.1)
        let czLo = czFinite.min() ?? 0, czHi = czFinite.max() ?? 1
        for (e, f) in zip(topo.couplers, cz) {
            let (x1, y1) = centre(e.low), (x2, y2) = centre(e.high)
            let on = cal.couplerEnabled[e.coupler.rawValue]
            let colour = on && f.isFinite ? Self.colour(czHi > czLo ? (f - czLo) / (czHi - czLo) : 0.5) : "#cccccc"
            let label = on ? (f.isFinite ? String(format: "CZ fidelity %.4f", f) : "CZ not calibrated") : "disabled"
            svg += "<line class=\"coupler\" data-coupler=\"\(e.coupler.rawValue)\" data-value=\"\(on ? f : .nan)\" x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" "
            svg += "stroke=\"\(colour)\" stroke-width=\"6\"\(on && f.isFinite ? "" : " stroke-dasharray=\"4 3\"")>"
            svg += "<title>C\(e.coupler.rawValue) (Q\(e.low.rawValue)–Q\(e.high.rawValue)): \(label)</title></line>"
        }
        for (q, v) in zip(topo.qubits, values) {
            let (x, y) = centre(q)
            let t = hi > lo ? (v - lo) / (hi - lo) : 0.5
            let label = colourBy.title + " " + String(format: colourBy.format, v)
            svg += "<circle class=\"qubit\" data-qubit=\"\(q.rawValue)\" data-value=\"\(v)\" cx=\"\(x)\" cy=\"\(y)\" r=\"15\" fill=\"\(colour(t))\" stroke=\"#333\"><title>Q\(q.rawValue): \(label)</title></circle>"
            // Light labels on the dark (blue) end of the scale.
            let ink = v.isFinite && t < 0.45 ? "#ffffff" : "#000000"
            svg += "<text x=\"\(x)\" y=\"\(y + 4)\" font-size=\"10\" text-anchor=\"middle\" fill=\"\(ink)\">\(q.rawValue)</text>"
        }
        return svg + "</svg>"
    }

    /// The colour scale's ends for the legend: "low → high" of a field over the chip.
    static func range(_ values: [Double], format: String) -> String {
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return "not measured" }
        if lo == hi { return String(format: format, lo) + " everywhere (one colour)" }
        return String(format: format, lo) + " (blue) → " + String(format: format, hi) + " (yellow)"
    }

    static func render(calibration cal: CalibrationSnapshot, colourBy: Colouring, counts: [JobState: Int], recent: [JobRecord],
                       queueDepth: [String: Int] = [:]) -> String {
        let what = colourBy.title
        var rows = ""
        for job in recent {
            rows += "<tr><td><code>\(escape(job.id))</code></td><td class=\"state-\(job.state.rawValue)\">\(job.state.rawValue)</td>"
            rows += "<td>\(job.spec.items.count)</td><td>\(job.spec.totalShots)</td><td>\(escape(iso8601(job.createdAt).stringValue ?? ""))</td></tr>"
        }
        let queue = JobState.allCases.map { "<li>\($0.rawValue): <b id=\"count-\($0.rawValue)\">\(counts[$0] ?? 0)</b></li>" }.joined()
        let depth = JobSpec.backends.map { "<li>\($0): <b id=\"queued-\($0)\">\(queueDepth[$0] ?? 0)</b> queued</li>" }.joined()
        let topo = cal.topology
        let qubitRange = range(topo.qubits.map { cal.value(colourBy.key, $0) }, format: colourBy.format)
        let czRange = range(topo.couplers.filter { cal.couplerEnabled[$0.coupler.rawValue] }.map { cal.value(.czFidelity, $0.coupler) },
                            format: "%.4f")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Wukong gateway</title>
            <meta http-equiv="refresh" content="5">
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd}
            .wrap{display:flex;gap:3em;align-items:flex-start}td{white-space:nowrap}.state-failed{color:#b00}.state-completed{color:#070}</style></head>
            <body><h1>Wukong emulator gateway</h1>
            <div class="wrap"><section><h2>Chip: \(escape(cal.metadata.chipName)) — \(what)</h2>
            <p>Calibration <code>\(escape(cal.metadata.snapshotID))</code> of \(escape(cal.metadata.createdAt)).
            Colour by \(Colouring.allCases.map { "<a href=\"/?color=\($0.rawValue)\">\($0.title)</a>" }.joined(separator: " | ")).</p>
            <p id="legend">Qubits (\(topo.qubits.count)): \(what) \(qubitRange).<br>
            Couplers (\(topo.couplers.count)): CZ fidelity \(czRange); grey dashed = disabled or uncalibrated.</p>
            \(chipSVG(cal, colourBy: colourBy))</section>
            <section><h2>Queue</h2><ul id="queue">\(depth)</ul><h2>Jobs by state</h2><ul id="states">\(queue)</ul>
            <h2>Recent jobs</h2><table id="recent"><tr><th>id</th><th>state</th><th>items</th><th>shots</th><th>submitted</th></tr>\(rows)</table>
            <p><a href="/openapi.json">OpenAPI</a> · <a href="/metrics">metrics</a> · <a href="/healthz">health</a></p></section></div>
            </body></html>
            """
    }
}
