// The complex Jacobi SVD (reconstruction, orthonormality, known singular values) and the matrix-product-
// state simulator against the dense state vector and its reference (random circuits with adjacent,
// non-adjacent and non-unitary 2-qubit blocks), GHZ bond dimension, truncation bookkeeping, sampling.
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

/// SVD agreement: entries are O(1) sums of ≤ 64 products, Jacobi's backward error is ~n·ε·‖A‖;
/// 1e-12 relative leaves a wide margin over the ~1e-14 expected.
let svdTolerance = 1e-12

/// MPS vs state vector: each 2-site update is an SVD with backward error ~1e-14 and the default cutoff
/// drops ≤ 1e-20 relative weight (amplitude error ≤ 1e-10 per cut, ~1e-16 in practice); with ≤ 60
/// gates and their SWAP moves the accumulated roundoff stays ~1e-12, under the brief's 1e-10.
let mpsTolerance = 1e-10

func maxAbsDifference(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    zip(a, b).reduce(0) { max($0, ($1.0 - $1.1).length) }
}

@Suite struct ComplexSVDTests {
    /// U·Σ·V† = A, U†U = I, V†V = I, σ decreasing, for square, tall, wide and rank-deficient shapes.
    @Test(arguments: [(1, 1), (4, 4), (8, 3), (3, 8), (16, 16), (2, 12), (32, 8)])
    func svdReconstructsWithOrthonormalFactors(shape: (Int, Int)) {
        var rng = SeededGenerator(seed: UInt64(100 * shape.0 + shape.1))
        let (m, n) = shape
        let a = (0..<(m * n)).map { _ in complexGaussian(&rng) }
        let svd = ComplexSVD(a, rows: m, columns: n)
        let scale = a.reduce(0) { max($0, $1.length) }
        #expect(maxAbsDifference(svd.reconstructed(), a) < svdTolerance * scale * Double(max(m, n)))
        #expect(svd.rank == min(m, n))
        #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
        for (f, rows) in [(svd.u, m), (svd.v, n)] {
            let r = svd.rank
            for i in 0..<r {
                for j in 0..<r {
                    var dot = Complex<Double>.zero
                    for k in 0..<rows { dot = dot + f[k * r + i].conjugate * f[k * r + j] }
                    #expect((dot - (i == j ? .one : .zero)).length < svdTolerance, "factor column \(i)·\(j) of \(m)x\(n)")
                }
            }
        }
    }

    /// The one-sided Jacobi singular values equal the reference's (√ eigenvalues of A†A by real cyclic
    /// Jacobi). Squaring costs the reference half its relative precision, so the bound is absolute:
    /// 1e-10·σ_max (≈ √ε·σ_max would be the worst case for the tiniest values; these are all O(1)).
    @Test(arguments: [(3, 3), (6, 4), (4, 6), (10, 10), (1, 5)])
    func svdMatchesTheReferenceSingularValues(shape: (Int, Int)) {
        var rng = SeededGenerator(seed: UInt64(31 * shape.0 + shape.1))
        let (m, n) = shape
        let a = (0..<(m * n)).map { _ in complexGaussian(&rng) }
        let fast = ComplexSVD(a, rows: m, columns: n).singularValues
        let reference = ComplexSVD.referenceSingularValues(a, rows: m, columns: n)
        #expect(fast.count == reference.count)
        for (x, y) in zip(fast, reference) { #expect(abs(x - y) < 1e-10 * reference[0], "\(m)x\(n): \(x) vs \(y)") }
    }

    /// A = Q₁·diag(σ)·Q₂† with random unitaries and chosen σ (spanning 1e-6…10, plus exact zeros):
    /// the decomposition returns exactly those σ (high relative accuracy) and the rank without the zeros.
    @Test func svdRecoversKnownSingularValues() {
        var rng = SeededGenerator(seed: 5)
        let m = 12, n = 9
        let sigma: [Double] = [10, 3, 1, 0.5, 1e-2, 1e-4, 1e-6]  // rank 7 < 9
        // Orthonormal columns: Gram–Schmidt on Gaussian vectors (m × 7 and n × 7).
        let u = GateMatrix.orthonormalizingRectangular(columns: sigma.map { _ in (0..<m).map { _ in complexGaussian(&rng) } })
        let v = GateMatrix.orthonormalizingRectangular(columns: sigma.map { _ in (0..<n).map { _ in complexGaussian(&rng) } })
        var a = [Complex<Double>](repeating: .zero, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var acc = Complex<Double>.zero
                for (k, s) in sigma.enumerated() { acc = acc + u[i][k] * v[j][k].conjugate.multiplied(by: s) }
                a[i * n + j] = acc
            }
        }
        let svd = ComplexSVD(a, rows: m, columns: n, rankTolerance: 1e-12)
        #expect(svd.rank == sigma.count)
        for (got, want) in zip(svd.singularValues, sigma) {
            #expect(abs(got - want) <= 1e-12 * sigma[0], "σ = \(want): got \(got)")
        }
    }
}

