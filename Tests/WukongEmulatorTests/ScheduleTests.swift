// The JSON pulse schedule: decoding errors name the field, the converter reproduces a directly built
// sequence, frame updates rotate the drive axis, and readout shots match the calibrated fidelity.
import Foundation
import Numerics
import Testing
import WukongEmulator
import WukongPulses

private let oneTransmon = #"{"kind": "one_transmon", "frequency_ghz": 4.5, "levels": 3, "drive_rabi_ghz": 0.08, "t1_us": 20, "t2_us": 10}"#

private func schedule(_ instructions: String, device: String = oneTransmon) throws -> PulseSchedule {
    try PulseSchedule.decode(json: Data(#"{"version": 1, "device": \#(device), "instructions": [\#(instructions)]}"#.utf8))
}

/// A 30-ns DRAG π pulse: amp = 1/(2·f_R·Σe·dt) with the lifted-Gaussian area of σ = 7.5 ns.
private func piAmplitude() throws -> Double {
    let area = try Envelope.liftedGaussian(durationNs: 30, sigmaNs: 7.5, amp: 1).samples().reduce(0) { $0 + $1.real } * 0.5
    return 1 / (2 * 0.08 * area)
}

private func drag(_ amp: Double, channel: String = "q0.drive") -> String {
    #"{"op": "play", "channel": "\#(channel)", "envelope": {"shape": "drag", "duration_ns": 30, "sigma_ns": 7.5, "beta_ns": 0.36, "amp": \#(amp)}}"#
}

@Test func scheduleErrorsNameTheFieldPath() throws {
    func path(_ ins: String) -> String? {
        do { _ = try schedule(ins).compile(); return nil } catch let e as ScheduleError { return e.path } catch { return "\(error)" }
    }
    #expect(path(#"{"op": "play", "channel": "q0.drive", "envelope": {"shape": "drag", "duration_ns": 30, "amp": 0.1}}"#)
            == "instructions[0].envelope.sigma_ns")
    #expect(path(#"{"op": "delay", "channel": "q0.drive"}"#) == "instructions[0].duration_ns")
    #expect(path(#"{"op": "play", "channel": "q7.drive", "samples": [0.1]}"#) == "instructions[0].channel")
    #expect(path(#"{"op": "delay", "channel": "q0.drive", "duration_ns": 10}, {"op": "frobnicate", "channel": "q0.drive"}"#)
            == "instructions[1].op")
    #expect(path(#"{"op": "delay", "channel": "q0.drive", "duration_ns": 0.3}"#) == "instructions[0].duration_ns")
    do {
        _ = try PulseSchedule.decode(json: Data(#"{"version": 1, "instructions": [{"op": 3}]}"#.utf8))
        Issue.record("type mismatch not reported")
    } catch {
        #expect(error.path == "instructions[0].op")
    }
    // Limits: a waveform longer than allowed.
    var limits = ScheduleLimits()
    limits.maxSamplesPerWaveform = 10
    #expect(throws: ScheduleError.self) { try schedule(drag(0.1)).compile(limits: limits) }
}

@Test func scheduleConverterMatchesDirectSequence() throws {
    let amp = try piAmplitude()
    let compiled = try schedule(#"{"op": "delay", "channel": "q0.drive", "duration_ns": 10}, \#(drag(amp))"#).compile()
    #expect(compiled.evolutionEndNs == 40)
    let env = try Envelope.drag(durationNs: 30, sigmaNs: 7.5, betaNs: 0.36, amp: amp).samples()
    let direct = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.5,
                                                      samples: Array(repeating: .zero, count: 20) + env)])
    let solver = SchrodingerSolver(model: compiled.model)
    let u = solver.propagator(compiled.sequence), v = solver.propagator(direct)
    #expect(u.maxAbsDifference(v) < 1e-12)
    #expect(u[1, 0].lengthSquared > 0.999)
}

@Test func shiftPhaseReversesRotation() throws {
    // X90 then, after a π phase shift, X90 about −x: back to |0⟩. Without the shift: |1⟩.
    let half = try piAmplitude() / 2
    let back = try schedule("\(drag(half)), {\"op\": \"shift_phase\", \"channel\": \"q0.drive\", \"phase_rad\": 3.141592653589793}, \(drag(half))").compile()
    let on = try schedule("\(drag(half)), \(drag(half))").compile()
    let p0 = runSchedule(back, returning: .populations, noise: false).populations!.last!
    let p1 = runSchedule(on, returning: .populations, noise: false).populations!.last!
    #expect(p0[0] > 0.999, "\(p0)")
    #expect(p1[1] > 0.999, "\(p1)")
}

@Test func readoutShotsMatchCalibratedAssignmentFidelity() throws {
    // F0 = 0.965 (inline default) sets the noise; |1⟩ reads worse by roughly the T1 decay in the window.
    let acquire = #"{"op": "acquire", "channel": "q0.readout", "duration_ns": 1500}"#
    let ground = try schedule(acquire).compile()
    let excited = try schedule("\(drag(try piAmplitude())), {\"op\": \"barrier\"}, \(acquire)").compile()
    let shots = 4000
    // Binomial standard error √(F(1−F)/N) ≈ 0.003 for F ≈ 0.96: 4σ bound.
    let statBound = 4 * (0.035 * 0.965 / Double(shots)).squareRoot()
    func p1(_ c: CompiledSchedule, noise: Bool, seed: UInt64) -> Double {
        let s = runSchedule(c, returning: .shots, noise: noise, shots: shots, seed: seed).shots!
        return Double(s.bits.reduce(0) { $0 + Int($1) }) / Double(shots)
    }
    let f0 = 1 - p1(ground, noise: true, seed: 7)
    #expect(abs(f0 - 0.965) < statBound, "P(0|0) = \(f0)")
    let f1 = p1(excited, noise: true, seed: 8)
    // T1 = 20 µs: P(decay within ~ the first half of 1.5 µs) ≈ 4 %; F1 between 0.85 and F0.
    #expect(f1 < 0.965 && f1 > 0.85, "P(1|1) = \(f1)")
    #expect(p1(ground, noise: false, seed: 1) == 0)
    // The π pulse leaves P0 ≈ 4e-4: a few of 4000 clean shots read 0.
    #expect(p1(excited, noise: false, seed: 1) > 0.995)
    print("readout: P(0|0) = \(f0), P(1|1) = \(f1) (device targets 0.965 / 0.93)")
    // HDF5 output.
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("wukong-shots-\(getpid()).h5").path
    try runSchedule(excited, returning: .shots, noise: true, shots: 16, seed: 3).writeHDF5(to: path)
    #expect(FileManager.default.fileExists(atPath: path))
    try? FileManager.default.removeItem(atPath: path)
}
