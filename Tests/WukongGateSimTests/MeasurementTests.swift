// Sampling, collapse and reset: shot frequencies pass a chi-squared test against the exact
// probabilities, collapse renormalises and matches the reference, reset leaves |0⟩.
import Numerics
import Testing
import WukongGateSim
import WukongNumerics

/// Upper critical value of χ² with `df` degrees of freedom at tail probability p = 0.001, by the
/// Wilson–Hilferty approximation `df·(1 − 2/(9df) + z·√(2/(9df)))³` with z = Φ⁻¹(0.999) =
/// 3.0902. For df = 15 it gives 37.8 against the tabulated 37.70 (accurate to about 1%).
func chiSquaredCritical001(df: Int) -> Double {
    let d = Double(df), z = 3.090_232
    let h = 2 / (9 * d)
    let t = 1 - h + z * h.squareRoot()
    return d * t * t * t
}

@Suite struct MeasurementTests {
    @Test(arguments: [UInt64(11), 12, 13])
    func samplingPassesChiSquared(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let n = 5
        let s = StateVector(amplitudes: randomAmplitudes(n, &rng), options: .serial)
        s.applyDiagonal(.one, .one, on: 0)  // leaves the state; keeps the test about sampling
        let shots = 50_000
        let samples = s.sample(shots: shots, seed: seed)
        var observed = [Int](repeating: 0, count: s.count)
        for i in samples { observed[i] += 1 }
        let probs = s.probabilities()
        var chi2 = 0.0, bins = 0
        for i in 0..<s.count where probs[i] * Double(shots) >= 5 {
            let e = probs[i] * Double(shots)
            chi2 += (Double(observed[i]) - e) * (Double(observed[i]) - e) / e
            bins += 1
        }
        let critical = chiSquaredCritical001(df: bins - 1)
        #expect(chi2 < critical, "seed \(seed): χ² = \(chi2) over \(bins) bins, critical \(critical)")
        #expect(samples == s.sample(shots: shots, seed: seed), "sampling must be reproducible")
    }

    @Test func samplingNeverReturnsZeroProbabilityStates() {
        // GHZ on 4 qubits: only 0000 and 1111.
        let s = StateVector(qubitCount: 4, options: .serial)
        s.applyOneQubit(Gates.h, on: 0)
        for t in 1..<4 { s.applyControlled(Gates.x, controls: [0], target: t) }
        let counts = s.sampleCounts(shots: 2000, seed: 5)
        #expect(Set(counts.keys) == ["0000", "1111"])
    }

    @Test func collapseRenormalisesAndMatchesReference() {
        for options in threadConfigurations {
            for q in 0..<5 {
                for outcome in 0...1 {
                    let seed = UInt64(300 + 2 * q + outcome)
                    var rng = SeededGenerator(seed: seed)
                    var (fast, ref) = randomPair(5, options, &rng)
                    let p1 = fast.probabilityOfOne(q)
                    #expect(abs(p1 - ref.probabilityOfOne(q)) < kernelTolerance, "seed \(seed)")
                    let p = fast.collapse(q, to: outcome)
                    ref.collapse(q, to: outcome)
                    #expect(abs(p - (outcome == 1 ? p1 : 1 - p1)) < kernelTolerance, "seed \(seed)")
                    #expect(abs(fast.normSquared - 1) < normTolerance, "seed \(seed)")
                    #expect(abs(fast.probabilityOfOne(q) - Double(outcome)) < normTolerance, "seed \(seed)")
                    #expect(maxDistance(fast, ref) < kernelTolerance, "seed \(seed), threads \(options.threadCount)")
                }
            }
        }
    }

    @Test func midCircuitMeasurementFollowsBornRule() {
        // |+⟩ on qubit 0: over many trajectories the outcome frequency is 1/2 within 4σ.
        var rng = SeededGenerator(seed: 21)
        var ones = 0
        let trials = 4000
        for _ in 0..<trials {
            let s = StateVector(qubitCount: 2, options: .serial)
            s.applyOneQubit(Gates.h, on: 0)
            s.applyControlled(Gates.x, controls: [0], target: 1)
            let m = s.measure(0, using: &rng)
            ones += m
            // Bell state: the other qubit is now determined.
            #expect(s.probabilityOfOne(1) == Double(m))
        }
        let sigma = (0.25 / Double(trials)).squareRoot()
        #expect(abs(Double(ones) / Double(trials) - 0.5) < 4 * sigma, "seed 21")
    }

    @Test func resetLeavesQubitInZero() {
        var rng = SeededGenerator(seed: 31)
        for _ in 0..<20 {
            let (s, _) = randomPair(4, .serial, &rng)
            s.reset(2, using: &rng)
            #expect(s.probabilityOfOne(2) == 0)
            #expect(abs(s.normSquared - 1) < normTolerance)
        }
    }
}
