// The state abstraction of the pulse backend: what it needs from a simulator (apply a possibly non-
// unitary block, renormalize, sample shots, the exact distribution of a small register), implemented by
// the dense `StateVector` and the `MatrixProductState`.
import Numerics
import WukongCircuits

/// A pure state the pulse backend applies channel blocks to.
public protocol SimulationState: AnyObject {
    /// Number of qubits.
    var qubitCount: Int { get }
    /// ‖ψ‖².
    var normSquared: Double { get }
    /// Applies a 2^k × 2^k matrix (first operand = most significant bit of the matrix index).
    func apply(_ matrix: GateMatrix, on qubits: [Int])
    /// Scales to norm 1.
    func normalize()
    /// |ψᵢ|² over all 2ⁿ basis indices (small registers only).
    func probabilities() -> [Double]
    /// `shots` independent basis states drawn from |ψ|²/‖ψ‖².
    func sampleBits<R: RandomNumberGenerator>(shots: Int, using rng: inout R) -> [BasisBits]
    /// P(the listed qubits read the listed bits), the others summed over, normalized by ‖ψ‖².
    func probability(of assignment: [(qubit: Int, one: Bool)]) -> Double
    /// Largest 2-qubit block the state accepts (`Int.max` for a state vector).
    var maxBlockQubits: Int { get }
}

extension StateVector: SimulationState {
    /// The inverse-CDF sampler of `sample(shots:using:)` (same draws from `rng`), as bits.
    public func sampleBits<R: RandomNumberGenerator>(shots: Int, using rng: inout R) -> [BasisBits] {
        sample(shots: shots, using: &rng).map(BasisBits.init(index:))
    }
    public var maxBlockQubits: Int { qubitCount }

    /// Σ |ψᵢ|² over the indices with the assigned bits, / ‖ψ‖².
    /// - Complexity: O(2ⁿ).
    public func probability(of assignment: [(qubit: Int, one: Bool)]) -> Double {
        var mask = 0, value = 0
        for a in assignment {
            precondition((0..<qubitCount).contains(a.qubit), "StateVector.probability: qubit \(a.qubit) out of range")
            mask |= 1 << a.qubit
            if a.one { value |= 1 << a.qubit }
        }
        var p = 0.0
        for (i, x) in probabilities().enumerated() where i & mask == value { p += x }
        return p / normSquared
    }
}

extension MatrixProductState: SimulationState {
    public func sampleBits<R: RandomNumberGenerator>(shots: Int, using rng: inout R) -> [BasisBits] {
        sample(shots: shots, using: &rng)
    }
    public var maxBlockQubits: Int { 2 }
}

extension MatrixProductState {
    /// P(the listed qubits read the listed bits) / ‖ψ‖² by transfer matrices from the left:
    /// E ← Σ_{s allowed} A[s]†·E·A[s], starting from E = [1]; the result is the final 1 × 1 E.
    /// - Complexity: O(n·χ³); no 2ⁿ anything.
    public func probability(of assignment: [(qubit: Int, one: Bool)]) -> Double {
        var allowed = [[Bool]](repeating: [true, true], count: qubitCount)
        for a in assignment {
            checkQubit(a.qubit)
            allowed[a.qubit] = a.one ? [false, true] : [true, false]
        }
        var e: [Complex<Double>] = [.one]  // χ × χ, row-major
        for k in 0..<qubitCount {
            let l = bonds[k], r = bonds[k + 1], t = tensors[k]
            var next = [Complex<Double>](repeating: .zero, count: r * r)
            for s in 0..<2 where allowed[k][s] {
                // X = E·A[s] (l × r), then next += A[s]†·X.
                var x = [Complex<Double>](repeating: .zero, count: l * r)
                for i in 0..<l { for j in 0..<l where e[i * l + j] != .zero {
                    for c in 0..<r { x[i * r + c] = x[i * r + c] + e[i * l + j] * t[(j * 2 + s) * r + c] }
                } }
                for a in 0..<r { for i in 0..<l {
                    let y = t[(i * 2 + s) * r + a].conjugate
                    if y == .zero { continue }
                    for c in 0..<r { next[a * r + c] = next[a * r + c] + y * x[i * r + c] }
                } }
            }
            e = next
        }
        return e[0].real / normSquared
    }
}
