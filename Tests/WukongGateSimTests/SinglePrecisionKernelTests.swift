// The SIMD8 quad kernels of the complex-float state, shape by shape and at every target position
// (0 and 1 are the lane-permuting cases), against the double ReferenceStateVector; and the
// cache-blocked single-precision executor against the unblocked one and the reference.
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct SinglePrecisionKernelTests {
    /// One gate in float: each output is a sum of ≤ 2ᵏ ≤ 32 products of O(1) terms, each rounded
    /// with ε ≈ 6e-8, plus the rounding of the inputs and matrix to float: ≲ 70ε ≈ 4e-6 worst
    /// case. A wrong lane or coefficient gives errors of O(2^{-n/2}) ≈ 0.1 on these 6–7-qubit
    /// states, so 2e-5 separates the two by four orders of magnitude.
    let oneGateTolerance = 2e-5
    /// After a circuit of ~100 gates errors add roughly as a random walk (√100·4e-6 typically,
    /// 100·4e-6 at worst on a unit vector): 1e-4 on amplitudes of a normalised state.
    let circuitTolerance = 1e-4

    /// Applies `body` to a single state and a reference holding the same random amplitudes and
    /// returns the largest amplitude distance.
    func compare(n: Int, seed: UInt64, options: ExecutionOptions,
                 _ body: (StateVectorSingle, inout ReferenceStateVector) -> Void) -> Double {
        var rng = SeededGenerator(seed: seed)
        let start = randomAmplitudes(n, &rng)
        let single = StateVectorSingle(amplitudes: start, options: options)
        var ref = ReferenceStateVector(amplitudes: start)
        body(single, &ref)
        return maxDistance(single.amplitudes, ref.amplitudes)
    }

    @Test func oneQubitAtEveryPosition() {
        let n = 6
        for options in threadConfigurations {
            for q in 0..<n {
                var rng = SeededGenerator(seed: UInt64(2000 + q))
                let u = randomUnitary(1, &rng)
                let d = compare(n: n, seed: UInt64(2100 + q), options: options) { s, r in
                    s.apply(u, on: [q]); r.apply(u, on: [q])
                }
                #expect(d < oneGateTolerance, "q \(q), threads \(options.threadCount): \(d)")
            }
        }
    }

    @Test func twoQubitAtEveryOrderedPair() {
        let n = 5
        for options in threadConfigurations {
            for a in 0..<n {
                for b in 0..<n where a != b {
                    var rng = SeededGenerator(seed: UInt64(2200 + 10 * a + b))
                    let u = randomUnitary(2, &rng)
                    let d = compare(n: n, seed: UInt64(2300 + 10 * a + b), options: options) { s, r in
                        s.apply(u, on: [a, b]); r.apply(u, on: [a, b])
                    }
                    #expect(d < oneGateTolerance, "qubits [\(a), \(b)], threads \(options.threadCount): \(d)")
                }
            }
        }
    }

    @Test(arguments: [3, 4, 5])
    func denseKQubitsIncludingLowPositions(k: Int) {
        let n = 7
        for options in threadConfigurations {
            for trial in 0..<8 {
                var rng = SeededGenerator(seed: UInt64(2400 + 10 * k + trial))
                var qs = randomQubits(k, of: n, &rng)
                // Cover each low-lane case: neither, 0, 1, both among the targets.
                let want: Set<Int> = [[], [0], [1], [0, 1]][trial % 4]
                for p in [0, 1] where want.contains(p) != qs.contains(p) {
                    if want.contains(p) { qs[qs.firstIndex { $0 >= 2 }!] = p } else { qs[qs.firstIndex(of: p)!] = (2..<n).first { !qs.contains($0) }! }
                }
                let u = randomUnitary(k, &rng)
                let d = compare(n: n, seed: UInt64(2500 + 10 * k + trial), options: options) { s, r in
                    s.apply(u, on: qs); r.apply(u, on: qs)
                }
                #expect(d < oneGateTolerance, "qubits \(qs), threads \(options.threadCount): \(d)")
            }
        }
    }

    @Test func diagonalsAtEveryPosition() {
        let n = 6
        for options in threadConfigurations {
            for k in 1...3 {
                for trial in 0..<10 {
                    var rng = SeededGenerator(seed: UInt64(2600 + 20 * k + trial))
                    var qs = randomQubits(k, of: n, &rng)
                    if trial < 2 * n && k == 1 { qs = [trial % n] }
                    // Odd trials: a controlled phase (all entries 1 but the last), whose
                    // coefficient-1 runs the streaming kernel skips unread.
                    var entries = randomPhases(1 << k, &rng)
                    if trial % 2 == 1 { for i in 0..<(entries.count - 1) { entries[i] = .one } }
                    let m = GateMatrix.diagonal(entries)
                    let d = compare(n: n, seed: UInt64(2700 + 20 * k + trial), options: options) { s, r in
                        s.apply(m, on: qs); r.apply(m, on: qs)
                    }
                    #expect(d < oneGateTolerance, "diagonal on \(qs), threads \(options.threadCount): \(d)")
                }
            }
        }
    }

    @Test func controlledWithLowAndHighControls() {
        let n = 6
        for options in threadConfigurations {
            for trial in 0..<40 {
                var rng = SeededGenerator(seed: UInt64(2800 + trial))
                let qs = randomQubits(1 + trial % 4, of: n, &rng)
                let target = trial < n ? trial : qs[0]
                let controls = qs.filter { $0 != target }.prefix(3).map { $0 }
                let states = controls.map { _ in Int(rng.next() % 2) }
                let u = randomUnitary(1, &rng)
                let d = compare(n: n, seed: UInt64(2900 + trial), options: options) { s, r in
                    s.applyControlled(u, controls: controls, target: target, controlStates: states)
                    r.applyControlled(u, controls: controls, target: target, controlStates: states)
                }
                #expect(d < oneGateTolerance, "controls \(controls) = \(states), target \(target): \(d)")
            }
            // CX-like 4×4 matrices take the singly-controlled route from `apply`.
            for (c, t) in [(0, 1), (1, 0), (0, 4), (4, 0), (1, 5), (5, 1), (2, 3), (5, 2)] {
                let d = compare(n: n, seed: UInt64(3000 + 10 * c + t), options: options) { s, r in
                    s.apply(Gates.cx, on: [c, t]); r.apply(Gates.cx, on: [c, t])
                }
                #expect(d < oneGateTolerance, "cx \(c) → \(t): \(d)")
            }
        }
    }

    @Test func swapAtEveryPair() {
        let n = 5
        for options in threadConfigurations {
            for a in 0..<n {
                for b in 0..<n where a != b {
                    let d = compare(n: n, seed: UInt64(3100 + 10 * a + b), options: options) { s, r in
                        s.apply(Gates.swap, on: [a, b]); r.apply(Gates.swap, on: [a, b])
                    }
                    #expect(d < oneGateTolerance, "swap \(a) ↔ \(b): \(d)")
                }
            }
        }
    }

    /// Random operations: dense 1/2/3-qubit unitaries, 2-qubit diagonals, CX and SWAP.
    func randomOperations(_ n: Int, count: Int, _ rng: inout SeededGenerator) -> [GateOperation] {
        (0..<count).map { _ in
            switch rng.next() % 6 {
            case 0: return GateOperation(randomUnitary(1, &rng), on: randomQubits(1, of: n, &rng))
            case 1: return GateOperation(randomUnitary(2, &rng), on: randomQubits(2, of: n, &rng))
            case 2: return GateOperation(randomUnitary(3, &rng), on: randomQubits(3, of: n, &rng))
            case 3:
                let d = rng.next() % 2 == 0 ? randomPhases(4, &rng) : [.one, .one, .one] + randomPhases(1, &rng)
                return GateOperation(GateMatrix.diagonal(d), on: randomQubits(2, of: n, &rng))
            case 4: return GateOperation(Gates.cx, on: randomQubits(2, of: n, &rng))
            default: return GateOperation(Gates.swap, on: randomQubits(2, of: n, &rng))
            }
        }
    }

    @Test(arguments: [6, 7])
    func blockedEqualsUnblockedAndReference(localQubits: Int) {
        for trial in 0..<2 {
            let seed = UInt64(3200 + 10 * localQubits + trial)
            var rng = SeededGenerator(seed: seed)
            let n = 10
            let ops = randomOperations(n, count: 100, &rng)
            let start = randomAmplitudes(n, &rng)
            var ref = ReferenceStateVector(amplitudes: start)
            for op in ops { ref.apply(op.matrix, on: op.qubits) }
            let plain = StateVectorSingle(amplitudes: start, options: .serial)
            plain.apply(ops)
            #expect(maxDistance(plain.amplitudes, ref.amplitudes) < circuitTolerance, "seed \(seed), unblocked")
            for options in threadConfigurations {
                for fusion in [1, 2, 3] {
                    let state = StateVectorSingle(amplitudes: start, options: options)
                    state.apply(ops, blocking: CacheBlocking(localQubits: localQubits, fusionQubits: fusion))
                    let d = maxDistance(state.amplitudes, ref.amplitudes)
                    #expect(d < circuitTolerance, "seed \(seed), L \(localQubits), fusion \(fusion), threads \(options.threadCount): \(d)")
                    #expect(maxDistance(state.amplitudes, plain.amplitudes) < circuitTolerance)
                    #expect(abs(state.normSquared - 1) < circuitTolerance, "norm² \(state.normSquared)")
                }
            }
        }
    }

    @Test func blockedFromZeroStateMatchesReference() {
        for seed in UInt64(3300)..<UInt64(3303) {
            var rng = SeededGenerator(seed: seed)
            let n = 9
            let ops = randomOperations(n, count: 60, &rng)
            var ref = ReferenceStateVector(qubitCount: n)
            for op in ops { ref.apply(op.matrix, on: op.qubits) }
            let state = StateVectorSingle(qubitCount: n, options: .serial)
            state.apply(ops, blocking: CacheBlocking(localQubits: 6), zeroState: true)
            #expect(maxDistance(state.amplitudes, ref.amplitudes) < circuitTolerance, "seed \(seed)")
        }
    }

    @Test func blockedCircuitRunMatchesDouble() throws {
        // The full run path: QFT and brickwork on 10 qubits with 2^6-amplitude chunks.
        for circuit in [GateBenchmarks.qft(qubits: 10), GateBenchmarks.brickwork(qubits: 10, layers: 6, seed: 7)] {
            for threads in [1, 2] {
                var execution = ExecutionOptions(threadCount: threads, parallelThresholdQubits: 0)
                execution.singleCacheBlockQubits = 6
                let single = try CircuitSimulator.finalStateSingle(circuit, execution: execution)
                let double = try CircuitSimulator.finalState(circuit)
                #expect(maxDistance(single.amplitudes, double.amplitudes) < circuitTolerance)
                #expect(abs(single.normSquared - 1) < circuitTolerance)
            }
        }
    }
}
