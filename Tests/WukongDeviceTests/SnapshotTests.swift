// Calibration snapshots: HDF5 round trip, immutability of updates, and clear errors on bad files.
import Foundation
import Testing
import WukongDevice
import WukongHDF5

@Test func nominalSnapshotRoundTripsThroughHDF5() throws {
    let snapshot = try CalibrationSnapshot.nominal(spec: Fixtures.spec)
    let path = Fixtures.temporaryPath("nominal")
    try snapshot.write(to: path)
    let back = try CalibrationSnapshot.read(from: path)
    #expect(back == snapshot)
    #expect(back.metadata.parentID == nil)
    #expect(back.source(.driveFrequency, 3) == "nominal")
    #expect(back.value(.rphiFidelity, 0).isNaN)
}

@Test func nominalValuesAreTheDesignValues() throws {
    let s = try CalibrationSnapshot.nominal(spec: Fixtures.spec)
    let topo = s.topology
    for q in topo.qubits {
        #expect(s.value(.driveFrequency, q) == (topo.isSublatticeA(q) ? 4.35 : 4.75))
    }
    // The π amplitude rotates by π under the shared drive convention: 2π · f_Rabi · a · area = π.
    let area = CalibrationSnapshot.liftedGaussianAreaNs(durationNs: 30, sigmaNs: 7.5, sampleRateGSps: 2)
    #expect(abs(2 * Double.pi * 0.080 * s.value(.piAmplitude, 0) * area - Double.pi) < 1e-12)
    #expect(abs(s.value(.halfPiAmplitude, 0) * 2 - s.value(.piAmplitude, 0)) < 1e-15)
    // The moving qubit is the higher (sublattice B) one and is lowered to f_L − α_H.
    for c in topo.couplers {
        let mover = Int(s.value(.czMovingQubit, c.coupler))
        #expect(!topo.isSublatticeA(QubitIndex(mover)))
        #expect(s.value(.czQubitAmplitude, c.coupler) > 0 && s.value(.czCouplerAmplitude, c.coupler) > 0)
    }
}

@Test func oracleSnapshotReadsTheTruth() throws {
    let s = try CalibrationSnapshot.oracle(device: Fixtures.device, spec: Fixtures.spec)
    for q in Fixtures.device.qubits {
        #expect(s.value(.driveFrequency, q.index) == q.idleFrequencyGHz)
        #expect(s.value(.t1, q.index) == q.t1Us)
    }
    #expect(s.source(.t1, 5) == "oracle")
}

@Test func updateMakesANewSnapshotAndKeepsTheOld() throws {
    let nominal = try CalibrationSnapshot.nominal(spec: Fixtures.spec)
    let updated = try nominal.updating([
        CalibrationUpdate(.driveFrequency, element: 7, value: 4.612, source: "qubit_spectroscopy"),
        CalibrationUpdate(.czVirtualZ, element: 3, real: [0.1, -0.2], imag: nil, source: "cz_phase"),
    ], note: "spectroscopy of q7")
    #expect(updated.metadata.parentID == nominal.metadata.snapshotID)
    #expect(updated.metadata.snapshotID != nominal.metadata.snapshotID)
    #expect(updated.value(.driveFrequency, 7) == 4.612 && updated.source(.driveFrequency, 7) == "qubit_spectroscopy")
    #expect(updated.values(.czVirtualZ, 3) == [0.1, -0.2])
    #expect(nominal.value(.driveFrequency, 7) == 4.35 && nominal.source(.driveFrequency, 7) == "nominal")
    #expect(updated.source(.driveFrequency, 8) == "nominal")
    let path = Fixtures.temporaryPath("updated")
    try updated.write(to: path)
    #expect(try CalibrationSnapshot.read(from: path) == updated)
    #expect(throws: CalibrationError.self) {
        try nominal.updating([CalibrationUpdate(.t1, element: 72, value: 1, source: "t1")], note: "")
    }
    #expect(throws: CalibrationError.self) {
        try nominal.updating([CalibrationUpdate(.t1, element: 0, value: .nan, source: "t1")], note: "")
    }
}

@Test func truncatedSnapshotGivesAClearError() throws {
    let path = Fixtures.temporaryPath("truncated")
    try CalibrationSnapshot.nominal(spec: Fixtures.spec).write(to: path)
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: (any Error).self) { try CalibrationSnapshot.read(from: path) }
    #expect("\(error!)".contains(path))
}

