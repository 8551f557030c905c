// Seeded, reproducible random numbers: xoshiro256** seeded through SplitMix64, plus the
import RealModule
// distributions the device generator needs (uniform, normal, clipped normal, lognormal).
import RealModule

/// xoshiro256** (Blackman & Vigna 2018), a fast 64-bit generator with 2^256 − 1 period.
/// Every stochastic result in the project takes a seed and is reproducible from it.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Expands one 64-bit seed into the 256-bit state with SplitMix64, as the authors recommend.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A standard normal variate by the Box–Muller transform (one of the pair is used,
    /// which keeps the stream position independent of caching).
    public mutating func standardNormal() -> Double {
        var u1 = uniform()
        while u1 <= 0 { u1 = uniform() }
        let u2 = uniform()
        return (-2 * Double.log(u1)).squareRoot() * Double.cos(2 * Double.pi * u2)
    }

    /// A normal variate with the given mean and standard deviation.
    public mutating func normal(mean: Double, sd: Double) -> Double { mean + sd * standardNormal() }

    /// A lognormal variate whose *mean* (not median) is `mean`, with log-space spread `sigmaLn`:
    /// X = exp(μ + σZ) with μ = ln(mean) − σ²/2, so E[X] = mean.
    public mutating func lognormal(mean: Double, sigmaLn: Double) -> Double {
        let mu = Double.log(mean) - sigmaLn * sigmaLn / 2
        return Double.exp(mu + sigmaLn * standardNormal())
    }
}