extension GateMatrix {
    /// Gram–Schmidt on `columns` (each of length m ≥ count): an m × count matrix with orthonormal columns,
    /// as rows. Test helper for rectangular bases.
    static func orthonormalizingRectangular(columns: [[Complex<Double>]]) -> [[Complex<Double>]] {
        var q: [[Complex<Double>]] = []
        for var c in columns {
            for p in q {
                let d = zip(p, c).reduce(Complex<Double>.zero) { $0 + $1.0.conjugate * $1.1 }
                c = zip(c, p).map { $0 - d * $1 }
            }
            let norm = c.reduce(0) { $0 + $1.lengthSquared }.squareRoot()
            q.append(c.map { $0.divided(by: norm) })
        }
        let m = columns[0].count
        return (0..<m).map { i in q.map { $0[i] } }
    }
}

@Suite struct MatrixProductStateTests {
    /// One random step: a 1-qubit unitary, a 2-qubit unitary on any pair (adjacent or not, either operand
    /// order), or a non-unitary 2-qubit block (a leaky channel: 0.95 × a unitary plus noise) followed by
    /// renormalization.
    enum Step { case gate(GateMatrix, [Int]), normalize }

    static func randomSteps(qubits n: Int, count: Int, seed: UInt64) -> [Step] {
        var rng = SeededGenerator(seed: seed)
        var steps: [Step] = []
        for _ in 0..<count {
            let kind = n == 1 ? 0 : Int(rng.next() % 3)
            if kind == 0 {
                steps.append(.gate(randomUnitary(1, &rng), [Int(rng.next() % UInt64(n))]))
                continue
            }
            let a = Int(rng.next() % UInt64(n))
            var b = Int(rng.next() % UInt64(n - 1))
            if b >= a { b += 1 }
            if kind == 1 {
                steps.append(.gate(randomUnitary(2, &rng), [a, b]))
            } else {
                let u = randomUnitary(2, &rng)
                let leaky = GateMatrix(u.elements.map { $0.multiplied(by: 0.95) + complexGaussian(&rng).multiplied(by: 0.02) })
                steps.append(.gate(leaky, [a, b]))
                steps.append(.normalize)
            }
        }
        return steps
    }

    /// Amplitudes of the MPS equal the state vector's and the reference's to 1e-10 on random circuits of
    /// 1–10 qubits with adjacent, non-adjacent and non-unitary blocks, no truncation beyond roundoff.
    @Test(arguments: Array(1...10))
    func mpsMatchesStateVectorOnRandomCircuits(qubits n: Int) {
        let seed = UInt64(700 + n)
        let steps = Self.randomSteps(qubits: n, count: 6 * n, seed: seed)
        let mps = MatrixProductState(qubitCount: n)
        let sv = StateVector(qubitCount: n)
        var reference = ReferenceStateVector(qubitCount: n)
        for step in steps {
            switch step {
            case let .gate(m, q):
                mps.apply(m, on: q)
                sv.apply(m, on: q)
                reference.apply(m, on: q)
            case .normalize:
                mps.normalize()
                sv.normalize()
                let norm = reference.amplitudes.reduce(0) { $0 + $1.lengthSquared }.squareRoot()
                reference = ReferenceStateVector(amplitudes: reference.amplitudes.map { $0.divided(by: norm) })
            }
        }
        let dense = mps.amplitudes()
        #expect(maxAbsDifference(dense, sv.amplitudes) < mpsTolerance, "seed \(seed)")
        #expect(maxAbsDifference(dense, reference.amplitudes) < mpsTolerance, "seed \(seed)")
        #expect(mps.discardedWeight < 1e-18, "seed \(seed): only roundoff may be dropped")
        // Single amplitudes and marginals without the dense vector.
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<5 {
            let index = Int(rng.next() % UInt64(1 << n))
            #expect((mps.amplitude(of: BasisBits(index: index)) - sv.amplitudes[index]).length < mpsTolerance)
        }
        for q in 0..<n {
            #expect(abs(mps.probabilityOfOne(q) - sv.probabilityOfOne(q)) < mpsTolerance, "seed \(seed), qubit \(q)")
        }
    }

