// Calibration snapshots in HDF5 (docs/formats/calibration.md): one group per concern, one dataset
// per field with a `units` attribute, complex data as compound {r, i}, per-value provenance.
import Foundation
import WukongHDF5

extension CalibrationSnapshot {
    /// Writes the snapshot to a new file. The file is written to a temporary name in the same
    /// directory and renamed into place, so a failure never leaves a half-written snapshot at `path`.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial").path
        do {
            try writeContents(to: temporary)
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    private func writeContents(to path: String) throws {
        let file = try HDF5File.create(path: path)
        let root = try file.root()
        try root.setAttribute("format", string: CalibrationSchema.format)
        try root.setAttribute("schema_version", int: CalibrationSchema.version)
        try root.setAttribute("snapshot_id", string: metadata.snapshotID)
        try root.setAttribute("parent_id", string: metadata.parentID ?? "")
        try root.setAttribute("created_at", string: metadata.createdAt)
        try root.setAttribute("device_spec_id", string: metadata.deviceSpecID)
        try root.setAttribute("chip_name", string: metadata.chipName)
        try root.setAttribute("note", string: metadata.note)
        try root.setAttribute("weight_segment_ns", double: weightSegmentNs)

        var groups: [String: HDF5Group] = ["": root]
        for name in CalibrationSchema.groups {
            let parts = name.split(separator: "/").map(String.init)
            let parent = groups[parts.dropLast().joined(separator: "/")]!
            groups[name] = try parent.createGroup(parts.last!)
        }
        let chip = groups["chip"]!
        try chip.setAttribute("rows", int: Int64(rows))
        try chip.setAttribute("cols", int: Int64(cols))
        let topo = topology
        try chip.write("coupler_qubits", int64s: topo.couplers.flatMap { [Int64($0.low.rawValue), Int64($0.high.rawValue)] },
                       shape: [topo.couplerCount, 2], units: "qubit")
        try chip.write("coupler_enabled", bytes: couplerEnabled.map { $0 ? 1 : 0 }, units: "1")

        var provenance: [String: HDF5Group] = [:]
        for spec in CalibrationSchema.fields {
            let f = field(spec.key)
            let n = elementCount(spec.element)
            let shape = [n] + f.elementShape
            let group = groups[spec.key.group]!
            let dataset: HDF5Dataset
            switch spec.kind {
            case .real: dataset = try group.write(spec.key.name, doubles: f.real, shape: shape, units: spec.units)
            case .integer: dataset = try group.write(spec.key.name, int64s: f.real.map { Int64($0) }, shape: shape, units: spec.units)
            case .complex: dataset = try group.write(spec.key.name, real: f.real, imag: f.imag!, shape: shape, units: spec.units)
            }
            try dataset.setAttribute("description", string: spec.summary)
            try dataset.setAttribute("element", string: spec.element.rawValue)
            if provenance[spec.key.group] == nil {
                provenance[spec.key.group] = try groups["provenance"]!.createGroup(spec.key.group.replacingOccurrences(of: "/", with: "_"))
            }
            try provenance[spec.key.group]!.write(spec.key.name, strings: f.sources)
        }
        try file.flush()
    }

    /// Reads a snapshot, checking the format, version, chip shape and every field.
    /// Errors name the file and the dataset at fault.
    public static func read(from path: String) throws -> CalibrationSnapshot {
        let file = try HDF5File.open(path: path)
        let root = try file.root()
        func bad(_ what: String) -> CalibrationError { CalibrationError("\(path): \(what)") }
        guard root.hasAttribute("format"), try root.stringAttribute("format") == CalibrationSchema.format else {
            throw bad("not a Wukong calibration snapshot (root attribute format ≠ '\(CalibrationSchema.format)')")
        }
        let version = try root.intAttribute("schema_version")
        guard version == CalibrationSchema.version else {
            throw bad("schema version \(version) is not supported (this build reads \(CalibrationSchema.version))")
        }
        let parent = try root.stringAttribute("parent_id")
        let meta = SnapshotMetadata(
            snapshotID: try root.stringAttribute("snapshot_id"), parentID: parent.isEmpty ? nil : parent,
            createdAt: try root.stringAttribute("created_at"), deviceSpecID: try root.stringAttribute("device_spec_id"),
            chipName: try root.stringAttribute("chip_name"), note: try root.stringAttribute("note"))
        let chip = try file.group("/chip")
        let rows = Int(try chip.intAttribute("rows")), cols = Int(try chip.intAttribute("cols"))
        guard (1...DeviceSpec.maxRows).contains(rows), (1...DeviceSpec.maxCols).contains(cols) else {
            throw bad("/chip has an impossible size \(rows) × \(cols)")
        }
        let topo = ChipTopology(rows: rows, cols: cols)
        let pairs = try chip.dataset("coupler_qubits").readInt64s()
        let expected = topo.couplers.flatMap { [Int64($0.low.rawValue), Int64($0.high.rawValue)] }
        guard pairs == expected else { throw bad("/chip/coupler_qubits does not match the \(rows) × \(cols) grid numbering") }
        let enabled = try chip.dataset("coupler_enabled").readInt64s().map { $0 != 0 }

        var fields: [CalibrationFieldKey: CalibrationField] = [:]
        for spec in CalibrationSchema.fields {
            let path = "/\(spec.key.group)/\(spec.key.name)"
            let n = spec.element == .qubit ? topo.qubitCount : topo.couplerCount
            if spec.optional, !(try file.group("/\(spec.key.group)")).contains(spec.key.name) {
                // Written before the field existed: unknown (NaN), source `absent`.
                fields[spec.key] = CalibrationField(key: spec.key, elementShape: [], real: Array(repeating: .nan, count: n),
                                                    imag: nil, sources: Array(repeating: CalibrationSchema.absentSource, count: n))
                continue
            }
            let dataset = try file.dataset(path)
            let shape = try dataset.shape()
            guard shape.first == n else { throw bad("\(path) has shape \(shape), expected \(n) rows (one per \(spec.element))") }
            let elementShape = Array(shape.dropFirst())
            if let want = spec.elementShape, want != elementShape {
                throw bad("\(path) has shape \(shape), expected \([n] + want)")
            }
            let units = dataset.hasAttribute("units") ? try dataset.stringAttribute("units") : ""
            guard units == spec.units else { throw bad("\(path) is in '\(units)', expected '\(spec.units)'") }
            var real: [Double], imag: [Double]? = nil
            switch spec.kind {
            case .real: real = try dataset.readDoubles()
            case .integer: real = try dataset.readInt64s().map(Double.init)
            case .complex: (real, imag) = try { let c = try dataset.readComplex(); return (c.real, Optional(c.imag)) }()
            }
            let sourcePath = "/provenance/\(spec.key.group.replacingOccurrences(of: "/", with: "_"))/\(spec.key.name)"
            let sources = try file.dataset(sourcePath).readStrings()
            guard sources.count == n else { throw bad("\(sourcePath) has \(sources.count) entries, expected \(n)") }
            fields[spec.key] = CalibrationField(key: spec.key, elementShape: elementShape, real: real, imag: imag, sources: sources)
        }
        let segment = root.hasAttribute("weight_segment_ns") ? try root.doubleAttribute("weight_segment_ns") : 10
        do {
            return try CalibrationSnapshot(metadata: meta, rows: rows, cols: cols, couplerEnabled: enabled,
                                           weightSegmentNs: segment, fields: fields)
        } catch let error as CalibrationError {
            throw bad(error.message)
        }
    }
}
