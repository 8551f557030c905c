// The dressed idle frame: eigenstates of the static Hamiltonian at idle flux, labelled by the bare
// state they overlap most, and propagators re-expressed in that basis and frame. Two-qubit phases
// (CZ conditional phase) and leakage are only meaningful there (pulse-tools.md §7.8).
import Numerics

/// The labelled eigenbasis of a model's lab static Hamiltonian at idle flux.
public struct DressedBasis: Sendable {
    /// Dressed energies E_m (rad/ns), indexed by bare label m.
    public let energies: [Double]
    /// Unitary W whose column m is the dressed state labelled by bare state m, phase-fixed so that
    /// ⟨m|W|m⟩ is real and positive.
    public let vectors: ComplexMatrix
}

extension SubsystemModel {
    /// The dressed basis at static offsets plus `extraFluxPhi0` (greedy labelling by overlap, as in
    /// `dressedEnergiesGHz`).
    /// - Complexity: O(n³) eigen-decomposition plus O(n² log n) labelling.
    public func dressedBasis(extraFluxPhi0: [Double]? = nil) -> DressedBasis {
        let eig = HermitianEigen(householder: staticHamiltonian(extraFluxPhi0: extraFluxPhi0))
        let n = dimension
        let column = Self.greedyLabels(eig.vectors)
        var w = ComplexMatrix(rows: n, cols: n)
        var energies = [Double](repeating: 0, count: n)
        for m in 0..<n {
            let k = column[m]
            energies[m] = eig.values[k]
            // Multiply the column by e^{−i·arg⟨m|v⟩} so its bare-label component is real positive.
            let ph = eig.vectors[m, k]
            let fix = ph.length > 0 ? Complex<Double>(length: 1, phase: -ph.phase) : .one
            for i in 0..<n { w[i, m] = eig.vectors[i, k] * fix }
        }
        return DressedBasis(energies: energies, vectors: w)
    }

    /// A solver propagator (in the solver's frame `frameGHz`, over `durationNs` from t = 0)
    /// re-expressed in the dressed idle basis and frame:
    /// U_d = diag(e^{iE_m T})·W†·U_lab·W with U_lab = D(T)†·U_frame, D(t) = diag(e^{iΣₖ2πf_k nₖ t}).
    /// In this frame an ideal idle is exactly the identity, so static ZZ and dressing drop out.
    /// - Complexity: O(n³).
    public func dressedFrame(_ u: ComplexMatrix, solverFrameGHz frameGHz: [Double], durationNs t: Double,
                             basis: DressedBasis? = nil) -> ComplexMatrix {
        let n = dimension
        precondition(u.rows == n && u.cols == n && frameGHz.count == elements.count, "shape mismatch")
        let b = basis ?? dressedBasis()
        var lab = u
        for i in 0..<n {
            let e = elements.indices.reduce(0.0) { $0 + 2 * .pi * frameGHz[$1] * Double(occupation(i, mode: $1)) }
            let d = Complex<Double>(length: 1, phase: -e * t)
            for j in 0..<n { lab[i, j] = lab[i, j] * d }
        }
        var ud = b.vectors.adjoint * lab * b.vectors
        for i in 0..<n {
            let d = Complex<Double>(length: 1, phase: b.energies[i] * t)
            for j in 0..<n { ud[i, j] = ud[i, j] * d }
        }
        return ud
    }
}
