// Calibration snapshots the gateway serves, by id, with one current snapshot per backend; and the
// JSON documents rendered from them (backend description, properties in Braket-like field names).
import Foundation
import WukongDevice

/// The calibration snapshots the gateway knows, by id, and which one each backend uses now. Snapshots are
/// immutable; the set grows when a calibration job registers its result, and a backend's current
/// snapshot changes when an operator assigns one (`PUT /v1/backends/{name}/calibration`, recorded in the
/// store's assignment history). Jobs pin the current snapshot of their backend at submission. Thread-safe.
public final class CalibrationCatalog: Sendable {
    struct State {
        var snapshots: [String: CalibrationSnapshot] = [:]
        var defaultID: String
        var assigned: [String: String] = [:]
    }
    private let state: LockedBox<State>

    /// A catalog of one or more snapshots; the first is every backend's current one until assigned otherwise.
    public init(_ list: [CalibrationSnapshot]) {
        precondition(!list.isEmpty, "a catalog needs at least one snapshot")
        var st = State(defaultID: list[0].metadata.snapshotID)
        for s in list { st.snapshots[s.metadata.snapshotID] = s }
        state = LockedBox(st)
    }

    /// Reads snapshots from HDF5 files; the first is current.
    public convenience init(files: [String]) throws {
        self.init(try files.map { try CalibrationSnapshot.read(from: $0) })
    }

    /// Snapshots by id.
    public var snapshots: [String: CalibrationSnapshot] { state.withLock { $0.snapshots } }
    /// The start-up default: the snapshot of backends never assigned one.
    public var currentID: String { state.withLock { $0.defaultID } }
    public var current: CalibrationSnapshot { state.withLock { $0.snapshots[$0.defaultID]! } }

    /// The snapshot id `backend` uses now.
    public func currentID(for backend: String) -> String { state.withLock { $0.assigned[backend] ?? $0.defaultID } }
    /// The snapshot `backend` uses now.
    public func current(for backend: String) -> CalibrationSnapshot {
        state.withLock { $0.snapshots[$0.assigned[backend] ?? $0.defaultID]! }
    }

    /// One snapshot by id.
    public func snapshot(_ id: String) -> CalibrationSnapshot? { state.withLock { $0.snapshots[id] } }

    /// Adds a snapshot (a no-op when the id is known).
    public func register(_ s: CalibrationSnapshot) {
        state.withLock { if $0.snapshots[s.metadata.snapshotID] == nil { $0.snapshots[s.metadata.snapshotID] = s } }
    }

    /// Makes a registered snapshot `backend`'s current one.
    public func assign(_ id: String, to backend: String) {
        state.withLock { st in
            precondition(st.snapshots[id] != nil, "assigning unknown snapshot \(id)")
            st.assigned[backend] = id
        }
    }

    /// Snapshots newest first.
    public var sorted: [CalibrationSnapshot] { snapshots.values.sorted { $0.metadata.createdAt > $1.metadata.createdAt } }
}

extension CalibrationSnapshot {
    /// Summary for `GET /v1/calibrations`.
    var summaryJSON: JSONValue {
        [
            "id": .string(metadata.snapshotID), "parent_id": metadata.parentID.json, "created_at": .string(metadata.createdAt),
            "chip": .string(metadata.chipName), "device_spec_id": .string(metadata.deviceSpecID), "note": .string(metadata.note),
            "qubits": .int(rows * cols), "couplers_enabled": .int(couplerEnabled.filter { $0 }.count),
        ]
    }

    /// Every field of the snapshot (`GET /v1/calibrations/{id}`): per field its element kind and values.
    var fullJSON: JSONValue {
        var fieldsJSON: [(String, JSONValue)] = []
        for key in fields.keys.sorted() {
            let f = fields[key]!
            fieldsJSON.append((key.description, [
                "shape": .array(f.elementShape.map { .int($0) }),
                "values": .array(f.real.map { JSONValue.number($0) }),
            ]))
        }
        return [
            "id": .string(metadata.snapshotID), "metadata": summaryJSON,
            "rows": .int(rows), "cols": .int(cols),
            "coupler_enabled": .array(couplerEnabled.map { .bool($0) }),
            "fields": .object(fieldsJSON),
        ]
    }

