// Flux noise from the device spec: σ_Φ drawn into the true device reaches the emulator's model,
// `QuasiStaticFluxNoise.forRun` picks it for open-system shot runs unless the CLI overrides it,
// and the shot-averaged Ramsey fringe decays with the Gaussian envelope exp(−(2πσ_f τ)²/2),
// σ_f = |∂f/∂Φ|·σ_Φ with σ_Φ from the spec.
import Foundation
import Numerics
import Testing
import WukongDevice
import WukongEmulator

@Test func specFluxNoiseGivesGaussianRamseyDecay() throws {
    // Qubit 0 moved off its sweet spot (d = 0.5, Φ = 0.2 Φ0) with σ_Φ = 2e-4 Φ0, all in the spec.
    let path = Fixtures.packageRoot.appendingPathComponent("calibration/device.yaml").path
    let yaml = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
        of: "\"0\": {t1_us: 9.254, t2_star_us: 1.128}",
        with: "\"0\": {t1_us: 9.254, t2_star_us: 1.128, squid_asymmetry: 0.5, idle_flux_phi0: 0.2, flux_noise_sigma_phi0: 2.0e-4}")
    let device = try ChipDevice.generate(from: DeviceSpec.parse(yaml: yaml))
    #expect(device.qubits[0].fluxNoiseSigmaPhi0 == 2e-4)
    let model = SubsystemModel(device: device, qubits: [QubitIndex(0)], levels: 2)
    let noise = QuasiStaticFluxNoise(model: model)
    #expect(noise.sigmaPhi0 == [2e-4])
    // The run's choice: the spec's σ for --noise on shots, the CLI value when given, else none.
    #expect(QuasiStaticFluxNoise.forRun(model: model, override: nil, noise: true, returning: .shots) == noise)
    #expect(QuasiStaticFluxNoise.forRun(model: model, override: nil, noise: false, returning: .shots) == nil)
    #expect(QuasiStaticFluxNoise.forRun(model: model, override: nil, noise: true, returning: .state) == nil)
    #expect(QuasiStaticFluxNoise.forRun(model: model, override: 0, noise: true, returning: .shots) == nil)
    #expect(QuasiStaticFluxNoise.forRun(model: model, override: 1e-3, noise: false, returning: .populations)?.sigmaPhi0 == [1e-3])

    // Ramsey: ideal X90 – idle τ – X90 in a frame δ = 1 MHz below f01; per draw P₁ = ½(1 + cos 2π(δ + δf)τ).
    let q = model.elements[0]
    let fq = model.frequenciesGHz()[0], detuning = 0.001
    let sigmaF = noise.frequencySpreadGHz(model, mode: 0)
    #expect(sigmaF > 2e-4 && sigmaF < 2e-3, "σ_f = \(sigmaF) GHz")
    let h = 1e-4
    let curvature = abs(q.frequencyGHz(fluxOffsetPhi0: h) - 2 * fq + q.frequencyGHz(fluxOffsetPhi0: -h)) / (h * h)
    let s = 0.5.squareRoot()
    let x90 = ComplexMatrix([[Complex(s, 0), Complex(0, -s)], [Complex(0, -s), Complex(s, 0)]])
    let taus = stride(from: 0.0, through: 800, by: 100).map { $0 }
    let draws = noise.draws(count: 4000, seed: 5)
    var sum = [Double](repeating: 0, count: taus.count), square = sum
    for d in draws {
        let m = noise.model(model, offsets: d)
        let solver = SchrodingerSolver(model: m, options: SolverOptions(frame: .custom([fq - detuning])))
        for (k, tau) in taus.enumerated() {
            let psi = x90.apply(solver.finalState(x90.apply(m.groundState), PulseSequence().thenIdle(tau)))
            sum[k] += psi[1].lengthSquared
            square[k] += psi[1].lengthSquared * psi[1].lengthSquared
        }
    }
    let n = Double(draws.count)
    for (k, tau) in taus.enumerated() {
        let mean = sum[k] / n
        let se = (max(0, square[k] / n - mean * mean) / n).squareRoot()
        let expected = 0.5 * (1 + Double.cos(2 * .pi * detuning * tau) * Double.exp(-0.5 * Double.pow(2 * .pi * sigmaF * tau, 2)))
        // 4 standard errors plus the bound on the quadratic (non-Gaussian) part of δf.
        let bias = 0.5 * curvature * 2e-4 * 2e-4 * 2 * .pi * tau * 0.5
        #expect(abs(mean - expected) < 4 * se + bias + 1e-9, "τ = \(tau) ns: \(mean) vs \(expected) (se \(se))")
    }
    #expect(Double.exp(-0.5 * Double.pow(2 * .pi * sigmaF * 800, 2)) < 0.5)
}