    /// H then a CX chain: GHZ-n has Schmidt rank 2 across every cut, so χ = 2 everywhere, nothing is
    /// discarded, and the amplitudes of 0…0 and 1…1 are 1/√2 — at 60 qubits, far beyond a state vector.
    @Test func ghzKeepsBondDimensionTwo() {
        let n = 60
        let mps = MatrixProductState(qubitCount: n)
        mps.apply(StandardGate.h.matrix(), on: [0])
        for q in 0..<(n - 1) { mps.apply(StandardGate.cx.matrix(), on: [q, q + 1]) }
        #expect(mps.maxBond == 2)
        #expect(mps.discardedWeight < 1e-20)
        var ones = BasisBits(qubitCount: n)
        for q in 0..<n { ones[q] = true }
        let h = 1 / 2.0.squareRoot()
        #expect((mps.amplitude(of: BasisBits(qubitCount: n)) - Complex(h, 0)).length < 1e-12)
        #expect((mps.amplitude(of: ones) - Complex(h, 0)).length < 1e-12)
        var rng = SeededGenerator(seed: 3)
        let shots = mps.sample(shots: 200, using: &rng)
        #expect(shots.allSatisfy { $0 == BasisBits(qubitCount: n) || $0 == ones })
    }

    /// With χ capped, the discarded weight is positive and bounds the error: each truncation (weight εᵢ,
    /// renormalized) moves the unit state by ≤ √(2εᵢ), unitaries keep distances, so
    /// ‖ψ_exact − ψ_mps‖ ≤ Σ√(2εᵢ) ≤ √(2·N·Σεᵢ) (Cauchy–Schwarz over the N truncations).
    @Test func truncationErrorIsReportedAndBoundsTheError() {
        let n = 10
        let steps = Self.randomSteps(qubits: n, count: 60, seed: 99).filter {
            if case let .gate(m, _) = $0 { return m.isUnitary(tolerance: 1e-10) } else { return false }
        }
        let capped = MatrixProductState(qubitCount: n, options: MPSOptions(maxBondDimension: 4))
        let sv = StateVector(qubitCount: n)
        for case let .gate(m, q) in steps {
            capped.apply(m, on: q)
            sv.apply(m, on: q)
        }
        #expect(capped.maxBond <= 4)
        #expect(capped.discardedWeight > 1e-6)
        #expect(capped.truncationCount > 0)
        let error = zip(capped.amplitudes(), sv.amplitudes).reduce(0) { $0 + ($1.0 - $1.1).lengthSquared }.squareRoot()
        let bound = (2 * Double(capped.truncationCount) * capped.discardedWeight).squareRoot()
        #expect(error > 0.01, "a χ = 4 cap on a random 10-qubit circuit must change the state")
        #expect(error <= bound + 1e-10, "error \(error), bound \(bound)")
    }

    /// Sequential conditional sampling follows |ψ|²: Pearson χ² of 40 000 shots of a random 4-qubit
    /// state (built with non-adjacent gates) against the exact probabilities, 15 degrees of freedom;
    /// 56.5 is the 1 − 1e-6 quantile, so a correct sampler fails with probability 1e-6.
    @Test func samplingPassesChiSquared() {
        let n = 4
        let mps = MatrixProductState(qubitCount: n)
        for case let .gate(m, q) in Self.randomSteps(qubits: n, count: 20, seed: 17) {
            mps.apply(m, on: q)
        }
        mps.normalize()
        let p = mps.probabilities()
        var rng = SeededGenerator(seed: 2024)
        let shots = 40_000
        var counts = [Int](repeating: 0, count: 1 << n)
        for s in mps.sample(shots: shots, using: &rng) { counts[Int(s.words[0])] += 1 }
        let chi2 = (0..<(1 << n)).reduce(0.0) { acc, i in
            let e = p[i] * Double(shots)
            return acc + (Double(counts[i]) - e) * (Double(counts[i]) - e) / e
        }
        #expect(chi2 < 56.5, "chi2 = \(chi2)")
    }

    /// `BasisBits` holds more than 64 qubits and matches an index's bits below 64.
    @Test func basisBitsHoldWideRegisters() {
        var b = BasisBits(qubitCount: 72)
        b[71] = true
        b[3] = true
        #expect(b.words == [8, 1 << 7])
        #expect(b[71] && b[3] && !b[70])
        #expect(BasisBits(index: 0b1010)[1] && !BasisBits(index: 0b1010)[2])
    }
}
