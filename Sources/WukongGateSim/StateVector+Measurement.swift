// Measurement: marginal probabilities, exact sampling of many shots from one final state,
// mid-circuit measurement with collapse and renormalisation, and reset.
import Numerics
import WukongNumerics

extension StateVector {
    /// Probability that `qubit` reads 1, `Σ_{i: bit q = 1} |ψᵢ|²` (unnormalised states give the
    /// unnormalised weight).
    ///
    /// Reference: `ReferenceStateVector.probabilityOfOne(_:)`.
    /// - Complexity: O(2ⁿ⁻¹) reads, threaded.
    public func probabilityOfOne(_ qubit: Int) -> Double {
        checkQubit(qubit)
        let p = SendablePointer(base: data)
        let stride = 1 << qubit
        return parallelSum(count: count >> 1, threads: threads) { lo, hi in
            let s = p.base
            var acc = 0.0
            for k in lo..<hi {
                let j = 2 * (insertZeroBit(k, at: qubit) + stride)
                acc += s[j] * s[j] + s[j + 1] * s[j + 1]
            }
            return (acc, 0)
        }.0
    }

    /// Draws `shots` basis indices independently from `|ψᵢ|² / ‖ψ‖²` without changing the state.
    ///
    /// Exact inverse-CDF sampling: sort `shots` uniforms, walk the amplitudes once accumulating
    /// probability, then shuffle so that the returned sequence is i.i.d. No 2ⁿ-sized array is
    /// allocated.
    /// - Complexity: O(2ⁿ + shots·log shots).
    public func sample<R: RandomNumberGenerator>(shots: Int, using rng: inout R) -> [Int] {
        let d = data
        return inverseCDFSample(shots: shots, count: count, total: normSquared, using: &rng) { i in
            d[2 * i] * d[2 * i] + d[2 * i + 1] * d[2 * i + 1]
        }
    }

    /// Draws `shots` shots with a seeded `SeededGenerator`; the same seed gives the same shots.
    /// - Complexity: O(2ⁿ + shots·log shots).
    public func sample(shots: Int, seed: UInt64) -> [Int] {
        var rng = SeededGenerator(seed: seed)
        return sample(shots: shots, using: &rng)
    }

    /// Counts of each measured bitstring (qubit 0 rightmost) over `shots` seeded shots.
    /// - Complexity: O(2ⁿ + shots·(log shots + n)).
    public func sampleCounts(shots: Int, seed: UInt64) -> [String: Int] {
        var counts = [Int: Int]()
        for s in sample(shots: shots, seed: seed) { counts[s, default: 0] += 1 }
        var out = [String: Int]()
        for (k, v) in counts { out[Self.bitstring(k, qubitCount: qubitCount)] = v }
        return out
    }

    /// Projects `qubit` onto `outcome` (0 or 1) and renormalises: amplitudes with the other bit
    /// value become 0, the rest are divided by √p. Returns p, the outcome's probability, which
    /// must be positive.
    ///
    /// Reference: `ReferenceStateVector.collapse(_:to:)`.
    /// - Complexity: O(2ⁿ), threaded.
    @discardableResult
    public func collapse(_ qubit: Int, to outcome: Int) -> Double {
        precondition(outcome == 0 || outcome == 1, "outcome must be 0 or 1")
        let total = normSquared
        let p1 = probabilityOfOne(qubit)
        let prob = (outcome == 1 ? p1 : total - p1) / total
        precondition(prob > 0, "outcome \(outcome) on qubit \(qubit) has probability 0")
        let keepScale = 1 / (prob * total).squareRoot()
        let p = SendablePointer(base: data)
        let stride = 1 << qubit
        let keepOffset = outcome == 1 ? 2 * stride : 0
        let dropOffset = 2 * stride - keepOffset
        parallelChunks(count: count >> 1, threads: threads) { lo, hi in
            let s = p.base
            for k in lo..<hi {
                let i = 2 * insertZeroBit(k, at: qubit)
                s[i + keepOffset] *= keepScale
                s[i + keepOffset + 1] *= keepScale
                s[i + dropOffset] = 0
                s[i + dropOffset + 1] = 0
            }
        }
        return prob
    }

    /// Measures `qubit` in the computational basis: draws the outcome from its probability,
    /// collapses the state onto it, and returns it (0 or 1).
    /// - Complexity: O(2ⁿ).
    public func measure<R: RandomNumberGenerator>(_ qubit: Int, using rng: inout R) -> Int {
        let p1 = probabilityOfOne(qubit) / normSquared
        let outcome = Double.random(in: 0..<1, using: &rng) < p1 ? 1 : 0
        collapse(qubit, to: outcome)
        return outcome
    }

    /// Resets `qubit` to |0⟩: measures it and, on outcome 1, flips it back with X. On one
    /// trajectory this is the reset channel; returns the measured outcome.
    /// - Complexity: O(2ⁿ).
    @discardableResult
    public func reset<R: RandomNumberGenerator>(_ qubit: Int, using rng: inout R) -> Int {
        let outcome = measure(qubit, using: &rng)
        if outcome == 1 { applyX(on: qubit) }
        return outcome
    }
}

/// Exact inverse-CDF sampling of `shots` indices of 0..<count with weights `probability(i)` summing
/// to `total`: sort `shots` uniforms, walk the weights once accumulating, then shuffle so the sequence
/// is i.i.d. Shared by the double and single precision state vectors.
/// - Complexity: O(count + shots·log shots).
func inverseCDFSample<R: RandomNumberGenerator>(shots: Int, count: Int, total: Double, using rng: inout R,
                                                probability: (Int) -> Double) -> [Int] {
    precondition(shots >= 0, "shots must be non-negative")
    precondition(total > 0, "cannot sample from the zero vector")
    var targets = (0..<shots).map { _ in Double.random(in: 0..<1, using: &rng) * total }
    targets.sort()
    var out = [Int]()
    out.reserveCapacity(shots)
    var i = 0, lastNonzero = -1
    var cumulative = 0.0
    for u in targets {
        // Advance until the cumulative probability passes u; zero-probability states are never
        // chosen because they add nothing to the cumulative sum.
        while i < count && cumulative <= u {
            let p = probability(i)
            cumulative += p
            if p > 0 { lastNonzero = i }
            i += 1
        }
        // Rounding can leave u just above the final cumulative sum: take the last state seen with
        // non-zero probability.
        out.append(lastNonzero)
    }
    out.shuffle(using: &rng)
    return out
}
