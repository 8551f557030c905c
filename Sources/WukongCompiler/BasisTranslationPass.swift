// Basis translation: every gate becomes natives {rphi(θ, φ), rz(λ) (virtual), cz}; measure, reset
// and barrier pass through. 1-qubit gates go through ZYZ Euler angles; 2-qubit gates follow the
// gate table's decompositions down to cx, and cx = (I ⊗ H) · CZ · (I ⊗ H).
import WukongCircuits

/// The native gate set of the chip (chip-physics §4.4).
public enum NativeGates {
    /// Gates a compiled circuit may contain.
    public static let gates: Set<StandardGate> = [.rphi, .rz, .cz]

    /// True when the instruction is native: a native gate without extra controls, measure, reset or barrier.
    public static func isNative(_ instruction: Instruction) -> Bool {
        switch instruction.operation {
        case .gate(let g): return gates.contains(g.gate) && g.controls.isEmpty
        case .measure, .reset, .barrier: return true
        case .unitary, .opaque: return false
        }
    }
}

/// Translates a circuit of ≤ 2-qubit operations into native gates.
///
/// Precondition: parameters bound; no gate on more than two operands (run `UnrollPass` first).
/// Postcondition: every instruction is `NativeGates.isNative`; each 1-qubit gate becomes at most one
/// RPhi plus one RZ (none for the identity, only RZ for diagonal gates); unitary unchanged up to
/// global phase; conditions copied onto every native of an expansion.
public struct BasisTranslationPass: CompilerPass {
    public var name: String { "basis-translation" }
    public init() {}

    public func run(_ state: inout CompilationState, target: CompilerTarget) throws {
        var out = state.emptyCopy()
        for instruction in state.circuit.instructions {
            for op in try Self.translate(instruction.operation) {
                try out.append(Instruction(op, condition: instruction.condition))
            }
        }
        state.circuit = out
    }

    /// Native operations equal to `op` up to global phase.
    static func translate(_ op: Operation) throws -> [Operation] {
        switch op {
        case .measure, .reset, .barrier: return [op]
        case .opaque(let name, _, _): throw CompilerError.unsupported("opaque gate '\(name)'")
        case .unitary(let m, let qs):
            guard qs.count == 1 else {
                throw CompilerError.unsupported("explicit \(qs.count)-qubit unitary (no KAK decomposition yet)")
            }
            return singleQubit(m, qs[0])
        case .gate(let g):
            guard g.controls.isEmpty, g.qubits.count <= 2 else {
                throw CompilerError.contractViolated(pass: "basis-translation", "gate \(g.gate.rawValue) on more than two operands; unroll first")
            }
            let values = try g.parameters.map { try $0.evaluate() }
            switch g.gate {
            case .rz, .rphi, .cz:
                return [.gate(GateApplication(g.gate, g.qubits, values.map { .constant($0) }))]
            case .cx:
                let h = StandardGate.h.matrix()
                return singleQubit(h, g.qubits[1]) + [.gate(GateApplication(.cz, g.qubits))] + singleQubit(h, g.qubits[1])
            default:
                if g.qubits.count == 1 { return singleQubit(g.gate.matrix(values), g.qubits[0]) }
                guard let decomposition = g.gate.definition.decomposition else {
                    throw CompilerError.unsupported("gate \(g.gate.rawValue) has no decomposition")
                }
                return try decomposition(values.map { .constant($0) }).flatMap { step in
                    try translate(.gate(GateApplication(step.gate, step.operands.map { g.qubits[$0] }, step.parameters)))
                }
            }
        }
    }

    /// Natives for a 1-qubit unitary on `qubit`.
    static func singleQubit(_ m: GateMatrix, _ qubit: Int) -> [Operation] {
        OneQubitSynthesis.natives(m).map { .gate(GateApplication($0.gate, [qubit], $0.parameters.map { .constant($0) })) }
    }
}
