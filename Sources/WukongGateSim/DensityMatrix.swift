// The density-matrix simulator: ρ on n qubits stored as vec(ρ), a 2n-qubit StateVector, so that
// unitaries and Kraus channels run on the state-vector kernels unchanged.
import Numerics
import WukongCircuits

/// A mixed state ρ of n ≤ 13 qubits.
///
/// **Storage.** ρ is held as a 2n-qubit `StateVector` `v` with `v[r + 2ⁿ·c] = ρ[r][c]`: qubit q
/// of the register is bit q of the row index r (vector qubit q) and bit q of the column index c
/// (vector qubit q + n). Then
///
/// - a unitary U on qubits Q maps ρ ↦ UρU† as U on the row qubits Q and U* (the entry-wise
///   conjugate) on the column qubits Q + n;
/// - a k-qubit channel with Kraus operators Kᵢ is the single 2k-qubit matrix `S = Σᵢ Kᵢ* ⊗ Kᵢ`
///   (`KrausChannel.superoperator`) applied on the operands `[Q + n…, Q…]`, column qubits first
///   (most significant), exactly as `ρ'[r][c] = Σ K[r][r'] ρ[r'][c'] K*[c][c']` reads.
///
/// Memory is 16·4ⁿ bytes (256 MiB at n = 12, 1 GiB at n = 13). Reference semantics as for
/// `StateVector`; `copy()` gives an independent state.
///
/// Implementation goals: 1. agree with `ReferenceDensityMatrix` to 1e-12; 2. stay Hermitian,
/// trace 1 and positive to rounding; 3. one kernel pass per gate and per channel.
public final class DensityMatrix: @unchecked Sendable {
    /// Largest register (4¹³ amplitudes of the underlying vector, 1 GiB).
    public static let maxQubitCount = 13

    /// Number of qubits n.
    public let qubitCount: Int
    /// Dimension 2ⁿ.
    public let dimension: Int
    /// vec(ρ) as a 2n-qubit state vector (see the type's storage note).
    public let vector: StateVector

    /// The pure state |0…0⟩⟨0…0|.
    /// - Complexity: O(4ⁿ).
    public init(qubitCount: Int, options: ExecutionOptions = ExecutionOptions()) {
        precondition((0...Self.maxQubitCount).contains(qubitCount),
                     "a density matrix holds at most \(Self.maxQubitCount) qubits, got \(qubitCount)")
        self.qubitCount = qubitCount
        self.dimension = 1 << qubitCount
        self.vector = StateVector(qubitCount: 2 * qubitCount, options: options)
    }

    /// |ψ⟩⟨ψ| of a pure state.
    /// - Complexity: O(4ⁿ).
    public convenience init(pure psi: StateVector, options: ExecutionOptions = ExecutionOptions()) {
        self.init(qubitCount: psi.qubitCount, options: options)
        let a = psi.amplitudes
        for c in 0..<dimension {
            let ac = a[c].conjugate
            for r in 0..<dimension { vector[r + dimension * c] = a[r] * ac }
        }
    }

    private init(copying other: DensityMatrix) {
        qubitCount = other.qubitCount
        dimension = other.dimension
        vector = other.vector.copy()
    }

    /// An independent copy.
    /// - Complexity: O(4ⁿ).
    public func copy() -> DensityMatrix { DensityMatrix(copying: self) }

    /// The element ρ[row][column].
    public subscript(row: Int, column: Int) -> Complex<Double> {
        get { vector[row + dimension * column] }
        set { vector[row + dimension * column] = newValue }
    }

    /// ρ as a dense matrix (for tests and small registers).
    /// - Complexity: O(4ⁿ).
    public var matrix: GateMatrix {
        var e = [Complex<Double>](repeating: .zero, count: dimension * dimension)
        for r in 0..<dimension { for c in 0..<dimension { e[r * dimension + c] = self[r, c] } }
        return GateMatrix(e)
    }

    /// The operand list of a channel on `qubits`: column qubits (q + n) first, then row qubits.
    func superoperatorOperands(_ qubits: [Int]) -> [Int] { qubits.map { $0 + qubitCount } + qubits }

    /// ρ ↦ UρU† for a unitary on `qubits` (k ≤ 5; `qubits[0]` most significant).
    /// - Complexity: two kernel passes, O(4ⁿ·2ᵏ).
    public func apply(_ unitary: GateMatrix, on qubits: [Int]) {
        checkQubits(qubits)
        vector.apply(unitary, on: qubits)
        vector.apply(GateMatrix(unitary.elements.map(\.conjugate)), on: qubits.map { $0 + qubitCount })
    }

    /// ρ ↦ Σᵢ Kᵢ ρ Kᵢ† for a channel on k ≤ 2 `qubits` (its 2k-qubit superoperator must fit the
    /// 5-qubit dense kernel).
    /// - Complexity: O(4ⁿ·4ᵏ).
    public func apply(_ channel: KrausChannel, on qubits: [Int]) {
        if channel.operators.count == 1 { return apply(channel.operators[0], on: qubits) }
        applySuperoperator(channel.superoperator, on: qubits)
    }

