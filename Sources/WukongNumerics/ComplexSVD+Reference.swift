// The plain reference for `ComplexSVD`: singular values as square roots of the eigenvalues of A†A,
// found by textbook cyclic Jacobi on the real symmetric embedding of that Hermitian matrix. Slow and
// less accurate for tiny singular values (squaring halves the relative precision), but obviously right.
import Numerics

extension ComplexSVD {
    /// σ of an m × n complex matrix (row-major), decreasing, min(m, n) values: √λ(A†A), with the
    /// Hermitian H = A†A = X + iY embedded as the real symmetric [[X, −Y], [Y, X]] (each eigenvalue of H
    /// appears twice) and diagonalized by cyclic Jacobi rotations until the off-diagonal norm is below
    /// 1e-30 of the total.
    /// - Complexity: O((2n)³) per sweep.
    public static func referenceSingularValues(_ matrix: [Complex<Double>], rows m: Int, columns n: Int) -> [Double] {
        precondition(m > 0 && n > 0 && matrix.count == m * n, "referenceSingularValues: shape \(m) x \(n) vs \(matrix.count) entries")
        // H = A†A.
        var h = [Complex<Double>](repeating: .zero, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                var acc = Complex<Double>.zero
                for k in 0..<m { acc = acc + matrix[k * n + i].conjugate * matrix[k * n + j] }
                h[i * n + j] = acc
            }
        }
        let d = 2 * n
        var a = [Double](repeating: 0, count: d * d)
        for i in 0..<n {
            for j in 0..<n {
                let x = h[i * n + j].real, y = h[i * n + j].imaginary
                a[i * d + j] = x
                a[(i + n) * d + (j + n)] = x
                a[i * d + (j + n)] = -y
                a[(i + n) * d + j] = y
            }
        }
        let total = a.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<d { for q in 0..<d where p != q { off += a[p * d + q] * a[p * d + q] } }
            if off <= 1e-30 * total { break }
            for p in 0..<(d - 1) {
                for q in (p + 1)..<d where a[p * d + q] != 0 {
                    let theta = (a[q * d + q] - a[p * d + p]) / (2 * a[p * d + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<d {  // columns p, q
                        let kp = a[k * d + p], kq = a[k * d + q]
                        a[k * d + p] = c * kp - s * kq
                        a[k * d + q] = s * kp + c * kq
                    }
                    for k in 0..<d {  // rows p, q
                        let pk = a[p * d + k], qk = a[q * d + k]
                        a[p * d + k] = c * pk - s * qk
                        a[q * d + k] = s * pk + c * qk
                    }
                }
            }
        }
        let eigen = (0..<d).map { a[$0 * d + $0] }.sorted(by: >)
        let values = stride(from: 0, to: d, by: 2).map { max(eigen[$0], 0).squareRoot() }
        return Array(values.prefix(min(m, n)))
    }
}