@Test func snapshotMissingADatasetNamesIt() throws {
    // Build a file that has everything but /qubits/t1 by copying datasets through the wrapper.
    let path = Fixtures.temporaryPath("partial")
    let file = try HDF5File.create(path: path)
    let root = try file.root()
    try root.setAttribute("format", string: "wukong-calibration")
    try root.setAttribute("schema_version", int: 1)
    for name in ["snapshot_id", "parent_id", "created_at", "device_spec_id", "chip_name", "note"] {
        try root.setAttribute(name, string: "x")
    }
    let chip = try root.createGroup("chip")
    try chip.setAttribute("rows", int: 12)
    try chip.setAttribute("cols", int: 6)
    let t = ChipTopology.wukong
    try chip.write("coupler_qubits", int64s: t.couplers.flatMap { [Int64($0.low.rawValue), Int64($0.high.rawValue)] }, shape: [126, 2])
    try chip.write("coupler_enabled", bytes: Array(repeating: 1, count: 126))
    let qubits = try root.createGroup("qubits")
    try qubits.write("drive_frequency", doubles: Array(repeating: 4.5, count: 72), units: "GHz")
    let provenance = try root.createGroup("provenance").createGroup("qubits")
    try provenance.write("drive_frequency", strings: Array(repeating: "nominal", count: 72))
    try file.flush()
    let error = #expect(throws: (any Error).self) { try CalibrationSnapshot.read(from: path) }
    #expect("\(error!)".contains("/qubits/anharmonicity"))
}

@Test func foreignHDF5FileIsNotASnapshot() throws {
    let path = Fixtures.temporaryPath("foreign")
    let file = try HDF5File.create(path: path)
    try file.root().write("x", doubles: [1])
    try file.flush()
    let error = #expect(throws: CalibrationError.self) { try CalibrationSnapshot.read(from: path) }
    #expect(error?.message.contains("not a Wukong calibration snapshot") == true)
}

@Test func shippedNominalSnapshotMatchesTheShippedSpec() throws {
    // If the spec changes, the shipped snapshot must be regenerated (`make calibration`).
    let path = Fixtures.packageRoot.appendingPathComponent("calibration/nominal.h5").path
    let shipped = try CalibrationSnapshot.read(from: path)
    #expect(shipped.metadata.deviceSpecID == Fixtures.spec.specID)
    let fresh = try CalibrationSnapshot.nominal(spec: Fixtures.spec, at: Date(timeIntervalSince1970: 1_704_499_200))
    #expect(shipped == fresh)
}

@Test func leakageFieldsRoundTripThroughHDF5() throws {
    let nominal = try CalibrationSnapshot.nominal(spec: Fixtures.spec)
    #expect(nominal.value(.czLeakage, 3).isNaN && nominal.value(.rphiLeakage, 5).isNaN)
    let updated = try nominal.updating([
        CalibrationUpdate(.czLeakage, element: 3, value: 0.012, source: "cz_virtual_z"),
        CalibrationUpdate(.rphiLeakage, element: 5, value: 2.5e-4, source: "test"),
    ], note: "leakage")
    let path = Fixtures.temporaryPath("leakage")
    try updated.write(to: path)
    let back = try CalibrationSnapshot.read(from: path)
    #expect(back == updated)
    #expect(back.value(.czLeakage, 3) == 0.012 && back.source(.czLeakage, 3) == "cz_virtual_z")
    #expect(back.value(.rphiLeakage, 5) == 2.5e-4)
    #expect(back.value(.czLeakage, 4).isNaN && back.source(.czLeakage, 4) == "nominal")
    let file = try HDF5File.open(path: path)
    #expect(try file.dataset("/gates/cz/leakage").stringAttribute("units") == "1")
}

@Test func snapshotWrittenBeforeTheLeakageFieldsStillLoads() throws {
    // A file as written before gates/*/leakage existed: the datasets and their provenance removed.
    let nominal = try CalibrationSnapshot.nominal(spec: Fixtures.spec)
    let updated = try nominal.updating([CalibrationUpdate(.czLeakage, element: 3, value: 0.012, source: "cz")], note: "x")
    let path = Fixtures.temporaryPath("before-leakage")
    try updated.write(to: path)
    do {
        let file = try HDF5File.open(path: path, writable: true)
        try file.group("/gates/cz").removeMember("leakage")
        try file.group("/gates/rphi").removeMember("leakage")
        try file.group("/provenance/gates_cz").removeMember("leakage")
        try file.group("/provenance/gates_rphi").removeMember("leakage")
        try file.flush()
    }
    let old = try CalibrationSnapshot.read(from: path)
    for c in 0..<old.elementCount(.coupler) {
        #expect(old.value(.czLeakage, c).isNaN && old.source(.czLeakage, c) == CalibrationSchema.absentSource)
    }
    for q in 0..<old.elementCount(.qubit) { #expect(old.value(.rphiLeakage, q).isNaN) }
    // Every other field is as written.
    for spec in CalibrationSchema.fields where !spec.optional {
        #expect(old.field(spec.key) == updated.field(spec.key), "\(spec.key)")
    }
    // A required field missing is still an error naming it.
    do {
        let file = try HDF5File.open(path: path, writable: true)
        try file.group("/gates/cz").removeMember("fidelity")
        try file.flush()
    }
    let error = #expect(throws: (any Error).self) { try CalibrationSnapshot.read(from: path) }
    #expect("\(error!)".contains("/gates/cz/fidelity"))
}
