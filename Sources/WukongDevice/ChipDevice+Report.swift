// Human and machine reports of the drawn device: a text summary for `wukong chip show` and a
// JSON document listing qubits, couplers with their endpoints, and every element's parameters.
import Foundation

/// The JSON shape of `wukong chip show --json`.
public struct ChipReport: Codable, Sendable {
    public struct Qubit: Codable, Sendable {
        public let index: Int, row: Int, col: Int, sublattice: String
        public let couplers: [Int], neighbours: [Int]
        public let idleFrequencyGHz: Double, dispersiveShiftGHz: Double
        public let parameters: QubitParameters
    }
    public struct Coupler: Codable, Sendable {
        public let index: Int
        public let qubits: [Int]
        public let orientation: CouplerOrientation
        public let enabled: Bool
        public let idleFrequencyGHz: Double
        public let effectiveExchangeAtIdleGHz: Double
        public let parameters: CouplerParameters
    }
    public let name: String
    public let specID: String
    public let note: String
    public let rows: Int, cols: Int
    public let qubitCount: Int, couplerCount: Int
    public let qubits: [Qubit]
    public let couplers: [Coupler]
}

extension ChipDevice {
    /// The device as a JSON-ready report.
    public func report() -> ChipReport {
        let t = topology
        return ChipReport(
            name: name, specID: specID,
            note: "true device parameters drawn from the spec; only the emulator uses them (calibration sees snapshots)",
            rows: t.rows, cols: t.cols, qubitCount: t.qubitCount, couplerCount: t.couplerCount,
            qubits: qubits.map { q in
                let (r, c) = t.position(of: q.index)
                return .init(index: q.index.rawValue, row: r, col: c, sublattice: t.isSublatticeA(q.index) ? "A" : "B",
                             couplers: t.couplersOfQubit[q.index.rawValue].map(\.rawValue),
                             neighbours: t.neighbours(of: q.index).map(\.rawValue),
                             idleFrequencyGHz: q.idleFrequencyGHz, dispersiveShiftGHz: q.dispersiveShiftGHz, parameters: q)
            },
            couplers: couplers.map { c in
                .init(index: c.index.rawValue, qubits: c.qubits.map(\.rawValue), orientation: t.endpoints(of: c.index).orientation,
                      enabled: c.enabled, idleFrequencyGHz: c.idleFrequencyGHz,
                      effectiveExchangeAtIdleGHz: effectiveExchangeGHz(c.index), parameters: c)
            })
    }

    /// The report as pretty-printed JSON with sorted keys.
    public func reportJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(report()), as: UTF8.self)
    }

    /// A text summary: chip-wide statistics, the frequency map, and a per-qubit table.
    public func summaryText() -> String {
        let t = topology
        func stats(_ xs: [Double]) -> String {
            let mean = xs.reduce(0, +) / Double(xs.count)
            return String(format: "mean %.4g  min %.4g  max %.4g", mean, xs.min()!, xs.max()!)
        }
        var out = "Chip \(name) (spec \(specID))\n"
        out += "\(t.rows) × \(t.cols) grid: \(t.qubitCount) qubits, \(t.couplerCount) couplers "
        out += "(\(couplers.filter(\.enabled).count) enabled)\n"
        out += "These are the hidden true parameters; calibration snapshots hold what is believed.\n\n"
        out += "qubit f01 (GHz):   " + stats(qubits.map(\.idleFrequencyGHz)) + "\n"
        out += "anharmonicity (MHz): " + stats(qubits.map { $0.anharmonicityGHz * 1000 }) + "\n"
        out += "T1 (µs):           " + stats(qubits.map(\.t1Us)) + "\n"
        out += "T2* (µs):          " + stats(qubits.map(\.t2StarUs)) + "\n"
        out += "readout F0 / F1:   " + stats(qubits.map(\.readoutFidelity0)) + " / " + stats(qubits.map(\.readoutFidelity1)) + "\n"
        out += "coupler idle (GHz): " + stats(couplers.map(\.idleFrequencyGHz)) + "\n\n"
        out += "Frequency map (GHz), row r holds qubits 6r…6r+5:\n"
        for r in 0..<t.rows {
            let row = (0..<t.cols).map { c in String(format: "%6.3f", qubit(t.qubit(row: r, col: c)).idleFrequencyGHz) }
            out += String(format: "  row %2d  ", r) + row.joined(separator: " ") + "\n"
        }
        out += "\n  q   f01/GHz  α/MHz   T1/µs  T2*/µs  fr/GHz   χ/MHz   F0     F1\n"
        for q in qubits {
            out += String(format: "%3d  %8.4f  %6.1f  %6.2f  %6.2f  %7.4f  %6.3f  %.3f  %.3f\n",
                          q.index.rawValue, q.idleFrequencyGHz, q.anharmonicityGHz * 1000, q.t1Us, q.t2StarUs,
                          q.resonatorFrequencyGHz, q.dispersiveShiftGHz * 1000, q.readoutFidelity0, q.readoutFidelity1)
        }
        return out
    }
}

extension CalibrationSnapshot {
    /// A text summary: metadata, where values came from, and a per-qubit table.
    public func summaryText() -> String {
        var out = "Calibration snapshot \(metadata.snapshotID)\n"
        out += "  parent:      \(metadata.parentID ?? "(none: root snapshot)")\n"
        out += "  created:     \(metadata.createdAt)\n"
        out += "  chip:        \(metadata.chipName) (\(rows) × \(cols)), device spec \(metadata.deviceSpecID)\n"
        out += "  note:        \(metadata.note)\n"
        var counts: [String: Int] = [:]
        for f in fields.values { for s in f.sources { counts[s, default: 0] += 1 } }
        out += "  sources:     " + counts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ") + "\n"
        out += "  couplers:    \(couplerEnabled.filter { $0 }.count) of \(couplerEnabled.count) enabled\n\n"
        out += "  q  drive/GHz  π amp   β/ns   T1/µs  T2*/µs  ro/GHz   F_ro    F_1q\n"
        for q in 0..<(rows * cols) {
            out += String(format: "%3d  %8.4f  %6.4f  %5.3f  %6.2f  %6.2f  %7.4f  %6.4f  %6.4f\n", q,
                          value(.driveFrequency, q), value(.piAmplitude, q), value(.dragBeta, q), value(.t1, q),
                          value(.t2Star, q), value(.readoutFrequency, q), value(.readoutFidelity, q), value(.rphiFidelity, q))
        }
        return out
    }
}
