// Exploration (off by default, WUKONG_CZ_SWEEP=1): the best CZ the fixture's search finds on the
// couplers of the agreement circuits for several lengths and ramps (chooses `CZFixture`'s values).
import Foundation
import Testing
import WukongDevice
@testable import WukongRuntime

@Test(.enabled(if: ProcessInfo.processInfo.environment["WUKONG_CZ_SWEEP"] != nil))
func czLengthSweep() throws {
    let used = try CZFixture.couplers(CZFixture.circuits, snapshot: Fixtures.oracle)
    let only = ProcessInfo.processInfo.environment["WUKONG_CZ_SWEEP_COUPLERS"].map { Set($0.split(separator: ",").compactMap { Int($0) }) } ?? used
    for (d, r) in [(80.0, 20.0), (100.0, 25.0), (60.0, 10.0)] {
        CZFixture.lock.withLock { CZFixture.report = [:] }
        let t = Date()
        _ = try CZFixture.calibrated(Fixtures.oracle, couplers: used.intersection(only), durationNs: d, rampNs: r, refinements: 60)
        for (c, p) in CZFixture.lock.withLock({ CZFixture.report }).sorted(by: { $0.key < $1.key }) {
            FileHandle.standardError.write(Data("sweep d \(d) r \(r) coupler \(c): F \(p.czFidelity) leak \(p.leakage) phase err \(p.phaseErrorRad)\n".utf8))
        }
        FileHandle.standardError.write(Data("sweep d \(d) r \(r): \(Date().timeIntervalSince(t)) s; couplers \(used.sorted())\n".utf8))
    }
}
