// Quantum channels in Kraus form on k qubits: trace-preservation check, composition, tensor
// products, fidelities and the superoperator the density-matrix simulator applies.
import Numerics
import WukongCircuits

/// A completely positive map on k qubits, `E(ρ) = Σᵢ Kᵢ ρ Kᵢ†`, stored as its Kraus operators.
///
/// **Operand order.** Like every `GateMatrix`, a Kraus operator applied to qubits `[q₀, q₁, …]`
/// reads `q₀` as the most significant bit of its index.
///
/// **Superoperator order.** `superoperator` is the 2k-qubit matrix `S = Σᵢ Kᵢ* ⊗ Kᵢ` acting on
/// `vec(ρ)` with index `r + 2ᵏ·c` for the element ρ[r][c] (row index in the low k bits,
/// column index in the high k bits). Applied as a gate, its operand list is therefore
/// `[column qubits…, row qubits…]` (see `DensityMatrix`).
public struct KrausChannel: Sendable {
    /// The Kraus operators Kᵢ, each 2ᵏ × 2ᵏ.
    public let operators: [GateMatrix]
    /// Number of qubits k the channel acts on.
    public let qubitCount: Int

    /// A channel from its Kraus operators (at least one, all of one dimension 2ᵏ).
    public init(_ operators: [GateMatrix]) {
        precondition(!operators.isEmpty, "a channel needs at least one Kraus operator")
        let k = operators[0].qubitCount
        precondition(operators.allSatisfy { $0.dimension == 1 << k }, "Kraus operators must share one dimension")
        self.operators = operators
        self.qubitCount = k
    }

    /// The unitary channel `ρ ↦ U ρ U†`.
    public init(unitary: GateMatrix) { self.init([unitary]) }

    /// The identity channel on k qubits.
    public static func identity(qubitCount: Int) -> KrausChannel {
        KrausChannel([.identity(qubitCount: qubitCount)])
    }

    /// Dimension d = 2ᵏ.
    public var dimension: Int { 1 << qubitCount }

    /// `Σᵢ Kᵢ† Kᵢ`, the identity for a trace-preserving channel.
    /// - Complexity: O(m·d³) for m operators.
    public var completenessMatrix: GateMatrix {
        var sum = GateMatrix(Array(repeating: .zero, count: dimension * dimension))
        for k in operators {
            let p = k.adjoint * k
            for e in 0..<sum.elements.count { sum.elements[e] = sum.elements[e] + p.elements[e] }
        }
        return sum
    }

    /// True when `Σᵢ Kᵢ† Kᵢ = I` entry-wise to within `tolerance`.
    public func isTracePreserving(tolerance: Double = 1e-12) -> Bool {
        completenessMatrix.distance(to: .identity(dimension)) <= tolerance
    }

    /// The channel `other ∘ self` (apply `self` first, then `other`): Kraus operators `Lⱼ Kᵢ`.
    /// Operators that vanish exactly are dropped.
    /// - Complexity: O(m·m'·d³).
    public func followed(by other: KrausChannel) -> KrausChannel {
        precondition(other.qubitCount == qubitCount, "channels act on different qubit counts")
        var ops: [GateMatrix] = []
        for l in other.operators {
            for k in operators {
                let p = l * k
                if p.elements.contains(where: { $0 != .zero }) { ops.append(p) }
            }
        }
        return KrausChannel(ops.isEmpty ? [other.operators[0] * operators[0]] : ops)
    }

    /// The product channel `self ⊗ other` on k + k' qubits, `self` on the more significant
    /// operands: Kraus operators `Kᵢ ⊗ Lⱼ`.
    public func tensor(_ other: KrausChannel) -> KrausChannel {
        KrausChannel(operators.flatMap { k in other.operators.map { k.kron($0) } })
    }

    /// Entanglement (process) fidelity with the identity, `F_e = Σᵢ |Tr Kᵢ|² / d²`.
    public var entanglementFidelity: Double {
        let d = Double(dimension)
        return operators.reduce(0) { acc, k in acc + k.diagonalEntries.reduce(Complex<Double>.zero, +).lengthSquared } / (d * d)
    }

