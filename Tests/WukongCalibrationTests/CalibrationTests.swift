// Calibration from the shipped nominal snapshot on the emulated chip: the recovered parameters against
// the hidden truth (within stated tolerances or their own statistical errors), gates and a Bell circuit
// on the pulse path before and after, provenance and lineage of the new snapshot, request validation.
// One quick calibration (qubits 0, 1, 2, 16; coupler 0 = q0–q1) is shared by the tests. (q16: a fine
// Ramsey there once fitted a sampling alias of the fringe; fits above the Nyquist frequency are refused.)
import Foundation
import Numerics
import Testing
import WukongCalibration
import WukongCircuits
import WukongCompiler
import WukongDevice
import WukongEmulator
import WukongGateSim
@testable import WukongRuntime

enum Calibrated {
    static let qubits = [0, 1, 2, 16]
    static let coupler = 0
    /// Quick sweeps, all experiments, seed 11: computed once on a GCD thread (~1 min in a debug build), so
    /// waiting tests do not hold threads of Swift's cooperative pool that other suites need meanwhile.
    private static let result = Future<CalibrationRun> {
        let request = CalibrationRequest(qubits: qubits, couplers: [coupler], settings: .quick, czSettings: .quick, seed: 11)
        return try! Calibrator.run(chip: Fixtures.chip, start: Fixtures.nominal, request: request) { print($0) }
    }
    static func run() async -> CalibrationRun { await result.value() }
    static func snapshot() async -> CalibrationSnapshot { await run().snapshot }

    static func measurement(_ q: String, _ name: String, _ quantity: String) async -> CalibrationMeasurement? {
        await run().results.last { $0.element == q && $0.name == name }?.measurements.first { $0.quantity == quantity }
    }
}

/// A value computed once on a GCD thread; awaiting it suspends instead of blocking.
final class Future<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    private var waiters: [CheckedContinuation<T, Never>] = []
    private var started = false
    private let compute: @Sendable () -> T

    init(_ compute: @escaping @Sendable () -> T) { self.compute = compute }

    func value() async -> T {
        await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            let (ready, start): (T?, Bool) = lock.withLock {
                if let v = value { return (v, false) }
                waiters.append(c)
                defer { started = true }
                return (nil, !started)
            }
            if let ready { c.resume(returning: ready); return }
            if start {
                DispatchQueue.global().async {
                    let v = self.compute()
                    let ws = self.lock.withLock { () -> [CheckedContinuation<T, Never>] in
                        self.value = v
                        defer { self.waiters = [] }
                        return self.waiters
                    }
                    for w in ws { w.resume(returning: v) }
                }
            }
        }
    }
}

/// Process fidelity |Tr(V†U)|²/d² of a block U against a unitary V.
private func processFidelity(_ u: GateMatrix, _ v: GateMatrix) -> Double {
    let d = u.dimension
    var tr = Complex<Double>.zero
    for i in 0..<d { for k in 0..<d { tr += v[k, i].conjugate * u[k, i] } }
    return tr.lengthSquared / Double(d * d)
}

/// The pulse path's X on qubit q: the DRAG block the lowering makes from `cal`, on the true device.
private func xFidelity(_ q: Int, _ cal: CalibrationSnapshot) throws -> Double {
    let pulse = DragPulse(qubit: q, durationNs: cal.value(.rphiDuration, q), sigmaNs: cal.value(.rphiSigma, q),
                          betaNs: cal.value(.dragBeta, q), amplitude: cal.value(.piAmplitude, q), phaseRad: 0,
                          frequencyGHz: cal.value(.driveFrequency, q))
    let ch = try ClusterChannels(device: Fixtures.device).channel(for: pulse)
    return processFidelity(ch.matrix, StandardGate.rphi.matrix([.pi, 0]))
}

