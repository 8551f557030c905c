// The complex-float option: every kernel shape agrees with the double-precision reference at
// single-precision tolerance, norms stay 1, and sampled counts follow the same distribution.
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct SinglePrecisionTests {
    /// Float has a 24-bit mantissa (ε ≈ 6e-8); each output of a k ≤ 5 gate sums ≤ 32 products,
    /// so one gate adds ≲ 64ε ≈ 4e-6 relative error in the worst case and ~√32·ε typically; after
    /// 60 gates on unit-norm states, 2e-5 per amplitude is a bound with a wide margin.
    let singleTolerance = 2e-5

    @Test(arguments: [1, 2, 3, 4, 5])
    func denseKernelsMatchReference(k: Int) {
        for options in threadConfigurations {
            var rng = SeededGenerator(seed: UInt64(1100 + k))
            let n = 8
            let start = randomAmplitudes(n, &rng)
            let single = StateVectorSingle(amplitudes: start, options: options)
            var ref = ReferenceStateVector(amplitudes: start)
            for _ in 0..<12 {
                let u = randomUnitary(k, &rng), qs = randomQubits(k, of: n, &rng)
                single.apply(u, on: qs)
                ref.apply(u, on: qs)
            }
            #expect(maxDistance(single.amplitudes, ref.amplitudes) < singleTolerance, "k \(k), threads \(options.threadCount)")
            #expect(abs(single.normSquared - 1) < singleTolerance)
        }
    }

    @Test func pauliExpectationsMatchDouble() {
        // Every Pauli kind (X, Y, Z, mixed, identity) on a random state, 1 and 2 threads, and the
        // ansatz observable: the float state's ⟨P⟩ (summed in double) against the double state's.
        for options in threadConfigurations {
            var rng = SeededGenerator(seed: 1120)
            let n = 9
            let start = randomAmplitudes(n, &rng)
            let single = StateVectorSingle(amplitudes: start, options: options)
            let double = StateVector(amplitudes: start, options: options)
            let strings = [PauliString([(0, .x)]), PauliString([(3, .y)]), PauliString([(8, .z)]),
                           PauliString([(1, .x), (4, .y), (7, .z)]), PauliString([(2, .y), (5, .y)]), PauliString([(0, .x), (1, .y), (6, .x)])]
            for p in strings {
                #expect(abs(single.expectation(p) - double.expectation(p)) < singleTolerance, "\(p), threads \(options.threadCount)")
            }
            let h = GateBenchmarks.ansatzObservable(qubits: n)
            #expect(abs(single.expectation(h) - double.expectation(h)) < 20 * singleTolerance)
        }
    }

    @Test func diagonalAndQubitZeroPaths() {
        var rng = SeededGenerator(seed: 1110)
        let n = 7
        let start = randomAmplitudes(n, &rng)
        let single = StateVectorSingle(amplitudes: start, options: .serial)
        var ref = ReferenceStateVector(amplitudes: start)
        for step in 0..<30 {
            let k = 1 + step % 3
            var qs = randomQubits(k, of: n, &rng)
            if step % 4 == 0 && !qs.contains(0) { qs[0] = 0 }  // exercise the qubit-0 kernels
            let m = step % 2 == 0 ? GateMatrix.diagonal(randomPhases(1 << k, &rng)) : randomUnitary(k, &rng)
            single.apply(m, on: qs)
            ref.apply(m, on: qs)
        }
        #expect(maxDistance(single.amplitudes, ref.amplitudes) < singleTolerance)
    }

    @Test func circuitRunInSingleMatchesDouble() throws {
        let circuit = GateBenchmarks.qft(qubits: 9)
        let double = try CircuitSimulator.finalState(circuit)
        let single = try CircuitSimulator.finalStateSingle(circuit)
        #expect(maxDistance(single.amplitudes, double.amplitudes) < singleTolerance)
        // Sampling: GHZ gives only all-zeros and all-ones, about half each.
        let ghz = GateBenchmarks.ghz(qubits: 6)
        var options = GateRunOptions()
        options.shots = 4000
        options.seed = 3
        options.precision = .single
        let counts = try CircuitSimulator.run(ghz, options: options).counts
        #expect(Set(counts.keys) == ["000000", "111111"])
        // Binomial(4000, 1/2): σ ≈ 32; 5σ.
        #expect(abs(counts["000000", default: 0] - 2000) < 160)
    }

    @Test func singleRejectsMidCircuitMeasurement() throws {
        let circuit = try OpenQASMParser.parse("""
            OPENQASM 2.0; include "qelib1.inc"; qreg q[1]; creg c[1];
            h q[0]; measure q[0] -> c[0]; reset q[0]; measure q[0] -> c[0];
            """)
        var options = GateRunOptions()
        options.precision = .single
        #expect(throws: GateSimulatorError.self) { try CircuitSimulator.run(circuit, options: options) }
    }
}
