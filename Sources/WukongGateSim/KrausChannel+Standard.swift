// The standard noise channels: amplitude and phase damping, thermal relaxation from T1/T2 and a
// thermal population, depolarizing on 1 or 2 qubits, and the coherent residual-ZZ phase.
import Foundation
import Numerics
import WukongCircuits

extension KrausChannel {
    private static func m(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> GateMatrix {
        GateMatrix([Complex(a), Complex(b), Complex(c), Complex(d)])
    }

    /// Amplitude damping with decay probability γ ∈ [0, 1]:
    /// `K₀ = [[1, 0], [0, √(1−γ)]]`, `K₁ = [[0, √γ], [0, 0]]`.
    public static func amplitudeDamping(_ gamma: Double) -> KrausChannel {
        precondition((0...1).contains(gamma), "γ must be in [0, 1], got \(gamma)")
        return KrausChannel([m(1, 0, 0, (1 - gamma).squareRoot()), m(0, gamma.squareRoot(), 0, 0)])
    }

    /// Phase damping with parameter λ ∈ [0, 1] (Nielsen & Chuang §8.3.6): coherences shrink by
    /// √(1−λ), populations stay. `K₀ = [[1, 0], [0, √(1−λ)]]`, `K₁ = [[0, 0], [0, √λ]]`.
    public static func phaseDamping(_ lambda: Double) -> KrausChannel {
        precondition((0...1).contains(lambda), "λ must be in [0, 1], got \(lambda)")
        return KrausChannel([m(1, 0, 0, (1 - lambda).squareRoot()), m(0, 0, 0, lambda.squareRoot())])
    }

    /// Thermal relaxation of one qubit for `durationNs` (ns) with `t1Us`, `t2Us` (µs, T2 ≤ 2T1)
    /// and equilibrium excited population `excitedPopulation` p:
    ///
    ///     ρ₁₁(t) = ρ₁₁(0)·e^{−t/T1} + p·(1 − e^{−t/T1}),    ρ₀₁(t) = ρ₀₁(0)·e^{−t/T2}.
    ///
    /// This is generalized amplitude damping (γ = 1 − e^{−t/T1}) followed by the pure dephasing
    /// Γφ = 1/T2 − 1/(2T1) of chip-physics §2.2. It is written with four Kraus operators, the
    /// channel's Choi rank: the jumps `√((1−p)γ)|0⟩⟨1|` and `√(pγ)|1⟩⟨0|`, and two diagonal
    /// operators from the Cholesky factor of `M = [[1−pγ, c], [c, 1−(1−p)γ]]`, c = e^{−t/T2},
    /// whose entries are what diagonal Kraus operators contribute to the populations and the
    /// coherence. M is positive exactly when c ≤ √((1−pγ)(1−(1−p)γ)), which T2 ≤ 2T1 guarantees.
    /// An infinite T1 or T2 means no decay of that kind.
    public static func thermalRelaxation(durationNs: Double, t1Us: Double, t2Us: Double,
                                         excitedPopulation p: Double = 0) -> KrausChannel {
        precondition(durationNs >= 0, "duration must be non-negative")
        precondition(t1Us > 0 && t2Us > 0, "T1 and T2 must be positive")
        precondition(t2Us <= 2 * t1Us * (1 + 1e-12), "T2 (\(t2Us) µs) must not exceed 2·T1 (\(2 * t1Us) µs)")
        precondition((0...1).contains(p), "excited population must be in [0, 1]")
        let tUs = durationNs / 1000
        // −expm1 keeps γ accurate for t ≪ T1, where 1 − exp(−x) would cancel.
        let gamma = t1Us.isInfinite ? 0 : -Foundation.expm1(-tUs / t1Us)
        let c = t2Us.isInfinite ? 1 : Foundation.exp(-tUs / t2Us)
        let m00 = 1 - p * gamma, m11 = 1 - (1 - p) * gamma
        let d0 = m00.squareRoot()
        let d1 = c / d0
        let rest = max(0, m11 - d1 * d1)
        var ops = [m(d0, 0, 0, d1)]
        if rest > 0 { ops.append(m(0, 0, 0, rest.squareRoot())) }
        if gamma * (1 - p) > 0 { ops.append(m(0, (gamma * (1 - p)).squareRoot(), 0, 0)) }
        if gamma * p > 0 { ops.append(m(0, 0, (gamma * p).squareRoot(), 0)) }
        return KrausChannel(ops)
    }

    /// The Paulis I, X, Y, Z.
    static let paulis: [GateMatrix] = [
        .identity(2),
        m(0, 1, 1, 0),
        GateMatrix([.zero, Complex(0, -1), Complex(0, 1), .zero]),
        m(1, 0, 0, -1),
    ]

    /// The depolarizing channel on k ∈ {1, 2} qubits, `ρ ↦ (1 − p)·ρ + p·Tr(ρ)·I/d`, d = 2ᵏ.
    /// Kraus operators: `√(1 − p + p/d²)·I` and `√(p/d²)·P` for the d² − 1 non-identity Paulis P;
    /// valid (completely positive) for 0 ≤ p ≤ d²/(d² − 1). Its entanglement fidelity is
    /// `1 − p + p/d²`.
    public static func depolarizing(_ p: Double, qubitCount k: Int) -> KrausChannel {
        precondition(k == 1 || k == 2, "depolarizing is provided on 1 or 2 qubits")
        let d2 = Double(1 << (2 * k))
        precondition(p >= 0 && p <= d2 / (d2 - 1) + 1e-12, "p must be in [0, d²/(d²−1)], got \(p)")
        let paulis = k == 1 ? Self.paulis : Self.paulis.flatMap { a in Self.paulis.map { a.kron($0) } }
        let w0 = (1 - p + p / d2).squareRoot(), w = (p / d2).squareRoot()
        var ops = [paulis[0].scaled(by: Complex(w0))]
        if p > 0 { ops += paulis.dropFirst().map { $0.scaled(by: Complex(w)) } }
        return KrausChannel(ops)
    }

    /// The coherent residual-ZZ phase accumulated by two coupled qubits over `durationNs` (ns) at
    /// the static ZZ rate `zetaGHz` (ζ/2π in GHz): `diag(1, 1, 1, e^{−i·2π·ζ·t})`.
    public static func zzPhase(zetaGHz: Double, durationNs: Double) -> KrausChannel {
        KrausChannel(unitary: zzPhaseMatrix(zetaGHz: zetaGHz, durationNs: durationNs))
    }

    /// The matrix `diag(1, 1, 1, e^{−i·2π·ζ·t})` of `zzPhase`.
    public static func zzPhaseMatrix(zetaGHz: Double, durationNs: Double) -> GateMatrix {
        let angle = -2 * Double.pi * zetaGHz * durationNs
        return .diagonal([.one, .one, .one, Complex(Double.cos(angle), Double.sin(angle))])
    }

    /// The reset channel: `K₀ = |0⟩⟨0|`, `K₁ = |0⟩⟨1|` (the qubit ends in |0⟩ whatever it held).
    public static let reset = KrausChannel([m(1, 0, 0, 0), m(0, 1, 0, 0)])
}
