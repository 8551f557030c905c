// Timings of the benchmark problems (a)–(c), printed, not asserted (shared 2-core machine).
// Runs only with WUKONG_BENCH set; in a debug build the figures are 10–50× above release.
import Foundation
import Numerics
import Testing
import WukongEmulator
import WukongPulses

private func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
}

@Test(.enabled(if: ProcessInfo.processInfo.environment["WUKONG_BENCH"] != nil))
func benchmarkTimings() throws {
    // (a) 30-ns DRAG π pulse, one 3-level transmon, propagator.
    let one = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 3, driveRabiGHz: 0.08)
    let area = try Envelope.liftedGaussian(durationNs: 30, sigmaNs: 7.5, amp: 1).samples().reduce(0) { $0 + $1.real } * 0.5
    let env = try Envelope.drag(durationNs: 30, sigmaNs: 7.5, betaNs: 0.36, amp: 1 / (2 * 0.08 * area))
    let seq = PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: 4.5, samples: try env.samples())])
    var u = ComplexMatrix.identity(3)
    let ta = seconds { for _ in 0..<10 { u = SchrodingerSolver(model: one).propagator(seq) } } / 10
    print("(a) DRAG pi, 3 levels: \(ta * 1e3) ms/solve, leakage \(one.leakage(u))")
    // (b) two transmons + coupler (27 levels): one ZZ point, and a 40-ns coupler flux pulse propagator (full x·x, exact per sample).
    let pair = SubsystemModel.twoTransmonsWithCoupler(levels: 3)
    let tz = seconds { _ = pair.tuning(mode: 2, toFrequencyGHz: 6.0).staticZZGHz(qubit: 0, 1) }
    let flux = FluxWaveform(element: 2, samplesPhi0: (0..<80).map { 0.1 * Double.sin(Double.pi * (Double($0) + 0.5) / 80) })
    let tc = seconds { _ = SchrodingerSolver(model: pair).propagator(PulseSequence(fluxes: [flux])) }
    print("(b) ZZ point (27 levels): \(tz * 1e3) ms; 40-ns flux pulse propagator: \(tc * 1e3) ms")
    // (c) Lindblad Ramsey, T1 = 30 µs, T2 = 20 µs, 101 delays over 100 µs (2 levels, exact idle steps).
    let q = SubsystemModel.singleTransmon(frequencyGHz: 4.5, levels: 2, t1Us: 30, t2StarUs: 20)
    let solver = LindbladSolver(model: q, options: SolverOptions(frame: .custom([4.4997])))
    let rho0 = ComplexMatrix.projector([Complex(0.5.squareRoot(), 0), Complex(0, -0.5.squareRoot())])
    let tr = seconds { _ = parallelSweep((0...100).map { Double($0) * 1000 }) { solver.evolve(rho0, PulseSequence().thenIdle($0)).finalState } }
    print("(c) Lindblad Ramsey, 101 points: \(tr * 1e3) ms")
}
