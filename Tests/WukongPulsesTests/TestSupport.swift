// Shared helpers for the WukongPulses tests: a seeded generator, error measures, error matching.
import Numerics
@testable import WukongPulses

// Random inputs come from WukongNumerics' SeededGenerator, reproducible from the printed seed.
import WukongNumerics

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
