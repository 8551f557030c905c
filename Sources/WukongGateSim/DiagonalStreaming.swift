// Diagonal gates as one linear sweep: amplitude i is multiplied by d[b(i)], b(i) the target bits of
// i. Amplitudes 2p and 2p+1 form one SIMD4 (two complex numbers); their coefficients differ only in
// the bit of qubit 0, so a pair takes one of 2^(targets other than 0) "pair coefficients", and runs
// of neighbouring pairs below the lowest other target share it. The state is streamed in order with
// one table lookup per run, and runs whose pair coefficient is exactly (1, 1) — the untouched part of
// a phase or controlled-phase gate — are skipped without being read. ReferenceStateVector is what
// the tests compare against (every position, phases, controlled phases, 1 and 2 threads).
import Numerics

extension WideComplex {
    /// Lanes (re₀, im₀, re₁, im₁) multiplied by a (first amplitude) and b (second).
    init(pair a: Complex<Double>, _ b: Complex<Double>) {
        re = SIMD4(a.real, a.real, b.real, b.real)
        im = SIMD4(-a.imaginary, a.imaginary, -b.imaginary, b.imaginary)
    }
}

extension StateVector {
    /// ψᵢ ← d[b(i)]·ψᵢ (`qubits[0]` = most significant bit of b). Needs n ≥ 1.
    /// - Complexity: O(2ⁿ) complex multiplies at most, in one in-order pass; coefficient-1 runs skipped.
    func applyDiagonalStreaming(_ diagonal: [Complex<Double>], on qubits: [Int]) {
        let k = qubits.count
        precondition(diagonal.count == 1 << k && qubitCount >= 1, "streaming diagonal: 2^k entries, n ≥ 1")
        let others = qubits.filter { $0 != 0 }
        let zeroSlot = qubits.firstIndex(of: 0)        // bit k−1−slot of b is qubit 0's
        // Pair coefficients by the bits of `others` (most significant first).
        let m = others.count
        var table = [WideComplex](), identity = [Bool]()
        for t in 0..<(1 << m) {
            var b = 0, o = 0
            for (j, q) in qubits.enumerated() where q != 0 {
                if (t >> (m - 1 - o)) & 1 == 1 { b |= 1 << (k - 1 - j) }
                o += 1
            }
            let b1 = zeroSlot.map { b | (1 << (k - 1 - $0)) } ?? b
            table.append(WideComplex(pair: diagonal[b], diagonal[b1]))
            identity.append(diagonal[b] == .one && diagonal[b1] == .one)
        }
        // Runs of pairs sharing the pair coefficient: up to the lowest other target, at most 4096.
        let lowest = others.min() ?? qubitCount
        if lowest <= 3, let top = others.max(), top <= 9, top < qubitCount {
            // Short runs, all targets low: the coefficients repeat every 2^top pairs; stream that
            // period's table (≤ 512 pair coefficients, 32 KiB) alongside the state instead.
            return applyDiagonalPeriodic(table, positions: others, periodPairs: 1 << top)
        }
        let runPairs = min(1 << (lowest - 1), 4096, count / 2)
        let runs = count / (2 * runPairs)
        let runShift = (2 * runPairs).trailingZeroBitCount
        let positions = others, coefficients = table, skips = identity
        let p = SendablePointer(base: data)
        parallelChunks(count: runs, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            coefficients.withUnsafeBufferPointer { c in
            skips.withUnsafeBufferPointer { one in
            positions.withUnsafeBufferPointer { pos in
                for r in start..<end {
                    let first = r << runShift             // amplitude index of the run's start
                    var t = 0
                    for q in pos { t = (t << 1) | ((first >> q) & 1) }
                    if one[t] { continue }
                    let w = c[t]
                    for a in stride(from: first, to: first + 2 * runPairs, by: 2) {
                        let x = loadPair(s, a)
                        storePair(s, a, w.times(x, swapPairs(x)))
                    }
                }
            }}}
        }
    }

    /// ψ ← c·ψ with the pair coefficient of pair p equal to table[t(p)], t the bits of amplitude 2p at
    /// `positions` (most significant first), periodic in p with period `periodPairs`.
    private func applyDiagonalPeriodic(_ table: [WideComplex], positions: [Int], periodPairs: Int) {
        let period = periodicCoefficients(table, positions: positions, periodVectors: periodPairs, amplitudesPerVector: 2)
        let blocks = count / (2 * periodPairs)
        let p = SendablePointer(base: data)
        parallelChunks(count: blocks, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            period.withUnsafeBufferPointer { c in
                for b in start..<end {
                    let first = 2 * b * periodPairs
                    for j in 0..<periodPairs {
                        let x = loadPair(s, first + 2 * j)
                        storePair(s, first + 2 * j, c[j].times(x, swapPairs(x)))
                    }
                }
            }
        }
    }
}
