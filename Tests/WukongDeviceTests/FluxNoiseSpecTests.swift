// The quasi-static flux-noise σ of the device spec: YAML round trip, validation errors with field
// paths, the drawn values, and that adding it leaves every other drawn value unchanged.
import Foundation
import Testing
import WukongDevice

@Test func fluxNoiseSigmaRoundTripsThroughYAML() throws {
    let spec = Fixtures.spec
    #expect(spec.qubit.fluxNoiseSigmaPhi0 == .normal(mean: 5e-6, sd: 1e-6, min: 1e-6, max: 1e-5))
    #expect(spec.coupler.fluxNoiseSigmaPhi0 == .constant(5e-6))
    // JSON is YAML: the encoded spec parses back through the YAML loader.
    let text = String(data: try JSONEncoder().encode(spec), encoding: .utf8)!
    #expect(text.contains("\"flux_noise_sigma_phi0\""))
    let again = try DeviceSpec.parse(yaml: text, source: "round-trip")
    #expect(again == spec)
    #expect(again.specID == spec.specID)
}

@Test func fluxNoiseSigmaIsDrawnPerElementWithinItsBounds() {
    let d = Fixtures.device
    #expect(d.qubits.allSatisfy { (1e-6...1e-5).contains($0.fluxNoiseSigmaPhi0) })
    #expect(Set(d.qubits.map(\.fluxNoiseSigmaPhi0)).count > 60, "per-qubit draws, not one value")
    #expect(d.couplers.allSatisfy { $0.fluxNoiseSigmaPhi0 == 5e-6 })
    let mean = d.qubits.map(\.fluxNoiseSigmaPhi0).reduce(0, +) / Double(d.qubits.count)
    // 72 draws of sd 1e-6 (clipped symmetric around the mean): the sample mean's sd is ~1.2e-7.
    #expect(abs(mean - 5e-6) < 6e-7, "mean σ \(mean)")
}

@Test func addingFluxNoiseLeavesOtherDrawnValuesUnchanged() throws {
    var without = Fixtures.spec
    without.qubit.fluxNoiseSigmaPhi0 = nil
    without.coupler.fluxNoiseSigmaPhi0 = nil
    let plain = try ChipDevice.generate(from: without)
    #expect(plain.qubits.allSatisfy { $0.fluxNoiseSigmaPhi0 == 0 } && plain.couplers.allSatisfy { $0.fluxNoiseSigmaPhi0 == 0 })
    // Copy the σ values over: everything else must then be identical.
    let noisy = Fixtures.device
    let qubits = zip(plain.qubits, noisy.qubits).map { var p = $0; p.fluxNoiseSigmaPhi0 = $1.fluxNoiseSigmaPhi0; return p }
    let couplers = zip(plain.couplers, noisy.couplers).map { var p = $0; p.fluxNoiseSigmaPhi0 = $1.fluxNoiseSigmaPhi0; return p }
    #expect(qubits == noisy.qubits)
    #expect(couplers == noisy.couplers)
    #expect(plain.specID != noisy.specID)
    // A spec without the field keeps its old identity (the optional field is not encoded).
    #expect(!(try String(data: JSONEncoder().encode(without), encoding: .utf8)!).contains("flux_noise"))
}

@Test func fluxNoiseOverridesApply() throws {
    let yaml = try shippedYAML().replacingOccurrences(of: "\"1\": {t1_us: 17.436, t2_star_us: 1.844}",
                                                      with: "\"1\": {t1_us: 17.436, t2_star_us: 1.844, flux_noise_sigma_phi0: 3.0e-5}")
    let d = try ChipDevice.generate(from: DeviceSpec.parse(yaml: yaml))
    #expect(d.qubits[1].fluxNoiseSigmaPhi0 == 3e-5)
    #expect(d.qubits[0].fluxNoiseSigmaPhi0 == Fixtures.device.qubits[0].fluxNoiseSigmaPhi0)
}

@Test func badFluxNoiseSigmaNamesTheField() throws {
    let base = try shippedYAML()
    let negative = base.replacingOccurrences(of: "flux_noise_sigma_phi0: 5.0e-6  #", with: "flux_noise_sigma_phi0: -1.0e-6  #")
    let e1 = #expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: negative, source: "spec.yaml") }
    #expect(e1?.field == "coupler.flux_noise_sigma_phi0")
    #expect(e1?.description.hasPrefix("spec.yaml: coupler.flux_noise_sigma_phi0") == true)
    let unbounded = base.replacingOccurrences(of: "{mean: 5.0e-6, sd: 1.0e-6, min: 1.0e-6, max: 1.0e-5}", with: "{mean: 5.0e-6, sd: 1.0e-6}")
    #expect((#expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: unbounded) })?.field == "qubit.flux_noise_sigma_phi0")
    let wrongType = base.replacingOccurrences(of: "{mean: 5.0e-6, sd: 1.0e-6, min: 1.0e-6, max: 1.0e-5}", with: "{mean: small}")
    #expect((#expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: wrongType) })?.field == "qubit.flux_noise_sigma_phi0.mean")
    let badOverride = base.replacingOccurrences(of: "\"0\": {t1_us: 9.254", with: "\"0\": {flux_noise_sigma_phi0: 0.5, t1_us: 9.254")
    #expect((#expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: badOverride) })?.field == "overrides.qubits.0.flux_noise_sigma_phi0")
}
