// Single-qubit unitary algebra for the passes: U3-with-phase angles of any 2 × 2 unitary, its
// square root, and synthesis into natives RPhi + virtual RZ. Goals, in order: 1. exact up to global
// phase (≤ 1e-12 per entry); 2. fewest RPhi pulses (0 for diagonal unitaries, else 1); 3. speed.
import Numerics
import WukongCircuits

/// Angles with `U = e^{iγ} · U3(θ, φ, λ)`, θ ∈ [0, π].
public struct U3Angles: Sendable, Hashable {
    public var theta: Double, phi: Double, lambda: Double, gamma: Double
}

/// Helpers on 2 × 2 unitaries.
public enum OneQubitSynthesis {
    /// Below this sin(θ/2) (or cos(θ/2)) an entry is treated as zero when reading angles off a
    /// matrix: products of a few hundred doubles carry ~1e-14 error, so 1e-12 keeps θ ≈ 0 gates
    /// from spawning spurious pulses of angle ~1e-14 while never dropping a real rotation that
    /// changes any entry by more than 1e-12.
    public static let angleEpsilon = 1e-12

    /// Reads `U = e^{iγ} U3(θ, φ, λ)` off a 2 × 2 unitary, with
    /// U3 = [[cos θ/2, −e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]].
    public static func u3Angles(_ u: GateMatrix) -> U3Angles {
        precondition(u.dimension == 2, "u3Angles needs a 2 × 2 matrix")
        let c = u[0, 0].length, s = u[1, 0].length
        let theta = 2 * Double.atan2(y: s, x: c)
        if s < angleEpsilon {
            // Diagonal: e^{iγ} diag(1, e^{i(φ+λ)}); put everything in λ.
            let gamma = u[0, 0].phase
            return U3Angles(theta: theta, phi: 0, lambda: wrap(u[1, 1].phase - gamma), gamma: gamma)
        }
        if c < angleEpsilon {
            // Anti-diagonal: choose λ = 0, so −U01 = e^{iγ} sin θ/2.
            let gamma = (-u[0, 1]).phase
            return U3Angles(theta: theta, phi: wrap(u[1, 0].phase - gamma), lambda: 0, gamma: gamma)
        }
        let gamma = u[0, 0].phase
        let phi = u[1, 0].phase - gamma
        let lambda = (-u[0, 1]).phase - gamma
        return U3Angles(theta: theta, phi: wrap(phi), lambda: wrap(lambda), gamma: gamma)
    }

    /// A square root V of U (V·V = U exactly, not just up to phase).
    ///
    /// Writes U = e^{iγ}(cos a·I − i sin a·n·σ) with e^{2iγ} = det U, and halves both γ and a.
    public static func squareRoot(_ u: GateMatrix) -> GateMatrix {
        precondition(u.dimension == 2)
        let det = u[0, 0] * u[1, 1] - u[0, 1] * u[1, 0]
        let gamma = det.phase / 2
        let w = u.scaled(by: Complex(length: 1, phase: -gamma))
        // W ∈ SU(2): its trace is 2 cos a.
        let cosA = max(-1, min(1, ((w[0, 0] + w[1, 1]).real) / 2))
        let a = Double.acos(cosA)
        let sinA = Double.sin(a)
        var nSigma: GateMatrix
        if sinA < 1e-9 {
            // W = ±I: any axis works; take Z (V² = e^{iγ}(cos 2·(a/2) I − i sin a Z) = U since sin a = 0).
            nSigma = GateMatrix([.one, .zero, .zero, -.one])
        } else {
            // n·σ = (W − cos a I) / (−i sin a) = i (W − cos a I) / sin a.
            let scale = Complex<Double>(0, 1 / sinA)
            nSigma = GateMatrix([(w[0, 0] - Complex(cosA)) * scale, w[0, 1] * scale,
                                 w[1, 0] * scale, (w[1, 1] - Complex(cosA)) * scale])
        }
        let half = Complex<Double>(Double.cos(a / 2))
        let minusISine = Complex<Double>(0, -Double.sin(a / 2))
        var v = GateMatrix.identity(2).scaled(by: half)
        for k in 0..<4 { v.elements[k] = v.elements[k] + minusISine * nSigma.elements[k] }
        return v.scaled(by: Complex(length: 1, phase: gamma / 2))
    }

    /// Native gates (time order) equal to `u` up to global phase: `[rphi(θ, π/2 − λ), rz(φ + λ)]`,
    /// dropping the RPhi when θ ≈ 0 and the RZ when its angle ≡ 0 (mod 2π).
    ///
    /// Derivation: U3(θ, φ, λ) ∝ Rz(φ) Ry(θ) Rz(λ), Ry(θ) = Rz(π/2) Rx(θ) Rz(−π/2) and
    /// RPhi(θ, ϕ) = Rz(ϕ) Rx(θ) Rz(−ϕ); so U3 ∝ Rz(φ + λ) · RPhi(θ, π/2 − λ). The RZ comes last
    /// so it can float to a later pulse's frame or be dropped before a measurement.
    public static func natives(_ u: GateMatrix) -> [(gate: StandardGate, parameters: [Double])] {
        let angles = u3Angles(u)
        var out: [(StandardGate, [Double])] = []
        if Double.sin(angles.theta / 2) >= angleEpsilon {
            out.append((.rphi, [angles.theta, wrap(Double.pi / 2 - angles.lambda)]))
        }
        let z = wrap(angles.phi + angles.lambda)
        if abs(z) >= angleEpsilon { out.append((.rz, [z])) }
        return out
    }

    /// The angle mapped into (−π, π].
    public static func wrap(_ angle: Double) -> Double {
        var a = angle.truncatingRemainder(dividingBy: 2 * Double.pi)
        if a > Double.pi { a -= 2 * Double.pi }
        if a <= -Double.pi { a += 2 * Double.pi }
        return a
    }
}
