// The benchmark problems (a)–(d), solved and timed in process, reported as JSON together with
// their inputs (envelope and flux samples), so that scripts/bench/pulse_reference.py solves exactly the
// same problems with QuTiP and Qiskit Dynamics.
import Dispatch
import Foundation
import Numerics
import WukongPulses

/// Benchmark problems (a) DRAG π pulse, (b) ZZ and CZ on two transmons + coupler, (c) Lindblad Ramsey,
/// (d) 101-point Rabi amplitude sweep. Units: ns, GHz; Hamiltonians in rad/ns.
public enum PulseBenchmark {
    /// Process CPU time, s (all threads).
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Best wall-clock and best CPU time over `repeats` runs after one warm-up run (the way the
    /// reference script times QuTiP and Qiskit Dynamics).
    static func timing(_ repeats: Int, _ body: () -> Void) -> (wall: Double, cpu: Double) {
        body()
        var wall = Double.infinity, cpu = Double.infinity
        for _ in 0..<max(repeats, 1) {
            let t0 = DispatchTime.now().uptimeNanoseconds, c0 = cpuSeconds()
            body()
            cpu = min(cpu, cpuSeconds() - c0)
            wall = min(wall, Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9)
        }
        return (wall, cpu)
    }

    /// Runs the problems (all four by default) and returns one JSON document (keys a, b, c, d).
    public static func runAll(repeats: Int = 5, problems: Set<String> = ["a", "b", "c", "d"]) throws -> String {
        var out: [String: Any] = [:]
        // (a) 30-ns DRAG π pulse on a 3-level transmon (rotating frame at the qubit, RWA).
        let fq = 4.5, alpha = -0.22, rabi = 0.08
        let one = SubsystemModel.singleTransmon(frequencyGHz: fq, anharmonicityGHz: alpha, levels: 3, driveRabiGHz: rabi)
        let area = try Envelope.liftedGaussian(durationNs: 30, sigmaNs: 7.5, amp: 1).samples().reduce(0) { $0 + $1.real } * 0.5
        let ampPi = 1 / (2 * rabi * area)
        let shape = try Envelope.drag(durationNs: 30, sigmaNs: 7.5, betaNs: 0.36, amp: 1).samples()
        @Sendable func dragSequence(_ a: Double) -> PulseSequence {
            PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: fq, samples: shape.map { $0.multiplied(by: a) })])
        }
        if problems.contains("a") {
        var u = ComplexMatrix.identity(3)
        let ta = timing(repeats) { u = SchrodingerSolver(model: one).propagator(dragSequence(ampPi)) }
        let xGate = ComplexMatrix([[.zero, Complex(0, -1)], [Complex(0, -1), .zero]])
        let cmp = one.compare(u, to: xGate)
        let pa = u.column(0).map { $0.lengthSquared }
        out["a"] = ["seconds": ta.wall, "cpu_seconds": ta.cpu, "fidelity": cmp.averageFidelity, "leakage": cmp.leakage, "populations": pa,
                    "inputs": ["frequency_ghz": fq, "anharmonicity_ghz": alpha, "rabi_ghz": rabi, "dt_ns": 0.5, "amp": ampPi,
                               "samples_re": shape.map { $0.real }, "samples_im": shape.map { $0.imaginary }]] as [String: Any]
        }

        if problems.contains("b") {
        // (b) Two 3-level transmons + 3-level coupler, full x·x: ZZ versus coupler frequency, and the CZ pulse.
        let pair = SubsystemModel.twoTransmonsWithCoupler(levels: 3)
        let grid = (0...16).map { 5.6 + 0.05 * Double($0) }
        var zz = [Double]()
        // The scan is over coupler frequency (qubits at idle), as the reference script's; a scanner
        // per thread with reused workspaces, 2 threads (StaticZZScanner; `staticZZGHz` is its reference).
        let scanner = StaticZZScanner(model: pair, qubit: 0, 1)
        let idleGHz = pair.frequenciesGHz()
        let points = grid.map { [idleGHz[0], idleGHz[1], $0] }
        let tzz = timing(repeats) { zz = scanner.scan(frequenciesGHz: points, workers: 2) }
        let parked = pair.tuning(mode: 2, toFrequencyGHz: 6.05)
        let cz = CZPulseParameters(coupler: 2, movingQubit: 1, durationNs: 50, riseNs: 5,
                                   couplerFluxPhi0: 0.097682, qubitFluxPhi0: 0.056772)
        var phases = parked.evaluateCZ(cz)
        let tcz = timing(repeats) { phases = parked.evaluateCZ(cz) }
        // Mode frequencies per sample (GHz): what the reference needs (f(Φ) is not re-implemented there).
        let seq = cz.sequence()
        guard case let .block(block) = seq.segments[0] else { preconditionFailure() }
        let freqs = (0..<block.sampleCount).map { k -> [Double] in
            var flux = [0.0, 0.0, 0.0]
            for w in block.fluxes { flux[w.element] = w.samplesPhi0[k] }
            return parked.frequenciesGHz(extraFluxPhi0: flux)
        }
        out["b"] = ["seconds_zz": tzz.wall, "cpu_seconds_zz": tzz.cpu, "seconds_cz": tcz.wall, "cpu_seconds_cz": tcz.cpu, "coupler_ghz": grid, "zz_ghz": zz,
                    "conditional_phase_rad": phases.conditionalPhaseRad, "leakage": phases.leakage, "cz_fidelity": phases.czFidelity,
                    "inputs": ["qubits_ghz": [4.40, 4.65], "anharmonicity_ghz": [-0.22, -0.22, -0.15], "g_qc_ghz": 0.09,
                               "g_qq_ghz": 0.006, "dt_ns": 0.5, "idle_ghz": parked.frequenciesGHz(),
                               "mode_ghz_per_sample": freqs]] as [String: Any]
        }

        if problems.contains("c") {
        // (c) Lindblad Ramsey: T1 = 30 µs, T2 = 20 µs, frame 0.3 MHz below the qubit, 101 delays over 100 µs.
        let detuning = 0.0003
        let q = SubsystemModel.singleTransmon(frequencyGHz: fq, levels: 2, t1Us: 30, t2StarUs: 20)
        let lindblad = LindbladSolver(model: q, options: SolverOptions(frame: .custom([fq - detuning])))
        let s = 0.5.squareRoot()
        let x90 = ComplexMatrix([[Complex(s, 0), Complex(0, -s)], [Complex(0, -s), Complex(s, 0)]])
        let rho0 = x90 * ComplexMatrix.projector(q.groundState) * x90.adjoint
        let delays = (0...100).map { Double($0) * 1000 }
        var p1 = [Double]()
        let tc = timing(repeats) {
            // Exact: one superoperator exponential for the uniform 1-µs increment, one product per delay.
            // P₁ after the second X90: ⟨1|X90·ρ·X90†|1⟩ = Σⱼₖ x₁ⱼ ρⱼₖ x̄₁ₖ.
            p1 = lindblad.idleStates(rho0, timesNs: delays).map { rho in
                var sum = Complex<Double>.zero
                for j in 0..<2 { for k in 0..<2 { sum += x90[1, j] * rho[j, k] * x90[1, k].conjugate } }
                return sum.real
            }
        }
        out["c"] = ["seconds": tc.wall, "cpu_seconds": tc.cpu, "delays_ns": delays, "p1": p1,
                    "inputs": ["t1_us": 30.0, "t2_us": 20.0, "detuning_ghz": detuning]] as [String: Any]
        }

        if problems.contains("d") {
        // (d) 101-point Rabi amplitude sweep of (a): amplitude 0 … 2·a_π, P1 and P2 after the pulse.
        let amps = (0...100).map { 2 * ampPi * Double($0) / 100 }
        var rabiP = [[Double]]()
        let td = timing(repeats) {
            rabiP = parallelSweep(amps) { a in
                SchrodingerSolver(model: one).finalState(one.groundState, dragSequence(a)).map { $0.lengthSquared }
            }
        }
        out["d"] = ["seconds": td.wall, "cpu_seconds": td.cpu, "amps": amps, "p1": rabiP.map { $0[1] }, "p2": rabiP.map { $0[2] }] as [String: Any]
        }
        out["repeats"] = max(repeats, 1)
        let data = try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
