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

    // Ramsey with σ_Φ from the spec: the Gaussian envelope (shared check, StochasticOpenSystemTests).
    expectGaussianRamseyEnvelope(model: model, noise: noise, seed: 5)
}
