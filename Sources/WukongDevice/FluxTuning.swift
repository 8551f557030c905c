// Flux tuning of a SQUID transmon (chip-physics §2.2): frequency versus flux, its inverse,
// and its slope (which sets flux-noise sensitivity).
import RealModule

/// The transmon frequency law of an asymmetric SQUID, with E_C ≈ −α (Koch et al. 2007):
///
///     f01(Φ) = (f_max + E_C) · [cos²(πΦ/Φ0) + d² sin²(πΦ/Φ0)]^(1/4) − E_C
///
/// where E_J(Φ) = E_J,max·sqrt(cos² + d² sin²) (scqubits' tunable transmon) and hf01 ≈ sqrt(8 E_J E_C) − E_C.
/// Frequencies in GHz, flux in units of Φ0.
public struct FluxTuning: Sendable, Equatable, Codable {
    /// The sweet-spot frequency f01(0), GHz.
    public var maxFrequencyGHz: Double
    /// The anharmonicity α (negative), GHz; E_C = −α.
    public var anharmonicityGHz: Double
    /// SQUID junction asymmetry d = (E_J1 − E_J2)/(E_J1 + E_J2), in [0, 1).
    public var asymmetry: Double

    public init(maxFrequencyGHz: Double, anharmonicityGHz: Double, asymmetry: Double) {
        self.maxFrequencyGHz = maxFrequencyGHz
        self.anharmonicityGHz = anharmonicityGHz
        self.asymmetry = asymmetry
    }

    private var chargingGHz: Double { -anharmonicityGHz }

    /// f01 at a flux, GHz.
    public func frequencyGHz(fluxPhi0: Double) -> Double {
        let x = Double.pi * fluxPhi0
        let c = Double.cos(x), s = Double.sin(x)
        let inner = c * c + asymmetry * asymmetry * s * s
        return (maxFrequencyGHz + chargingGHz) * Double.pow(inner, 0.25) - chargingGHz
    }

    /// The lowest frequency reachable (at Φ = Φ0/2), GHz.
    public var minFrequencyGHz: Double { frequencyGHz(fluxPhi0: 0.5) }

    /// The flux in [0, ½] that gives `frequencyGHz`, from sin²(πΦ) = (1 − r)/(1 − d²) with
    /// r = ((f + E_C)/(f_max + E_C))⁴. Returns nil outside [f_min, f_max].
    public func flux(forFrequencyGHz f: Double) -> Double? {
        let ratio = (f + chargingGHz) / (maxFrequencyGHz + chargingGHz)
        guard ratio > 0 else { return nil }
        let r = ratio * ratio * ratio * ratio
        let d2 = asymmetry * asymmetry
        let s2 = (1 - r) / (1 - d2)
        let tolerance = 1e-12
        guard s2 >= -tolerance && s2 <= 1 + tolerance else { return nil }
        return Double.asin(min(1, max(0, s2)).squareRoot()) / Double.pi
    }

    /// df01/dΦ in GHz per Φ0, by a central difference with step 1e-6 Φ0 (truncation error ~1e-12 relative).
    public func slopeGHzPerPhi0(fluxPhi0: Double) -> Double {
        let h = 1e-6
        return (frequencyGHz(fluxPhi0: fluxPhi0 + h) - frequencyGHz(fluxPhi0: fluxPhi0 - h)) / (2 * h)
    }
}

/// Coupler-mediated effective exchange between two qubits (Yan et al. 2018, Schrieffer–Wolff, full x·x form):
///
///     g̃ = (g₁ g₂ / 2)(1/Δ₁ + 1/Δ₂ − 1/Σ₁ − 1/Σ₂) + g₁₂,  Δⱼ = fⱼ − f_c, Σⱼ = fⱼ + f_c
///
/// All in GHz. Zero at the coupler's decoupling point.
public func effectiveExchangeGHz(qubitA fa: Double, qubitB fb: Double, coupler fc: Double,
                                 gA: Double, gB: Double, direct g12: Double) -> Double {
    let d1 = fa - fc, d2 = fb - fc, s1 = fa + fc, s2 = fb + fc
    return gA * gB / 2 * (1 / d1 + 1 / d2 - 1 / s1 - 1 / s2) + g12
}

/// The dispersive shift χ (half the resonator pull between |0⟩ and |1⟩), Koch et al. 2007:
/// χ = (g_r²/Δ) · α/(Δ + α), Δ = f_q − f_r. GHz in, GHz out.
public func dispersiveShiftGHz(qubitGHz fq: Double, resonatorGHz fr: Double, couplingGHz g: Double,
                               anharmonicityGHz alpha: Double) -> Double {
    let delta = fq - fr
    return g * g / delta * alpha / (delta + alpha)
}
