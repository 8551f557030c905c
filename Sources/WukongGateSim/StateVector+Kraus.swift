// Quantum trajectories: one Kraus operator of a channel drawn with its Born probability and
// applied to a pure state, so that averaging trajectories reproduces the density matrix.
import Numerics
import WukongCircuits

extension StateVector {
    /// The reduced density matrix of `qubits` (`qubits[0]` the most significant index bit),
    /// `ρ_Q[a][b] = Σ_rest ψ(a, rest)·ψ*(b, rest)`.
    /// - Complexity: O(2ⁿ·2ᵏ).
    public func reducedDensityMatrix(_ qubits: [Int]) -> GateMatrix {
        let k = qubits.count
        let dim = 1 << k
        var offsets = [Int](repeating: 0, count: dim)
        for b in 0..<dim {
            for j in 0..<k where (b >> (k - 1 - j)) & 1 == 1 { offsets[b] |= 1 << qubits[j] }
        }
        let inserter = ZeroBitInserter(positions: qubits)
        var rho = [Complex<Double>](repeating: .zero, count: dim * dim)
        var block = [Complex<Double>](repeating: .zero, count: dim)
        inserter.lowMasks.withUnsafeBufferPointer { masks in
            for blk in 0..<(count >> k) {
                let base = ZeroBitInserter.insert(blk, masks)
                for a in 0..<dim { block[a] = Complex(data[2 * (base + offsets[a])], data[2 * (base + offsets[a]) + 1]) }
                for a in 0..<dim where block[a] != .zero {
                    for b in 0..<dim { rho[a * dim + b] = rho[a * dim + b] + block[a] * block[b].conjugate }
                }
            }
        }
        return GateMatrix(rho)
    }

    /// Applies one Kraus operator of `channel` on `qubits`, chosen with probability
    /// `pᵢ = ⟨ψ|Kᵢ†Kᵢ|ψ⟩ = Tr(Kᵢ ρ_Q Kᵢ†)` from the reduced density matrix, and renormalises by
    /// 1/√pᵢ. Returns the index of the chosen operator.
    ///
    /// Averaged over draws, |ψ⟩⟨ψ| evolves exactly as Σᵢ Kᵢ|ψ⟩⟨ψ|Kᵢ† (the channel); the state
    /// stays normalised. A unitary channel is applied without drawing.
    /// - Complexity: O(2ⁿ·2ᵏ) for the reduced matrix plus one kernel pass.
    @discardableResult
    public func applyKrausSample<R: RandomNumberGenerator>(_ channel: KrausChannel, on qubits: [Int],
                                                           using rng: inout R) -> Int {
        precondition(channel.qubitCount == qubits.count, "channel size does not match the qubits")
        if channel.operators.count == 1 {
            apply(channel.operators[0], on: qubits)
            return 0
        }
        let rho = reducedDensityMatrix(qubits)
        let total = normSquared
        let weights = channel.operators.map { k -> Double in
            // Tr(K ρ K†) = Σ_{a,b} (K†K)[b][a]·ρ[a][b], real for Hermitian ρ.
            let kk = k.adjoint * k
            var s = 0.0
            for a in 0..<rho.dimension { for b in 0..<rho.dimension { s += (kk[b, a] * rho[a, b]).real } }
            return max(s, 0)
        }
        var u = Double.random(in: 0..<1, using: &rng) * weights.reduce(0, +)
        var chosen = weights.lastIndex { $0 > 0 } ?? 0
        for (i, w) in weights.enumerated() where w > 0 {
            if u < w { chosen = i; break }
            u -= w
        }
        apply(channel.operators[chosen], on: qubits)
        scale(by: (total / weights[chosen]).squareRoot())
        return chosen
    }
}
