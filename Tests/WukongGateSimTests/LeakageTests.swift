// Leakage in the gate-level noise model (trajectories): CZ leakage out of |11⟩ only, the closed
// form of a chain of leaky gates with seepage, exponential seepage over an idle, leaked qubits
// reading 1 and blocking gates, and leakage off (or zero) leaving results unchanged.
import Foundation
import Numerics
import Testing
import WukongCircuits
import WukongDevice
import WukongGateSim
import WukongNumerics

/// Only leakage on (plus, when asked, readout): every other ingredient off.
func leakageOnly(readout: Bool = false) -> NoiseOptions {
    var o = NoiseOptions.none
    o.enabled = true
    o.leakage = true
    o.readout = readout
    return o
}

/// A chain of `n` qubits with the given T1 (µs; ∞ = no seepage), 30-ns pulses, 40-ns CZs, and the
/// given leakage probabilities (NaN = unknown).
func leakyChain(_ n: Int, t1Us: Double = .infinity, rphiLeakage: Double = .nan, czLeakage: Double = .nan,
                movingQubit: Int? = nil, readout: ReadoutConfusion = .perfect) -> DeviceNoiseParameters {
    let q = QubitNoiseParameters(t1Us: t1Us, t2Us: t1Us, rphiDurationNs: 30, readoutDurationNs: 800, readout: readout,
                                 rphiLeakage: rphiLeakage)
    return .uniformChain(qubitCount: n, qubit: q,
                         coupler: CouplerNoiseParameters(czDurationNs: 40, czLeakage: czLeakage, movingQubit: movingQubit))
}

/// One trajectory per shot, so shots are independent and binomial bounds apply.
func oneTrajectoryPerShot(_ shots: Int) -> NoisyRunOptions {
    var o = NoisyRunOptions()
    o.method = .trajectories
    o.maxTrajectories = shots
    return o
}

func runOptions(shots: Int, seed: UInt64) -> GateRunOptions {
    var r = GateRunOptions()
    r.shots = shots
    r.seed = seed
    return r
}

@Suite struct LeakageTests {
    @Test func czOnElevenLeaksTheMovingQubitWithTheRecordedProbability() throws {
        // |11⟩ → CZ with p = 0.1, moving qubit 1: the pair goes to |2⟩|0⟩ (q1 leaked, q0 in |0⟩),
        // read "10" (the leaked qubit reads 1); otherwise "11".
        let p = 0.1, shots = 20_000
        let model = GateNoiseModel(device: leakyChain(2, czLeakage: p, movingQubit: 1), options: leakageOnly())
        var c = Circuit(numQubits: 2, numClbits: 2)
        try c.append(.x, [0]); try c.append(.x, [1]); try c.append(.cz, [0, 1])
        try c.measure(0, 0); try c.measure(1, 1)
        let r = try NoisySimulator.run(c, noise: model, options: runOptions(shots: shots, seed: 11),
                                       noisyOptions: oneTrajectoryPerShot(shots))
        let leaked = try #require(r.leakedFractions)
        #expect(leaked[0] == 0)
        let leakedShots = Int((leaked[1] * Double(shots)).rounded())
        #expect(withinFiveSigma(count: leakedShots, shots: shots, probability: p), "seed 11: \(leaked)")
        #expect(Set(r.counts.keys).isSubset(of: ["11", "10"]), "\(r.counts)")
        #expect(r.counts["10", default: 0] == leakedShots)
        #expect(r.counts["11", default: 0] == shots - leakedShots)
    }

    @Test(arguments: [(false, false), (true, false), (false, true)])
    func czWithoutElevenComponentNeverLeaks(first: Bool, second: Bool) throws {
        let model = GateNoiseModel(device: leakyChain(2, czLeakage: 0.5), options: leakageOnly())
        var c = Circuit(numQubits: 2, numClbits: 2)
        if first { try c.append(.x, [0]) }
        if second { try c.append(.x, [1]) }
        try c.append(.cz, [0, 1])
        try c.measure(0, 0); try c.measure(1, 1)
        let r = try NoisySimulator.run(c, noise: model, options: runOptions(shots: 2000, seed: 3),
                                       noisyOptions: oneTrajectoryPerShot(2000))
        #expect(r.leakedFractions == [0, 0])
        #expect(r.counts.count == 1)
    }

