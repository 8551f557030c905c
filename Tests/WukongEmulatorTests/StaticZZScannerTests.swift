// The reused-workspace ZZ scan against its reference, `staticZZGHz` (fresh Householder–QL per point).
import Testing
import WukongEmulator

@Test func staticZZScannerMatchesReference() {
    // The benchmark's scan (3-level modes, full x·x, coupler 5.6–6.4 GHz) plus points through the
    // qubit–coupler region where labels are least clear-cut, and a 2-level model.
    for levels in [3, 2] {
        let pair = SubsystemModel.twoTransmonsWithCoupler(levels: levels)
        var scanner = StaticZZScanner(model: pair, qubit: 0, 1)
        for fc in stride(from: 5.0, through: 6.8, by: 0.05) {
            let model = pair.tuning(mode: 2, toFrequencyGHz: fc)
            let reference = model.staticZZGHz(qubit: 0, 1)
            let fast = scanner.zzGHz(model)
            #expect(abs(fast - reference) < 1e-10, "levels \(levels), f_c = \(fc): \(fast) vs \(reference)")
        }
        // Extra flux on a qubit goes through the same path.
        let flux = [0.0, 0.05, 0.0]
        #expect(abs(scanner.zzGHz(pair, extraFluxPhi0: flux) - pair.staticZZGHz(qubit: 0, 1, extraFluxPhi0: flux)) < 1e-10)
    }
}
