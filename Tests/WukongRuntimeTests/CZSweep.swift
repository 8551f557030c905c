// Exploration (off by default, WUKONG_CZ_SWEEP=1): the best CZ the fixture's search finds per coupler
// for several lengths and ramps, to choose the truth-matched calibration of the agreement tests.
import Foundation
import Testing
import WukongDevice
@testable import WukongRuntime

@Test(.enabled(if: ProcessInfo.processInfo.environment["WUKONG_CZ_SWEEP"] != nil))
func czLengthSweep() throws {
    let used = try CZFixture.couplers(CZFixture.circuits, snapshot: Fixtures.oracle)
    for (d, r) in [(60.0, 10.0), (70.0, 15.0), (80.0, 15.0), (80.0, 20.0), (100.0, 20.0)] {
        CZFixture.lock.withLock { CZFixture.report = [:] }
        let t = Date()
        _ = try CZFixture.calibrated(Fixtures.oracle, couplers: used, durationNs: d, rampNs: r, refinements: 80)
        for (c, p) in CZFixture.lock.withLock({ CZFixture.report }).sorted(by: { $0.key < $1.key }) {
            print("sweep d \(d) r \(r) coupler \(c): F \(p.czFidelity) leak \(p.leakage) phase err \(p.phaseErrorRad)")
        }
        print("sweep d \(d) r \(r): \(Date().timeIntervalSince(t)) s")
    }
}
