// Tests of the seeded generator's distributions and of bisection.
import Testing
import WukongNumerics

@Test func sameSeedGivesSameStream() {
    var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42), c = SeededGenerator(seed: 43)
    let xa = (0..<10).map { _ in a.next() }
    #expect(xa == (0..<10).map { _ in b.next() })
    #expect(xa != (0..<10).map { _ in c.next() })
}

/// With n = 200 000 draws the standard error of the mean is σ/√n ≈ 0.0022σ; 5 standard errors
/// (≈ 0.011σ) bounds a false failure at ~6e-7.
@Test func normalAndLognormalMomentsMatch() {
    var g = SeededGenerator(seed: 7)
    let n = 200_000
    let xs = (0..<n).map { _ in g.normal(mean: 4.35, sd: 0.1) }
    let mean = xs.reduce(0, +) / Double(n)
    let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
    #expect(abs(mean - 4.35) < 5 * 0.1 / Double(n).squareRoot())
    #expect(abs(variance.squareRoot() - 0.1) < 0.002)
    let ys = (0..<n).map { _ in g.lognormal(mean: 20.8, sigmaLn: 0.35) }
    let ymean = ys.reduce(0, +) / Double(n)
    // sd of a lognormal with mean m: m·sqrt(exp(σ²) − 1) ≈ 7.5; 5 standard errors ≈ 0.084.
    #expect(abs(ymean - 20.8) < 0.09)
    #expect(ys.allSatisfy { $0 > 0 })
}

@Test func uniformStaysInUnitInterval() {
    var g = SeededGenerator(seed: 1)
    let xs = (0..<10_000).map { _ in g.uniform() }
    #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
}

@Test func bisectionFindsSquareRootOfTwo() throws {
    let r = try bisect(lower: 0, upper: 2) { $0 * $0 - 2 }
    #expect(abs(r - 2.0.squareRoot()) < 1e-11)
    #expect(throws: RootFindingError.self) { try bisect(lower: 2, upper: 3) { $0 * $0 - 2 } }
}
