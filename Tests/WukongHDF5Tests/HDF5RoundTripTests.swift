// Round trips and failure modes of the HDF5 wrapper: every kind written is read back identically,
// and missing, foreign, truncated or mistyped data gives an error naming the file and object.
import Foundation
import Testing
import WukongHDF5

/// A unique temporary path; tests run in parallel, so each gets its own file.
func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wukong-hdf5-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent("\(name)-\(UUID().uuidString).h5").path
}

@Test func everyDatasetKindRoundTrips() throws {
    let path = temporaryPath("kinds")
    do {
        let file = try HDF5File.create(path: path)
        let root = try file.root()
        let g = try root.createGroup("qubits")
        try g.write("t1", doubles: [20.5, 9.25, .pi], units: "us")
        try g.write("matrix", doubles: [1, 2, 3, 4, 5, 6], shape: [2, 3])
        try g.write("ids", int64s: [0, -5, Int64.max])
        try g.write("pairs", int32s: [0, 1, 1, 7], shape: [2, 2])
        try g.write("enabled", bytes: [1, 0, 1])
        try g.write("centres", real: [0.5, -1], imag: [2, 1e-300], units: "V")
        try g.write("source", strings: ["nominal", "rabi", ""])
        try root.setAttribute("snapshot_id", string: "cal-0001")
        try root.setAttribute("rows", int: 12)
        try g.setAttribute("gain", double: 0.25)
        try g.setAttribute("vector", doubles: [1, 2, 3])
    }
    let file = try HDF5File.open(path: path)
    let g = try file.group("/qubits")
    #expect(try g.dataset("t1").readDoubles() == [20.5, 9.25, .pi])
    #expect(try g.dataset("t1").stringAttribute("units") == "us")
    #expect(try g.dataset("matrix").shape() == [2, 3])
    #expect(try g.dataset("matrix").readDoubles() == [1, 2, 3, 4, 5, 6])
    #expect(try g.dataset("ids").readInt64s() == [0, -5, Int64.max])
    #expect(try g.dataset("pairs").readInt64s() == [0, 1, 1, 7])
    #expect(try g.dataset("enabled").readInt64s() == [1, 0, 1])
    let c = try g.dataset("centres").readComplex()
    #expect(c.real == [0.5, -1] && c.imag == [2, 1e-300])
    #expect(try g.dataset("centres").elementKind() == .complex)
    #expect(try g.dataset("source").readStrings() == ["nominal", "rabi", ""])
    #expect(try file.root().stringAttribute("snapshot_id") == "cal-0001")
    #expect(try file.root().intAttribute("rows") == 12)
    #expect(try g.doubleAttribute("gain") == 0.25)
    #expect(try g.doublesAttribute("vector") == [1, 2, 3])
    #expect(try file.root().memberNames() == ["qubits"])
    #expect(try g.memberNames() == ["centres", "enabled", "ids", "matrix", "pairs", "source", "t1"])
}

@Test func missingFileIsReportedByPath() throws {
    let path = temporaryPath("missing")
    let error = #expect(throws: HDF5Error.self) { try HDF5File.open(path: path) }
    #expect(error?.description.contains(path) == true)
    #expect(error?.detail == "no such file")
}

@Test func foreignFileIsNotHDF5() throws {
    let path = temporaryPath("foreign")
    try Data("this is not hdf5\n".utf8).write(to: URL(fileURLWithPath: path))
    let error = #expect(throws: HDF5Error.self) { try HDF5File.open(path: path) }
    #expect(error?.detail.contains("not an HDF5 file") == true)
}

@Test func truncatedFileGivesAClearError() throws {
    let path = temporaryPath("truncated")
    do {
        let file = try HDF5File.create(path: path)
        try file.root().write("big", doubles: (0..<20_000).map(Double.init), units: "ns")
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
    // Either the open or the read must fail; neither may crash or return wrong data silently.
    let error = #expect(throws: HDF5Error.self) {
        let file = try HDF5File.open(path: path)
        _ = try file.dataset("/big").readDoubles()
    }
    #expect(error?.description.contains(path) == true)
}

@Test func missingObjectsAndWrongKindsAreNamed() throws {
    let path = temporaryPath("kinds-errors")
    let file = try HDF5File.create(path: path)
    let root = try file.root()
    try root.write("labels", strings: ["a"])
    let missing = #expect(throws: HDF5Error.self) { try file.dataset("/qubits/t1") }
    #expect(missing?.object == "/qubits/t1")
    let wrong = #expect(throws: HDF5Error.self) { try root.dataset("labels").readDoubles() }
    #expect(wrong?.detail.contains("expected real numbers") == true)
    let duplicate = #expect(throws: HDF5Error.self) { try root.write("labels", strings: ["b"]) }
    #expect(duplicate?.detail.contains("already exists") == true)
    let badShape = #expect(throws: HDF5Error.self) { try root.write("x", doubles: [1, 2, 3], shape: [2, 2]) }
    #expect(badShape?.detail.contains("shape") == true)
}
