// Lazy qubit activation for runs that start from |0…0⟩: a qubit no gate has mixed yet is |0⟩ and
// factors out of the state. A gate that only reads such a qubit (as a control or through a phase)
// is replaced by its restriction to that qubit's 0 value — exact, because every amplitude with the
// bit set is zero and the gate keeps it so. The cache-blocked planner (`CacheBlockedExecutor.plan`)
// then gives qubits physical bit positions in first-use order, so the live state is a short prefix
// of the buffer and every kernel runs over that prefix only.
import Numerics
import WukongCircuits

enum LazyActivation {
    /// The operations rewritten for a run from |0…0⟩: every operand that is still |0⟩ and that
    /// the gate does not mix is fixed to 0 (`GateMatrix.restricted(fixing:)`); gates that become
    /// the identity are dropped, gates that become a number multiply `phase`. SWAPs of two
    /// untouched qubits are dropped (the identity on |00⟩); other SWAPs exchange the two
    /// qubits' untouched flags. Applying the result and then `phase` equals applying `operations`
    /// to |0…0⟩, up to rounding.
    ///
    /// Example: in the QFT from |0…0⟩ every controlled phase has an untouched control when it
    /// runs, so only the Hadamards (and the SWAP relabellings) remain.
    /// - Complexity: O(Σ 4^{kᵢ}·kᵢ) for gates of kᵢ qubits.
    static func simplify(_ operations: [GateOperation], qubitCount n: Int,
                         phase: inout Complex<Double>) -> [GateOperation] {
        var touched = [Bool](repeating: false, count: n)
        var out: [GateOperation] = []
        out.reserveCapacity(operations.count)
        for op in operations {
            if op.matrix.isSwap {
                let a = op.qubits[0], b = op.qubits[1]
                if !touched[a] && !touched[b] { continue }
                touched.swapAt(a, b)
                out.append(op)
                continue
            }
            switch restrictUntouched(op, isUntouched: { !touched[$0] }) {
            case .identity: continue
            case .scalar(let z): phase *= z
            case .operation(let restricted):
                for q in restricted.qubits { touched[q] = true }
                out.append(restricted)
            }
        }
        return out
    }

    enum Restriction {
        case identity
        case scalar(Complex<Double>)
        case operation(GateOperation)
    }

    /// `op` with every operand q for which `isUntouched(q)` holds and which the matrix does not
    /// mix fixed to 0, repeated until no such operand is left (a restriction can stop mixing
    /// another operand).
    static func restrictUntouched(_ op: GateOperation, isUntouched: (Int) -> Bool) -> Restriction {
        var current = op
        while true {
            let mixing = current.matrix.mixingOperands()
            let fixed = current.qubits.indices.filter { isUntouched(current.qubits[$0]) && !mixing[$0] }
            if fixed.isEmpty { break }
            let m = current.matrix.restricted(fixing: Dictionary(uniqueKeysWithValues: fixed.map { ($0, 0) }))
            if m.dimension == 1 { return m[0, 0] == .one ? .identity : .scalar(m[0, 0]) }
            let free = current.qubits.indices.filter { !fixed.contains($0) }.map { current.qubits[$0] }
            current = GateOperation(m, on: free)
        }
        if current.matrix.elements == GateMatrix.identity(current.matrix.dimension).elements { return .identity }
        return .operation(current)
    }
}