    /// Average gate fidelity with the identity, `F = (d·F_e + 1)/(d + 1)` (Horodecki; Nielsen 2002).
    public var averageGateFidelity: Double {
        let d = Double(dimension)
        return (d * entanglementFidelity + 1) / (d + 1)
    }

    /// Entanglement fidelity with the unitary `u`: `Σᵢ |Tr(U† Kᵢ)|² / d²`.
    public func entanglementFidelity(to u: GateMatrix) -> Double {
        precondition(u.dimension == dimension, "target unitary has the wrong size")
        let d = Double(dimension)
        let ud = u.adjoint
        return operators.reduce(0) { acc, k in
            acc + (ud * k).diagonalEntries.reduce(Complex<Double>.zero, +).lengthSquared
        } / (d * d)
    }

    /// Average gate fidelity with the unitary `u`, `(d·F_e + 1)/(d + 1)`.
    public func averageGateFidelity(to u: GateMatrix) -> Double {
        let d = Double(dimension)
        return (d * entanglementFidelity(to: u) + 1) / (d + 1)
    }

    /// The superoperator `S = Σᵢ Kᵢ* ⊗ Kᵢ` on 2k qubits (column qubits most significant), so that
    /// `vec(E(ρ)) = S·vec(ρ)` with vec index `r + d·c`. Composition is the matrix product:
    /// `superoperator(A then B) = S_B · S_A`.
    /// - Complexity: O(m·d⁴).
    public var superoperator: GateMatrix {
        let d2 = dimension * dimension
        var s = GateMatrix(Array(repeating: .zero, count: d2 * d2))
        for k in operators {
            let term = GateMatrix(k.elements.map(\.conjugate)).kron(k)
            for e in 0..<s.elements.count { s.elements[e] = s.elements[e] + term.elements[e] }
        }
        return s
    }

    /// Applies the channel to a dense density matrix `rho` (d × d, row-major), `Σ K ρ K†`.
    /// - Complexity: O(m·d³).
    public func apply(to rho: GateMatrix) -> GateMatrix {
        precondition(rho.dimension == dimension, "density matrix has the wrong size")
        var out = GateMatrix(Array(repeating: .zero, count: rho.elements.count))
        for k in operators {
            let term = k * rho * k.adjoint
            for e in 0..<out.elements.count { out.elements[e] = out.elements[e] + term.elements[e] }
        }
        return out
    }
}

/// A classical readout confusion matrix: `P(measured m | prepared p)`, the calibration's
/// `readout/assignment_matrix`. Applied to sampled bits, never to the quantum state.
public struct ReadoutConfusion: Sendable, Equatable {
    /// `probabilities[m][p]` = P(read m | state p), columns summing to 1.
    public let probabilities: [[Double]]

    /// From the four numbers `[P(0|0), P(0|1), P(1|0), P(1|1)]` (row-major [measured][prepared]).
    /// Each column is renormalised to sum to 1; a column with a NaN entry becomes perfect readout.
    public init(rowMajor v: [Double]) {
        precondition(v.count == 4, "an assignment matrix has four entries")
        func column(_ stay: Double, _ flip: Double, perfect: (Double, Double)) -> (Double, Double) {
            guard stay.isFinite, flip.isFinite, stay >= 0, flip >= 0, stay + flip > 0 else { return perfect }
            return (stay / (stay + flip), flip / (stay + flip))
        }
        let c0 = column(v[0], v[2], perfect: (1, 0))  // prepared 0: (P(0|0), P(1|0))
        let c1 = column(v[3], v[1], perfect: (1, 0))  // prepared 1: (P(1|1), P(0|1))
        probabilities = [[c0.0, c1.1], [c0.1, c1.0]]
    }

    /// Perfect readout.
    public static let perfect = ReadoutConfusion(rowMajor: [1, 0, 0, 1])

    /// P(read 1 | prepared `p`).
    public func probabilityOfOne(prepared p: Int) -> Double { probabilities[1][p] }

    /// The bit read when the qubit is in `p`, given a uniform variate `u` ∈ [0, 1).
    public func read(prepared p: Int, uniform u: Double) -> Int { u < probabilityOfOne(prepared: p) ? 1 : 0 }

    /// True when the readout never errs.
    public var isPerfect: Bool { probabilities[1][0] == 0 && probabilities[0][1] == 0 }
}
