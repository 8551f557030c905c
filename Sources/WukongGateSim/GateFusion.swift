// Greedy gate fusion: consecutive operations whose qubits fit in a window of at most k qubits
// are multiplied into one dense 2ᵏ×2ᵏ matrix, so the state is swept once per block, not per gate.
import Numerics

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

/// Greedy fusion of consecutive gate operations.
public enum GateFusion {
    /// Fuses consecutive `operations` into blocks of at most `maxQubits` qubits.
    ///
    /// Walking the list in order, each operation joins the current block when the union of
    /// their qubits has at most `maxQubits` qubits; otherwise the block is closed and a new one
    /// starts. A block's matrix is the product of its members (later gates on the left), on its
    /// qubits sorted in descending order (highest qubit = most significant). Operations wider
    /// than `maxQubits` pass through alone. Applying the result equals applying the input, up
    /// to rounding.
    ///
    /// - Parameter maxQubits: window size k, 1...5 (default 4; qsim recommends 4 above 22
    ///   qubits, 2–3 below).
    /// - Complexity: O(m·8ᵏ) for m operations.
    public static func fuse(_ operations: [GateOperation], maxQubits: Int = 4) -> [GateOperation] {
        precondition((1...StateVector.maxDenseQubits).contains(maxQubits), "maxQubits must be in 1...5")
        var out = [GateOperation]()
        var blockQubits: [Int] = []
        var block: [GateOperation] = []

        func close() {
            guard !block.isEmpty else { return }
            if block.count == 1 {
                out.append(block[0])
            } else {
                var u = GateMatrix.identity(qubitCount: blockQubits.count)
                for op in block { u = op.matrix.embedded(from: op.qubits, into: blockQubits) * u }
                out.append(GateOperation(u, on: blockQubits))
            }
            block = []
            blockQubits = []
        }

        for op in operations {
            let union = Set(blockQubits).union(op.qubits)
            if union.count > maxQubits { close() }
            if op.qubits.count > maxQubits {
                out.append(op)
                continue
            }
            block.append(op)
            blockQubits = Set(blockQubits).union(op.qubits).sorted(by: >)
        }
        close()
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
