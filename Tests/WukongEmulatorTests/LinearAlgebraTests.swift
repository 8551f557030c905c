// Each fast linear-algebra kernel against a slow, obviously correct reference.
import Numerics
import Testing
import WukongEmulator

/// Rounding bound for O(n) accumulated products of O(1) entries: n·ε·‖·‖ with n ≤ 30, ε = 2.2e-16,
/// entries ≲ 5 → ≈ 3e-14; 1e-12 leaves room without hiding a wrong formula (which errs at O(1)).
private let kernelTolerance = 1e-12

@Test func productMatchesReference() {
    var rng = TestRandom(seed: 11)
    let a = rng.matrix(7), b = rng.matrix(7)
    #expect((a * b).maxAbsDifference(a.referenceProduct(b)) < kernelTolerance)
    let c = ComplexMatrix(rows: 2, cols: 3, re: [1, 2, 3, 4, 5, 6], im: [0, 1, 0, 1, 0, 1])
    #expect((c * c.adjoint).maxAbsDifference(c.referenceProduct(c.adjoint)) < kernelTolerance)
}

@Test func kroneckerOrdersLeftFactorMostSignificant() {
    let a = ComplexMatrix([[Complex(1, 0), Complex(2, 0)], [Complex(0, 1), Complex(3, 0)]])
    let b = ComplexMatrix([[Complex(0, 0), Complex(1, 0)], [Complex(1, 0), Complex(0, -1)]])
    let k = a.kronecker(b)
    for i in 0..<2 { for j in 0..<2 { for p in 0..<2 { for q in 0..<2 {
        let expected: Complex<Double> = a[i, j] * b[p, q]
        #expect((k[2 * i + p, 2 * j + q] - expected).length < kernelTolerance)
    }}}}
    // Mixed-product property (A⊗B)(C⊗D) = AC ⊗ BD.
    var rng = TestRandom(seed: 5)
    let c = rng.matrix(2), d = rng.matrix(2)
    #expect((k * c.kronecker(d)).maxAbsDifference((a * c).kronecker(b * d)) < kernelTolerance)
}

@Test func eigenDecompositionReconstructsHermitianMatrix() {
    var rng = TestRandom(seed: 2024)
    for n in [1, 2, 3, 9, 27] {
        let h = rng.hermitian(n, scale: 3)
        let e = HermitianEigen(h)
        #expect(e.reconstructed.maxAbsDifference(h) < kernelTolerance, "n = \(n), seed 2024")
        let w = e.vectors
        #expect((w.adjoint * w).maxAbsDifference(.identity(n)) < kernelTolerance, "eigenvectors unitary, n = \(n)")
        #expect(zip(e.values, e.values.dropFirst()).allSatisfy { $0 <= $1 }, "ascending")
        // Trace is the sum of eigenvalues.
        #expect(abs(h.trace.real - e.values.reduce(0, +)) < kernelTolerance)
    }
}

@Test func eigenDecompositionHandlesDegenerateSpectrum() {
    // A diagonal matrix with repeated values rotated by a random unitary keeps its spectrum.
    var rng = TestRandom(seed: 77)
    let u = unitaryExponential(rng.hermitian(6), timeNs: 1)
    let d = ComplexMatrix.diagonal([1.0, 1, 1, -2, -2, 5] as [Double])
    let h = u * d * u.adjoint
    let e = HermitianEigen(h)
    for (x, y) in zip(e.values, [-2.0, -2, 1, 1, 1, 5]) { #expect(abs(x - y) < kernelTolerance) }
    #expect(e.reconstructed.maxAbsDifference(h) < kernelTolerance)
}

@Test func unitaryExponentialMatchesTaylorSeries() {
    var rng = TestRandom(seed: 9)
    let h = rng.hermitian(5)
    let minusIHt = h.multiplied(by: Complex(0, -0.7))
    #expect(unitaryExponential(h, timeNs: 0.7).maxAbsDifference(taylorExponential(minusIHt)) < kernelTolerance)
}

@Test func padeExponentialMatchesTaylorSeries() {
    var rng = TestRandom(seed: 31)
    for scale in [0.01, 0.3, 1.5] {
        let a = rng.matrix(6, scale: scale)
        #expect(matrixExponential(a).maxAbsDifference(taylorExponential(a)) < kernelTolerance, "scale \(scale)")
    }
}

@Test func padeExponentialOfLargeNormMatchesEigenRoute() {
    // For −iHt with ‖Ht‖ ≈ 40 the Taylor reference cancels badly; the eigen route is exact, so compare to it.
    var rng = TestRandom(seed: 8)
    let h = rng.hermitian(4, scale: 10)
    let viaPade = matrixExponential(h.multiplied(by: Complex(0, -2)))
    #expect(viaPade.maxAbsDifference(unitaryExponential(h, timeNs: 2)) < 1e-11)
}

@Test func linearSolveRecoversSolution() {
    var rng = TestRandom(seed: 4)
    let a = rng.matrix(8) + ComplexMatrix.identity(8).scaled(by: 3)
    let x = rng.matrix(8)
    #expect(solveLinear(a, a * x).maxAbsDifference(x) < kernelTolerance)
}
