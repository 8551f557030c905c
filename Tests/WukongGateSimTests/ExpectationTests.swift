// Pauli-string and Pauli-sum expectations against the reference's dense ⟨ψ|P|ψ⟩.
import Numerics
import Testing
import WukongGateSim
import WukongNumerics

@Suite struct ExpectationTests {
    @Test(arguments: [1, 3, 6])
    func pauliExpectationMatchesDenseMatrix(n: Int) {
        for options in threadConfigurations {
            for trial in 0..<12 {
                let seed = UInt64(700 + 20 * n + trial)
                var rng = SeededGenerator(seed: seed)
                let (fast, ref) = randomPair(n, options, &rng)
                let letters = (0..<n).map { _ in Pauli.allCases[Int(rng.next() % 4)].rawValue }
                let p = PauliString(String(letters))!
                let exact = ref.expectation(p)
                #expect(abs(exact.imaginary) < kernelTolerance, "seed \(seed), \(p)")
                #expect(abs(fast.expectation(p) - exact.real) < kernelTolerance,
                        "seed \(seed), \(p), threads \(options.threadCount)")
            }
        }
    }

    @Test func pauliSumIsWeightedSum() {
        var rng = SeededGenerator(seed: 808)
        let (fast, ref) = randomPair(4, .serial, &rng)
        let terms: [(coefficient: Double, pauli: PauliString)] = [
            (0.5, PauliString("ZZII")!), (-1.25, PauliString("XYZI")!), (2, PauliString("IIIY")!),
        ]
        let exact = terms.reduce(0) { $0 + $1.coefficient * ref.expectation($1.pauli).real }
        #expect(abs(fast.expectation(PauliSum(terms)) - exact) < kernelTolerance, "seed 808")
    }

    @Test func closedFormsOnBasisStates() {
        // ⟨1|Z|1⟩ = −1 on qubit 0; ⟨+|X|+⟩ = 1; ⟨+i|Y|+i⟩ = 1 with |+i⟩ = S·H|0⟩.
        let one = StateVector(qubitCount: 2, basisState: 1, options: .serial)
        #expect(one.expectation(PauliString("IZ")!) == -1)
        #expect(one.expectation(PauliString("ZI")!) == 1)
        let plus = StateVector(qubitCount: 1, options: .serial)
        plus.applyOneQubit(Gates.h, on: 0)
        #expect(abs(plus.expectation(PauliString("X")!) - 1) < kernelTolerance)
        plus.applyDiagonal(.one, .i, on: 0)
        #expect(abs(plus.expectation(PauliString("Y")!) - 1) < kernelTolerance)
    }
}

/// The blocked Pauli-sum evaluation (`PauliSumBlockPlan`) against the term-by-term sum and the
/// dense reference: random sums whose terms reach every case of the plan and the kernels
/// (diagonal, X mask inside a piece, inside a block, across blocks, with bit 0 only, Y factors
/// of both parities, Z bits 1–2 giving one-pair sign runs), on blocks small enough that a 9-qubit
/// register has 2–64 blocks.
@Suite struct BlockedExpectationTests {
    func randomSum(_ n: Int, terms: Int, _ rng: inout SeededGenerator) -> PauliSum {
        var list: [(coefficient: Double, pauli: PauliString)] = []
        for k in 0..<terms {
            var x = Int(rng.next() % UInt64(1 << n)), z = Int(rng.next() % UInt64(1 << n))
            switch k % 5 {
            case 0: x = 0                    // diagonal
            case 1: x = 1 << Int(rng.next() % UInt64(n)); z = 0  // one X
            case 2: x = 1; z &= 7            // X/Y on qubit 0 only
            default: break
            }
            let c = Double(Int(rng.next() % 2001) - 1000) / 500
            list.append((c, PauliString(xMask: x, zMask: z)))
        }
        return PauliSum(list)
    }

    @Test(arguments: [3, 4, 6, 8])
    func blockedSumMatchesTermwiseAndReference(blockBits: Int) {
        let n = 9
        for options in threadConfigurations {
            for trial in 0..<4 {
                let seed = UInt64(9100 + 10 * blockBits + trial)
                var rng = SeededGenerator(seed: seed)
                let (fast, ref) = randomPair(n, options, &rng)
                let sum = randomSum(n, terms: 30, &rng)
                let exact = sum.terms.reduce(0) { $0 + $1.coefficient * ref.expectation($1.pauli).real }
                let termwise = fast.termwiseExpectation(sum)
                let blocked = fast.blockedExpectation(sum, blockBits: blockBits)
                #expect(abs(termwise - exact) < 1e-12, "seed \(seed)")
                #expect(abs(blocked - exact) < 1e-12, "seed \(seed), blocks 2^\(blockBits), threads \(options.threadCount)")
                let single = StateVectorSingle(amplitudes: fast.amplitudes, options: options)
                let blockedSingle = single.blockedExpectation(sum, blockBits: blockBits)
                // Float amplitudes (ε ≈ 6e-8) in 30 terms with |c| ≤ 2: a few 1e-7; a wrong pair
                // or sign moves the sum by a term's ⟨P⟩, O(2^{−n/2}) ≈ 0.04 on this random state.
                #expect(abs(blockedSingle - exact) < 1e-4, "float, seed \(seed), blocks 2^\(blockBits)")
                #expect(abs(blockedSingle - single.termwiseExpectation(sum)) < 1e-5, "float, seed \(seed)")
            }
        }
    }

    @Test func ansatzObservableOnALargeRegisterTakesTheBlockedPath() {
        // 16 qubits > the 2^14-amplitude blocks: the public entry point plans blocks.
        var rng = SeededGenerator(seed: 9200)
        let n = 16
        let state = StateVector(amplitudes: randomAmplitudes(n, &rng), options: .serial)
        let h = GateBenchmarks.ansatzObservable(qubits: n)
        let blocked = state.expectation(h), termwise = state.termwiseExpectation(h)
        #expect(abs(blocked - termwise) < 1e-12)
        #expect(abs(blocked) > 1e-6, "a random state has a nonzero ⟨H⟩ (the check is not vacuous)")
        let single = StateVectorSingle(amplitudes: state.amplitudes, options: .serial)
        #expect(abs(single.expectation(h) - termwise) < 1e-5)
    }
}
