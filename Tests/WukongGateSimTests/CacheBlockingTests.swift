// Cache blocking: the chunked execution equals the reference on random circuits with every kind
// of gate (dense 1–3 qubits, diagonals, controlled, SWAP relabelling), from random states and
// from |0…0⟩ (free first relabelling), and the planner really cuts memory sweeps.
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct CacheBlockingTests {
    /// Random operations: dense 1/2/3-qubit unitaries, 2-qubit diagonals, CX and SWAP.
    func randomOperations(_ n: Int, count: Int, _ rng: inout SeededGenerator) -> [GateOperation] {
        (0..<count).map { _ in
            switch rng.next() % 6 {
            case 0: return GateOperation(randomUnitary(1, &rng), on: randomQubits(1, of: n, &rng))
            case 1: return GateOperation(randomUnitary(2, &rng), on: randomQubits(2, of: n, &rng))
            case 2: return GateOperation(randomUnitary(3, &rng), on: randomQubits(3, of: n, &rng))
            case 3:
                // Random 2-qubit diagonals and controlled phases (the |11⟩-only kernel).
                let d = rng.next() % 2 == 0 ? randomPhases(4, &rng) : [.one, .one, .one] + randomPhases(1, &rng)
                return GateOperation(GateMatrix.diagonal(d), on: randomQubits(2, of: n, &rng))
            case 4: return GateOperation(Gates.cx, on: randomQubits(2, of: n, &rng))
            default: return GateOperation(Gates.swap, on: randomQubits(2, of: n, &rng))
            }
        }
    }

    @Test(arguments: [6, 7, 8])
    func blockedEqualsUnblockedKernelsOnRandomCircuits(localQubits: Int) {
        for trial in 0..<2 {
            let seed = UInt64(900 + 10 * localQubits + trial)
            var rng = SeededGenerator(seed: seed)
            // 12 qubits against the unblocked kernels (themselves checked against the reference in
            // KernelAgreementTests); the reference itself is used below on smaller registers.
            let n = 12
            let ops = randomOperations(n, count: 120, &rng)
            let start = randomAmplitudes(n, &rng)
            let plain = StateVector(amplitudes: start, options: .serial)
            plain.apply(ops)
            for options in threadConfigurations {
                for fusion in [1, 2, 3] {
                    let state = StateVector(amplitudes: start, options: options)
                    state.apply(ops, blocking: CacheBlocking(localQubits: localQubits, fusionQubits: fusion))
                    #expect(maxDistance(state.amplitudes, plain.amplitudes) < kernelTolerance,
                            "seed \(seed), L \(localQubits), fusion \(fusion), threads \(options.threadCount)")
                }
            }
        }
    }

    @Test func zeroStateRelabellingIsExact() {
        for seed in UInt64(940)..<UInt64(943) {
            var rng = SeededGenerator(seed: seed)
            let n = 9
            let ops = randomOperations(n, count: 60, &rng)
            var ref = ReferenceStateVector(amplitudes: StateVector(qubitCount: n).amplitudes)
            for op in ops { ref.apply(op.matrix, on: op.qubits) }
            let state = StateVector(qubitCount: n, options: .serial)
            state.apply(ops, blocking: CacheBlocking(localQubits: 6), zeroState: true)
            #expect(maxDistance(state, ref) < kernelTolerance, "seed \(seed)")
        }
    }

    @Test func qftNeedsFewSweepsAndSwapsMoveNoData() throws {
        // QFT on 9 qubits with L = 6: the H gates need every qubit local once, the CPs are
        // diagonal (run in any chunk), the final SWAPs are relabellings. Far fewer memory sweeps
        // than gates, and the result equals the reference.
        let n = 9
        let circuit = GateBenchmarks.qft(qubits: n)
        let ops = circuit.instructions.compactMap { i -> GateOperation? in
            guard case .gate(let g) = i.operation else { return nil }
            return GateOperation(try! g.matrix([:]), on: g.operands)
        }
        let blocking = CacheBlocking(localQubits: 6, fusionQubits: 2)
        let summary = StateVector.cacheBlockingSummary(ops, qubitCount: n, blocking: blocking, zeroState: true)
        #expect(summary.stages + summary.exchanges <= 8, "\(summary) for \(ops.count) gates")
        #expect(ops.count > 40)
        let state = StateVector(qubitCount: n, options: .serial)
        state.apply(ops, blocking: blocking, zeroState: true)
        var ref = ReferenceStateVector(amplitudes: StateVector(qubitCount: n).amplitudes)
        for op in ops { ref.apply(op.matrix, on: op.qubits) }
        #expect(maxDistance(state, ref) < kernelTolerance)
    }

    @Test func restrictionOfControlledAndDiagonalGates() {
        // A CX whose control is fixed to 1 restricts to X on the target, to the identity for 0;
        // the mixing analysis sees the target only.
        var rng = SeededGenerator(seed: 950)
        let u = randomUnitary(1, &rng)
        let cu = u.controlled(1)
        let state = StateVector(qubitCount: 9, options: .serial)
        let ops = [GateOperation(Gates.h, on: [8]), GateOperation(cu, on: [8, 0]), GateOperation(Gates.h, on: [0])]
        state.apply(ops, blocking: CacheBlocking(localQubits: 6))
        var ref = ReferenceStateVector(amplitudes: StateVector(qubitCount: 9).amplitudes)
        for op in ops { ref.apply(op.matrix, on: op.qubits) }
        #expect(maxDistance(state, ref) < kernelTolerance)
    }
}
