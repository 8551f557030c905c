// What the pulse path offers OpenPulse programs: ports (one XY, one Z and one readout port per
// qubit, one Z port per coupler, named like FirmwareSim's channels), predefined frames (from a
// calibration snapshot), waveform templates and limits. `wukong chip pulse-info --json` prints it.
import Foundation
import WukongDevice

/// What a port drives.
public enum PulsePortKind: String, Sendable, Hashable, CaseIterable {
    /// XY (microwave) drive of a qubit.
    case drive
    /// Z (flux) line of a qubit or a coupler.
    case flux
    /// Readout tone and acquisition of a qubit's resonator.
    case readout
}

/// A port: one output (or input) line of the control electronics.
public struct PulsePort: Sendable, Hashable {
    /// `xy<q>`, `z<q>`, `ro<q>` or `zc<c>` (the FirmwareSim channel names).
    public let name: String
    public let kind: PulsePortKind
    /// The qubit (xy, z, ro) or coupler (zc) index.
    public let element: Int
    /// True for a coupler's flux port.
    public let isCoupler: Bool

    /// The port named `name` on a chip of `topology`, if it exists.
    public init?(name: String, topology: ChipTopology) {
        func index(_ prefix: String, _ count: Int) -> Int? {
            guard name.hasPrefix(prefix), let k = Int(name.dropFirst(prefix.count)), String(k) == name.dropFirst(prefix.count),
                  (0..<count).contains(k) else { return nil }
            return k
        }
        if let k = index("xy", topology.qubitCount) { self.init(name: name, kind: .drive, element: k, isCoupler: false) }
        else if let k = index("zc", topology.couplerCount) { self.init(name: name, kind: .flux, element: k, isCoupler: true) }
        else if let k = index("z", topology.qubitCount) { self.init(name: name, kind: .flux, element: k, isCoupler: false) }
        else if let k = index("ro", topology.qubitCount) { self.init(name: name, kind: .readout, element: k, isCoupler: false) }
        else { return nil }
    }

    init(name: String, kind: PulsePortKind, element: Int, isCoupler: Bool) {
        self.name = name
        self.kind = kind
        self.element = element
        self.isCoupler = isCoupler
    }

    public static func drive(_ q: Int) -> PulsePort { PulsePort(name: "xy\(q)", kind: .drive, element: q, isCoupler: false) }
    public static func flux(_ q: Int) -> PulsePort { PulsePort(name: "z\(q)", kind: .flux, element: q, isCoupler: false) }
    public static func readout(_ q: Int) -> PulsePort { PulsePort(name: "ro\(q)", kind: .readout, element: q, isCoupler: false) }
    public static func couplerFlux(_ c: Int) -> PulsePort { PulsePort(name: "zc\(c)", kind: .flux, element: c, isCoupler: true) }
}

/// A frame: a carrier (frequency, phase) on a port with its own clock.
public struct PulseFrameInfo: Sendable, Hashable {
    public let name: String
    public let port: PulsePort
    /// Carrier frequency, GHz (0 for flux frames).
    public let frequencyGHz: Double
    /// Initial phase, rad.
    public let phaseRad: Double
}

/// A waveform template: name and parameters as OpenPulse programs spell them.
public struct WaveformTemplate: Sendable, Hashable {
    public let name: String
    /// Parameter names with their types (`complex`, `float`, `duration`, `bool`), in call order.
    public let parameters: [(name: String, type: String)]
    public let description: String

    public static func == (a: Self, b: Self) -> Bool { a.name == b.name && a.parameters.map(\.name) == b.parameters.map(\.name) }
    public func hash(into h: inout Hasher) { h.combine(name); h.combine(parameters.map(\.name)) }
}

/// Limits on OpenPulse programs.
public struct OpenPulseLimits: Sendable, Hashable {
    /// Most samples in one waveform (at the 2 GS/s AWG rate: 50 µs).
    public var maxSamplesPerWaveform = 100_000
    /// Longest program (the end of the last frame's clock), ns.
    public var maxDurationNs = 1_000_000.0
    /// Most captures (all kinds) per program.
    public var maxCaptures = 256
    /// Most raw-trace samples per `capture_v3` (at the 1 GS/s ADC rate).
    public var maxRawTraceSamples = 8192
    /// Most plays per program (after defcal expansion).
    public var maxPlays = 100_000
    /// Most `cal` blocks per program.
    public var maxCalBlocks = 1000
    /// Most elements (qubits + couplers) one group of overlapping plays may couple (3 levels each).
    public var maxClusterElements = 3
    /// Most shots × capture_v1 IQ values returned.
    public var maxIQValues = 1_000_000
    public init() {}
}

