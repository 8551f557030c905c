// Lazy qubit activation (runs from |0…0⟩): the lazy executor equals the reference on random
// circuits that touch qubits late, never touch some, and read untouched qubits through controls,
// diagonals and SWAPs — blocked and unblocked, one and two threads, every fusion window — and the
// planner really sweeps fewer amplitudes (GHZ: about 2·2ⁿ instead of one 2ⁿ sweep per gate).
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct LazyActivationTests {
    /// Random operations whose mixed ("pool") qubits grow from 1 to n − 2 over the circuit, in a
    /// random order, so qubits are touched late; the last two qubits of that order are never
    /// mixed but appear as controls, in diagonals and in SWAPs with each other. Any qubit may be
    /// a control or a diagonal operand, touched or not.
    func lateTouchingOperations(_ n: Int, count: Int, _ rng: inout SeededGenerator) -> [GateOperation] {
        let order = Array(0..<n).shuffled(using: &rng)
        let never = Array(order.suffix(2))
        return (0..<count).map { i in
            let poolSize = 1 + (n - 3) * i / max(count - 1, 1)
            let pool = Array(order.prefix(poolSize))
            func fromPool(_ k: Int) -> [Int] { Array(pool.shuffled(using: &rng).prefix(k)) }
            func other(than used: [Int]) -> Int { (0..<n).filter { !used.contains($0) }.randomElement(using: &rng)! }
            switch rng.next() % 9 {
            case 0: return GateOperation(randomUnitary(1, &rng), on: fromPool(1))
            case 1 where pool.count >= 2: return GateOperation(randomUnitary(2, &rng), on: fromPool(2))
            case 2 where pool.count >= 3: return GateOperation(randomUnitary(3, &rng), on: fromPool(3))
            case 3:
                // A 2-qubit diagonal (general, or a controlled phase) on any qubits.
                let d = rng.next() % 2 == 0 ? randomPhases(4, &rng) : [.one, .one, .one] + randomPhases(1, &rng)
                return GateOperation(GateMatrix.diagonal(d), on: randomQubits(2, of: n, &rng))
            case 4:
                // Controlled-U, control anywhere (often untouched), target in the pool.
                let t = fromPool(1)[0]
                return GateOperation(randomUnitary(1, &rng).controlled(1), on: [other(than: [t]), t])
            case 5:
                // Toffoli-like: two controls anywhere, target in the pool.
                let t = fromPool(1)[0], c1 = other(than: [t]), c2 = other(than: [t, c1])
                return GateOperation(randomUnitary(1, &rng).controlled(2), on: [c1, c2, t])
            case 6:
                // A 1-qubit phase gate on any qubit (a global phase when it is untouched).
                return GateOperation(GateMatrix.diagonal(randomPhases(2, &rng)), on: [Int(rng.next() % UInt64(n))])
            case 7:
                // SWAPs: within the pool, pool ↔ a fresh qubit, and the never-touched pair.
                switch rng.next() % 3 {
                case 0 where pool.count >= 2: return GateOperation(Gates.swap, on: fromPool(2))
                case 1: return GateOperation(Gates.swap, on: [never[0], never[1]])
                default:
                    // The next qubit to join the pool (still untouched), else within the pool.
                    if poolSize <= n - 3 { return GateOperation(Gates.swap, on: [fromPool(1)[0], order[poolSize]]) }
                    return GateOperation(Gates.swap, on: fromPool(2))
                }
            default:
                let t = fromPool(1)[0]
                return GateOperation(Gates.cx, on: [other(than: [t]), t])
            }
        }
    }

    func reference(_ ops: [GateOperation], _ n: Int) -> ReferenceStateVector {
        var ref = ReferenceStateVector(amplitudes: StateVector(qubitCount: n).amplitudes)
        for op in ops { ref.apply(op.matrix, on: op.qubits) }
        return ref
    }

    @Test(arguments: [6, 7, 12])
    func lazyRunEqualsReferenceOnLateTouchingCircuits(localQubits: Int) {
        // n = 10: L = 6, 7 are blocked runs (4 and 3 high qubits), L = 12 runs unblocked as one chunk.
        let n = 10
        for trial in 0..<3 {
            let seed = UInt64(7000 + 10 * localQubits + trial)
            var rng = SeededGenerator(seed: seed)
            let ops = lateTouchingOperations(n, count: 90, &rng)
            let ref = reference(ops, n)
            for options in threadConfigurations {
                for fusion in [1, 2, 3] {
                    var blocking = CacheBlocking(localQubits: localQubits, fusionQubits: fusion)
                    blocking.lazyMinimumQubits = 0
                    let state = StateVector(qubitCount: n, options: options)
                    state.apply(ops, blocking: blocking, zeroState: true)
                    #expect(maxDistance(state, ref) < kernelTolerance,
                            "seed \(seed), L \(localQubits), fusion \(fusion), threads \(options.threadCount)")
                }
            }
        }
    }

    @Test func gatesOnUntouchedQubitsAreExactPhasesOrIdentities() {
        // Only gates that read untouched qubits: a CX and a CCX with |0⟩ controls (identities),
        // RZ (phase e^{−iθ/2} on |0⟩), a controlled phase and a general 2-qubit diagonal (its
        // |00⟩ entry). The result is |0…0⟩ times the product of those numbers, exactly.
        var rng = SeededGenerator(seed: 7100)
        let d = randomPhases(4, &rng)
        let theta = 0.731
        let rz = GateMatrix.diagonal([Complex(.cos(theta / 2), -.sin(theta / 2)), Complex(.cos(theta / 2), .sin(theta / 2))])
        let ops = [GateOperation(Gates.cx, on: [3, 5]), GateOperation(Gates.cx.controlled(1), on: [1, 2, 0]),
                   GateOperation(rz, on: [4]), GateOperation(GateMatrix.diagonal([.one, .one, .one, d[0]]), on: [2, 6]),
                   GateOperation(GateMatrix.diagonal(d), on: [7, 1]), GateOperation(Gates.swap, on: [0, 7])]
        for L in [6, 12] {
            var blocking = CacheBlocking(localQubits: L)
            blocking.lazyMinimumQubits = 0
            let state = StateVector(qubitCount: 8, options: .serial)
            state.apply(ops, blocking: blocking, zeroState: true)
            let expected = rz[0, 0] * d[0]
            #expect((state[0] - expected).length < kernelTolerance, "L \(L)")
            #expect(abs(state.normSquared - 1) < normTolerance)
            #expect(maxDistance(state, reference(ops, 8)) < kernelTolerance, "L \(L)")
        }
    }

    @Test func benchmarkCircuitsThroughTheSimulatorEqualTheReference() throws {
        // GHZ, QFT and brickwork via CircuitSimulator.finalState (which runs the first gate run
        // lazily when blocked, L = 6; eagerly unblocked below 16 qubits), against the reference.
        let n = 9
        for circuit in [GateBenchmarks.ghz(qubits: n), GateBenchmarks.qft(qubits: n),
                        GateBenchmarks.brickwork(qubits: n, layers: 4, seed: 7)] {
            let ops = circuit.instructions.compactMap { i -> GateOperation? in
                guard case .gate(let g) = i.operation else { return nil }
                return GateOperation(try! g.matrix([:]), on: g.operands)
            }
            let ref = reference(ops, n)
            for threads in [1, 2] {
                for blockQubits in [6, 0] {
                    var execution = ExecutionOptions(threadCount: threads, parallelThresholdQubits: 0)
                    execution.cacheBlockQubits = blockQubits
                    let state = try CircuitSimulator.finalState(circuit, execution: execution)
                    #expect(maxDistance(state, ref) < kernelTolerance, "threads \(threads), L \(blockQubits)")
                }
            }
        }
    }

    @Test func plannerReportsTheLiveWork() {
        // GHZ-n from |0…0⟩: the gate on qubits k, k+1 sees 2^(k+2) live amplitudes, so the lazy
        // plan sweeps Σ 2^(k+2) < 2^(n+2) amplitudes in all; the eager plan sweeps all 2ⁿ for
        // every chunk operation.
        let n = 12
        let ghz = [GateOperation(Gates.h, on: [0])] + (0..<(n - 1)).map { GateOperation(Gates.cx, on: [$0, $0 + 1]) }
        for L in [6, 8] {
            let blocking = CacheBlocking(localQubits: L, fusionQubits: 1)
            let lazy = StateVector.cacheBlockingSummary(ghz, qubitCount: n, blocking: blocking, zeroState: true)
            let eager = StateVector.cacheBlockingSummary(ghz, qubitCount: n, blocking: blocking, zeroState: false)
            #expect(lazy.amplitudeUpdates < 1 << (n + 2), "\(lazy)")
            #expect(eager.amplitudeUpdates == eager.chunkOperations << n, "\(eager)")
            #expect(eager.amplitudeUpdates >= ghz.count << n, "\(eager)")
        }
        // QFT from |0…0⟩: every controlled phase has an untouched control when it runs, so only
        // the n Hadamards remain, each on the live prefix, and the final SWAPs are relabellings
        // that leave nothing to restore.
        let qft = GateBenchmarks.qft(qubits: n).instructions.compactMap { i -> GateOperation? in
            guard case .gate(let g) = i.operation else { return nil }
            return GateOperation(try! g.matrix([:]), on: g.operands)
        }
        let summary = StateVector.cacheBlockingSummary(qft, qubitCount: n, blocking: CacheBlocking(localQubits: 6, fusionQubits: 1),
                                                       zeroState: true)
        #expect(summary.chunkOperations == n, "\(summary)")
        #expect(summary.amplitudeUpdates < 1 << (n + 1), "\(summary)")
    }
}
