// Index arithmetic shared by the kernels: inserting zero bits into a loop counter enumerates
// exactly the basis indices whose chosen bits are 0, with no branch per amplitude.

/// Inserts a 0 bit at position `q` of `i`: bits below `q` stay, bits from `q` up shift left.
/// Enumerating `k` over `0..<2^(n−1)` and inserting at `q` visits each index with bit `q` = 0 once.
@inline(__always)
func insertZeroBit(_ i: Int, at q: Int) -> Int {
    let low = i & ((1 << q) - 1)
    return low | ((i ^ low) << 1)
}

/// Calls `body(i)` for every basis index i with bit `q` clear whose pair index
/// k = i with bit q removed lies in `lo..<hi`, in increasing order. For q ≥ 1 the indices come
/// in runs of up to 2^q consecutive values, so the inner loop needs no bit arithmetic and
/// streams memory; for q = 0 they are simply the even numbers 2k.
@inline(__always)
func forEachPairIndex(_ lo: Int, _ hi: Int, bit q: Int, _ body: (Int) -> Void) {
    if q == 0 {
        for k in lo..<hi { body(2 * k) }
        return
    }
    let runMask = (1 << q) - 1
    var k = lo
    while k < hi {
        let end = min(hi, (k | runMask) + 1)
        let start = insertZeroBit(k, at: q)
        for i in start..<(start + end - k) { body(i) }
        k = end
    }
}

/// Precomputed low-bit masks for inserting zero bits at several positions (ascending).
struct ZeroBitInserter: Sendable {
    /// `(1 << p) − 1` for each position p, ascending.
    let lowMasks: [Int]

    /// - Parameter positions: distinct qubit positions, in any order.
    init(positions: [Int]) {
        let sorted = positions.sorted()
        precondition(Set(sorted).count == sorted.count, "qubit positions must be distinct")
        lowMasks = sorted.map { (1 << $0) - 1 }
    }

    /// Inserts a zero at every position, lowest first, so later positions refer to the
    /// already-widened index.
    @inline(__always)
    static func insert(_ i: Int, _ masks: UnsafeBufferPointer<Int>) -> Int {
        var x = i
        for m in masks {
            let low = x & m
            x = low | ((x ^ low) << 1)
        }
        return x
    }
}

extension StateVector {
    /// Checks that `q` names a qubit of this register.
    @inline(__always)
    func checkQubit(_ q: Int) {
        precondition(q >= 0 && q < qubitCount, "qubit \(q) out of range 0..<\(qubitCount)")
    }

    /// Checks that the qubits are valid and distinct.
    func checkQubits(_ qs: [Int]) {
        for q in qs { checkQubit(q) }
        precondition(Set(qs).count == qs.count, "qubits must be distinct: \(qs)")
    }
}

/// The coefficients of a diagonal whose targets all sit below the period, one per SIMD vector of
/// `amplitudesPerVector` amplitudes: vector v gets `table[t]`, t = the bits of its first amplitude
/// at `positions` (most significant first), for v in 0..<periodVectors. Shared by the periodic
/// diagonal kernels of both precisions.
func periodicCoefficients<T>(_ table: [T], positions: [Int], periodVectors: Int, amplitudesPerVector: Int) -> [T] {
    (0..<periodVectors).map { v in
        var t = 0
        for q in positions { t = (t << 1) | (((amplitudesPerVector * v) >> q) & 1) }
        return table[t]
    }
}
