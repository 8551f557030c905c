// Closed forms of the device physics: flux tuning and its inverse, decoupling point, χ.
import Foundation
import Testing
import WukongDevice

@Test func fluxTuningHasItsClosedFormEndpoints() {
    let t = FluxTuning(maxFrequencyGHz: 4.75, anharmonicityGHz: -0.22, asymmetry: 0.2)
    #expect(abs(t.frequencyGHz(fluxPhi0: 0) - 4.75) < 1e-12)
    // At Φ0/2: (f_max + E_C)·sqrt(d) − E_C.
    #expect(abs(t.frequencyGHz(fluxPhi0: 0.5) - ((4.75 + 0.22) * 0.2.squareRoot() - 0.22)) < 1e-12)
    // Periodic in Φ0 and even in Φ.
    #expect(abs(t.frequencyGHz(fluxPhi0: 0.3) - t.frequencyGHz(fluxPhi0: -0.3)) < 1e-12)
    #expect(abs(t.frequencyGHz(fluxPhi0: 0.3) - t.frequencyGHz(fluxPhi0: 1.3)) < 1e-12)
}

@Test func fluxInverseRecoversFlux() throws {
    for d in [0.0, 0.1, 0.3] {
        let t = FluxTuning(maxFrequencyGHz: 7.0, anharmonicityGHz: -0.15, asymmetry: d)
        for k in 0...50 {
            let phi = 0.49 * Double(k) / 50
            let f = t.frequencyGHz(fluxPhi0: phi)
            let back = try #require(t.flux(forFrequencyGHz: f))
            #expect(abs(back - phi) < 1e-9, "d = \(d), Φ = \(phi)")
        }
        #expect(t.flux(forFrequencyGHz: 7.5) == nil)
    }
}

@Test func decouplingPointZeroesTheExchange() {
    let d = Fixtures.device
    for c in d.couplers {
        let g = d.effectiveExchangeGHz(c.index)
        #expect(abs(g) < 1e-7, "\(c.index): g̃ = \(g) GHz at idle")
        let higher = max(d.qubit(c.qubits[0]).idleFrequencyGHz, d.qubit(c.qubits[1]).idleFrequencyGHz)
        #expect(c.idleFrequencyGHz > higher + 0.25 && c.idleFrequencyGHz <= c.maxFrequencyGHz)
    }
    // chip-physics §5.3: with g = 90 MHz and g12 = 6 MHz the off point is near 6.05 GHz (within a few hundred MHz
    // for drawn qubit frequencies).
    let mean = d.couplers.map(\.idleFrequencyGHz).reduce(0, +) / Double(d.couplers.count)
    #expect(mean > 5.8 && mean < 6.4)
}

@Test func dispersiveShiftMatchesTheWorkedExample() {
    // chip-physics §5.2: ≈ −0.5 MHz at Δ = −2 GHz with g = 100 MHz and α = −220 MHz.
    let chi = dispersiveShiftGHz(qubitGHz: 4.5, resonatorGHz: 6.5, couplingGHz: 0.1, anharmonicityGHz: -0.22)
    #expect(abs(chi - (0.01 / -2.0 * (-0.22 / -2.22))) < 1e-15)
    #expect(abs(chi * 1000 + 0.4955) < 1e-3)
}

@Test func liftedGaussianAreaMatchesItsIntegral() {
    // I = ∫₀ᵀ (g − g₀)/(1 − g₀) dt with ∫₀ᵀ g = σ√(2π)·erf(T/(2√2σ)). The midpoint sum M at step dt obeys
    // Euler–Maclaurin: M = I − (dt²/24)·[e′(T) − e′(0)] + O(dt⁴); with that term the remainder is ~dt⁴·e‴/1920 ≈ 1e-7 ns.
    let T = 30.0, s = 7.5, dt = 0.5
    let g0 = exp(-0.5 * (dt + T / 2) * (dt + T / 2) / (s * s))
    let integral = (s * (2 * Double.pi).squareRoot() * erf(T / (2 * 2.0.squareRoot() * s)) - g0 * T) / (1 - g0)
    let slopeAtZero = exp(-0.5 * (T / 2) * (T / 2) / (s * s)) * (T / 2) / (s * s) / (1 - g0)
    let midpoint = integral - dt * dt / 24 * (-2 * slopeAtZero)
    let area = CalibrationSnapshot.liftedGaussianAreaNs(durationNs: T, sigmaNs: s, sampleRateGSps: 2)
    #expect(abs(area - midpoint) < 1e-6)
    #expect(abs(area - integral) / integral < 1e-4)
}
