// What one calibration experiment returns: the measured quantity with its uncertainty and fit quality,
// the data and fitted curve for a plot, and the snapshot updates it proposes (with provenance).
import Foundation
import WukongDevice
import WukongPlot

/// The calibration experiments a run can include, in lab order (`CalibrationPlan` orders them).
public enum ExperimentKind: String, Sendable, CaseIterable, Codable {
    case frequency, rabi, drag, readout, t1, t2, cz

    /// Experiments this one needs done first (on the same qubit, or on both qubits of a coupler for cz).
    public var prerequisites: [ExperimentKind] {
        switch self {
        case .frequency: []
        case .rabi: [.frequency]
        case .drag: [.frequency, .rabi]
        case .readout: [.rabi]
        case .t1: [.rabi]
        case .t2: [.frequency, .rabi]
        case .cz: [.frequency, .rabi, .drag]
        }
    }

    /// Parses a comma-separated list such as `frequency,rabi,t1`; errors name the unknown entry.
    public static func parseList(_ text: String) throws -> [ExperimentKind] {
        try text.split(separator: ",").map { item in
            let name = item.trimmingCharacters(in: .whitespaces)
            guard let k = ExperimentKind(rawValue: name) else {
                throw CalibrationError("unknown experiment '\(name)'; known: \(allCases.map(\.rawValue).joined(separator: ","))")
            }
            return k
        }
    }
}

/// One measured quantity.
public struct CalibrationMeasurement: Sendable, Equatable {
    /// Name, e.g. `drive_frequency`.
    public var quantity: String
    public var value: Double
    /// One-sigma uncertainty (statistical, from the fit).
    public var uncertainty: Double
    public var unit: String
}

/// The outcome of one experiment on one element.
public struct ExperimentResult: Sendable {
    /// Experiment step name, e.g. `ramsey_fine`.
    public var name: String
    /// The element, `q3` or `c12`.
    public var element: String
    /// What was measured.
    public var measurements: [CalibrationMeasurement]
    /// The main fit, if one.
    public var fit: FitResult?
    /// Snapshot updates this experiment proposes.
    public var updates: [CalibrationUpdate]
    /// Data and fit, for the SVG plot.
    public var plot: LinePlot?
    /// Wall time, s.
    public var seconds: Double
    /// When it ran.
    public var date: Date

    /// The provenance string of its updates: `<name> <time> chi2r=<χ²ᵣ> r2=<R²>`.
    public static func provenance(_ name: String, date: Date, fit: FitResult?) -> String {
        var s = "\(name) \(CalibrationSnapshot.timestamp(date))"
        if let f = fit { s += String(format: " chi2r=%.2f r2=%.4f", f.reducedChiSquared, f.rSquared) }
        return s
    }

    /// One line for progress output.
    public var summary: String {
        let m = measurements.map { m in
            "\(m.quantity)=\(Self.format(m.value))±\(Self.format(m.uncertainty)) \(m.unit)"
        }.joined(separator: ", ")
        let q = fit.map { String(format: " (χ²ᵣ %.2f)", $0.reducedChiSquared) } ?? ""
        return "\(element) \(name): \(m)\(q) [\(String(format: "%.1f", seconds)) s]"
    }

    static func format(_ x: Double) -> String {
        if x == 0 || !x.isFinite { return "\(x)" }
        let a = abs(x)
        return a >= 1e4 || a < 1e-3 ? String(format: "%.4e", x) : String(format: "%.6g", x)
    }
}
