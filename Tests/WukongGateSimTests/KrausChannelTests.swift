// Kraus channels: closed forms of thermal relaxation, trace preservation, fidelities, and the
// superoperator ordering the density matrix relies on.
import Foundation
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct KrausChannelTests {
    /// A state with populations and a coherence: ρ = [[0.3, 0.2 − 0.35i], [0.2 + 0.35i, 0.7]].
    let rho0 = GateMatrix([Complex(0.3), Complex(0.2, -0.35), Complex(0.2, 0.35), Complex(0.7)])

    @Test(arguments: [(0.0, 20.0, 4.0, 0.0), (30.0, 20.0, 4.0, 0.01), (1500.0, 12.0, 24.0, 0.05), (40_000.0, 5.0, 1.0, 0.2)])
    func thermalRelaxationMatchesT1T2ClosedForms(tNs: Double, t1Us: Double, t2Us: Double, pth: Double) {
        let ch = KrausChannel.thermalRelaxation(durationNs: tNs, t1Us: t1Us, t2Us: t2Us, excitedPopulation: pth)
        let rho = ch.apply(to: rho0)
        let decay1 = Foundation.exp(-tNs / 1000 / t1Us), decay2 = Foundation.exp(-tNs / 1000 / t2Us)
        let rho11 = rho0[1, 1].real * decay1 + pth * (1 - decay1)
        #expect(abs(rho[1, 1].real - rho11) < closedFormTolerance)
        #expect(abs(rho[0, 0].real - (1 - rho11)) < closedFormTolerance)
        // The coherence keeps its phase and shrinks by exactly e^{−t/T2}.
        #expect((rho[0, 1] - rho0[0, 1].multiplied(by: decay2)).length < closedFormTolerance)
        #expect((rho[1, 0] - rho0[1, 0].multiplied(by: decay2)).length < closedFormTolerance)
        #expect(ch.isTracePreserving())
    }

    @Test func thermalRelaxationAtT2EqualTwoT1IsPureAmplitudeDamping() {
        let ch = KrausChannel.thermalRelaxation(durationNs: 5000, t1Us: 10, t2Us: 20)
        let ad = KrausChannel.amplitudeDamping(1 - Foundation.exp(-0.5))
        #expect(ch.superoperator.distance(to: ad.superoperator) < closedFormTolerance)
    }

    @Test func everyChannelIsTracePreserving() {
        var rng = SeededGenerator(seed: 11)
        var channels: [KrausChannel] = [
            .amplitudeDamping(0.3), .phaseDamping(0.7), .depolarizing(0.1, qubitCount: 1), .depolarizing(1, qubitCount: 2),
            .depolarizing(16.0 / 15, qubitCount: 2), .zzPhase(zetaGHz: 1e-4, durationNs: 300), .reset,
            .thermalRelaxation(durationNs: 1e6, t1Us: 1, t2Us: 0.5, excitedPopulation: 0.5),
        ]
        for _ in 0..<20 { channels.append(randomChannel(1 + Int(rng.uniform() * 2), &rng)) }
        for (i, ch) in channels.enumerated() {
            #expect(ch.isTracePreserving(), "channel \(i) (seed 11)")
            #expect(ch.followed(by: ch).isTracePreserving(), "channel \(i) composed with itself")
        }
    }

    @Test func superoperatorActsOnVecRhoWithColumnBitsHigh() {
        // Linear in each Kraus operator, so non-unitary random operators check every entry's place.
        var rng = SeededGenerator(seed: 5)
        for k in 1...2 {
            let d = 1 << k
            let ch = KrausChannel([randomMatrix(k, &rng), randomMatrix(k, &rng)])
            let rho = randomMatrix(k, &rng)
            let expected = ch.apply(to: rho)
            let s = ch.superoperator
            for r in 0..<d { for c in 0..<d {
                var acc = Complex<Double>.zero
                for r2 in 0..<d { for c2 in 0..<d { acc = acc + s[r + d * c, r2 + d * c2] * rho[r2, c2] } }
                #expect((acc - expected[r, c]).length < closedFormTolerance, "k = \(k), seed 5")
            } }
        }
    }

    @Test func compositionIsTheSuperoperatorProduct() {
        var rng = SeededGenerator(seed: 8)
        let a = randomChannel(2, &rng), b = randomChannel(2, &rng)
        #expect(a.followed(by: b).superoperator.distance(to: b.superoperator * a.superoperator) < closedFormTolerance)
    }

    @Test func depolarizingFidelityHasItsClosedForm() {
        for (p, k) in [(0.0, 1), (0.1, 1), (0.3, 2), (1.0, 2)] {
            let d = Double(1 << k)
            let ch = KrausChannel.depolarizing(p, qubitCount: k)
            #expect(abs(ch.entanglementFidelity - (1 - p + p / (d * d))) < closedFormTolerance)
            #expect(abs(ch.averageGateFidelity - (1 - p * (d - 1) / d)) < closedFormTolerance)
        }
    }

    @Test func coherenceLimitedErrorMatchesFirstOrderFormula() {
        // chip-physics §1.3: r ≈ t/(6T1) + t/(3T2) for t ≪ T1, T2; the next order is ~(t/T2)²/6 ≈ 1e-5.
        let t = 30.0, t1 = 20.0, t2 = 4.0
        let ch = KrausChannel.thermalRelaxation(durationNs: t, t1Us: t1, t2Us: t2)
        let r = 1 - ch.averageGateFidelity
        let approx = t / 1000 / (6 * t1) + t / 1000 / (3 * t2)
        #expect(abs(r - approx) < 2e-5, "r = \(r), first order \(approx)")
    }

    @Test func readoutConfusionReadsTheAssignmentMatrix() {
        let a = ReadoutConfusion(rowMajor: [0.97, 0.08, 0.03, 0.92])
        #expect(a.probabilityOfOne(prepared: 0) == 0.03)
        #expect(abs(a.probabilityOfOne(prepared: 1) - 0.92) < 1e-15)
        #expect(ReadoutConfusion(rowMajor: [.nan, .nan, .nan, .nan]).isPerfect)
    }
}
