// Tests of WukongFFT: the FFTW wrappers against the naive DFT, Parseval, round trips,
// and concurrent use of shared plans.
import Numerics
import Testing
@testable import WukongFFT
import WukongNumerics

func randomSignal(count: Int, seed: UInt64) -> [Complex<Double>] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        Complex(Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng))
    }
}

func maxDifference(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    precondition(a.count == b.count)
    var worst = 0.0
    for i in a.indices {
        let d: Complex<Double> = a[i] - b[i]
        worst = max(worst, d.length)
    }
    return worst
}

/// Rounding bound for length-N transforms of O(1) data: FFT error grows like ε·log N·√N·|x|,
/// the naive DFT's like ε·N·|x|; for N ≤ 100, 1e-11 leaves a wide margin over both (ε ≈ 2e-16).
let transformTolerance = 1e-11

@Test(arguments: [1, 2, 7, 16, 60, 97])
func fftAgreesWithNaiveDFT(count: Int) {
    let seed: UInt64 = 0xF00D + UInt64(count)
    let x = randomSignal(count: count, seed: seed)
    let fast = fft(x)
    let slow = naiveDFT(x)
    #expect(maxDifference(fast, slow) < transformTolerance, "seed \(seed)")
    let fastBack = FFTPlan.shared(length: count, direction: .backward).execute(x)
    #expect(maxDifference(fastBack, naiveDFT(x, direction: .backward)) < transformTolerance, "seed \(seed)")
}

@Test(arguments: [8, 45, 64])
func ifftInvertsFFT(count: Int) {
    let seed: UInt64 = 42 + UInt64(count)
    let x = randomSignal(count: count, seed: seed)
    #expect(maxDifference(ifft(fft(x)), x) < 1e-13, "seed \(seed)")
}

@Test(arguments: [16, 50, 128])
func fftConservesEnergy(count: Int) {
    let seed: UInt64 = 7 * UInt64(count)
    let x = randomSignal(count: count, seed: seed)
    let timeEnergy = x.reduce(0.0) { $0 + $1.lengthSquared }
    let frequencyEnergy = fft(x).reduce(0.0) { $0 + $1.lengthSquared } / Double(count)
    // Parseval: Σ|X|² = N·Σ|x|²; relative error is a few ulps per butterfly stage.
    #expect(abs(frequencyEnergy - timeEnergy) / timeEnergy < 1e-10, "seed \(seed)")
}

@Test func fftOfEmptyIsEmpty() {
    #expect(fft([]).isEmpty)
    #expect(ifft([]).isEmpty)
}

@Test func sharedPlansAreCachedAndReused() {
    let a = FFTPlan.shared(length: 33, direction: .forward)
    let b = FFTPlan.shared(length: 33, direction: .forward)
    #expect(a === b)
    #expect(a !== FFTPlan.shared(length: 33, direction: .backward))
}

@Test func concurrentPlanningAndExecutionAgree() async {
    // Private plans are made and destroyed in parallel (planner lock) and executed in parallel.
    let x = randomSignal(count: 40, seed: 99)
    let expected = naiveDFT(x)
    let worst = await withTaskGroup(of: Double.self) { group in
        for _ in 0..<8 {
            group.addTask {
                let plan = FFTPlan(length: 40, direction: .forward)
                return maxDifference(plan.execute(x), expected)
            }
        }
        var worst = 0.0
        for await d in group { worst = max(worst, d) }
        return worst
    }
    #expect(worst < transformTolerance)
}

@Test func frequenciesFollowFFTOrder() {
    #expect(fftFrequenciesGHz(count: 4, sampleRateGHz: 2) == [0, 0.5, -1, -0.5])
    #expect(fftFrequenciesGHz(count: 5, sampleRateGHz: 5) == [0, 1, 2, -2, -1])
}
