// The Wukong lattice: 72 qubits on a 12 × 6 grid and 126 couplers on its nearest-neighbour edges,
// with the numbering of DESIGN.md (qubit 6·row + col; horizontal couplers 5·row + col, vertical 60 + 6·row + col).

/// A qubit's index on the chip, `6·row + col`.
public struct QubitIndex: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "q\(rawValue)" }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(Int.self) }
    public func encode(to encoder: any Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
}

/// A coupler's index: horizontal `5·row + col` (0..<60), vertical `60 + 6·row + col` (60..<126).
public struct CouplerIndex: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "c\(rawValue)" }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(Int.self) }
    public func encode(to encoder: any Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
}

/// Which way a coupler runs on the grid.
public enum CouplerOrientation: String, Sendable, Codable {
    case horizontal, vertical
}

/// A coupler and the two qubits it joins (`low < high`).
public struct CouplerEndpoints: Sendable, Equatable, Codable {
    public let coupler: CouplerIndex
    public let low: QubitIndex
    public let high: QubitIndex
    public let orientation: CouplerOrientation
}

/// A rows × cols grid of qubits with couplers on every nearest-neighbour edge.
///
/// Invariants (checked by `checkInvariants`): every coupler joins grid neighbours; every
/// neighbour pair has exactly one coupler; coupler ids are dense in 0..<couplerCount.
public struct ChipTopology: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Endpoints of each coupler, indexed by coupler id.
    public let couplers: [CouplerEndpoints]
    /// The couplers touching each qubit, indexed by qubit id, in increasing coupler id.
    public let couplersOfQubit: [[CouplerIndex]]

    /// Origin Wukong's 12 × 6 lattice.
    public static let wukong = ChipTopology(rows: 12, cols: 6)

    /// Builds the lattice. Horizontal couplers first (row-major, `(cols−1)·row + col`), then vertical
    /// (`rows·(cols−1) + cols·row + col`); for 12 × 6 these are DESIGN.md's `5·row + col` and `60 + 6·row + col`.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 1 && cols >= 1, "a chip needs at least one row and one column")
        self.rows = rows
        self.cols = cols
        var list: [CouplerEndpoints] = []
        for r in 0..<rows {
            for c in 0..<(cols - 1) {
                let q = cols * r + c
                list.append(CouplerEndpoints(coupler: CouplerIndex(list.count), low: QubitIndex(q),
                                             high: QubitIndex(q + 1), orientation: .horizontal))
            }
        }
        for r in 0..<(rows - 1) {
            for c in 0..<cols {
                let q = cols * r + c
                list.append(CouplerEndpoints(coupler: CouplerIndex(list.count), low: QubitIndex(q),
                                             high: QubitIndex(q + cols), orientation: .vertical))
            }
        }
        var touching = [[CouplerIndex]](repeating: [], count: rows * cols)
        for e in list {
            touching[e.low.rawValue].append(e.coupler)
            touching[e.high.rawValue].append(e.coupler)
        }
        couplers = list
        couplersOfQubit = touching.map { $0.sorted() }
    }

    public var qubitCount: Int { rows * cols }
    public var couplerCount: Int { couplers.count }
    public var qubits: [QubitIndex] { (0..<qubitCount).map(QubitIndex.init) }

    /// Row and column of a qubit.
    public func position(of q: QubitIndex) -> (row: Int, col: Int) { (q.rawValue / cols, q.rawValue % cols) }

    /// The qubit at a grid position.
    public func qubit(row: Int, col: Int) -> QubitIndex {
        precondition((0..<rows).contains(row) && (0..<cols).contains(col), "(\(row), \(col)) is off the grid")
        return QubitIndex(cols * row + col)
    }

    /// The frequency-plan sublattice: A where row + col is even, B where it is odd.
    public func isSublatticeA(_ q: QubitIndex) -> Bool {
        let (r, c) = position(of: q)
        return (r + c) % 2 == 0
    }

    /// Endpoints of a coupler.
    public func endpoints(of c: CouplerIndex) -> CouplerEndpoints { couplers[c.rawValue] }

    /// The coupler joining two qubits, or nil if they are not neighbours.
    public func coupler(between a: QubitIndex, _ b: QubitIndex) -> CouplerIndex? {
        couplersOfQubit[a.rawValue].first { c in
            let e = couplers[c.rawValue]
            return (e.low == a && e.high == b) || (e.low == b && e.high == a)
        }
    }

    /// The qubits a qubit shares a coupler with, in increasing order.
    public func neighbours(of q: QubitIndex) -> [QubitIndex] {
        couplersOfQubit[q.rawValue].map { c in
            let e = couplers[c.rawValue]
            return e.low == q ? e.high : e.low
        }.sorted()
    }

    /// Verifies the lattice invariants; returns a description of each violation (empty when sound).
    public func checkInvariants() -> [String] {
        var problems: [String] = []
        for (i, e) in couplers.enumerated() {
            if e.coupler.rawValue != i { problems.append("coupler at position \(i) has id \(e.coupler)") }
            let (r1, c1) = position(of: e.low), (r2, c2) = position(of: e.high)
            if abs(r1 - r2) + abs(c1 - c2) != 1 { problems.append("\(e.coupler) joins non-neighbours \(e.low), \(e.high)") }
        }
        let expected = rows * (cols - 1) + (rows - 1) * cols
        if couplers.count != expected { problems.append("\(couplers.count) couplers, expected \(expected)") }
        return problems
    }
}
