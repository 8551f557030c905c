// A unitary from arbitrary columns by Gram–Schmidt orthonormalisation; the random unitaries of the
// benchmark and of the tests are built with it.
import Numerics
import WukongCircuits

extension GateMatrix {
    /// The matrix whose columns are `columns` orthonormalised in order (classical Gram–Schmidt).
    /// The columns must be linearly independent (random complex columns are, with probability 1).
    /// - Complexity: O(d³) for d columns of length d.
    public static func orthonormalizing(columns: [[Complex<Double>]]) -> GateMatrix {
        var cols = columns
        let d = cols.count
        for j in 0..<d {
            for i in 0..<j {
                var dot = Complex<Double>.zero
                for r in 0..<d { dot = dot + cols[i][r].conjugate * cols[j][r] }
                for r in 0..<d { cols[j][r] = cols[j][r] - dot * cols[i][r] }
            }
            let norm = cols[j].reduce(0) { $0 + $1.lengthSquared }.squareRoot()
            precondition(norm > 0, "column \(j) is linearly dependent on the previous ones")
            cols[j] = cols[j].map { Complex($0.real / norm, $0.imaginary / norm) }
        }
        var e = [Complex<Double>](repeating: .zero, count: d * d)
        for r in 0..<d { for c in 0..<d { e[r * d + c] = cols[c][r] } }
        return GateMatrix(e)
    }
}