/// The pulse-level description of the device a calibration snapshot describes.
public struct OpenPulseDevice: Sendable {
    /// AWG sample period, ns (`dt`).
    public static let dtNs = 1 / PulseLowering.sampleRateGHz
    /// ADC sample rate of the readout chain, GS/s.
    public static let adcRateGSps = 1.0

    public let calibration: CalibrationSnapshot
    public let limits: OpenPulseLimits
    public var topology: ChipTopology { calibration.topology }

    public init(calibration: CalibrationSnapshot, limits: OpenPulseLimits = OpenPulseLimits()) {
        self.calibration = calibration
        self.limits = limits
    }

    /// Every port: per qubit xy, z, ro; per coupler zc.
    public var ports: [PulsePort] {
        topology.qubits.flatMap { q in [PulsePort.drive(q.rawValue), .flux(q.rawValue), .readout(q.rawValue)] }
            + (0..<topology.couplerCount).map { PulsePort.couplerFlux($0) }
    }

    public func port(named name: String) -> PulsePort? { PulsePort(name: name, topology: topology) }

    /// The predefined frames: `q<k>_drive` (xy, calibrated drive frequency), `q<k>_readout` (ro,
    /// calibrated readout frequency), `q<k>_flux` (z) and `c<k>_flux` (zc) at 0 Hz; all at phase 0.
    public var frames: [PulseFrameInfo] {
        topology.qubits.flatMap { q -> [PulseFrameInfo] in
            let k = q.rawValue
            return [PulseFrameInfo(name: "q\(k)_drive", port: .drive(k), frequencyGHz: calibration.value(.driveFrequency, k), phaseRad: 0),
                    PulseFrameInfo(name: "q\(k)_readout", port: .readout(k), frequencyGHz: calibration.value(.readoutFrequency, k), phaseRad: 0),
                    PulseFrameInfo(name: "q\(k)_flux", port: .flux(k), frequencyGHz: 0, phaseRad: 0)]
        } + (0..<topology.couplerCount).map { PulseFrameInfo(name: "c\($0)_flux", port: .couplerFlux($0), frequencyGHz: 0, phaseRad: 0) }
    }

