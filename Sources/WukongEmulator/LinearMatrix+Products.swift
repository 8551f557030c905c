// Arithmetic on ComplexMatrix: sums, scaling, the matrix product (the hot kernel), Kronecker
// products and matrix–vector products. The naive triple loop is the reference for `*` in tests.
import Numerics

extension ComplexMatrix {
    /// A + B.
    public static func + (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "shape mismatch in +")
        var m = a
        for k in m.re.indices {
            m.re[k] += b.re[k]
            m.im[k] += b.im[k]
        }
        return m
    }

    /// A − B.
    public static func - (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "shape mismatch in −")
        var m = a
        for k in m.re.indices {
            m.re[k] -= b.re[k]
            m.im[k] -= b.im[k]
        }
        return m
    }

    /// s·A for a complex scalar s.
    public func multiplied(by s: Complex<Double>) -> ComplexMatrix {
        var m = self
        let sr = s.real, si = s.imaginary
        for k in m.re.indices {
            let r = re[k], i = im[k]
            m.re[k] = sr * r - si * i
            m.im[k] = sr * i + si * r
        }
        return m
    }

    /// s·A for a real scalar s.
    public func scaled(by s: Double) -> ComplexMatrix {
        ComplexMatrix(rows: rows, cols: cols, re: re.map { $0 * s }, im: im.map { $0 * s })
    }

    /// A += s·B in place (s complex).
    public mutating func add(_ b: ComplexMatrix, times s: Complex<Double>) {
        precondition(rows == b.rows && cols == b.cols, "shape mismatch in add(_:times:)")
        let sr = s.real, si = s.imaginary
        for k in re.indices {
            re[k] += sr * b.re[k] - si * b.im[k]
            im[k] += sr * b.im[k] + si * b.re[k]
        }
    }

    /// The product A·B, by an i-k-j loop over unsafe buffers (contiguous inner loop).
    /// - Complexity: O(rows·cols·other.cols), 8 flops per inner step.
    public static func * (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.cols == b.rows, "shape mismatch in ×: \(a.rows)×\(a.cols) · \(b.rows)×\(b.cols)")
        let n = a.rows, m = a.cols, p = b.cols
        var cr = [Double](repeating: 0, count: n * p)
        var ci = [Double](repeating: 0, count: n * p)
        a.re.withUnsafeBufferPointer { ar in
        a.im.withUnsafeBufferPointer { ai in
        b.re.withUnsafeBufferPointer { br in
        b.im.withUnsafeBufferPointer { bi in
        cr.withUnsafeMutableBufferPointer { outR in
        ci.withUnsafeMutableBufferPointer { outI in
            for i in 0..<n {
                let rowC = i * p
                for k in 0..<m {
                    let xr = ar[i * m + k], xi = ai[i * m + k]
                    if xr == 0 && xi == 0 { continue }
                    let rowB = k * p
                    for j in 0..<p {
                        let yr = br[rowB + j], yi = bi[rowB + j]
                        outR[rowC + j] += xr * yr - xi * yi
                        outI[rowC + j] += xr * yi + xi * yr
                    }
                }
            }
        }}}}}}
        return ComplexMatrix(rows: n, cols: p, re: cr, im: ci)
    }

    /// The product by the obviously correct definition (AB)ᵢⱼ = Σₖ AᵢₖBₖⱼ; the test reference for `*`.
    public func referenceProduct(_ b: ComplexMatrix) -> ComplexMatrix {
        precondition(cols == b.rows, "shape mismatch")
        var c = ComplexMatrix(rows: rows, cols: b.cols)
        for i in 0..<rows {
            for j in 0..<b.cols {
                var s = Complex<Double>.zero
                for k in 0..<cols { s += self[i, k] * b[k, j] }
                c[i, j] = s
            }
        }
        return c
    }

    /// The Kronecker product A ⊗ B: (A⊗B)[(i·p + k), (j·q + l)] = Aᵢⱼ·Bₖₗ for B of shape p × q.
    /// The left factor is the most significant index.
    /// - Complexity: O(rows·cols·p·q).
    public func kronecker(_ b: ComplexMatrix) -> ComplexMatrix {
        var m = ComplexMatrix(rows: rows * b.rows, cols: cols * b.cols)
        for i in 0..<rows {
            for j in 0..<cols {
                let xr = re[i * cols + j], xi = im[i * cols + j]
                if xr == 0 && xi == 0 { continue }
                for k in 0..<b.rows {
                    for l in 0..<b.cols {
                        let yr = b.re[k * b.cols + l], yi = b.im[k * b.cols + l]
                        let idx = (i * b.rows + k) * m.cols + (j * b.cols + l)
                        m.re[idx] = xr * yr - xi * yi
                        m.im[idx] = xr * yi + xi * yr
                    }
                }
            }
        }
        return m
    }

    /// The matrix–vector product A·v.
    /// - Complexity: O(rows·cols).
    public func apply(_ v: [Complex<Double>]) -> [Complex<Double>] {
        precondition(v.count == cols, "vector length \(v.count) ≠ \(cols) columns")
        var out = [Complex<Double>](repeating: .zero, count: rows)
        for i in 0..<rows {
            var sr = 0.0, si = 0.0
            for j in 0..<cols {
                let ar = re[i * cols + j], ai = im[i * cols + j]
                let vr = v[j].real, vi = v[j].imaginary
                sr += ar * vr - ai * vi
                si += ar * vi + ai * vr
            }
            out[i] = Complex(sr, si)
        }
        return out
    }
}
