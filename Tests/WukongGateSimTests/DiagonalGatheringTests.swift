// Real-matrix kernels (double and float) against the reference at every position, the Euler split
// of one-qubit unitaries, and diagonal gathering: gathered circuits equal the input on random
// circuits of native-style gates, and the ansatz and brickwork come out as real gates between
// diagonals.
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct DiagonalGatheringTests {
    /// A random real 2ᵏ×2ᵏ matrix (not orthogonal: kernels are linear, so every entry's role shows).
    func randomRealMatrix(_ k: Int, _ rng: inout SeededGenerator) -> GateMatrix {
        GateMatrix((0..<(1 << (2 * k))).map { _ in Complex(gaussian(&rng)) })
    }

    @Test(arguments: [1, 2, 5, 7])
    func realOneQubitKernelAtEveryPosition(n: Int) {
        for options in threadConfigurations {
            for q in 0..<n {
                let seed = UInt64(7000 + 10 * n + q)
                var rng = SeededGenerator(seed: seed)
                var (fast, ref) = randomPair(n, options, &rng)
                let m = randomRealMatrix(1, &rng)
                fast.apply(m, on: [q])
                ref.apply(m, on: [q])
                #expect(maxDistance(fast, ref) < kernelTolerance, "seed \(seed), q \(q), threads \(options.threadCount)")
            }
        }
    }

    @Test func realTwoQubitKernelAtEveryPair() {
        let n = 6
        for options in threadConfigurations {
            for a in 0..<n {
                for b in 0..<n where a != b {
                    let seed = UInt64(7100 + 10 * a + b)
                    var rng = SeededGenerator(seed: seed)
                    var (fast, ref) = randomPair(n, options, &rng)
                    let m = randomRealMatrix(2, &rng)
                    fast.apply(m, on: [a, b])
                    ref.apply(m, on: [a, b])
                    #expect(maxDistance(fast, ref) < kernelTolerance, "qubits [\(a), \(b)], threads \(options.threadCount)")
                }
            }
        }
    }

    /// Float kernels: one gate's rounding is ≲ 70 ε_float ≈ 4e-6 (SinglePrecisionKernelTests).
    @Test func realKernelsInSinglePrecision() {
        let n = 6, tolerance = 2e-5
        for options in threadConfigurations {
            for a in 0..<n {
                for b in [nil] + Array(0..<n) where b != a {
                    let seed = UInt64(7200 + 10 * a + (b ?? 9))
                    var rng = SeededGenerator(seed: seed)
                    let start = randomAmplitudes(n, &rng)
                    let qubits = b.map { [a, $0] } ?? [a]
                    let m = randomRealMatrix(qubits.count, &rng)
                    let single = StateVectorSingle(amplitudes: start, options: options)
                    var ref = ReferenceStateVector(amplitudes: start)
                    single.apply(m, on: qubits)
                    ref.apply(m, on: qubits)
                    #expect(maxDistance(single.amplitudes, ref.amplitudes) < tolerance,
                            "qubits \(qubits), threads \(options.threadCount)")
                }
            }
        }
    }

    @Test func eulerSplitReconstructsOneQubitUnitaries() throws {
        var rng = SeededGenerator(seed: 7300)
        let i = Complex<Double>.i, o = Complex<Double>.zero, l = Complex<Double>.one
        let special: [GateMatrix] = [
            GateMatrix([o, -i, i, o]),                          // Y: cos θ = 0
            GateMatrix([o, l, l, o]),                           // X
            Gates.h,
            GateMatrix([l, o, o, Complex(Double.cos(0.3), Double.sin(0.3))]),  // a phase
        ]
        for u in special + (0..<50).map({ _ in randomUnitary(1, &rng) }) {
            let (left, real, right) = try #require(DiagonalGathering.eulerSplit(u))
            #expect(real.isUnitary() && real.elements.allSatisfy { $0.imaginary == 0 })
            #expect(real[0, 0].real >= 0 && real[1, 0].real >= 0 && real[0, 0] == real[1, 1] && real[0, 1] == -real[1, 0])
            let rebuilt = GateMatrix.diagonal(left) * real * GateMatrix.diagonal(right)
            let error = zip(rebuilt.elements, u.elements).map { ($0 - $1).length }.max()!
            #expect(error < 1e-13, "\(u.elements): \(error)")
        }
        // Not unitary: refused.
        #expect(DiagonalGathering.eulerSplit(GateMatrix([l, l, l, l])) == nil)
    }

    /// Random circuits of the gates gathering rewrites (u3, RY, RZ, H, phases, CZ, CP, RZZ) mixed
    /// with ones it must leave in place (CX, random two-qubit unitaries).
    func nativeCircuit(_ n: Int, count: Int, _ rng: inout SeededGenerator) -> [GateOperation] {
        (0..<count).map { _ in
            let a = Int(rng.next() % UInt64(n))
            var b = Int(rng.next() % UInt64(n - 1))
            if b >= a { b += 1 }
            let t = 2 * Double.pi * rng.uniform()
            let e = Complex(Double.cos(t), Double.sin(t))
            switch rng.next() % 8 {
            case 0: return GateOperation(randomUnitary(1, &rng), on: [a])
            case 1: return GateOperation(GateMatrix([Complex(Double.cos(t / 2)), Complex(-Double.sin(t / 2)),
                                                     Complex(Double.sin(t / 2)), Complex(Double.cos(t / 2))]), on: [a])
            case 2: return GateOperation(.diagonal([e.conjugate, e]), on: [a])
            case 3: return GateOperation(Gates.h, on: [a])
            case 4: return GateOperation(.diagonal([.one, .one, .one, -.one]), on: [a, b])
            case 5: return GateOperation(.diagonal([.one, .one, .one, e]), on: [a, b])
            case 6: return GateOperation(.diagonal([e, e.conjugate, e.conjugate, e]), on: [a, b])
            default:
                return rng.next() % 2 == 0
                    ? GateOperation(GateMatrix([.one, .zero, .zero, .zero, .zero, .one, .zero, .zero,
                                                .zero, .zero, .zero, .one, .zero, .zero, .one, .zero]), on: [a, b])
                    : GateOperation(randomUnitary(2, &rng), on: [a, b])
            }
        }
    }

    @Test(arguments: [2, 3, 6])
    func gatheredCircuitsEqualTheInput(maxDiagonalQubits: Int) {
        for options in threadConfigurations {
            for trial in 0..<4 {
                let seed = UInt64(7400 + 10 * maxDiagonalQubits + trial)
                var rng = SeededGenerator(seed: seed)
                let n = 7
                let ops = nativeCircuit(n, count: 120, &rng)
                let start = randomAmplitudes(n, &rng)
                var ref = ReferenceStateVector(amplitudes: start)
                for op in ops { ref.apply(op.matrix, on: op.qubits) }
                let gathered = DiagonalGathering.gather(ops, maxDiagonalQubits: maxDiagonalQubits)
                #expect(gathered.allSatisfy { $0.qubits.count <= max(2, maxDiagonalQubits) })
                for (name, list) in [("gathered", gathered),
                                     ("gathered + fused", GateFusion.fuse(gathered, maxQubits: 2)),
                                     ("fuse", DiagonalGathering.fuse(ops, maxQubits: 2, maxDiagonalQubits: maxDiagonalQubits))] {
                    let fast = StateVector(amplitudes: start, options: options)
                    fast.apply(list)
                    #expect(maxDistance(fast, ref) < kernelTolerance,
                            "\(name), seed \(seed), threads \(options.threadCount)")
                }
            }
        }
    }

    @Test func runsOfDiagonalsAfterPlainFusionArePacked() {
        // Dense two-qubit blocks on (0,1), (2,3), … with CZs and controlled phases between them (no
        // one-qubit phases: `fuse` takes the plain path): the CZ layer becomes ≤ 6-qubit diagonals.
        var rng = SeededGenerator(seed: 7550)
        let n = 8
        var ops: [GateOperation] = []
        for _ in 0..<3 {
            for a in stride(from: 0, to: n, by: 2) { ops.append(GateOperation(randomUnitary(2, &rng), on: [a + 1, a])) }
            for a in stride(from: 1, to: n - 1, by: 2) { ops.append(GateOperation(.diagonal([.one, .one, .one, -.one]), on: [a, a + 1])) }
            let e = Complex(Double.cos(0.7), Double.sin(0.7))
            ops.append(GateOperation(.diagonal([.one, .one, .one, e]), on: [0, n - 1]))
        }
        let plain = GateFusion.fuse(ops, maxQubits: 2)
        let packed = DiagonalGathering.fuse(ops, maxQubits: 2)
        let diagonals = { (list: [GateOperation]) in list.filter { $0.matrix.isDiagonal }.count }
        #expect(diagonals(plain) == 12, "4 diagonals per layer before packing")
        #expect(diagonals(packed) < diagonals(plain))
        #expect(packed.allSatisfy { !$0.matrix.isDiagonal || $0.qubits.count <= DiagonalGathering.defaultMaxDiagonalQubits })
        #expect(DiagonalGathering.estimatedCost(packed) < DiagonalGathering.estimatedCost(plain))
        let start = randomAmplitudes(n, &rng)
        var ref = ReferenceStateVector(amplitudes: start)
        for op in ops { ref.apply(op.matrix, on: op.qubits) }
        for options in threadConfigurations {
            let fast = StateVector(amplitudes: start, options: options)
            fast.apply(packed)
            #expect(maxDistance(fast, ref) < kernelTolerance, "threads \(options.threadCount)")
        }
    }

    @Test func ansatzAndBrickworkBecomeRealGatesBetweenDiagonals() throws {
        var rng = SeededGenerator(seed: 7600)
        for circuit in [GateBenchmarks.hardwareEfficientAnsatz(qubits: 8, layers: 3),
                        GateBenchmarks.brickwork(qubits: 8, layers: 3, seed: 5)] {
            let parameters = Dictionary(uniqueKeysWithValues: circuit.parameterNames.enumerated().map { ($1, 0.1 * Double($0 + 1)) })
            let ops = try circuit.instructions.map { instruction -> GateOperation in
                guard case .gate(let g) = instruction.operation else { throw TestFailure.unexpected("\(instruction)") }
                return GateOperation(try g.matrix(parameters), on: g.operands)
            }
            let gathered = DiagonalGathering.gather(ops)
            // Every non-diagonal operation left is real: all phases went into the diagonals.
            #expect(gathered.allSatisfy { $0.matrix.isDiagonal || $0.matrix.elements.allSatisfy { $0.imaginary == 0 } })
            // Three layers: at most 4 diagonal levels, each two 6-qubit diagonals on 8 qubits.
            let diagonals = gathered.filter { $0.matrix.isDiagonal }.count
            #expect(diagonals <= 2 * 4, "\(diagonals) diagonals")
            let start = randomAmplitudes(8, &rng)
            var ref = ReferenceStateVector(amplitudes: start)
            for op in ops { ref.apply(op.matrix, on: op.qubits) }
            for list in [gathered, DiagonalGathering.fuse(ops, maxQubits: 2)] {
                let fast = StateVector(amplitudes: start, options: .serial)
                fast.apply(list)
                #expect(maxDistance(fast, ref) < kernelTolerance)
            }
            // And through the simulator (cache-blocked, lazy), gathering on and off.
            for gather in [true, false] {
                var execution = ExecutionOptions.serial
                execution.cacheBlockQubits = 6
                execution.gatherDiagonals = gather
                execution.gatherMinimumQubits = 0
                let state = try CircuitSimulator.finalState(circuit, parameters: parameters, execution: execution)
                var zero = ReferenceStateVector(qubitCount: 8)
                for op in ops { zero.apply(op.matrix, on: op.qubits) }
                #expect(maxDistance(state, zero) < kernelTolerance, "gather \(gather)")
                execution.singleCacheBlockQubits = 6
                let single = try CircuitSimulator.finalStateSingle(circuit, parameters: parameters, execution: execution)
                #expect(maxDistance(single.amplitudes, zero.amplitudes) < 1e-4, "single, gather \(gather)")
            }
        }
    }

    enum TestFailure: Error { case unexpected(String) }

    @Test func fusionKeepsRealBlocksAwayFromComplexDiagonals() {
        // RY⊗RY (real, 2 multiply-adds per amplitude) followed by a two-qubit phase: merged it would be
        // a complex dense block (4); apart, 2 + 1.
        let ry = GateMatrix([Complex(0.8), Complex(-0.6), Complex(0.6), Complex(0.8)])
        let phase = GateMatrix.diagonal([.one, Complex(0.0, 1.0), .one, .one])
        let fused = GateFusion.fuse([GateOperation(ry.kron(ry), on: [3, 2]), GateOperation(phase, on: [3, 2])], maxQubits: 2)
        #expect(fused.count == 2)
        // A CZ is real: RY⊗RY·CZ stays one real block.
        let cz = GateMatrix.diagonal([.one, .one, .one, -.one])
        let withCZ = GateFusion.fuse([GateOperation(ry.kron(ry), on: [3, 2]), GateOperation(cz, on: [3, 2])], maxQubits: 2)
        #expect(withCZ.count == 1)
    }

    @Test func singlePrecisionTakesWideDiagonals() {
        var rng = SeededGenerator(seed: 7500)
        let n = 8
        let start = randomAmplitudes(n, &rng)
        let d = randomPhases(1 << 6, &rng)
        let single = StateVectorSingle(amplitudes: start, options: .serial)
        var ref = ReferenceStateVector(amplitudes: start)
        single.apply(.diagonal(d), on: [7, 5, 4, 2, 1, 0])
        ref.apply(.diagonal(d), on: [7, 5, 4, 2, 1, 0])
        #expect(maxDistance(single.amplitudes, ref.amplitudes) < 2e-5)
    }
}
