// Merging runs of 1-qubit gates: consecutive unconditioned 1-qubit operations on a qubit are
// multiplied into one unitary and resynthesized as at most one RPhi plus one virtual RZ.
import WukongCircuits

/// Collapses each maximal run of 1-qubit gates on a qubit (not interrupted by an operation on
/// that qubit, a barrier or a condition) into `OneQubitSynthesis.natives`.
///
/// Precondition: parameters bound. Postcondition: no qubit has two consecutive 1-qubit gates
/// of which one is an RPhi unless they could not be merged (conditioned); the RPhi count never
/// grows; unitary unchanged up to global phase.
public struct MergeSingleQubitPass: CompilerPass {
    public var name: String { "merge-1q" }
    public init() {}

    public func run(_ state: inout CompilationState, target: CompilerTarget) throws {
        let circuit = state.circuit
        var out = state.emptyCopy()
        var pending = [GateMatrix?](repeating: nil, count: circuit.numQubits)
        var pendingOps = [[Instruction]](repeating: [], count: circuit.numQubits)
        func flush(_ q: Int) throws {
            guard let m = pending[q] else { return }
            let merged = BasisTranslationPass.singleQubit(m, q).map { Instruction($0) }
            // Keep an already-native run when merging would lengthen it.
            let keep = pendingOps[q].count < merged.count && pendingOps[q].allSatisfy(NativeGates.isNative)
            let run = keep ? pendingOps[q] : merged
            for i in run { try out.append(i) }
            pending[q] = nil
            pendingOps[q] = []
        }
        for instruction in circuit.instructions {
            if instruction.condition == nil, let (m, q) = try Self.singleQubitMatrix(instruction.operation) {
                pending[q] = m * (pending[q] ?? .identity(2))
                pendingOps[q].append(instruction)
                continue
            }
            for q in instruction.operation.qubits { try flush(q) }
            try out.append(instruction)
        }
        for q in 0..<circuit.numQubits { try flush(q) }
        state.circuit = out
    }

    /// The matrix and qubit of a 1-qubit gate or unitary, nil for anything else.
    static func singleQubitMatrix(_ op: Operation) throws -> (GateMatrix, Int)? {
        switch op {
        case .gate(let g) where g.operands.count == 1:
            return (try g.matrix(), g.qubits[0])
        case .unitary(let m, let qs) where qs.count == 1:
            return (m, qs[0])
        default:
            return nil
        }
    }
}
