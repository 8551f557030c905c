// Gate fusion: the fused sequence equals the unfused one, blocks respect the window, and the
// embedding of a matrix into a larger qubit list is the identity on the extra qubits.
import Numerics
import Testing
import WukongGateSim
import WukongCircuits
import WukongNumerics

@Suite struct FusionTests {
    /// A random sequence of 1- and 2-qubit unitaries on n qubits.
    func randomOperations(_ n: Int, count: Int, _ rng: inout SeededGenerator) -> [GateOperation] {
        (0..<count).map { _ in
            let k = 1 + Int(rng.next() % 2)
            return GateOperation(randomUnitary(k, &rng), on: randomQubits(k, of: n, &rng))
        }
    }

    @Test(arguments: [2, 3, 4, 5])
    func fusedEqualsUnfused(maxQubits: Int) {
        for options in threadConfigurations {
            let seed = UInt64(500 + maxQubits)
            var rng = SeededGenerator(seed: seed)
            let n = 7
            let ops = randomOperations(n, count: 80, &rng)
            let start = randomAmplitudes(n, &rng)
            let plain = StateVector(amplitudes: start, options: options)
            plain.apply(ops)
            let fusedOps = GateFusion.fuse(ops, maxQubits: maxQubits)
            let fused = StateVector(amplitudes: start, options: options)
            fused.apply(fusedOps)
            #expect(fusedOps.count < ops.count, "fusion merged nothing, seed \(seed)")
            #expect(fusedOps.allSatisfy { $0.qubits.count <= maxQubits })
            #expect(maxDistance(plain.amplitudes, fused.amplitudes) < kernelTolerance,
                    "seed \(seed), k \(maxQubits), threads \(options.threadCount)")
            var ref = ReferenceStateVector(amplitudes: start)
            for op in ops { ref.apply(op.matrix, on: op.qubits) }
            #expect(maxDistance(fused, ref) < kernelTolerance, "seed \(seed)")
        }
    }

    @Test func fusionLooksPastGatesOnDisjointQubits() {
        // Gates alternating between qubits 0 and 5 form two blocks with k = 1, not twenty.
        var rng = SeededGenerator(seed: 15)
        let ops = (0..<20).map { i in GateOperation(randomUnitary(1, &rng), on: [i % 2 == 0 ? 0 : 5]) }
        let fused = GateFusion.fuse(ops, maxQubits: 1)
        #expect(fused.count == 2, "seed 15")
        let a = StateVector(qubitCount: 6, options: .serial), b = StateVector(qubitCount: 6, options: .serial)
        a.apply(ops)
        b.apply(fused)
        #expect(maxDistance(a.amplitudes, b.amplitudes) < kernelTolerance, "seed 15")
        // A gate on (0, 5) must come after both blocks: it closes them and opens its own.
        let closing = ops + [GateOperation(Gates.cx, on: [0, 5])]
        #expect(GateFusion.fuse(closing, maxQubits: 1).count == 3)
        #expect(GateFusion.fuse(closing, maxQubits: 2).count == 1)
    }

    @Test func fusedDiagonalGatesStayDiagonal() {
        // A chain of controlled phases on 4 qubits fuses into one diagonal 4-qubit block.
        var rng = SeededGenerator(seed: 27)
        var ops = [GateOperation]()
        for a in 0..<4 { for b in 0..<a {
            ops.append(GateOperation(.diagonal([.one, .one, .one] + randomPhases(1, &rng)), on: [a, b]))
        } }
        let fused = GateFusion.fuse(ops, maxQubits: 4)
        #expect(fused.count == 1 && fused[0].matrix.isDiagonal, "seed 27")
        let start = randomAmplitudes(5, &rng)
        let a = StateVector(amplitudes: start, options: .serial), b = StateVector(amplitudes: start, options: .serial)
        a.apply(ops)
        b.apply(fused)
        #expect(maxDistance(a.amplitudes, b.amplitudes) < kernelTolerance, "seed 27")
    }

    @Test func diagonalGatesJoinOnlyWhenThatIsNotDearer() {
        // A layer of one-qubit gates then a CZ ladder (the hardware-efficient ansatz): CZ(0,1) joins
        // u⊗u (4 ≤ 2 + 2 + 1), but CZ(k,k+1) for k ≥ 1 stays a diagonal block instead of making
        // the one-qubit block on k+1 dense (4 > 2 + 1). Brickwork-style u⊗u·CZ pairs all fuse.
        var rng = SeededGenerator(seed: 31)
        let n = 6
        var ladder = (0..<n).map { GateOperation(randomUnitary(1, &rng), on: [$0]) }
        for k in 0..<(n - 1) { ladder.append(GateOperation(.diagonal([.one, .one, .one, -.one]), on: [k, k + 1])) }
        let fused = GateFusion.fuse(ladder, maxQubits: 2)
        let dense2 = fused.filter { $0.qubits.count == 2 && !$0.matrix.isDiagonal }.count
        let diagonal2 = fused.filter { $0.qubits.count == 2 && $0.matrix.isDiagonal }.count
        #expect(dense2 == 1 && diagonal2 == n - 2, "dense \(dense2), diagonal \(diagonal2)")
        var brick = (0..<n).map { GateOperation(randomUnitary(1, &rng), on: [$0]) }
        for k in stride(from: 0, to: n - 1, by: 2) { brick.append(GateOperation(.diagonal([.one, .one, .one, -.one]), on: [k, k + 1])) }
        #expect(GateFusion.fuse(brick, maxQubits: 2).count == n / 2)
        for ops in [ladder, brick] {
            let start = randomAmplitudes(n, &rng)
            let a = StateVector(amplitudes: start, options: .serial), b = StateVector(amplitudes: start, options: .serial)
            a.apply(ops)
            b.apply(GateFusion.fuse(ops, maxQubits: 2))
            #expect(maxDistance(a.amplitudes, b.amplitudes) < kernelTolerance)
        }
    }

    @Test func fusedBlocksAreUnitary() {
        var rng = SeededGenerator(seed: 9)
        let ops = randomOperations(6, count: 40, &rng)
        for op in GateFusion.fuse(ops, maxQubits: 4) {
            #expect(op.matrix.isUnitary(tolerance: kernelTolerance), "seed 9, qubits \(op.qubits)")
        }
    }

    @Test func embeddingActsAsIdentityOnExtraQubits() {
        // X on qubit 1, embedded into [2, 1, 0], is I ⊗ X ⊗ I.
        let id = GateMatrix.identity(qubitCount: 1)
        let e = Gates.x.embedded(from: [1], into: [2, 1, 0])
        #expect(e == id.kron(Gates.x).kron(id))
        // CX(control 0, target 2) embedded into [2, 0] is CX with swapped operand order.
        let swapped = Gates.cx.embedded(from: [0, 2], into: [2, 0])
        #expect(swapped == Gates.swap * Gates.cx * Gates.swap)
    }
}
