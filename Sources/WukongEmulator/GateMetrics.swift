// Gate-level figures of a propagator: projection on the computational subspace (qubits in 0/1,
// couplers in 0), leakage, and the average gate fidelity to a target up to virtual-Z frame
// updates and global phase (Pedersen, Møller & Mølmer 2007, with leakage).
import Numerics

extension SubsystemModel {
    /// Basis indices of the computational states, ordered as bitstrings with the first qubit mode the
    /// least significant bit; every other mode (couplers, higher levels) in |0⟩.
    public var computationalIndices: [Int] {
        let qs = qubitPositions
        return (0..<(1 << qs.count)).map { bits in
            var n = [Int](repeating: 0, count: elements.count)
            for (b, k) in qs.enumerated() { n[k] = (bits >> b) & 1 }
            return basisIndex(n)
        }
    }

    /// P·U·P restricted to the computational subspace (2^q × 2^q).
    public func computationalBlock(_ u: ComplexMatrix) -> ComplexMatrix {
        let idx = computationalIndices
        var m = ComplexMatrix(rows: idx.count, cols: idx.count)
        for (i, a) in idx.enumerated() { for (j, b) in idx.enumerated() { m[i, j] = u[a, b] } }
        return m
    }

    /// Average leakage out of the computational subspace, L = 1 − (1/d)·Σ_{i,j ∈ comp}|Uᵢⱼ|².
    public func leakage(_ u: ComplexMatrix) -> Double {
        let block = computationalBlock(u)
        return 1 - block.frobeniusNorm * block.frobeniusNorm / Double(block.rows)
    }
}

/// The result of comparing a propagator with a target gate.
public struct GateComparison: Sendable {
    /// Average gate fidelity F = (Tr(MM†) + |Tr M|²)/(d(d + 1)), M = V†·Z(θ)·U_c (Pedersen 2007).
    public let averageFidelity: Double
    /// Virtual-Z angles θ_q (rad) applied after the gate, Z(θ) = Π_q diag(1, e^{iθ_q}), that maximize F.
    public let virtualZRad: [Double]
    /// Average leakage of the full propagator.
    public let leakage: Double
}

extension SubsystemModel {
    /// Compares a propagator with a target unitary on the computational subspace, optimizing one
    /// virtual-Z phase per qubit (after the gate) and ignoring global phase.
    ///
    /// |Tr(V†ZU)| = |Σₘ zₘ wₘ| with wₘ = (U V†)ₘₘ and zₘ = e^{iΣ θ_q b_q(m)}: coordinate ascent,
    /// each θ_q set in closed form to arg(A) − arg(B), A (B) the sum over states with b_q = 0 (1).
    public func compare(_ u: ComplexMatrix, to target: ComplexMatrix, optimizeVirtualZ: Bool = true) -> GateComparison {
        let uc = computationalBlock(u)
        let d = uc.rows
        precondition(target.rows == d && target.cols == d, "target must be \(d)×\(d)")
        let w = uc * target.adjoint
        let nq = qubitPositions.count
        var theta = [Double](repeating: 0, count: nq)
        func z(_ m: Int) -> Complex<Double> {
            var phase = 0.0
            for q in 0..<nq where (m >> q) & 1 == 1 { phase += theta[q] }
            return Complex(length: 1, phase: phase)
        }
        if optimizeVirtualZ {
            for _ in 0..<(nq == 1 ? 1 : 50) {
                for q in 0..<nq {
                    var a = Complex<Double>.zero, b = Complex<Double>.zero
                    for m in 0..<d {
                        var others = theta
                        others[q] = 0
                        var phase = 0.0
                        for r in 0..<nq where (m >> r) & 1 == 1 { phase += others[r] }
                        let term = Complex<Double>(length: 1, phase: phase) * w[m, m]
                        if (m >> q) & 1 == 0 { a += term } else { b += term }
                    }
                    if b != .zero && a != .zero { theta[q] = a.phase - b.phase }
                }
            }
        }
        var zu = uc
        for m in 0..<d {
            let f = z(m)
            for j in 0..<d { zu[m, j] = f * uc[m, j] }
        }
        let mm = target.adjoint * zu
        let tr = mm.trace
        let fro = mm.frobeniusNorm
        let f = (fro * fro + tr.lengthSquared) / Double(d * (d + 1))
        return GateComparison(averageFidelity: f, virtualZRad: theta, leakage: leakage(u))
    }
}
