// The slow, obviously correct state vector that the fast kernels are tested against. It builds
// each gate's full 2ⁿ × 2ⁿ operator element by element (n ≤ 10) and multiplies; no bit tricks.
import Numerics
import WukongCircuits

/// A naive n-qubit state vector (n ≤ 10) for testing: every operation forms the full
/// 2ⁿ × 2ⁿ operator from its definition and multiplies it into the amplitude array.
/// Same conventions as `StateVector`: qubit 0 is bit 0 of the index; `qubits[0]` of a gate
/// is the most significant bit of its matrix index.
public struct ReferenceStateVector: Sendable {
    /// Number of qubits.
    public let qubitCount: Int
    /// Amplitudes ψᵢ, index i with qubit q as bit q.
    public var amplitudes: [Complex<Double>]

    /// The state `|0…0⟩`.
    public init(qubitCount: Int) {
        precondition((0...10).contains(qubitCount), "the reference handles at most 10 qubits")
        self.qubitCount = qubitCount
        amplitudes = Array(repeating: .zero, count: 1 << qubitCount)
        amplitudes[0] = .one
    }

    /// A state with the given amplitudes.
    public init(amplitudes: [Complex<Double>]) {
        let n = amplitudes.count.trailingZeroBitCount
        precondition(amplitudes.count == 1 << n && n <= 10, "need 2ⁿ amplitudes, n ≤ 10")
        qubitCount = n
        self.amplitudes = amplitudes
    }

    /// Bit `q` of `index`, 0 or 1.
    static func bit(_ index: Int, _ q: Int) -> Int { (index >> q) & 1 }

    /// The full operator of `matrix` on `qubits`: ⟨r|U|c⟩ = M[r_Q, c_Q] when r and c agree on
    /// every qubit outside Q, else 0, where x_Q lists x's bits on qubits[0], qubits[1], … from
    /// the most significant down.
    public func fullOperator(_ matrix: GateMatrix, on qubits: [Int]) -> [[Complex<Double>]] {
        let dim = 1 << qubitCount
        func sub(_ x: Int) -> Int {
            var v = 0
            for q in qubits { v = 2 * v + Self.bit(x, q) }
            return v
        }
        // Bits where r and c may differ: exactly the gate's qubits.
        let gateMask = qubits.reduce(0) { $0 | (1 << $1) }
        var op = Array(repeating: Array(repeating: Complex<Double>.zero, count: dim), count: dim)
        for r in 0..<dim {
            for c in 0..<dim where (r ^ c) & ~gateMask == 0 {
                op[r][c] = matrix[sub(r), sub(c)]
            }
        }
        return op
    }

    /// ψ ← Op · ψ.
    mutating func multiply(by op: [[Complex<Double>]]) {
        var out = Array(repeating: Complex<Double>.zero, count: amplitudes.count)
        for r in 0..<out.count {
            var acc = Complex<Double>.zero
            for c in 0..<out.count { acc = acc + op[r][c] * amplitudes[c] }
            out[r] = acc
        }
        amplitudes = out
    }

    /// Applies `matrix` to `qubits` (`qubits[0]` = most significant matrix bit).
    public mutating func apply(_ matrix: GateMatrix, on qubits: [Int]) {
        precondition(matrix.qubitCount == qubits.count, "matrix size does not match qubits")
        multiply(by: fullOperator(matrix, on: qubits))
    }

    /// Applies `matrix` to `target` when each control `controls[j]` is in `controlStates[j]`
    /// (default 1), and the identity otherwise: the operator is built column by column.
    public mutating func applyControlled(_ matrix: GateMatrix, controls: [Int], target: Int,
                                         controlStates: [Int]? = nil) {
        let states = controlStates ?? Array(repeating: 1, count: controls.count)
        let dim = 1 << qubitCount
        var op = Array(repeating: Array(repeating: Complex<Double>.zero, count: dim), count: dim)
        for c in 0..<dim {
            var active = true
            for (q, v) in zip(controls, states) where Self.bit(c, q) != v { active = false }
            if !active {
                op[c][c] = .one
                continue
            }
            let tb = Self.bit(c, target)
            let c0 = c & ~(1 << target)
            op[c0][c] = matrix[0, tb]
            op[c0 | (1 << target)][c] = matrix[1, tb]
        }
        multiply(by: op)
    }

    /// Probability that `qubit` reads 1.
    public func probabilityOfOne(_ qubit: Int) -> Double {
        var p = 0.0
        for i in amplitudes.indices where Self.bit(i, qubit) == 1 { p += amplitudes[i].lengthSquared }
        return p
    }

    /// Projects `qubit` onto `outcome` and renormalises.
    public mutating func collapse(_ qubit: Int, to outcome: Int) {
        var norm = 0.0
        for i in amplitudes.indices {
            if Self.bit(i, qubit) == outcome {
                norm += amplitudes[i].lengthSquared
            } else {
                amplitudes[i] = .zero
            }
        }
        let s = 1 / norm.squareRoot()
        for i in amplitudes.indices { amplitudes[i] = Complex(amplitudes[i].real * s, amplitudes[i].imaginary * s) }
    }

    /// The 2ⁿ × 2ⁿ matrix of a Pauli string, as the Kronecker product P_{n−1} ⊗ … ⊗ P_0.
    public static func pauliMatrix(_ pauli: PauliString, qubitCount: Int) -> GateMatrix {
        var m: GateMatrix? = nil
        for q in (0..<qubitCount).reversed() {
            let single = pauli[q].matrix
            m = m.map { $0.kron(single) } ?? single
        }
        return m ?? GateMatrix.identity(qubitCount: 1)
    }

    /// ⟨ψ|P|ψ⟩ with P's dense matrix.
    public func expectation(_ pauli: PauliString) -> Complex<Double> {
        let p = Self.pauliMatrix(pauli, qubitCount: qubitCount)
        var acc = Complex<Double>.zero
        for r in amplitudes.indices {
            var row = Complex<Double>.zero
            for c in amplitudes.indices { row = row + p[r, c] * amplitudes[c] }
            acc = acc + amplitudes[r].conjugate * row
        }
        return acc
    }
}
