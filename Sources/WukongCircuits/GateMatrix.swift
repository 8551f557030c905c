// Small dense complex matrices for the gate table: constructors for standard forms, products,
// Kronecker products and controlled versions. Row-major `[Complex<Double>]`, dimension 2^k.
import Numerics

/// A square row-major complex matrix; `dimension` is its number of rows.
public struct GateMatrix: Hashable, Sendable {
    /// Entries, row-major: element (r, c) is `elements[r * dimension + c]`.
    public var elements: [Complex<Double>]
    /// Number of rows (and columns).
    public let dimension: Int

    /// Wraps row-major entries; `elements.count` must be a perfect square.
    public init(_ elements: [Complex<Double>]) {
        var n = 0
        while n * n < elements.count { n += 1 }
        precondition(n * n == elements.count, "matrix entries must form a square")
        self.elements = elements
        self.dimension = n
    }

    /// The identity of the given dimension.
    public static func identity(_ dimension: Int) -> GateMatrix {
        var e = [Complex<Double>](repeating: .zero, count: dimension * dimension)
        for i in 0..<dimension { e[i * dimension + i] = .one }
        return GateMatrix(e)
    }

    /// A diagonal matrix.
    public static func diagonal(_ d: [Complex<Double>]) -> GateMatrix {
        var m = identity(d.count)
        for i in 0..<d.count { m[i, i] = d[i] }
        return m
    }

    public subscript(row: Int, column: Int) -> Complex<Double> {
        get { elements[row * dimension + column] }
        set { elements[row * dimension + column] = newValue }
    }

    /// Matrix product `self · other`.
    /// - Complexity: O(d³).
    public func multiplied(by other: GateMatrix) -> GateMatrix {
        precondition(dimension == other.dimension)
        let n = dimension
        var out = [Complex<Double>](repeating: .zero, count: n * n)
        for r in 0..<n {
            for k in 0..<n {
                let a = elements[r * n + k]
                if a == .zero { continue }
                for c in 0..<n { out[r * n + c] = out[r * n + c] + a * other.elements[k * n + c] }
            }
        }
        return GateMatrix(out)
    }

    /// Kronecker product `self ⊗ other`; `self` acts on the more significant index bits.
    public func kron(_ other: GateMatrix) -> GateMatrix {
        let n = dimension, m = other.dimension, d = n * m
        var out = [Complex<Double>](repeating: .zero, count: d * d)
        for r1 in 0..<n { for c1 in 0..<n {
            let a = self[r1, c1]
            if a == .zero { continue }
            for r2 in 0..<m { for c2 in 0..<m {
                out[(r1 * m + r2) * d + c1 * m + c2] = a * other[r2, c2]
            } }
        } }
        return GateMatrix(out)
    }

    /// Conjugate transpose.
    public var adjoint: GateMatrix {
        var m = self
        for r in 0..<dimension { for c in 0..<dimension { m[r, c] = self[c, r].conjugate } }
        return m
    }

    /// Scales every entry.
    public func scaled(by s: Complex<Double>) -> GateMatrix {
        GateMatrix(elements.map { $0 * s })
    }

    /// The matrix with `count` controls prepended as the most significant operands: identity on
    /// every block except the last, which is `self`.
    public func controlled(_ count: Int = 1) -> GateMatrix {
        let total = dimension << count
        var m = GateMatrix.identity(total)
        let offset = total - dimension
        for r in 0..<dimension { for c in 0..<dimension { m[offset + r, offset + c] = self[r, c] } }
        return m
    }

    /// Largest entry-wise distance to `other` after removing a global phase from `self`.
    public func distanceUpToGlobalPhase(to other: GateMatrix) -> Double {
        precondition(dimension == other.dimension)
        // Align the phase on the largest entry of `other`, which is well conditioned.
        var best = 0, bestMagnitude = -1.0
        for i in 0..<elements.count where other.elements[i].length > bestMagnitude {
            best = i; bestMagnitude = other.elements[i].length
        }
        var phase = Complex<Double>.one
        if elements[best].length > 1e-300 {
            let ratio = other.elements[best] * elements[best].conjugate
            phase = ratio.divided(by: ratio.length)
        }
        var worst = 0.0
        for i in 0..<elements.count { worst = max(worst, (elements[i] * phase - other.elements[i]).length) }
        return worst
    }

    /// Largest entry-wise distance to `other`.
    public func distance(to other: GateMatrix) -> Double {
        var worst = 0.0
        for i in 0..<elements.count { worst = max(worst, (elements[i] - other.elements[i]).length) }
        return worst
    }
}

