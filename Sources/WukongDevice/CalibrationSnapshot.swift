// Calibration snapshots: what calibration believes about the chip. Values are immutable; an
// update produces a new snapshot whose parent is the old one, with per-value provenance.
import Foundation

/// Identity and lineage of a snapshot.
public struct SnapshotMetadata: Sendable, Equatable, Codable {
    /// Unique id, e.g. `cal-20261122T211500Z-3fa9c2`.
    public var snapshotID: String
    /// The snapshot this one was derived from, nil for a root (nominal) snapshot.
    public var parentID: String?
    /// Creation time, ISO 8601 UTC.
    public var createdAt: String
    /// The device spec the chip was drawn from (`DeviceSpec.specID`).
    public var deviceSpecID: String
    /// The chip's name.
    public var chipName: String
    /// Free text: what produced this snapshot.
    public var note: String
}

/// One field's values for every element, with the source of each value.
public struct CalibrationField: Sendable, Equatable {
    public let key: CalibrationFieldKey
    /// Shape of each element's value ([] scalar, [2], [2, 2], [n]).
    public let elementShape: [Int]
    /// Real parts (or the values), element-major.
    public var real: [Double]
    /// Imaginary parts for complex fields, nil otherwise.
    public var imag: [Double]?
    /// How each element's value was obtained: `nominal`, `oracle`, or the experiment that measured it.
    public var sources: [String]

    public var valuesPerElement: Int { elementShape.reduce(1, *) }

    /// NaN-aware equality, so unmeasured (NaN) values round-trip as equal.
    public static func == (a: Self, b: Self) -> Bool {
        func same(_ x: [Double], _ y: [Double]) -> Bool {
            x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
        let imagSame: Bool
        switch (a.imag, b.imag) {
        case (nil, nil): imagSame = true
        case let (x?, y?): imagSame = same(x, y)
        default: imagSame = false
        }
        return a.key == b.key && a.elementShape == b.elementShape && same(a.real, b.real) && imagSame && a.sources == b.sources
    }
}

/// A change to one element's value of one field, with the experiment that produced it.
public struct CalibrationUpdate: Sendable {
    public let key: CalibrationFieldKey
    public let element: Int
    public let real: [Double]
    public let imag: [Double]?
    public let source: String

    public init(_ key: CalibrationFieldKey, element: Int, value: Double, source: String) {
        self.init(key, element: element, real: [value], imag: nil, source: source)
    }

    public init(_ key: CalibrationFieldKey, element: Int, real: [Double], imag: [Double]?, source: String) {
        self.key = key
        self.element = element
        self.real = real
        self.imag = imag
        self.source = source
    }
}

/// Errors from building, updating or reading snapshots.
public struct CalibrationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What calibration believes about the chip at one moment.
public struct CalibrationSnapshot: Sendable, Equatable {
    public let metadata: SnapshotMetadata
    public let rows: Int
    public let cols: Int
    /// Whether each coupler is usable.
    public let couplerEnabled: [Bool]
    /// Length of one integration-weight segment, ns.
    public let weightSegmentNs: Double
    /// Every schema field, by key.
    public let fields: [CalibrationFieldKey: CalibrationField]

    public init(metadata: SnapshotMetadata, rows: Int, cols: Int, couplerEnabled: [Bool], weightSegmentNs: Double,
                fields: [CalibrationFieldKey: CalibrationField]) throws {
        self.metadata = metadata
        self.rows = rows
        self.cols = cols
        self.couplerEnabled = couplerEnabled
        self.weightSegmentNs = weightSegmentNs
        self.fields = fields
        try validate()
    }

    public var topology: ChipTopology { ChipTopology(rows: rows, cols: cols) }

    /// Number of elements a field has rows for.
    public func elementCount(_ element: CalibrationElement) -> Int {
        element == .qubit ? rows * cols : topology.couplerCount
    }

    /// Every schema field is present with the right number of values and sources.
    func validate() throws {
        let couplerCount = topology.couplerCount
        guard couplerEnabled.count == couplerCount else {
            throw CalibrationError("coupler_enabled has \(couplerEnabled.count) entries, expected \(couplerCount)")
        }
        for spec in CalibrationSchema.fields {
            guard let f = fields[spec.key] else { throw CalibrationError("missing field \(spec.key)") }
            if let shape = spec.elementShape, shape != f.elementShape {
                throw CalibrationError("field \(spec.key) has element shape \(f.elementShape), expected \(shape)")
            }
            let n = elementCount(spec.element)
            guard f.real.count == n * f.valuesPerElement, f.sources.count == n else {
                throw CalibrationError("field \(spec.key) has \(f.real.count) values and \(f.sources.count) sources for \(n) \(spec.element)s")
            }
            guard (spec.kind == .complex) == (f.imag != nil), f.imag.map({ $0.count == f.real.count }) ?? true else {
                throw CalibrationError("field \(spec.key) complex parts do not match its kind \(spec.kind)")
            }
        }
    }