    /// Qubit-level properties in Braket `standardized` shape plus an Origin `chip_info`-like flat list.
    /// NaN (not measured) becomes null; every qubit and coupler is listed.
    var propertiesJSON: JSONValue {
        let topo = topology
        var oneQubit: [(String, JSONValue)] = []
        var flat: [JSONValue] = []
        for q in topo.qubits {
            let t1 = value(.t1, q), t2 = value(.t2Echo, q), t2s = value(.t2Star, q)
            let f = value(.driveFrequency, q), rb = value(.rphiFidelity, q), ro = value(.readoutFidelity, q)
            oneQubit.append((String(q.rawValue), [
                "T1": ["value": .number(t1), "unit": "us"],
                "T2": ["value": .number(t2), "unit": "us"],
                "T2star": ["value": .number(t2s), "unit": "us"],
                "frequency": ["value": .number(f), "unit": "GHz"],
                "oneQubitFidelity": [
                    ["fidelityType": ["name": "RANDOMIZED_BENCHMARKING"], "fidelity": .number(rb)],
                    ["fidelityType": ["name": "READOUT"], "fidelity": .number(ro)],
                ],
            ]))
            flat.append([
                "qubit_id": .int(q.rawValue), "frequency_ghz": .number(f), "t1_us": .number(t1), "t2_us": .number(t2),
                "single_gate_fidelity": .number(rb), "readout_fidelity": .number(ro),
            ])
        }
        var twoQubit: [(String, JSONValue)] = []
        var couplers: [JSONValue] = []
        for e in topo.couplers {
            let cz = value(.czFidelity, e.coupler)
            let enabled = couplerEnabled[e.coupler.rawValue]
            twoQubit.append(("\(e.low.rawValue)-\(e.high.rawValue)", [
                "twoQubitGateFidelity": [["gateName": "CZ", "fidelity": .number(cz), "fidelityType": ["name": "INTERLEAVED_RANDOMIZED_BENCHMARKING"]]],
                "operational": .bool(enabled),
            ]))
            couplers.append(["coupler_id": .int(e.coupler.rawValue), "qubits": [.int(e.low.rawValue), .int(e.high.rawValue)],
                             "cz_fidelity": .number(cz), "enabled": .bool(enabled)])
        }
        return [
            "calibration_id": .string(metadata.snapshotID), "updated_at": .string(metadata.createdAt),
            "standardized": [
                "braketSchemaHeader": ["name": "braket.device_schema.standardized_gate_model_qpu_device_properties", "version": "1"],
                "oneQubitProperties": .object(oneQubit), "twoQubitProperties": .object(twoQubit),
            ],
            "qubits": .array(flat), "couplers": .array(couplers),
        ]
    }
}

/// The backends the gateway describes: `gate` (state vector, optional calibration noise) and `pulse`.
enum BackendCatalog {
    static let names = ["gate", "pulse"]

    static func summary(_ name: String, queued: Int, calibration: CalibrationSnapshot) -> JSONValue {
        [
            "name": .string(name), "available": true, "status": "online",
            "queue_length": .int(queued), "qubits": .int(calibration.rows * calibration.cols),
            "calibration_id": .string(calibration.metadata.snapshotID),
        ]
    }

    static func detail(_ name: String, queued: Int, calibration: CalibrationSnapshot, limits: GatewayLimits) -> JSONValue {
        let topo = calibration.topology
        let couplers: [JSONValue] = topo.couplers.map { e in
            ["id": .int(e.coupler.rawValue), "qubits": [.int(e.low.rawValue), .int(e.high.rawValue)],
             "orientation": .string(e.orientation.rawValue), "enabled": .bool(calibration.couplerEnabled[e.coupler.rawValue])]
        }
        return [
            "name": .string(name), "available": true, "queue_length": .int(queued),
            "chip": .string(calibration.metadata.chipName), "rows": .int(topo.rows), "cols": .int(topo.cols),
            "qubits": .int(topo.qubitCount), "couplers": .array(couplers),
            "native_gates": ["rphi", "rz", "cz", "measure", "reset", "barrier"],
            "program_languages": ["openqasm2", "openqasm3", "originir"],
            "noise_models": name == "pulse" ? ["none"] : .array(JobSpec.noiseModels.map { .string($0) }),
            "bit_order": "little-endian: qubit/clbit 0 is the rightmost character of a bitstring",
            "calibration_id": .string(calibration.metadata.snapshotID),
            "limits": limits.json,
        ]
    }
}