@Suite(.serialized) struct CalibrationFromNominal {
    @Test(arguments: Calibrated.qubits)
    func frequencyRecoveredWithin50kHz(qubit q: Int) async throws {
        let snapshot = await Calibrated.snapshot()
        let truth = Fixtures.device.qubit(QubitIndex(q)).idleFrequencyGHz
        let f = snapshot.value(.driveFrequency, q)
        let nominalError = abs(Fixtures.nominal.value(.driveFrequency, q) - truth)
        print("q\(q): f = \(f) GHz, true \(truth), error \((f - truth) * 1e6) kHz (nominal error \(nominalError * 1e3) MHz)")
        #expect(abs(f - truth) < 50e-6, "q\(q): recovered \(f) GHz vs true \(truth) GHz")
        #expect(snapshot.source(.driveFrequency, q).hasPrefix("ramsey_fine "))
    }

    @Test(arguments: Calibrated.qubits)
    func piAmplitudeWithinOnePercent(qubit q: Int) async throws {
        let snapshot = await Calibrated.snapshot()
        // The truth: the amplitude whose mid-sample envelope area gives θ = π at the true Rabi rate.
        let d = Fixtures.device.qubit(QubitIndex(q))
        let area = CalibrationSnapshot.liftedGaussianAreaNs(durationNs: 30, sigmaNs: 7.5, sampleRateGSps: 2)
        let truth = CalibrationSnapshot.amplitude(forAngle: .pi, rabiGHz: d.driveRabiGHz, areaNs: area)
        let a = snapshot.value(.piAmplitude, q), h = snapshot.value(.halfPiAmplitude, q)
        print("q\(q): π amplitude \(a) vs \(truth) (\((a / truth - 1) * 100) %), π/2 \(h) vs \(truth / 2); nominal \(Fixtures.nominal.value(.piAmplitude, q))")
        #expect(abs(a / truth - 1) < 0.01)
        #expect(abs(2 * h / truth - 1) < 0.01)
    }

    @Test(arguments: Calibrated.qubits)
    func t1AndT2StarWithinTheirStatisticalErrors(qubit q: Int) async throws {
        let snapshot = await Calibrated.snapshot()
        let d = Fixtures.device.qubit(QubitIndex(q))
        let t1 = try #require(await Calibrated.measurement("q\(q)", "t1", "t1"))
        let t2 = try #require(await Calibrated.measurement("q\(q)", "ramsey_fine", "t2_star"))
        let echo = try #require(await Calibrated.measurement("q\(q)", "echo", "t2_echo"))
        print("q\(q): T1 \(t1.value) ± \(t1.uncertainty) µs (true \(d.t1Us)); T2* \(t2.value) ± \(t2.uncertainty) (true \(d.t2StarUs)); echo \(echo.value) ± \(echo.uncertainty)")
        // 3σ: a 0.3 % chance per check of a false alarm for a correct estimator with correct errors.
        #expect(abs(t1.value - d.t1Us) < 3 * t1.uncertainty)
        #expect(abs(t2.value - d.t2StarUs) < 3 * t2.uncertainty)
        // The emulator's dephasing is Markovian (no 1/f noise), so the echo decays at 1/T2* too.
        #expect(abs(echo.value - d.t2StarUs) < 3 * echo.uncertainty)
        #expect(snapshot.value(.t1, q) == t1.value)
    }

    @Test(arguments: Calibrated.qubits)
    func readoutToneAndAssignment(qubit q: Int) async throws {
        let snapshot = await Calibrated.snapshot()
        let d = Fixtures.device.qubit(QubitIndex(q))
        let tone = snapshot.value(.readoutFrequency, q)
        // The |0⟩–|1⟩ separation peaks midway between the dressed resonator frequencies, at f_r.
        #expect(abs(tone - d.resonatorFrequencyGHz) < 3e-4, "q\(q): tone \(tone) vs f_r \(d.resonatorFrequencyGHz)")
        let m = snapshot.values(.assignmentMatrix, q)
        let e01 = try #require(await Calibrated.measurement("q\(q)", "readout_iq", "p_read1_given0"))
        print("q\(q): assignment \(m), P(1|0) \(e01.value) ± \(e01.uncertainty) vs device 1 − F0 = \(1 - d.readoutFidelity0)")
        #expect(abs(m[0] + m[2] - 1) < 1e-12 && abs(m[1] + m[3] - 1) < 1e-12)
        // The readout model's noise makes |0⟩'s error 1 − F0 at a midpoint threshold; the optimized threshold
        // moves it by at most a few tenths of that.
        let deviceError: Double = 1 - d.readoutFidelity0
        let allowed: Double = 4 * e01.uncertainty + 0.5 * deviceError
        #expect(abs(e01.value - deviceError) < allowed)
        let c = snapshot.complexValues(.iqCentres, q)
        #expect(abs(c.real[0] - c.real[1]) + abs(c.imag[0] - c.imag[1]) > 0)
    }

