// The slow, obviously correct density matrix the fast one is tested against: ρ as a dense
// [[Complex]], each operator lifted to the full 2ⁿ × 2ⁿ space, channels as explicit Σ K ρ K†.
import Numerics
import WukongCircuits

/// A naive density matrix (n ≤ 6): every gate and Kraus operator is expanded to its full
/// operator with `ReferenceStateVector.fullOperator` and multiplied in, ρ ↦ Σᵢ Kᵢ ρ Kᵢ†.
/// Same conventions as `DensityMatrix` (qubit 0 = bit 0; `qubits[0]` most significant matrix bit).
public struct ReferenceDensityMatrix: Sendable {
    /// Number of qubits.
    public let qubitCount: Int
    /// ρ[r][c].
    public var elements: [[Complex<Double>]]

    /// |0…0⟩⟨0…0|.
    public init(qubitCount: Int) {
        precondition((0...6).contains(qubitCount), "the reference handles at most 6 qubits")
        self.qubitCount = qubitCount
        let d = 1 << qubitCount
        elements = Array(repeating: Array(repeating: .zero, count: d), count: d)
        elements[0][0] = .one
    }

    private func full(_ m: GateMatrix, _ qubits: [Int]) -> [[Complex<Double>]] {
        ReferenceStateVector(qubitCount: qubitCount).fullOperator(m, on: qubits)
    }

    private static func product(_ a: [[Complex<Double>]], _ b: [[Complex<Double>]]) -> [[Complex<Double>]] {
        let d = a.count
        var out = Array(repeating: Array(repeating: Complex<Double>.zero, count: d), count: d)
        for r in 0..<d { for k in 0..<d where a[r][k] != .zero { for c in 0..<d { out[r][c] = out[r][c] + a[r][k] * b[k][c] } } }
        return out
    }

    private static func adjoint(_ a: [[Complex<Double>]]) -> [[Complex<Double>]] {
        a.indices.map { r in a.indices.map { c in a[c][r].conjugate } }
    }

    /// ρ ↦ Σᵢ Kᵢ ρ Kᵢ† with each Kᵢ on `qubits`.
    public mutating func apply(_ channel: KrausChannel, on qubits: [Int]) {
        let d = elements.count
        var out = Array(repeating: Array(repeating: Complex<Double>.zero, count: d), count: d)
        for k in channel.operators {
            let big = full(k, qubits)
            let term = Self.product(Self.product(big, elements), Self.adjoint(big))
            for r in 0..<d { for c in 0..<d { out[r][c] = out[r][c] + term[r][c] } }
        }
        elements = out
    }

    /// ρ ↦ UρU†.
    public mutating func apply(_ unitary: GateMatrix, on qubits: [Int]) {
        apply(KrausChannel(unitary: unitary), on: qubits)
    }

    /// Tr ρ.
    public var trace: Complex<Double> { elements.indices.reduce(.zero) { $0 + elements[$1][$1] } }
}