    @Test func czLeaksOnlyTheElevenWeightOfASuperposition() throws {
        // |++⟩ has weight ¼ on |11⟩: leaked fraction p/4. With no moving qubit recorded, the gate's
        // first operand (q0) is the one that leaks.
        let p = 0.4, shots = 20_000
        let model = GateNoiseModel(device: leakyChain(2, czLeakage: p), options: leakageOnly())
        var c = Circuit(numQubits: 2, numClbits: 2)
        try c.append(.h, [0]); try c.append(.h, [1]); try c.append(.cz, [0, 1])
        try c.measure(0, 0); try c.measure(1, 1)
        let r = try NoisySimulator.run(c, noise: model, options: runOptions(shots: shots, seed: 5),
                                       noisyOptions: oneTrajectoryPerShot(shots))
        let leaked = try #require(r.leakedFractions)
        #expect(leaked[1] == 0)
        #expect(withinFiveSigma(count: Int((leaked[0] * Double(shots)).rounded()), shots: shots, probability: p / 4),
                "seed 5: \(leaked)")
        // "11" loses the leaked weight to "01" (q0 leaked reads 1, q1 in |0⟩); "00" and "10" keep ¼.
        #expect(withinFiveSigma(count: r.counts["11", default: 0], shots: shots, probability: 0.25 * (1 - p)), "seed 5: \(r.counts)")
        #expect(withinFiveSigma(count: r.counts["01", default: 0], shots: shots, probability: 0.25 + p / 4), "seed 5: \(r.counts)")
        #expect(withinFiveSigma(count: r.counts["00", default: 0], shots: shots, probability: 0.25), "seed 5: \(r.counts)")
    }

    @Test(arguments: [Double.infinity, 2])
    func chainOfLeakyPulsesFollowsTheClosedForm(t1Us: Double) throws {
        // m X pulses of τ = 30 ns, each leaking with p; before each pulse a leaked qubit seeps back
        // with probability 1 − e^{−Γτ}, Γ = 2/T1. L_k = p + (1 − p)·e^{−Γτ}·L_{k−1}, L_0 = 0, so
        // L_m = p·(1 − aᵐ)/(1 − a) with a = (1 − p)·e^{−Γτ}; at T1 = ∞, L_m = 1 − (1 − p)ᵐ = 0.332.
        // At T1 = 2 µs, L_20 = 0.259, 22σ from no seepage and 10σ from a rate of 1/T1 (σ = 0.0033).
        let p = 0.02, m = 20, shots = 20_000
        let model = GateNoiseModel(device: leakyChain(1, t1Us: t1Us, rphiLeakage: p), options: leakageOnly())
        var c = Circuit(numQubits: 1, numClbits: 1)
        for _ in 0..<m { try c.append(.x, [0]) }
        try c.measure(0, 0)
        let r = try NoisySimulator.run(c, noise: model, options: runOptions(shots: shots, seed: 21),
                                       noisyOptions: oneTrajectoryPerShot(shots))
        let gamma = t1Us.isFinite ? 2 / (t1Us * 1000) : 0
        let a = (1 - p) * Foundation.exp(-gamma * 30)
        let expected = p * (1 - Foundation.pow(a, Double(m))) / (1 - a)
        if !t1Us.isFinite { #expect(abs(expected - (1 - Foundation.pow(1 - p, Double(m)))) < 1e-12) }
        let leaked = try #require(r.leakedFractions)[0]
        #expect(withinFiveSigma(count: Int((leaked * Double(shots)).rounded()), shots: shots, probability: expected),
                "seed 21, T1 \(t1Us): leaked \(leaked), closed form \(expected)")
    }

    @Test func seepageOverAnIdleIsExponential() throws {
        // q0 leaks for sure in its X (layer 0), then idles while q1 runs 39 more X pulses: 1170 ns
        // at Γ₂₁ = 2/T1 = 2/(5 µs) → still leaked with e^{−Γt}. Seeped or not, q0 reads 1 (|1⟩ or |2⟩).
        let shots = 20_000
        var device = leakyChain(2, t1Us: 5)
        device.qubits[0].rphiLeakage = 1
        let model = GateNoiseModel(device: device, options: leakageOnly())
        var c = Circuit(numQubits: 2, numClbits: 1)
        try c.append(.x, [0])
        for _ in 0..<40 { try c.append(.x, [1]) }
        try c.measure(0, 0)
        #expect(abs(try NoisySimulator.scheduledDurationNs(c, noise: model) - 1200) < 1e-9)
        let r = try NoisySimulator.run(c, noise: model, options: runOptions(shots: shots, seed: 8),
                                       noisyOptions: oneTrajectoryPerShot(shots))
        let expected = Foundation.exp(-2.0 / 5000 * 1170)
        let leaked = try #require(r.leakedFractions)[0]
        #expect(withinFiveSigma(count: Int((leaked * Double(shots)).rounded()), shots: shots, probability: expected),
                "seed 8: leaked \(leaked), e^{-Γt} = \(expected)")
        #expect(r.counts == ["1": shots])
    }

    @Test func gatesOnALeakedQubitAreTheIdentityOnThePair() throws {
        // q0 leaks (held register |0⟩), q1 = |1⟩; a swap with a leaked partner does nothing, so q1
        // still reads 1 (a swap applied to the held register would give q1 = 0).
        var device = leakyChain(2)
        device.qubits[0].rphiLeakage = 1
        let model = GateNoiseModel(device: device, options: leakageOnly())
        var c = Circuit(numQubits: 2, numClbits: 2)
        try c.append(.x, [0]); try c.append(.x, [1]); try c.append(.swap, [0, 1]); try c.append(.h, [0])
        try c.measure(0, 0); try c.measure(1, 1)
        let r = try NoisySimulator.run(c, noise: model, options: runOptions(shots: 500, seed: 1))
        #expect(r.counts == ["11": 500])
        #expect(r.leakedFractions == [1, 0])
    }

    @Test func leakedQubitReadsOneMidCircuitAndSurvivesReset() throws {
        // Mid-circuit: the leaked qubit reads 1 without collapsing anything; reset's π pulse cannot
        // bring |2⟩ back, so it still reads 1 and ends leaked.
        var device = leakyChain(1)
        device.qubits[0].rphiLeakage = 1
        let model = GateNoiseModel(device: device, options: leakageOnly())
        var c = Circuit(numQubits: 1, numClbits: 2)
        try c.append(.x, [0])
        try c.measure(0, 0)
        try c.reset(0)
        try c.measure(0, 1)
        let r = try NoisySimulator.run(c, noise: model, options: runOptions(shots: 300, seed: 2))
        #expect(r.counts == ["11": 300])
        #expect(r.leakedFractions == [1])
    }

    @Test func leakedQubitReadsWithTheAssignmentErrorOfOne() throws {
        let confusion = ReadoutConfusion(rowMajor: [0.96, 0.09, 0.04, 0.91])
        var device = leakyChain(1, readout: confusion)
        device.qubits[0].rphiLeakage = 1
        let model = GateNoiseModel(device: device, options: leakageOnly(readout: true))
        var c = Circuit(numQubits: 1, numClbits: 1)
        try c.append(.h, [0])
        try c.measure(0, 0)
        let shots = 20_000
        let r = try NoisySimulator.run(c, noise: model, options: runOptions(shots: shots, seed: 4))
        #expect(r.leakedFractions == [1])
        #expect(withinFiveSigma(count: r.counts["1", default: 0], shots: shots, probability: 0.91), "seed 4: \(r.counts)")
    }

    @Test func leakageOffOrZeroLeavesResultsUnchanged() throws {
        // The same seed gives the same counts with leakage switched off (whatever the recorded
        // probabilities) and with leakage on but every probability zero, on both methods and with
        // mid-circuit measurement; runs without leakage report no leaked fractions.
        let base = noisyChain(3, readout: ReadoutConfusion(rowMajor: [0.97, 0.05, 0.03, 0.95]))
        var leaky = base
        for q in 0..<3 { leaky.qubits[q].rphiLeakage = 0.05 }
        for k in leaky.couplers.keys { leaky.couplers[k]!.czLeakage = 0.1 }
        let c = try NoiseModelTests.ghzLike()
        var mid = Circuit(numQubits: 3, numClbits: 4)
        try mid.append(.h, [0]); try mid.append(.cx, [0, 1]); try mid.measure(1, 3)
        try mid.append(.x, [2], condition: ClassicalCondition(clbits: 3..<4, value: 1))
        for q in 0..<3 { try mid.measure(q, q) }
        let run = runOptions(shots: 3000, seed: 99)
        for circuit in [c, mid] {
            for method in [NoisyRunOptions.Method.automatic, .trajectories] {
                var no = NoisyRunOptions()
                no.method = method
                let old = try NoisySimulator.run(circuit, noise: GateNoiseModel(device: base), options: run, noisyOptions: no)
                let off = try NoisySimulator.run(circuit, noise: GateNoiseModel(device: leaky), options: run, noisyOptions: no)
                #expect(off.counts == old.counts)
                #expect(old.leakedFractions == nil && off.leakedFractions == nil)
            }
            // Leakage on with zero probabilities: the trajectory path with flags draws exactly as before.
            var zero = base
            for q in 0..<3 { zero.qubits[q].rphiLeakage = 0 }
            for k in zero.couplers.keys { zero.couplers[k]!.czLeakage = 0 }
            var on = NoiseOptions()
            on.leakage = true
            var traj = NoisyRunOptions()
            traj.method = .trajectories
            let old = try NoisySimulator.run(circuit, noise: GateNoiseModel(device: base), options: run, noisyOptions: traj)
            let zeroOn = try NoisySimulator.run(circuit, noise: GateNoiseModel(device: zero, options: on), options: run,
                                                noisyOptions: traj)
            #expect(zeroOn.counts == old.counts)
            #expect(zeroOn.leakedFractions == [0, 0, 0])
        }
    }

    @Test func densityMatrixRefusesLeakageAndAutomaticUsesTrajectories() throws {
        var on = NoiseOptions()
        on.leakage = true
        let model = GateNoiseModel(device: leakyChain(2, czLeakage: 0.1), options: on)
        var c = Circuit(numQubits: 2, numClbits: 2)
        try c.append(.x, [0]); try c.append(.x, [1]); try c.append(.cz, [0, 1])
        try c.measure(0, 0); try c.measure(1, 1)
        var dm = NoisyRunOptions()
        dm.method = .densityMatrix
        #expect(throws: NoisySimulatorError.leakageNeedsTrajectories) {
            try NoisySimulator.run(c, noise: model, noisyOptions: dm)
        }
        #expect(throws: NoisySimulatorError.leakageNeedsTrajectories) {
            try NoisySimulator.finalDensityMatrix(c, noise: model)
        }
        let r = try NoisySimulator.run(c, noise: model)
        #expect(r.leakedFractions?.count == 2)
    }

    @Test func calibrationLeakageFieldsReachTheModel() throws {
        // The shipped snapshot knows no leakage (NaN): no leak events. Recorded values arrive per
        // coupler with the snapshot's moving qubit.
        let nominal = try CalibrationSnapshot.read(from: nominalCalibrationPath)
        var on = NoiseOptions()
        on.leakage = true
        let plain = GateNoiseModel(calibration: nominal, options: on)
        #expect(plain.leakEvents(.twoQubit(czCount: 1), on: [0, 1]).isEmpty)
        #expect(plain.leakEvents(.singlePulse, on: [0]).isEmpty)
        let c01 = nominal.topology.couplers.first { $0.low.rawValue == 0 && $0.high.rawValue == 1 }!
        let updated = try nominal.updating([
            CalibrationUpdate(.czLeakage, element: c01.coupler.rawValue, value: 0.03, source: "test"),
            CalibrationUpdate(.rphiLeakage, element: 0, value: 1e-3, source: "test"),
        ], note: "leakage")
        let model = GateNoiseModel(calibration: updated, options: on)
        let moving = Int(nominal.value(.czMovingQubit, c01.coupler.rawValue))
        #expect(model.leakEvents(.twoQubit(czCount: 1), on: [0, 1])
                == [.cz(moving: moving, partner: 1 - moving, probability: 0.03)])
        #expect(model.leakEvents(.singlePulse, on: [0]) == [.pulse(qubit: 0, probability: 1e-3)])
        // Leakage off: nothing, whatever is recorded.
        #expect(GateNoiseModel(calibration: updated).leakEvents(.singlePulse, on: [0]).isEmpty)
    }
}
