// Greedy gate fusion: consecutive operations whose qubits fit in a window of at most k qubits
// are multiplied into one dense 2ᵏ×2ᵏ matrix, so the state is swept once per block, not per gate.
import Numerics
import WukongCircuits

/// A matrix acting on listed qubits, `qubits[0]` being the most significant bit of the matrix
/// index (the `GateMatrix` convention). The unit of fusion and of `StateVector.apply(_:)`.
public struct GateOperation: Sendable {
    /// The gate's matrix, dimension 2^qubits.count.
    public var matrix: GateMatrix
    /// The qubits, most significant matrix bit first.
    public var qubits: [Int]

    /// An operation of `matrix` on `qubits`.
    public init(_ matrix: GateMatrix, on qubits: [Int]) {
        precondition(matrix.qubitCount == qubits.count, "matrix size does not match qubits")
        precondition(Set(qubits).count == qubits.count, "qubits must be distinct")
        self.matrix = matrix
        self.qubits = qubits
    }
}

extension GateMatrix {
    /// The same operator written on the larger qubit list `target` (a superset of `qubits`,
    /// both most-significant first), acting as the identity on the extra qubits:
    /// E[r, c] = M[r_Q, c_Q] when r and c agree outside Q, else 0.
    /// - Complexity: O(4^|target|).
    public func embedded(from qubits: [Int], into target: [Int]) -> GateMatrix {
        precondition(qubits.count == qubitCount, "matrix size does not match qubits")
        let k = target.count
        // position[j]: bit (from the least significant end) of target index that holds qubits[j].
        let position = qubits.map { q -> Int in
            guard let t = target.firstIndex(of: q) else { preconditionFailure("qubit \(q) not in target") }
            return k - 1 - t
        }
        let ownMask = position.reduce(0) { $0 | (1 << $1) }
        func sub(_ x: Int) -> Int {
            var v = 0
            for p in position { v = 2 * v + ((x >> p) & 1) }
            return v
        }
        let d = 1 << k
        var out = [Complex<Double>](repeating: .zero, count: d * d)
        for r in 0..<d {
            let rs = sub(r)
            for c in 0..<d where (r & ~ownMask) == (c & ~ownMask) {
                out[r * d + c] = self[rs, sub(c)]
            }
        }
        return GateMatrix(out)
    }
}

