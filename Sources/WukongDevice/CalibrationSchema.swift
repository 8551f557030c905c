// The calibration schema: every field a snapshot holds, with its HDF5 group, units, shape and
// meaning. This table is the single source of truth for the HDF5 layout and docs/formats/calibration.md.

/// What one row of a field belongs to.
public enum CalibrationElement: String, Sendable, Codable {
    case qubit, coupler
}

/// How a field's values are stored.
public enum CalibrationValueKind: String, Sendable, Codable {
    case real, integer, complex
}

/// Identifies a calibration field by its group and dataset name, e.g. `qubits/drive_frequency`.
public struct CalibrationFieldKey: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let group: String
    public let name: String
    public init(_ group: String, _ name: String) { self.group = group; self.name = name }
    public var description: String { "\(group)/\(name)" }
    public static func < (a: Self, b: Self) -> Bool { a.description < b.description }
}

/// The definition of one calibration field.
public struct CalibrationFieldSpec: Sendable {
    public let key: CalibrationFieldKey
    public let element: CalibrationElement
    public let kind: CalibrationValueKind
    /// Shape of one element's value; nil means a length chosen by the snapshot (integration weights).
    public let elementShape: [Int]?
    public let units: String
    public let summary: String
    /// True for fields added after schema version 1 was first written: a file without the dataset
    /// still reads, with every value NaN and every source `absent` (real scalar fields only).
    public let optional: Bool

    public init(key: CalibrationFieldKey, element: CalibrationElement, kind: CalibrationValueKind, elementShape: [Int]?,
                units: String, summary: String, optional: Bool = false) {
        precondition(!optional || (kind == .real && elementShape == []), "optional fields are real scalars")
        self.key = key
        self.element = element
        self.kind = kind
        self.elementShape = elementShape
        self.units = units
        self.summary = summary
        self.optional = optional
    }
}

extension CalibrationFieldKey {
    public static let driveFrequency = Self("qubits", "drive_frequency")
    public static let anharmonicity = Self("qubits", "anharmonicity")
    public static let qubitIdleFlux = Self("qubits", "idle_flux")
    public static let t1 = Self("qubits", "t1")
    public static let t2Star = Self("qubits", "t2_star")
    public static let t2Echo = Self("qubits", "t2_echo")
    public static let thermalPopulation = Self("qubits", "thermal_population")
    public static let rphiDuration = Self("gates/rphi", "duration")
    public static let rphiSigma = Self("gates/rphi", "sigma")
    public static let piAmplitude = Self("gates/rphi", "pi_amplitude")
    public static let halfPiAmplitude = Self("gates/rphi", "half_pi_amplitude")
    public static let dragBeta = Self("gates/rphi", "drag_beta")
    public static let rphiFidelity = Self("gates/rphi", "fidelity")
    public static let rphiLeakage = Self("gates/rphi", "leakage")
    public static let couplerIdleFlux = Self("couplers", "idle_flux")
    public static let couplerIdleFrequency = Self("couplers", "idle_frequency")
    public static let residualZZ = Self("couplers", "residual_zz")
    public static let czDuration = Self("gates/cz", "duration")
    public static let czRamp = Self("gates/cz", "ramp")
    public static let czCouplerAmplitude = Self("gates/cz", "coupler_flux_amplitude")
    public static let czMovingQubit = Self("gates/cz", "moving_qubit")
    public static let czQubitAmplitude = Self("gates/cz", "qubit_flux_amplitude")
    public static let czVirtualZ = Self("gates/cz", "virtual_z")
    public static let czFidelity = Self("gates/cz", "fidelity")
    public static let czLeakage = Self("gates/cz", "leakage")
    public static let readoutFrequency = Self("readout", "frequency")
    public static let readoutDuration = Self("readout", "duration")
    public static let readoutAmplitude = Self("readout", "amplitude")
    public static let iqCentres = Self("readout", "iq_centres")
    public static let readoutThreshold = Self("readout", "threshold")
    public static let integrationWeights = Self("readout", "integration_weights")
    public static let assignmentMatrix = Self("readout", "assignment_matrix")
    public static let readoutFidelity = Self("readout", "fidelity")
}

public enum CalibrationSchema {
    /// Version written to the file's `schema_version` attribute; readers reject other versions.
    /// Fields marked `optional` were added within version 1; files written before them still read.
    public static let version: Int64 = 1
    /// The value of the root `format` attribute.
    public static let format = "wukong-calibration"
    /// Groups in the file, in order.
    public static let groups = ["chip", "qubits", "couplers", "gates", "gates/rphi", "gates/cz", "readout", "provenance"]

