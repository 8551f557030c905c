// Fixtures of the noise tests: a small hand-built chip, random channels, a positivity check by
// Cholesky factorisation, and named tolerances with their derivations.
import Foundation
import Numerics
import WukongCircuits
import WukongGateSim
import WukongNumerics

/// Closed forms vs channel arithmetic: a handful of O(1) products and square roots, ~1e-15 each.
let closedFormTolerance = 1e-12

/// Fidelity targets are met by solving a linear equation in p; the residual is rounding, ~1e-15;
/// 1e-9 is the brief's figure and leaves a wide margin.
let fidelityTolerance = 1e-9

/// Allowed negative eigenvalue of a density matrix: rounding of O(100) kernel passes, each ~1e-15.
let positivityTolerance = 1e-12

/// A chip of `n` identical, fairly noisy qubits on a line (T1 = 10 µs, T2 = 6 µs, 2 % thermal
/// population, 30-ns pulses, recorded fidelities 0.99 and 0.95, ZZ 200 kHz), so that effects are
/// visible in a few gates.
func noisyChain(_ n: Int, readout: ReadoutConfusion = .perfect, zzGHz: Double = 2e-4) -> DeviceNoiseParameters {
    let q = QubitNoiseParameters(t1Us: 10, t2Us: 6, excitedPopulation: 0.02, rphiDurationNs: 30,
                                 rphiFidelity: 0.99, readoutDurationNs: 800, readout: readout)
    return .uniformChain(qubitCount: n, qubit: q,
                         coupler: CouplerNoiseParameters(czDurationNs: 40, czFidelity: 0.95, residualZZGHz: zzGHz))
}

/// A random channel on k ≤ 2 qubits: one of thermal relaxation, amplitude/phase damping,
/// depolarizing, or a random unitary followed by amplitude damping (all trace preserving).
func randomChannel(_ k: Int, _ rng: inout SeededGenerator) -> KrausChannel {
    func one() -> KrausChannel {
        switch Int(rng.uniform() * 4) {
        case 0:
            let t1 = 1 + 20 * rng.uniform()
            return .thermalRelaxation(durationNs: 2000 * rng.uniform(), t1Us: t1, t2Us: 2 * t1 * (0.1 + 0.9 * rng.uniform()),
                                      excitedPopulation: 0.2 * rng.uniform())
        case 1: return .amplitudeDamping(rng.uniform())
        case 2: return .phaseDamping(rng.uniform())
        default: return KrausChannel(unitary: randomUnitary(1, &rng)).followed(by: .amplitudeDamping(rng.uniform()))
        }
    }
    if k == 1 { return one() }
    if rng.uniform() < 0.5 { return .depolarizing(rng.uniform(), qubitCount: 2) }
    return one().tensor(one())
}

/// True when `rho + δ·I` has a Cholesky factor, i.e. every eigenvalue of the Hermitian `rho`
/// exceeds −δ (δ = `positivityTolerance`).
func isPositive(_ rho: GateMatrix, tolerance: Double = positivityTolerance) -> Bool {
    let d = rho.dimension
    var a = rho
    for i in 0..<d { a[i, i] = a[i, i] + Complex(tolerance) }
    var l = [Complex<Double>](repeating: .zero, count: d * d)
    for j in 0..<d {
        var diag = a[j, j].real
        for k in 0..<j { diag -= l[j * d + k].lengthSquared }
        guard diag > 0 else { return false }
        let ljj = diag.squareRoot()
        l[j * d + j] = Complex(ljj)
        for i in (j + 1)..<d {
            var s = a[i, j]
            for k in 0..<j { s = s - l[i * d + k] * l[j * d + k].conjugate }
            l[i * d + j] = s.divided(by: ljj)
        }
    }
    return true
}

/// Largest entry-wise distance between two dense matrices.
func maxDistance(_ a: GateMatrix, _ b: [[Complex<Double>]]) -> Double {
    var worst = 0.0
    for r in 0..<a.dimension { for c in 0..<a.dimension { worst = max(worst, (a[r, c] - b[r][c]).length) } }
    return worst
}

/// |count − N·p| ≤ 5σ + 1 with σ² = N·p·(1 − p): a binomial count within five standard
/// deviations (false-alarm rate ~6e-7 per comparison; the +1 covers p ≈ 0).
func withinFiveSigma(count: Int, shots: Int, probability p: Double) -> Bool {
    let n = Double(shots)
    return abs(Double(count) - n * p) <= 5 * (n * p * (1 - p)).squareRoot() + 1
}

/// Path of the shipped nominal calibration, found from this file's location.
var nominalCalibrationPath: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("calibration/nominal.h5").path
}
