// The true-device generator: deterministic, collision-free, honouring overrides and invariants.
import Testing
import WukongDevice

@Test func sameSpecGivesSameDevice() throws {
    let again = try ChipDevice.generate(from: Fixtures.spec)
    #expect(again == Fixtures.device)
    var other = Fixtures.spec
    other.seed += 1
    let different = try ChipDevice.generate(from: other)
    #expect(different.qubits.map(\.maxFrequencyGHz) != Fixtures.device.qubits.map(\.maxFrequencyGHz))
}

@Test func generatedDeviceHasNoFrequencyCollisions() {
    let d = Fixtures.device
    for e in d.topology.couplers {
        #expect(!ChipDevice.collide(d.qubit(e.low), d.qubit(e.high), rules: Fixtures.spec.collisions), "\(e.coupler)")
    }
}

@Test func coherenceInvariantsHold() {
    for q in Fixtures.device.qubits {
        #expect(q.t1Us > 0 && q.t2StarUs > 0 && q.t2StarUs <= 2 * q.t1Us + 1e-12 && q.t2EchoUs <= 2 * q.t1Us + 1e-12)
        #expect(q.pureDephasingRatePerUs >= 0)
        #expect(q.anharmonicityGHz < 0)
        #expect(q.readoutFidelity0 <= 0.999 && q.readoutFidelity1 <= 0.995)
    }
}

@Test func overridesAreApplied() {
    let d = Fixtures.device
    #expect(d.qubits[0].t1Us == 9.254 && d.qubits[0].t2StarUs == 1.128)
    #expect(d.qubits[1].t1Us == 17.436 && d.qubits[1].t2StarUs == 1.844)
}

@Test func frequencyPlanFollowsTheCheckerboard() {
    let d = Fixtures.device
    let a = d.qubits.filter { d.topology.isSublatticeA($0.index) }.map(\.maxFrequencyGHz)
    let b = d.qubits.filter { !d.topology.isSublatticeA($0.index) }.map(\.maxFrequencyGHz)
    #expect(a.allSatisfy { (4.0...4.6).contains($0) } && b.allSatisfy { (4.5...5.0).contains($0) })
    // 36 draws of sd 0.1: the sample mean's sd is 0.017 GHz; clipping and collision redraws shift it a little.
    #expect(abs(a.reduce(0, +) / 36 - 4.35) < 0.06)
    #expect(abs(b.reduce(0, +) / 36 - 4.75) < 0.06)
}

@Test func disabledCouplersAreDisabled() throws {
    var spec = Fixtures.spec
    spec.disabledCouplers = [4, 65]
    let d = try ChipDevice.generate(from: spec)
    #expect(d.couplers.filter { !$0.enabled }.map(\.index.rawValue) == [4, 65])
}