extension GateMatrix {
    /// Number of qubits k the matrix acts on (dimension = 2^k).
    ///
    /// **Ordering convention** (shared by the gate table and the simulator kernels): when a matrix is
    /// applied to qubits `[q₀, q₁, …]`, the FIRST listed qubit is the MOST significant bit of the
    /// matrix index, as in textbook matrices; the state's own bit order (qubit 0 = bit 0) is unrelated.
    public var qubitCount: Int {
        precondition(dimension > 0 && dimension & (dimension - 1) == 0, "dimension \(dimension) is not a power of two")
        return dimension.trailingZeroBitCount
    }

    /// A matrix from rows of entries.
    public init(rows: [[Complex<Double>]]) {
        precondition(rows.allSatisfy { $0.count == rows.count }, "GateMatrix rows must be square")
        self.init(rows.flatMap { $0 })
    }

    /// The identity on `qubitCount` qubits.
    public static func identity(qubitCount: Int) -> GateMatrix { identity(1 << qubitCount) }

    /// The matrix product `lhs · rhs` (apply `rhs` first).
    /// - Complexity: O(d³).
    public static func * (lhs: GateMatrix, rhs: GateMatrix) -> GateMatrix { lhs.multiplied(by: rhs) }

    /// True when `U†U` is the identity to within `tolerance` entry-wise.
    public func isUnitary(tolerance: Double = 1e-12) -> Bool {
        (adjoint * self).distance(to: .identity(dimension)) <= tolerance
    }

    /// True when every off-diagonal entry is exactly zero.
    public var isDiagonal: Bool {
        for r in 0..<dimension { for c in 0..<dimension where r != c && self[r, c] != .zero { return false } }
        return true
    }

    /// The diagonal entries.
    public var diagonalEntries: [Complex<Double>] { (0..<dimension).map { self[$0, $0] } }
}

/// Shorthands used by the gate table.
enum M {
    static let i = Complex<Double>(0, 1)
    static func c(_ re: Double, _ im: Double = 0) -> Complex<Double> { Complex(re, im) }
    /// e^{iθ}.
    static func phase(_ theta: Double) -> Complex<Double> { Complex(.cos(theta), .sin(theta)) }

    static let pauliX = GateMatrix([c(0), c(1), c(1), c(0)])
    static let pauliY = GateMatrix([c(0), c(0, -1), c(0, 1), c(0)])
    static let pauliZ = GateMatrix([c(1), c(0), c(0), c(-1)])

    /// exp(−i θ/2 P) for an involutory P (P² = I): cos(θ/2) I − i sin(θ/2) P.
    static func rotation(_ theta: Double, _ p: GateMatrix) -> GateMatrix {
        let cosine = c(.cos(theta / 2))
        let minusISine = c(0, -.sin(theta / 2))
        var m = GateMatrix.identity(p.dimension).scaled(by: cosine)
        for k in 0..<m.elements.count { m.elements[k] = m.elements[k] + minusISine * p.elements[k] }
        return m
    }

    /// U3(θ, φ, λ) = [[cos θ/2, −e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]].
    static func u3(_ theta: Double, _ phi: Double, _ lambda: Double) -> GateMatrix {
        let cs = Double.cos(theta / 2), sn = Double.sin(theta / 2)
        let a = c(cs)
        let b = -phase(lambda) * c(sn)
        let d = phase(phi) * c(sn)
        let e = phase(phi + lambda) * c(cs)
        return GateMatrix([a, b, d, e])
    }

    /// RPhi(θ, φ) = [[cos θ/2, −i e^{−iφ} sin θ/2], [−i e^{iφ} sin θ/2, cos θ/2]].
    static func rphi(_ theta: Double, _ phi: Double) -> GateMatrix {
        let cs = c(.cos(theta / 2))
        let minusISine = c(0, -.sin(theta / 2))
        let upper = minusISine * phase(-phi)
        let lower = minusISine * phase(phi)
        return GateMatrix([cs, upper, lower, cs])
    }

    /// [[1,0,0,0],[0,cos θ, i sin θ,0],[0, i sin θ, cos θ,0],[0,0,0,1]]; θ = π/2 is iSWAP.
    static func xyExchange(_ theta: Double) -> GateMatrix {
        var m = GateMatrix.identity(4)
        m[1, 1] = c(.cos(theta)); m[2, 2] = c(.cos(theta))
        m[1, 2] = c(0, .sin(theta)); m[2, 1] = c(0, .sin(theta))
        return m
    }
}
