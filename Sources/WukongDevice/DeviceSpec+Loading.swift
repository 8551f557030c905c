// Reading and validating a device spec from YAML, with errors that name the file and the field.
import Foundation
import Yams

/// A device spec that could not be read or does not make sense.
public struct DeviceSpecError: Error, CustomStringConvertible, Sendable {
    /// The file, or "<inline>".
    public let source: String
    /// The dotted field path, e.g. `qubit.t1_us.mean`, or "" for the whole file.
    public let field: String
    public let message: String

    public var description: String {
        field.isEmpty ? "\(source): \(message)" : "\(source): \(field): \(message)"
    }
}

extension DeviceSpec {
    /// Upper bounds that keep a spec from asking for an absurd chip.
    public static let maxRows = 64, maxCols = 64
    /// Largest quasi-static flux-noise σ a spec may ask for, Φ0 (the CLI's `--flux-noise-phi0` limit).
    public static let maxFluxNoiseSigmaPhi0 = 0.1

    /// Loads a spec from a YAML file.
    public static func load(path: String) throws -> DeviceSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeviceSpecError(source: path, field: "", message: "cannot read the file (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DeviceSpecError(source: path, field: "", message: "the file is not UTF-8 text")
        }
        return try parse(yaml: text, source: path)
    }

    /// Parses and validates YAML text.
    public static func parse(yaml: String, source: String = "<inline>") throws -> DeviceSpec {
        let spec: DeviceSpec
        do {
            spec = try YAMLDecoder().decode(DeviceSpec.self, from: yaml)
        } catch let error as DecodingError {
            throw DeviceSpecError(source: source, field: error.fieldPath, message: error.plainMessage)
        } catch {
            throw DeviceSpecError(source: source, field: "", message: "invalid YAML: \(error)")
        }
        try spec.validate(source: source)
        return spec
    }

    /// A short identity for the spec's content: name plus an FNV-1a hash of its canonical JSON form,
    /// so any change to the spec gives a new id.
    public var specID: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes = (try? encoder.encode(self)) ?? Data()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return "\(name)/\(String(hash, radix: 16))"
    }

    /// The topology this spec describes.
    public var topology: ChipTopology { ChipTopology(rows: rows, cols: cols) }

    func validate(source: String) throws {
        func fail(_ field: String, _ message: String) -> DeviceSpecError {
            DeviceSpecError(source: source, field: field, message: message)
        }
        guard (1...Self.maxRows).contains(rows) else { throw fail("rows", "must be in 1...\(Self.maxRows), got \(rows)") }
        guard (1...Self.maxCols).contains(cols) else { throw fail("cols", "must be in 1...\(Self.maxCols), got \(cols)") }
        guard !name.isEmpty else { throw fail("name", "must not be empty") }
        let topo = topology
        for (k, c) in disabledCouplers.enumerated() where !(0..<topo.couplerCount).contains(c) {
            throw fail("disabled_couplers[\(k)]", "coupler \(c) does not exist (0..<\(topo.couplerCount))")
        }
        for (key, fields) in overrides.qubits {
            guard let q = Int(key), (0..<topo.qubitCount).contains(q) else {
                throw fail("overrides.qubits.\(key)", "not a qubit index in 0..<\(topo.qubitCount)")
            }
            for name in fields.keys where !QubitParameters.overridableFields.contains(name) {
                throw fail("overrides.qubits.\(key).\(name)",
                           "unknown field; known: \(QubitParameters.overridableFields.sorted().joined(separator: ", "))")
            }
        }
        for (key, fields) in overrides.couplers {
            guard let c = Int(key), (0..<topo.couplerCount).contains(c) else {
                throw fail("overrides.couplers.\(key)", "not a coupler index in 0..<\(topo.couplerCount)")
            }
            for name in fields.keys where !CouplerParameters.overridableFields.contains(name) {
                throw fail("overrides.couplers.\(key).\(name)",
                           "unknown field; known: \(CouplerParameters.overridableFields.sorted().joined(separator: ", "))")
            }
        }
        guard qubit.t2EchoFactor >= 1 else { throw fail("qubit.t2_echo_factor", "must be ≥ 1, got \(qubit.t2EchoFactor)") }
        guard qubit.anharmonicityGHz.mean < 0 else { throw fail("qubit.anharmonicity_ghz", "must be negative (transmon)") }
        guard design.rphiDurationNs > 0, design.rphiSigmaNs > 0 else { throw fail("design.rphi_duration_ns", "durations must be positive") }
        guard design.czDurationNs > 2 * design.czRampNs else { throw fail("design.cz_duration_ns", "must exceed twice cz_ramp_ns") }
        guard design.sampleRateGSps > 0 else { throw fail("design.sample_rate_gsps", "must be positive") }
        guard design.readoutDurationNs > 0, design.weightSegmentNs > 0 else { throw fail("design.readout_duration_ns", "must be positive") }
        guard collisions.maxRedraws >= 1 else { throw fail("collisions.max_redraws", "must be ≥ 1") }
        for (field, d) in [("qubit.flux_noise_sigma_phi0", qubit.fluxNoiseSigmaPhi0), ("coupler.flux_noise_sigma_phi0", coupler.fluxNoiseSigmaPhi0)] {
            guard let d else { continue }
            guard d.mean >= 0 && d.mean <= Self.maxFluxNoiseSigmaPhi0 else {
                throw fail(field, "must lie in 0...\(Self.maxFluxNoiseSigmaPhi0) Φ0, got mean \(d.mean)")
            }
            if case let .normal(_, sd, lower, _) = d, sd > 0, (lower ?? -1) < 0 {
                throw fail(field, "a normal σ needs min ≥ 0 so no draw is negative")
            }
        }
        for (key, fields) in overrides.qubits {
            if let v = fields["flux_noise_sigma_phi0"], !(0...Self.maxFluxNoiseSigmaPhi0).contains(v) {
                throw fail("overrides.qubits.\(key).flux_noise_sigma_phi0", "must lie in 0...\(Self.maxFluxNoiseSigmaPhi0) Φ0, got \(v)")
            }
        }
        for (key, fields) in overrides.couplers {
            if let v = fields["flux_noise_sigma_phi0"], !(0...Self.maxFluxNoiseSigmaPhi0).contains(v) {
                throw fail("overrides.couplers.\(key).flux_noise_sigma_phi0", "must lie in 0...\(Self.maxFluxNoiseSigmaPhi0) Φ0, got \(v)")
            }
        }
    }
}

extension DecodingError {
    /// The snake_case field path of a decoding error, e.g. `qubit.t1_us.mean`.
    var fieldPath: String {
        let path: [any CodingKey]
        switch self {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c): path = c.codingPath + [key]
        @unknown default: path = []
        }
        return path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }

    var plainMessage: String {
        switch self {
        case .typeMismatch(let type, let c): return "expected \(type): \(c.debugDescription)"
        case .valueNotFound(let type, _): return "missing value of type \(type)"
        case .keyNotFound: return "required field is missing"
        case .dataCorrupted(let c): return c.debugDescription
        @unknown default: return "\(self)"
        }
    }
}
