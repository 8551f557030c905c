// Diagonal gates as one linear sweep: amplitude i is multiplied by d[b(i)], b(i) the target bits of
// i. When every target sits at position ≥ 1, amplitudes 2p and 2p+1 share the coefficient, and runs
// of 2^(lowest target − 1) neighbouring pairs share it too, so the state is streamed in order, two
// amplitudes per SIMD4 multiply, one coefficient lookup per run; runs whose coefficient is exactly 1
// (the untouched part of a phase or controlled-phase gate) are skipped without being read. The
// per-block kernels (`applyDiagonal`, `applyDiagonalTwoQubit`, `applyDiagonalMultiQubit`) remain for
// targets at position 0, and they and ReferenceStateVector are what the tests compare against.
import Numerics

extension StateVector {
    /// ψᵢ ← d[b(i)]·ψᵢ for targets all at positions ≥ 1 (`qubits[0]` = most significant bit of b).
    /// - Complexity: O(2ⁿ) complex multiplies at most, in one in-order pass; coefficient-1 runs skipped.
    func applyDiagonalStreaming(_ diagonal: [Complex<Double>], on qubits: [Int]) {
        let k = qubits.count
        precondition(diagonal.count == 1 << k && qubits.min()! >= 1, "streaming diagonal: targets at positions ≥ 1")
        let lowest = qubits.min()!
        let runPairs = 1 << (lowest - 1)             // pairs per run of constant coefficient
        let runs = count >> lowest
        let coefficients = diagonal.map(WideComplex.init)
        let identity = diagonal.map { $0 == .one }
        // Bit j of b (from the most significant) is bit qubits[j] of the run's first index.
        let shifts = qubits.map { $0 - lowest }       // positions within the run index
        let p = SendablePointer(base: data)
        parallelChunks(count: runs, threads: threads) { start, end in
            let s = UnsafeMutableRawPointer(p.base)
            coefficients.withUnsafeBufferPointer { c in
            identity.withUnsafeBufferPointer { one in
            shifts.withUnsafeBufferPointer { sh in
                for r in start..<end {
                    var b = 0
                    for j in 0..<k { b = (b << 1) | ((r >> sh[j]) & 1) }
                    if one[b] { continue }
                    let w = c[b]
                    let first = r << lowest               // amplitude index of the run's start
                    for q in 0..<runPairs {
                        let a = first + 2 * q
                        let x = loadPair(s, a)
                        storePair(s, a, w.times(x, swapPairs(x)))
                    }
                }
            }}}
        }
    }
}
