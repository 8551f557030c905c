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