    /// Applies a precomputed superoperator (2k-qubit matrix, `KrausChannel.superoperator`
    /// ordering) of a channel on `qubits`.
    /// - Complexity: O(4ⁿ·4ᵏ).
    public func applySuperoperator(_ superoperator: GateMatrix, on qubits: [Int]) {
        checkQubits(qubits)
        precondition(superoperator.qubitCount == 2 * qubits.count, "superoperator size does not match the qubits")
        precondition(2 * qubits.count <= StateVector.maxDenseQubits, "channels act on at most 2 qubits")
        vector.apply(superoperator, on: superoperatorOperands(qubits))
    }

    private func checkQubits(_ qubits: [Int]) {
        precondition(qubits.allSatisfy { (0..<qubitCount).contains($0) }, "qubit out of range")
        precondition(Set(qubits).count == qubits.count, "qubits must be distinct")
    }

    /// The diagonal, `Re ρ[i][i]` (probabilities of the basis states when Tr ρ = 1).
    /// - Complexity: O(2ⁿ).
    public func probabilities() -> [Double] {
        (0..<dimension).map { vector.data[2 * ($0 + dimension * $0)] }
    }

    /// Tr ρ (real part; the imaginary part of a Hermitian ρ's trace is zero).
    public var trace: Double { probabilities().reduce(0, +) }

    /// Tr ρ² = Σ|ρ_rc|² (ρ Hermitian), 1 for a pure state and 1/2ⁿ for the maximally mixed one.
    /// - Complexity: O(4ⁿ).
    public var purity: Double { vector.normSquared }

    /// Largest |ρ_rc − ρ_cr*|, zero for an exactly Hermitian ρ.
    public var hermiticityError: Double {
        var worst = 0.0
        for r in 0..<dimension { for c in r..<dimension { worst = max(worst, (self[r, c] - self[c, r].conjugate).length) } }
        return worst
    }

    /// Probability that `qubit` reads 1, Σ over basis states with bit `qubit` set of ρ[i][i].
    public func probabilityOfOne(_ qubit: Int) -> Double {
        let p = probabilities()
        var s = 0.0
        for i in 0..<dimension where (i >> qubit) & 1 == 1 { s += p[i] }
        return s
    }

    /// Projects `qubit` onto `outcome` and renormalises: ρ ↦ PρP / Tr(Pρ). Returns Tr(Pρ)/Tr ρ,
    /// which must be positive.
    /// - Complexity: O(4ⁿ).
    @discardableResult
    public func collapse(_ qubit: Int, to outcome: Int) -> Double {
        precondition(outcome == 0 || outcome == 1, "outcome must be 0 or 1")
        let total = trace
        let p1 = probabilityOfOne(qubit)
        let kept = outcome == 1 ? p1 : total - p1
        precondition(kept > 0, "outcome \(outcome) on qubit \(qubit) has probability 0")
        let scale = 1 / kept
        let d = vector.data
        let rowBit = qubit, columnBit = qubit + qubitCount
        for i in 0..<vector.count {
            let keep = (i >> rowBit) & 1 == outcome && (i >> columnBit) & 1 == outcome
            d[2 * i] = keep ? d[2 * i] * scale : 0
            d[2 * i + 1] = keep ? d[2 * i + 1] * scale : 0
        }
        return kept / total
    }

    /// Measures `qubit`: draws the outcome from ρ and collapses onto it.
    public func measure<R: RandomNumberGenerator>(_ qubit: Int, using rng: inout R) -> Int {
        let p1 = probabilityOfOne(qubit) / trace
        let outcome = Double.random(in: 0..<1, using: &rng) < p1 ? 1 : 0
        collapse(qubit, to: outcome)
        return outcome
    }

    /// Resets `qubit` to |0⟩ deterministically (the reset channel, no sampling).
    public func reset(_ qubit: Int) { apply(KrausChannel.reset, on: [qubit]) }

    /// Draws `shots` basis indices from the diagonal of ρ (negative rounding residue counts as 0).
    /// - Complexity: O(2ⁿ + shots·log shots).
    public func sample<R: RandomNumberGenerator>(shots: Int, using rng: inout R) -> [Int] {
        sampleIndices(weights: probabilities(), shots: shots, using: &rng)
    }
}

/// Exact i.i.d. sampling of `shots` indices from non-negative `weights` (negative entries, which
/// can only be rounding residue, count as 0): sorted uniforms, one cumulative walk, then a shuffle.
/// - Complexity: O(count + shots·log shots).
func sampleIndices<R: RandomNumberGenerator>(weights: [Double], shots: Int, using rng: inout R) -> [Int] {
    let total = weights.reduce(0) { $0 + max($1, 0) }
    precondition(total > 0, "cannot sample from zero weights")
    var targets = (0..<shots).map { _ in Double.random(in: 0..<1, using: &rng) * total }
    targets.sort()
    var out = [Int]()
    out.reserveCapacity(shots)
    var i = 0, lastNonzero = -1
    var cumulative = 0.0
    for u in targets {
        while i < weights.count && cumulative <= u {
            let w = max(weights[i], 0)
            cumulative += w
            if w > 0 { lastNonzero = i }
            i += 1
        }
        out.append(lastNonzero)
    }
    out.shuffle(using: &rng)
    return out
}
