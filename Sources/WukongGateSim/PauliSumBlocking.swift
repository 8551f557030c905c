// Blocked evaluation of ⟨ψ|H|ψ⟩ for a Pauli sum H = Σₖ cₖ Pₖ: instead of one pass over the
// state per term (T passes, each streaming 2ⁿ amplitudes from memory), the state is cut into
// cache-sized blocks of 2^B amplitudes and every term is evaluated while its blocks are hot.
//
// A term with X/Y mask f pairs amplitude i with i ⊕ f. Write f = (f_hi, f_lo) with f_lo the bits
// below B: the term pairs block b with block b ⊕ f_hi. Terms with f_hi = 0 ("local") stay inside
// one block; the others are grouped by f_hi, and each group is one pass over the block pairs
// (b, b ⊕ f_hi), evaluating every term of the group on both blocks of the pair while the two sit
// in L2. The local terms ride along with the first pass (the pairs of a pass cover every block
// exactly once). Memory traffic: max(1, #distinct f_hi) reads of the state instead of T.
//
// Reference: the per-term sums (`expectation(_ pauli:)` of each precision), which the tests
// compare against on random sums.

/// Which terms of a Pauli sum are evaluated on which block pairs.
struct PauliSumBlockPlan: Sendable {
    /// One pass over the blocks: the block pairs (b, b ⊕ flip), or single blocks when flip = 0.
    struct Pass: Sendable {
        /// f_hi of the pass's terms: the partner block is b ⊕ flip.
        let flip: Int
        /// The terms evaluated on every block of the pass: (X mask, Z mask, weight on Σ re,
        /// weight on Σ im), so that the term contributes `wRe·Σre + wIm·Σim`.
        let terms: [Term]
    }

    struct Term: Sendable {
        let xMask: Int
        let zMask: Int
        let wRe: Double
        let wIm: Double
    }

    let blockBits: Int
    let passes: [Pass]

    /// Plans `sum` on `qubitCount` qubits with blocks of 2^blockBits amplitudes
    /// (blockBits < qubitCount).
    init(_ sum: PauliSum, qubitCount: Int, blockBits: Int) {
        precondition(blockBits >= 3 && blockBits < qubitCount, "block of 2^\(blockBits) on \(qubitCount) qubits")
        self.blockBits = blockBits
        var local: [Term] = []
        var groups: [Int: [Term]] = [:]
        var order: [Int] = []
        for (c, pauli) in sum.terms where c != 0 {
            precondition(pauli.span <= qubitCount, "Pauli string \(pauli) is longer than the register")
            // i^m · (sr + i·si), real part: m = 0 → sr, 1 → −si, 2 → −sr, 3 → si.
            let (wr, wi): (Double, Double)
            switch pauli.yCount & 3 {
            case 0: (wr, wi) = (c, 0)
            case 1: (wr, wi) = (0, -c)
            case 2: (wr, wi) = (-c, 0)
            default: (wr, wi) = (0, c)
            }
            let term = Term(xMask: pauli.xMask, zMask: pauli.zMask, wRe: wr, wIm: wi)
            let high = pauli.xMask >> blockBits
            if high == 0 {
                local.append(term)
            } else {
                if groups[high] == nil { order.append(high) }
                groups[high, default: []].append(term)
            }
        }
        var passes: [Pass] = []
        if order.isEmpty {
            if !local.isEmpty { passes.append(Pass(flip: 0, terms: local)) }
        } else {
            for (k, high) in order.enumerated() {
                passes.append(Pass(flip: high, terms: (k == 0 ? local : []) + groups[high]!))
            }
        }
        self.passes = passes
    }

    /// Runs the plan: `sums(xMask, zMask, lo, hi)` returns (Σre, Σim) of one term over the
    /// amplitudes lo..<hi (a whole block); blocks are split over `threads`.
    func evaluate(qubitCount: Int, threads: Int,
                  sums: @Sendable (Int, Int, Int, Int) -> (Double, Double)) -> Double {
        let blocks = 1 << (qubitCount - blockBits), size = 1 << blockBits
        let pieceSize = 1 << min(blockBits, 10)
        var total = 0.0
        for pass in passes {
            let flip = pass.flip, terms = pass.terms
            let units = flip == 0 ? blocks : blocks / 2
            let bit = flip.trailingZeroBitCount
            let (value, _) = parallelSum(count: units, threads: threads) { lo, hi in
                var acc = 0.0
                for u in lo..<hi {
                    let b = flip == 0 ? u : insertZeroBit(u, at: bit)
                    for side in 0..<(flip == 0 ? 1 : 2) {
                        let start = (side == 0 ? b : b ^ flip) * size
                        // Every term over one L1-sized piece at a time (the block itself sits in L2).
                        var piece = start
                        while piece < start + size {
                            for t in terms {
                                let (re, im) = sums(t.xMask, t.zMask, piece, piece + pieceSize)
                                acc += t.wRe * re + t.wIm * im
                            }
                            piece += pieceSize
                        }
                    }
                }
                return (acc, 0)
            }
            total += value
        }
        return total
    }
}
