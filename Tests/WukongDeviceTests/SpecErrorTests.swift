// Bad device specs are rejected with the file and field at fault.
import Foundation
import Testing
import WukongDevice

func shippedYAML() throws -> String { try String(contentsOfFile: Fixtures.specPath, encoding: .utf8) }

@Test func wrongTypeNamesTheField() throws {
    let yaml = try shippedYAML().replacingOccurrences(of: "t1_us: {mean: 20.8, sigma_ln: 0.35}", with: "t1_us: {mean: fast, sigma_ln: 0.35}")
    let error = #expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: yaml, source: "spec.yaml") }
    #expect(error?.field == "qubit.t1_us.mean")
    #expect(error?.description.hasPrefix("spec.yaml: qubit.t1_us.mean") == true)
}

@Test func missingSectionIsReported() throws {
    let yaml = try shippedYAML().replacingOccurrences(of: "collisions:", with: "collision_rules:")
    let error = #expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: yaml) }
    #expect(error?.field == "collisions")
}

@Test func unknownOverrideFieldIsRejected() throws {
    let yaml = try shippedYAML().replacingOccurrences(of: "\"0\": {t1_us: 9.254", with: "\"0\": {t1_ms: 9.254")
    let error = #expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: yaml) }
    #expect(error?.field == "overrides.qubits.0.t1_ms")
}

@Test func outOfRangeValuesAreRejected() throws {
    let base = try shippedYAML()
    let badCoupler = base.replacingOccurrences(of: "disabled_couplers: []", with: "disabled_couplers: [3, 126]")
    #expect((#expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: badCoupler) })?.field == "disabled_couplers[1]")
    let badRows = base.replacingOccurrences(of: "rows: 12", with: "rows: 0")
    #expect((#expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: badRows) })?.field == "rows")
    let badSd = base.replacingOccurrences(of: "anharmonicity_ghz: {mean: -0.220, sd: 0.010}", with: "anharmonicity_ghz: {mean: -0.220, sd: -1}")
    #expect((#expect(throws: DeviceSpecError.self) { try DeviceSpec.parse(yaml: badSd) })?.field.hasPrefix("qubit.anharmonicity_ghz") == true)
}

@Test func missingFileIsReported() {
    let error = #expect(throws: DeviceSpecError.self) { try DeviceSpec.load(path: "/nonexistent/device.yaml") }
    #expect(error?.description.contains("/nonexistent/device.yaml") == true)
}
