// Virtual-Z commutation: RZ gates slide later through CZ (both diagonal, so they commute) and merge,
// so each qubit carries at most one RZ between consecutive pulses; RZ right before a measurement or
// reset is dropped (it only changes the phase of a state that is about to collapse).
import WukongCircuits

/// Moves every unconditioned `rz` as late as possible through `cz` and merges neighbours.
///
/// Precondition: native circuit. Postcondition: no `rz` directly precedes (on its qubit, ignoring
/// CZ) another `rz`, a `measure` or a `reset`; the unitary is unchanged up to global phase (when
/// `dropBeforeMeasurement` is false the circuit is unchanged even as a channel).
public struct CommuteVirtualZPass: CompilerPass {
    public var name: String { "commute-virtual-z" }
    /// Drop RZ immediately before a measurement or reset (exact for measurement statistics).
    public var dropBeforeMeasurement: Bool
    public init(dropBeforeMeasurement: Bool = true) { self.dropBeforeMeasurement = dropBeforeMeasurement }

    public func run(_ state: inout CompilationState, target: CompilerTarget) throws {
        let circuit = state.circuit
        var out = state.emptyCopy()
        var angle = [Double](repeating: 0, count: circuit.numQubits)
        func flush(_ q: Int) throws {
            let a = OneQubitSynthesis.wrap(angle[q])
            angle[q] = 0
            if abs(a) >= OneQubitSynthesis.angleEpsilon { try out.append(.rz, [q], [.constant(a)]) }
        }
        for instruction in circuit.instructions {
            let op = instruction.operation
            if instruction.condition == nil, case .gate(let g) = op {
                if g.gate == .rz, g.controls.isEmpty {
                    angle[g.qubits[0]] += try g.parameters[0].evaluate()
                    continue
                }
                if g.gate == .cz, g.controls.isEmpty {
                    try out.append(instruction)
                    continue
                }
            }
            switch op {
            case .measure(let q, _), .reset(let q):
                if dropBeforeMeasurement { angle[q] = 0 } else { try flush(q) }
            default:
                for q in op.qubits { try flush(q) }
            }
            try out.append(instruction)
        }
        for q in 0..<circuit.numQubits { try flush(q) }
        state.circuit = out
    }
}
