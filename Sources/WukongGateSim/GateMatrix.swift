// A dense 2^k × 2^k complex matrix acting on k qubits: the plain-matrix input of every kernel.
// It knows nothing of gate names; the gate table (WukongCircuits) builds these.
import Numerics

/// A dense row-major complex matrix of dimension `2^qubitCount`, the operand of the kernels.
///
/// **Ordering convention.** When a matrix is applied to qubits `[q₀, q₁, …, q_{k−1}]`, the
/// FIRST listed qubit is the MOST significant bit of the matrix row/column index, as in
/// textbook matrices (and Qiskit's documentation): `CX` applied to `[control, target]` is
/// `[[1,0,0,0],[0,1,0,0],[0,0,0,1],[0,0,1,0]]`. The state vector's own bit order is unrelated:
/// qubit 0 is always bit 0 of a basis-state index.
public struct GateMatrix: Sendable, Equatable {
    /// Number of qubits the matrix acts on (k).
    public let qubitCount: Int
    /// Entries in row-major order, `dimension × dimension` of them.
    public private(set) var elements: [Complex<Double>]

    /// Row (and column) count, `2^qubitCount`.
    public var dimension: Int { 1 << qubitCount }

    /// A matrix from row-major entries; `elements.count` must be a power of 4 (4^k, k ≥ 1).
    public init(_ elements: [Complex<Double>]) {
        var k = 0
        while (1 << (2 * k)) < elements.count { k += 1 }
        precondition(k >= 1 && (1 << (2 * k)) == elements.count,
                     "GateMatrix needs 4^k entries, got \(elements.count)")
        self.qubitCount = k
        self.elements = elements
    }

    /// A matrix from rows of entries.
    public init(rows: [[Complex<Double>]]) {
        precondition(rows.allSatisfy { $0.count == rows.count }, "GateMatrix rows must be square")
        self.init(rows.flatMap { $0 })
    }

    /// The identity on `qubitCount` qubits.
    public static func identity(qubitCount: Int) -> GateMatrix {
        let d = 1 << qubitCount
        var e = [Complex<Double>](repeating: .zero, count: d * d)
        for i in 0..<d { e[i * d + i] = .one }
        return GateMatrix(e)
    }

    /// A diagonal matrix with the given diagonal (count `2^k`).
    public static func diagonal(_ diagonal: [Complex<Double>]) -> GateMatrix {
        let d = diagonal.count
        var e = [Complex<Double>](repeating: .zero, count: d * d)
        for i in 0..<d { e[i * d + i] = diagonal[i] }
        return GateMatrix(e)
    }

    /// Entry at `row`, `column`.
    public subscript(row: Int, column: Int) -> Complex<Double> {
        get { elements[row * dimension + column] }
        set { elements[row * dimension + column] = newValue }
    }

    /// The matrix product `self · other` (apply `other` first, then `self`).
    /// - Complexity: O(8^k).
    public static func * (lhs: GateMatrix, rhs: GateMatrix) -> GateMatrix {
        precondition(lhs.qubitCount == rhs.qubitCount, "matrix sizes differ")
        let d = lhs.dimension
        var out = [Complex<Double>](repeating: .zero, count: d * d)
        for r in 0..<d {
            for m in 0..<d {
                let a = lhs.elements[r * d + m]
                if a == .zero { continue }
                for c in 0..<d { out[r * d + c] = out[r * d + c] + a * rhs.elements[m * d + c] }
            }
        }
        return GateMatrix(out)
    }

    /// The Kronecker product `self ⊗ other`; `self` acts on the more significant bits.
    /// - Complexity: O(4^(k₁+k₂)).
    public func kronecker(_ other: GateMatrix) -> GateMatrix {
        let da = dimension, db = other.dimension, d = da * db
        var out = [Complex<Double>](repeating: .zero, count: d * d)
        for ra in 0..<da { for ca in 0..<da {
            let a = elements[ra * da + ca]
            for rb in 0..<db { for cb in 0..<db {
                out[(ra * db + rb) * d + ca * db + cb] = a * other.elements[rb * db + cb]
            } }
        } }
        return GateMatrix(out)
    }

    /// The conjugate transpose.
    public var adjoint: GateMatrix {
        let d = dimension
        var out = elements
        for r in 0..<d { for c in 0..<d { out[c * d + r] = elements[r * d + c].conjugate } }
        return GateMatrix(out)
    }

    /// The largest entry-wise modulus of `self − other`.
    public func maxDistance(to other: GateMatrix) -> Double {
        precondition(qubitCount == other.qubitCount, "matrix sizes differ")
        var m = 0.0
        for i in elements.indices { m = max(m, (elements[i] - other.elements[i]).length) }
        return m
    }

    /// True when `U†U` is the identity to within `tolerance` entry-wise.
    public func isUnitary(tolerance: Double = 1e-12) -> Bool {
        (adjoint * self).maxDistance(to: .identity(qubitCount: qubitCount)) <= tolerance
    }

    /// True when every off-diagonal entry is exactly zero.
    public var isDiagonal: Bool {
        let d = dimension
        for r in 0..<d { for c in 0..<d where r != c && elements[r * d + c] != .zero { return false } }
        return true
    }

    /// The diagonal entries.
    public var diagonalEntries: [Complex<Double>] { (0..<dimension).map { self[$0, $0] } }
}