/// Greedy fusion of gate operations into dense blocks of at most k qubits.
public enum GateFusion {
    /// Fuses `operations` into blocks of at most `maxQubits` qubits; applying the result equals
    /// applying the input, up to rounding.
    ///
    /// The fuser keeps several *open* blocks with pairwise disjoint qubit sets (so they commute
    /// with each other). Each operation, in order, looks at the open blocks sharing a qubit
    /// with it: if the operation and all of them fit in `maxQubits` qubits they merge; otherwise
    /// it joins the one it fits with (smallest union first) and the other blocks it touches
    /// are closed (emitted); if it fits with none, they are all closed and it opens a new block.
    /// A block is always emitted before any later operation on its qubits, and an operation
    /// only moves past blocks on disjoint qubits, which is why the order is preserved. With a
    /// single open block this is plain consecutive-window fusion.
    ///
    /// Every merge also passes a cost rule (below): it happens only when it does not raise the
    /// multiply-adds per amplitude, with diagonal blocks priced 1 and real ones 2^(k−1), so a real
    /// RY⊗RY block does not absorb a complex phase and turn dense. Multi-qubit diagonals that do not
    /// merge open their own block; other operations that do not merge close the blocks they touch.
    ///
    /// A block's matrix is the product of its members (later gates on the left), on its qubits
    /// sorted in descending order (highest qubit = most significant). Blocks of one gate keep
    /// their original matrix, so diagonal and 1-qubit gates keep their cheap kernels. Operations
    /// wider than `maxQubits` pass through alone.
    ///
    /// - Parameter maxQubits: window size k, 1...5. The default is 2, from measurement: the
    ///   dense k-qubit kernel costs 2ᵏ complex multiply-adds per amplitude and, compiled for
    ///   baseline x86-64 (SSE2, no FMA), is compute-bound from k = 2 on. On a 24-qubit
    ///   brickwork layer (24 one-qubit + 12 two-qubit gates, one thread) k = 2 took 409 ms,
    ///   k = 3 627 ms, k = 4 682 ms, unfused 928 ms. Larger windows pay off only with wider SIMD
    ///   (qsim's advice of k = 4 above 22 qubits assumes AVX kernels).
    /// - Complexity: O(m·8ᵏ) for m operations.
    public static func fuse(_ operations: [GateOperation], maxQubits: Int = 2) -> [GateOperation] {
        precondition((1...StateVector.maxDenseQubits).contains(maxQubits), "maxQubits must be in 1...5")
        var out = [GateOperation]()
        // Open blocks: qubit set and member operations, in creation order.
        var open: [(qubits: Set<Int>, members: [GateOperation])] = []

        func emit(_ block: (qubits: Set<Int>, members: [GateOperation])) {
            if block.members.count == 1 {
                out.append(block.members[0])
                return
            }
            let qubits = block.qubits.sorted(by: >)
            var u = GateMatrix.identity(qubitCount: qubits.count)
            for op in block.members { u = op.matrix.embedded(from: op.qubits, into: qubits) * u }
            out.append(GateOperation(u, on: qubits))
        }

        /// Complex multiply-adds per amplitude of a block's kernel: 2^k dense, 1 when every member
        /// is diagonal (the block stays diagonal), 2^(k−1) when every member is real (the product is
        /// real and the real kernels do two real multiply-adds where a complex one takes four).
        func cost(_ members: [GateOperation], _ qubits: Int) -> Int {
            if members.allSatisfy({ $0.matrix.isDiagonal }) { return 1 }
            return members.allSatisfy({ $0.matrix.isReal }) ? max(1, 1 << (qubits - 1)) : 1 << qubits
        }
        for op in operations {
            let q = Set(op.qubits)
            let touching = open.indices.filter { !open[$0].qubits.isDisjoint(with: q) }
            let all = touching.reduce(q) { $0.union(open[$1].qubits) }
            if op.qubits.count >= 2 && op.matrix.isDiagonal {
                // A multi-qubit diagonal (CZ, CP, RZZ…) is cheap alone; it joins only when the merged
                // block costs no more than the blocks it absorbs plus itself (e.g. u3⊗u3 then CZ:
                // 4 ≤ 2 + 2 + 1), never by making a one-gate block dense (a CZ ladder after one-qubit
                // layers: 1q + CZ as 2q dense would cost 4 against 2 + 1).
                let merged = touching.flatMap { open[$0].members } + [op]
                let separate = touching.reduce(1) { $0 + cost(open[$1].members, open[$1].qubits.count) }
                if all.count <= maxQubits && cost(merged, all.count) <= separate {
                    open = open.indices.filter { !touching.contains($0) }.map { open[$0] }
                    open.append((all, merged))
                } else {
                    for i in touching { emit(open[i]) }
                    open = open.indices.filter { !touching.contains($0) }.map { open[$0] }
                    open.append((q, [op]))
                }
                continue
            }
            if op.qubits.count > maxQubits {
                for i in touching { emit(open[i]) }
                open = open.indices.filter { !touching.contains($0) }.map { open[$0] }
                out.append(op)
                continue
            }
            let merged = touching.flatMap { open[$0].members } + [op]
            let separate = touching.reduce(cost([op], q.count)) { $0 + cost(open[$1].members, open[$1].qubits.count) }
            if all.count <= maxQubits && cost(merged, all.count) > separate {
                // Merging would turn cheap (diagonal, real) kernels into a dearer dense one.
                for i in touching { emit(open[i]) }
                open = open.indices.filter { !touching.contains($0) }.map { open[$0] }
                open.append((q, [op]))
                continue
            }
            if all.count <= maxQubits {
                // Merge every touching block with the operation, in their creation order.
                open = open.indices.filter { !touching.contains($0) }.map { open[$0] }
                open.append((all, merged))
                continue
            }
            // Join the touching block with the smallest union that fits; close the others.
            let host = touching
                .filter { open[$0].qubits.union(q).count <= maxQubits }
                .min { open[$0].qubits.union(q).count < open[$1].qubits.union(q).count }
            for i in touching where i != host { emit(open[i]) }
            var kept = open.indices.filter { !touching.contains($0) }.map { open[$0] }
            if let h = host {
                kept.append((open[h].qubits.union(q), open[h].members + [op]))
            } else {
                kept.append((q, [op]))
            }
            open = kept
        }
        for block in open { emit(block) }
        return out
    }
}

extension StateVector {
    /// Applies each operation in order with `apply(_:on:)`.
    /// - Complexity: O(Σ 2ⁿ·2^{kᵢ}).
    public func apply(_ operations: [GateOperation]) {
        for op in operations { apply(op.matrix, on: op.qubits) }
    }
}