    /// The predefined frame named `name`, if any.
    public func frame(named name: String) -> PulseFrameInfo? {
        let parts = name.split(separator: "_", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = parts.first?.first, let k = Int(parts[0].dropFirst()), String(k) == parts[0].dropFirst() else { return nil }
        switch (kind, parts[1]) {
        case ("q", "drive") where k < topology.qubitCount:
            return PulseFrameInfo(name: name, port: .drive(k), frequencyGHz: calibration.value(.driveFrequency, k), phaseRad: 0)
        case ("q", "readout") where k < topology.qubitCount:
            return PulseFrameInfo(name: name, port: .readout(k), frequencyGHz: calibration.value(.readoutFrequency, k), phaseRad: 0)
        case ("q", "flux") where k < topology.qubitCount:
            return PulseFrameInfo(name: name, port: .flux(k), frequencyGHz: 0, phaseRad: 0)
        case ("c", "flux") where k < topology.couplerCount:
            return PulseFrameInfo(name: name, port: .couplerFlux(k), frequencyGHz: 0, phaseRad: 0)
        default:
            return nil
        }
    }

    /// The waveform templates `play` accepts. Durations are OpenQASM duration literals (`ns`, `us`,
    /// `ms`, `s`, `dt` = 0.5 ns); amplitudes are fractions of full scale (complex allowed, |·| ≤ 1);
    /// frequencies of frames are in Hz. Both the OpenPulse spec's and Braket's argument orders.
    public static let templates: [WaveformTemplate] = [
        WaveformTemplate(name: "gaussian", parameters: [("amp", "complex"), ("duration", "duration"), ("sigma", "duration")],
                         description: "amp·exp(−(t−d/2)²/2σ²) (OpenPulse spec order)"),
        WaveformTemplate(name: "gaussian", parameters: [("length", "duration"), ("sigma", "duration"), ("amplitude", "complex"), ("zero_at_edges", "bool")],
                         description: "Braket order; zero_at_edges lifts the Gaussian to 0 at its ends"),
        WaveformTemplate(name: "drag", parameters: [("amp", "complex"), ("duration", "duration"), ("sigma", "duration"), ("beta", "float (ns)")],
                         description: "Gaussian plus i·β·d/dt of it (β in ns, like the calibration's drag_beta)"),
        WaveformTemplate(name: "drag_gaussian", parameters: [("length", "duration"), ("sigma", "duration"), ("beta", "float (ns)"), ("amplitude", "complex"), ("zero_at_edges", "bool")],
                         description: "Braket's DRAG (zero_at_edges must be false)"),
        WaveformTemplate(name: "constant", parameters: [("amp", "complex"), ("duration", "duration")],
                         description: "amp for the whole duration (spec order; Braket's constant(length, iq) also accepted)"),
        WaveformTemplate(name: "gaussian_square", parameters: [("amp", "complex"), ("duration", "duration"), ("square_width", "duration"), ("sigma", "duration")],
                         description: "flat top of square_width with error-function edges of width σ"),
        WaveformTemplate(name: "erf_square", parameters: [("length", "duration"), ("width", "duration"), ("sigma", "duration"), ("off_center", "duration"), ("amplitude", "complex"), ("zero_at_edges", "bool")],
                         description: "Braket's flat top with erf edges (off_center must be 0)"),
        WaveformTemplate(name: "{…}", parameters: [("samples", "complex[]")],
                         description: "literal sample array, one value per 0.5-ns AWG sample, |s| ≤ 1"),
    ]
}

extension OpenPulseDevice {
    /// The JSON document of `wukong chip pulse-info --json` (Foundation property-list types).
    public func document(calibrationPath: String? = nil) -> [String: Any] {
        let portDocs: [[String: Any]] = ports.map { p in
            var d: [String: Any] = ["name": p.name, "kind": p.kind.rawValue]
            d[p.isCoupler ? "coupler" : "qubit"] = p.element
            if p.isCoupler {
                let ends = topology.endpoints(of: CouplerIndex(p.element))
                d["qubits"] = [ends.low.rawValue, ends.high.rawValue]
            }
            return d
        }
        let frameDocs: [[String: Any]] = frames.map {
            ["name": $0.name, "port": $0.port.name, "frequency_hz": $0.frequencyGHz * 1e9, "phase_rad": $0.phaseRad]
        }
        let templateDocs: [[String: Any]] = Self.templates.map { t in
            ["name": t.name, "description": t.description,
             "parameters": t.parameters.map { ["name": $0.name, "type": $0.type] }]
        }
        var doc: [String: Any] = [
            "calibration_id": calibration.metadata.snapshotID,
            "dt_s": Self.dtNs * 1e-9,
            "awg_sample_rate_hz": PulseLowering.sampleRateGHz * 1e9,
            "adc_sample_rate_hz": Self.adcRateGSps * 1e9,
            "ports": portDocs, "frames": frameDocs, "waveform_templates": templateDocs,
            "captures": [["name": "capture_v0", "returns": "bit"], ["name": "capture_v1", "returns": "complex (IQ per shot)"],
                         ["name": "capture_v3", "returns": "waveform (shot-averaged raw trace, 1 GS/s)"]],
            "frame_operations": ["newframe", "set_phase", "shift_phase", "set_frequency", "shift_frequency"],
            "frequency_band_hz": ["drive": [0.5e9, 12e9], "readout": [0.5e9, 12e9], "flux": [0, 0]],
            "limits": [
                "max_samples_per_waveform": limits.maxSamplesPerWaveform, "max_duration_ns": limits.maxDurationNs,
                "max_captures": limits.maxCaptures, "max_raw_trace_samples": limits.maxRawTraceSamples,
                "max_plays": limits.maxPlays, "max_cal_blocks": limits.maxCalBlocks,
                "max_cluster_elements": limits.maxClusterElements, "max_iq_values": limits.maxIQValues,
                "max_sample_magnitude": 1.0, "max_flux_phi0": 0.5,
            ],
        ]
        if let calibrationPath { doc["calibration"] = calibrationPath }
        return doc
    }
}