    // MARK: Reading values

    /// A scalar value of one element.
    public func value(_ key: CalibrationFieldKey, _ element: Int) -> Double {
        let f = field(key)
        precondition(f.valuesPerElement == 1, "\(key) is not scalar; use values(_:_:)")
        return f.real[element]
    }

    /// A scalar value of one qubit.
    public func value(_ key: CalibrationFieldKey, _ q: QubitIndex) -> Double { value(key, q.rawValue) }

    /// A scalar value of one coupler.
    public func value(_ key: CalibrationFieldKey, _ c: CouplerIndex) -> Double { value(key, c.rawValue) }

    /// All values of one element (row-major over its element shape).
    public func values(_ key: CalibrationFieldKey, _ element: Int) -> [Double] {
        let f = field(key)
        let n = f.valuesPerElement
        return Array(f.real[(element * n)..<((element + 1) * n)])
    }

    /// Complex values of one element.
    public func complexValues(_ key: CalibrationFieldKey, _ element: Int) -> (real: [Double], imag: [Double]) {
        let f = field(key)
        let n = f.valuesPerElement
        let range = (element * n)..<((element + 1) * n)
        return (Array(f.real[range]), Array(f.imag![range]))
    }

    /// Where one element's value of a field came from.
    public func source(_ key: CalibrationFieldKey, _ element: Int) -> String { field(key).sources[element] }

    public func field(_ key: CalibrationFieldKey) -> CalibrationField {
        guard let f = fields[key] else { preconditionFailure("snapshot lacks \(key); validated at init") }
        return f
    }

    // MARK: Updating

    /// A new snapshot with the updates applied; this one is unchanged. The new snapshot's parent
    /// is this one, its id fresh, and each updated value's source is the experiment named in the update.
    public func updating(_ updates: [CalibrationUpdate], note: String, at date: Date = Date()) throws -> CalibrationSnapshot {
        var newFields = fields
        for u in updates {
            guard var f = newFields[u.key] else { throw CalibrationError("no calibration field \(u.key)") }
            let spec = CalibrationSchema.spec(u.key)
            let count = elementCount(spec.element)
            guard (0..<count).contains(u.element) else {
                throw CalibrationError("\(u.key): element \(u.element) out of range 0..<\(count)")
            }
            let n = f.valuesPerElement
            guard u.real.count == n, (u.imag?.count ?? n) == n, (u.imag != nil) == (f.imag != nil) else {
                throw CalibrationError("\(u.key): update for element \(u.element) has \(u.real.count) values, expected \(n)")
            }
            guard u.real.allSatisfy({ $0.isFinite }), u.imag?.allSatisfy({ $0.isFinite }) ?? true else {
                throw CalibrationError("\(u.key): update for element \(u.element) is not finite")
            }
            f.real.replaceSubrange((u.element * n)..<((u.element + 1) * n), with: u.real)
            if let im = u.imag { f.imag!.replaceSubrange((u.element * n)..<((u.element + 1) * n), with: im) }
            f.sources[u.element] = u.source
            newFields[u.key] = f
        }
        let meta = SnapshotMetadata(snapshotID: Self.newID(at: date), parentID: metadata.snapshotID,
                                    createdAt: Self.timestamp(date), deviceSpecID: metadata.deviceSpecID,
                                    chipName: metadata.chipName, note: note)
        return try CalibrationSnapshot(metadata: meta, rows: rows, cols: cols, couplerEnabled: couplerEnabled,
                                       weightSegmentNs: weightSegmentNs, fields: newFields)
    }

    /// ISO 8601 UTC with seconds, e.g. `2026-11-22T21:15:00Z`.
    public static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// A fresh snapshot id: `cal-<UTC time>-<6 random hex digits>`.
    public static func newID(at date: Date) -> String {
        let t = timestamp(date).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        let suffix = String(UInt32.random(in: 0...0xFFFFFF), radix: 16)
        return "cal-\(t)-\(String(repeating: "0", count: 6 - suffix.count))\(suffix)"
    }
}
