// Small dense complex matrices for the emulator (dimension ≲ 100): storage, element access,
// and the cheap structural operations. Products live in LinearMatrix+Products.swift.
import Numerics

/// A dense complex matrix stored row-major as separate real and imaginary arrays.
///
/// Split storage keeps the hot loops (products, Jacobi rotations) on plain `Double` buffers,
/// which the optimizer vectorizes and the type checker handles quickly.
public struct ComplexMatrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// Real parts, row-major: element (i, j) at `i·cols + j`.
    public var re: [Double]
    /// Imaginary parts, same layout as `re`.
    public var im: [Double]

    /// The zero matrix of the given shape.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "matrix shape must be non-negative")
        self.rows = rows
        self.cols = cols
        re = [Double](repeating: 0, count: rows * cols)
        im = [Double](repeating: 0, count: rows * cols)
    }

    /// A matrix from row-major real and imaginary parts.
    public init(rows: Int, cols: Int, re: [Double], im: [Double]) {
        precondition(re.count == rows * cols && im.count == rows * cols, "storage does not match \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.re = re
        self.im = im
    }

    /// A matrix from rows of complex numbers (all rows the same length).
    public init(_ elements: [[Complex<Double>]]) {
        let r = elements.count, c = elements.first?.count ?? 0
        self.init(rows: r, cols: c)
        for i in 0..<r {
            precondition(elements[i].count == c, "ragged rows")
            for j in 0..<c { self[i, j] = elements[i][j] }
        }
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> ComplexMatrix {
        var m = ComplexMatrix(rows: n, cols: n)
        for i in 0..<n { m.re[i * n + i] = 1 }
        return m
    }

    /// A square diagonal matrix with real diagonal `d`.
    public static func diagonal(_ d: [Double]) -> ComplexMatrix {
        var m = ComplexMatrix(rows: d.count, cols: d.count)
        for i in d.indices { m.re[i * d.count + i] = d[i] }
        return m
    }

    /// A square diagonal matrix with complex diagonal `d`.
    public static func diagonal(complex d: [Complex<Double>]) -> ComplexMatrix {
        var m = ComplexMatrix(rows: d.count, cols: d.count)
        for i in d.indices { m[i, i] = d[i] }
        return m
    }

    /// True when rows == cols.
    public var isSquare: Bool { rows == cols }

    /// Element (i, j).
    public subscript(i: Int, j: Int) -> Complex<Double> {
        get { Complex(re[i * cols + j], im[i * cols + j]) }
        set {
            re[i * cols + j] = newValue.real
            im[i * cols + j] = newValue.imaginary
        }
    }

    /// The conjugate transpose A†.
    /// - Complexity: O(rows·cols).
    public var adjoint: ComplexMatrix {
        var m = ComplexMatrix(rows: cols, cols: rows)
        for i in 0..<rows {
            for j in 0..<cols {
                m.re[j * rows + i] = re[i * cols + j]
                m.im[j * rows + i] = -im[i * cols + j]
            }
        }
        return m
    }

    /// The transpose Aᵀ (no conjugation).
    /// - Complexity: O(rows·cols).
    public var transpose: ComplexMatrix {
        var m = ComplexMatrix(rows: cols, cols: rows)
        for i in 0..<rows {
            for j in 0..<cols {
                m.re[j * rows + i] = re[i * cols + j]
                m.im[j * rows + i] = im[i * cols + j]
            }
        }
        return m
    }

    /// The elementwise conjugate Ā.
    public var conjugate: ComplexMatrix {
        ComplexMatrix(rows: rows, cols: cols, re: re, im: im.map { -$0 })
    }

    /// The trace Σᵢ Aᵢᵢ.
    public var trace: Complex<Double> {
        precondition(isSquare, "trace of a non-square matrix")
        var r = 0.0, i = 0.0
        for k in 0..<rows {
            r += re[k * cols + k]
            i += im[k * cols + k]
        }
        return Complex(r, i)
    }

    /// The Frobenius norm sqrt(Σ|Aᵢⱼ|²).
    public var frobeniusNorm: Double {
        var s = 0.0
        for k in re.indices { s += re[k] * re[k] + im[k] * im[k] }
        return s.squareRoot()
    }

    /// The induced 1-norm max_j Σᵢ|Aᵢⱼ| (what the expm scaling uses).
    public var oneNorm: Double {
        var best = 0.0
        for j in 0..<cols {
            var s = 0.0
            for i in 0..<rows { s += Complex(re[i * cols + j], im[i * cols + j]).length }
            best = max(best, s)
        }
        return best
    }

    /// max |Aᵢⱼ − Bᵢⱼ|, for tests and invariant checks.
    public func maxAbsDifference(_ other: ComplexMatrix) -> Double {
        precondition(rows == other.rows && cols == other.cols, "shape mismatch")
        var worst = 0.0
        for k in re.indices {
            let dr = re[k] - other.re[k], di = im[k] - other.im[k]
            worst = max(worst, (dr * dr + di * di).squareRoot())
        }
        return worst
    }

    /// max |Aᵢⱼ − conj(Aⱼᵢ)|: zero for a Hermitian matrix.
    public var hermiticityError: Double { maxAbsDifference(adjoint) }

    /// Column j as a vector.
    public func column(_ j: Int) -> [Complex<Double>] {
        (0..<rows).map { self[$0, j] }
    }
}