    @Test(arguments: Calibrated.qubits)
    func pulseXReachesProcessFidelity0999(qubit q: Int) async throws {
        let snapshot = await Calibrated.snapshot()
        let before = try xFidelity(q, Fixtures.nominal), after = try xFidelity(q, snapshot)
        print("q\(q): pulse X process fidelity nominal \(before) → calibrated \(after)")
        #expect(after >= 0.999)
        #expect(before < after)
    }

    @Test func pulseBellAfterCalibration() async throws {
        let snapshot = await Calibrated.snapshot(), run = await Calibrated.run()
        let bell = try OpenQASMParser.parse("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2]; creg c[2]; h q[0]; cx q[0],q[1]; measure q -> c;")
        let before = try PulseBackend.exactDistribution(bell, calibration: Fixtures.nominal, device: Fixtures.device)
        let after = try PulseBackend.exactDistribution(bell, calibration: snapshot, device: Fixtures.device)
        let good = { (p: [String: Double]) in p["00", default: 0] + p["11", default: 0] }
        print("Bell on the pulse path (noise off): nominal \(before) → calibrated \(after)")
        #expect(good(after) >= 0.95)
        #expect(good(before) < 0.95)
        let cz = try #require(run.results.last { $0.element == "c0" && $0.name == "cz_virtual_z" })
        print("c0: \(cz.summary)")
        #expect(snapshot.source(.czVirtualZ, Calibrated.coupler).hasPrefix("cz_virtual_z "))
        // The leakage measured at the final point is recorded for the gate-level noise model.
        let leak = try #require(cz.measurements.first { $0.quantity == "leakage" })
        #expect(snapshot.value(.czLeakage, Calibrated.coupler) == leak.value)
        #expect(snapshot.source(.czLeakage, Calibrated.coupler).hasPrefix("cz_virtual_z "))
    }

    @Test func snapshotLineageAndProvenance() async throws {
        let run = await Calibrated.run()
        let s = run.snapshot
        #expect(s.metadata.parentID == Fixtures.nominal.metadata.snapshotID)
        #expect(s.metadata.snapshotID != Fixtures.nominal.metadata.snapshotID)
        // Uncalibrated elements keep their nominal values and sources.
        #expect(s.value(.driveFrequency, 5) == Fixtures.nominal.value(.driveFrequency, 5))
        #expect(s.source(.driveFrequency, 5) == "nominal")
        // Calibrated values name their experiment, time and fit quality.
        let src = s.source(.piAmplitude, 0)
        #expect(src.contains("amplitude_x") && src.contains("chi2r="), "\(src)")
        #expect(s.source(.dragBeta, 1).hasPrefix("drag "))
        #expect(run.plots.count >= run.results.count - 4)
        #expect(run.plots.allSatisfy { $0.svg.hasPrefix("<svg") || $0.svg.contains("<svg") })
    }
}

@Test func requestValidationNamesTheProblem() throws {
    let s = Fixtures.nominal
    func message(_ r: CalibrationRequest) -> String {
        do { try Calibrator.validate(r, snapshot: s); return "" } catch { return "\(error)" }
    }
    #expect(message(CalibrationRequest(qubits: [72])).contains("qubit 72 is not on the chip"))
    #expect(message(CalibrationRequest(qubits: [1, 1])).contains("more than once"))
    #expect(message(CalibrationRequest(qubits: [0], couplers: [500])).contains("coupler 500"))
    #expect(message(CalibrationRequest(qubits: [0], couplers: [], experiments: [.cz])).contains("needs at least one coupler"))
    if let disabled = s.couplerEnabled.firstIndex(of: false) {
        #expect(message(CalibrationRequest(qubits: [0], couplers: [disabled])).contains("disabled"))
    }
    #expect(throws: CalibrationError.self) { try ExperimentKind.parseList("frequency,foo") }
}
