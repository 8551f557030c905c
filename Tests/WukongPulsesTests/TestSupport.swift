// Shared helpers for the WukongPulses tests: a seeded generator, error measures, error matching.
import Numerics
@testable import WukongPulses

/// SplitMix64, so random inputs are reproducible from the printed seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func randomSignal(count: Int, seed: UInt64) -> [Complex<Double>] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        Complex(Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng))
    }
}

func maxDifference(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    precondition(a.count == b.count, "lengths \(a.count) and \(b.count) differ")
    var worst = 0.0
    for i in a.indices {
        let d: Complex<Double> = a[i] - b[i]
        worst = max(worst, d.length)
    }
    return worst
}

func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "lengths \(a.count) and \(b.count) differ")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// The parameter name carried by the `PulseError` that `body` throws, or nil if it does not throw.
func rejectedParameter<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch let error as PulseError {
        if case let .invalidParameter(name, _, _) = error { return name }
        return nil
    } catch {
        return nil
    }
}

/// A complex tone a·e^{2πi·f·t} at the mid-sample times of N samples at fs.
func tone(frequencyGHz: Double, count: Int, sampleRateGHz: Double, amplitude: Double = 0.5) -> [Complex<Double>] {
    sampleTimesNs(count: count, sampleRateGHz: sampleRateGHz).map { t in
        let phi = 2 * Double.pi * frequencyGHz * t
        return Complex(amplitude * .cos(phi), amplitude * .sin(phi))
    }
}