    /// Every field, in file order.
    public static let fields: [CalibrationFieldSpec] = [
        .init(key: .driveFrequency, element: .qubit, kind: .real, elementShape: [], units: "GHz",
              summary: "qubit drive frequency (believed f01 at idle)"),
        .init(key: .anharmonicity, element: .qubit, kind: .real, elementShape: [], units: "GHz",
              summary: "anharmonicity f12 − f01 (negative)"),
        .init(key: .qubitIdleFlux, element: .qubit, kind: .real, elementShape: [], units: "Phi0",
              summary: "idle flux bias"),
        .init(key: .t1, element: .qubit, kind: .real, elementShape: [], units: "us", summary: "energy relaxation time T1"),
        .init(key: .t2Star, element: .qubit, kind: .real, elementShape: [], units: "us", summary: "Ramsey dephasing time T2*"),
        .init(key: .t2Echo, element: .qubit, kind: .real, elementShape: [], units: "us", summary: "Hahn-echo time T2echo"),
        .init(key: .thermalPopulation, element: .qubit, kind: .real, elementShape: [], units: "1",
              summary: "excited-state population at idle"),
        .init(key: .rphiDuration, element: .qubit, kind: .real, elementShape: [], units: "ns", summary: "RPhi (DRAG) pulse length"),
        .init(key: .rphiSigma, element: .qubit, kind: .real, elementShape: [], units: "ns", summary: "DRAG Gaussian sigma"),
        .init(key: .piAmplitude, element: .qubit, kind: .real, elementShape: [], units: "1",
              summary: "DRAG amplitude of a pi rotation, fraction of AWG full scale"),
        .init(key: .halfPiAmplitude, element: .qubit, kind: .real, elementShape: [], units: "1",
              summary: "DRAG amplitude of a pi/2 rotation, fraction of full scale"),
        .init(key: .dragBeta, element: .qubit, kind: .real, elementShape: [], units: "ns", summary: "DRAG beta (Qiskit convention)"),
        .init(key: .rphiFidelity, element: .qubit, kind: .real, elementShape: [], units: "1",
              summary: "average RPhi gate fidelity (NaN until benchmarked)"),
        .init(key: .rphiLeakage, element: .qubit, kind: .real, elementShape: [], units: "1",
              summary: "probability that one RPhi pulse leaves the qubit outside {|0>, |1>} (NaN until measured)",
              optional: true),
        .init(key: .couplerIdleFlux, element: .coupler, kind: .real, elementShape: [], units: "Phi0",
              summary: "coupler idle (decoupling-point) flux"),
        .init(key: .couplerIdleFrequency, element: .coupler, kind: .real, elementShape: [], units: "GHz",
              summary: "coupler frequency at idle"),
        .init(key: .residualZZ, element: .coupler, kind: .real, elementShape: [], units: "GHz",
              summary: "static ZZ rate ζ/2π between the coupler's two qubits at idle (NaN until measured)"),
        .init(key: .czDuration, element: .coupler, kind: .real, elementShape: [], units: "ns", summary: "CZ flux-pulse length"),
        .init(key: .czRamp, element: .coupler, kind: .real, elementShape: [], units: "ns", summary: "CZ flat-top cosine ramp length"),
        .init(key: .czCouplerAmplitude, element: .coupler, kind: .real, elementShape: [], units: "Phi0",
              summary: "coupler flux-pulse amplitude (offset from idle)"),
        .init(key: .czMovingQubit, element: .coupler, kind: .integer, elementShape: [], units: "qubit",
              summary: "the qubit whose flux is pulsed during CZ (the higher-frequency one)"),
        .init(key: .czQubitAmplitude, element: .coupler, kind: .real, elementShape: [], units: "Phi0",
              summary: "moving-qubit flux-pulse amplitude (offset from idle)"),
        .init(key: .czVirtualZ, element: .coupler, kind: .real, elementShape: [2], units: "rad",
              summary: "virtual-Z corrections after CZ on the coupler's low and high qubit"),
        .init(key: .czFidelity, element: .coupler, kind: .real, elementShape: [], units: "1",
              summary: "CZ gate fidelity (NaN until benchmarked)"),
        .init(key: .czLeakage, element: .coupler, kind: .real, elementShape: [], units: "1",
              summary: "probability that one CZ takes |11> out of the computational subspace (NaN until measured)",
              optional: true),
        .init(key: .readoutFrequency, element: .qubit, kind: .real, elementShape: [], units: "GHz", summary: "readout tone frequency"),
        .init(key: .readoutDuration, element: .qubit, kind: .real, elementShape: [], units: "ns",
              summary: "readout pulse and integration length"),
        .init(key: .readoutAmplitude, element: .qubit, kind: .real, elementShape: [], units: "1",
              summary: "readout tone amplitude, fraction of full scale"),
        .init(key: .iqCentres, element: .qubit, kind: .complex, elementShape: [2], units: "a.u.",
              summary: "integrated IQ centres for prepared |0> and |1>"),
        .init(key: .readoutThreshold, element: .qubit, kind: .real, elementShape: [], units: "a.u.",
              summary: "threshold on the IQ point projected on the |0>→|1> axis, measured from the |0> centre"),
        .init(key: .integrationWeights, element: .qubit, kind: .complex, elementShape: nil, units: "1",
              summary: "piecewise-constant integration weights, one per weight segment (root attribute weight_segment_ns)"),
        .init(key: .assignmentMatrix, element: .qubit, kind: .real, elementShape: [2, 2], units: "1",
              summary: "P(measured m | prepared p) at [m][p]"),
        .init(key: .readoutFidelity, element: .qubit, kind: .real, elementShape: [], units: "1",
              summary: "assignment fidelity 1 − (P(1|0) + P(0|1))/2"),
    ]

    /// The source recorded for a value of an optional field that the file did not hold.
    public static let absentSource = "absent"

    /// The spec of a field by key.
    public static func spec(_ key: CalibrationFieldKey) -> CalibrationFieldSpec {
        guard let s = fields.first(where: { $0.key == key }) else { preconditionFailure("no calibration field \(key)") }
        return s
    }
}
