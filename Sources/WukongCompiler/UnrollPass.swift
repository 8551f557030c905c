// Unrolling: every gate on three or more operands (3-qubit gates, extra controls) becomes 1- and
// 2-qubit gates, exactly up to global phase. Barenco et al. (1995) Lemma 7.2 handles multi-controlled
// single-qubit unitaries; other gates use the gate table's decompositions.
import Numerics
import WukongCircuits

/// Rewrites gates with more than two operands into gates on at most two.
///
/// Precondition: parameters are bound (numbers). Postcondition: every `.gate` has no extra
/// controls and arity ≤ 2; `.unitary` operations are on one or two qubits; the unitary is unchanged
/// up to global phase. Conditions are copied onto every gate of an expansion.
public struct UnrollPass: CompilerPass {
    public var name: String { "unroll" }
    public init() {}

    public func run(_ state: inout CompilationState, target: CompilerTarget) throws {
        var out = state.emptyCopy()
        for instruction in state.circuit.instructions {
            switch instruction.operation {
            case .gate(let g) where g.operands.count > 2 || !g.controls.isEmpty:
                for piece in try Self.expand(g) { try out.append(Instruction(piece, condition: instruction.condition)) }
            case .unitary(_, let qs) where qs.count > 2:
                throw CompilerError.unsupported("explicit unitary on \(qs.count) qubits (only 1- and 2-qubit unitaries)")
            case .opaque(let name, _, _):
                throw CompilerError.unsupported("opaque gate '\(name)' has no definition")
            default:
                try out.append(instruction)
            }
        }
        state.circuit = out
    }

    /// Operations on ≤ 2 qubits equal to `g` up to global phase.
    /// - Complexity: exponential in the number of controls (Barenco recursion); fine for the few
    ///   controls real programs use.
    static func expand(_ g: GateApplication) throws -> [Operation] {
        if g.operands.count <= 2 && g.controls.isEmpty { return [.gate(g)] }
        let numbers = try g.parameters.map { try $0.evaluate() }
        if g.controls.isEmpty {
            guard let decomposition = g.gate.definition.decomposition else {
                throw CompilerError.unsupported("gate \(g.gate.rawValue) has no decomposition")
            }
            return try decomposition(numbers.map { .constant($0) }).flatMap { step in
                try expand(GateApplication(step.gate, step.operands.map { g.qubits[$0] }, step.parameters))
            }
        }
        return try controlled(g.gate.matrix(numbers), qubits: g.qubits, controls: g.controls,
                              fallback: GateApplication(g.gate, g.qubits, numbers.map { .constant($0) }))
    }

    /// `matrix` on `qubits` (first most significant) controlled by all of `controls`.
    ///
    /// A matrix that is itself controlled on its first operand (identity upper-left block) moves
    /// that operand into `controls`; a 1-qubit matrix uses `controlledSingle`; otherwise the
    /// `fallback` gate's decomposition is controlled step by step, plus a controlled phase that
    /// undoes the decomposition's global phase (which controls would make relative).
    static func controlled(_ matrix: GateMatrix, qubits: [Int], controls: [Int],
                           fallback: GateApplication?) throws -> [Operation] {
        if qubits.count == 1 { return controlledSingle(matrix, target: qubits[0], controls: controls) }
        let half = matrix.dimension / 2
        var isControlled = true
        for r in 0..<matrix.dimension where isControlled {
            for c in 0..<matrix.dimension where r < half || c < half {
                let expected: Complex<Double> = r == c ? .one : .zero
                if (matrix[r, c] - expected).length > 1e-14 { isControlled = false; break }
            }
        }
        if isControlled {
            var block = [Complex<Double>]()
            for r in half..<matrix.dimension { for c in half..<matrix.dimension { block.append(matrix[r, c]) } }
            return try controlled(GateMatrix(block), qubits: Array(qubits.dropFirst()),
                                  controls: controls + [qubits[0]], fallback: nil)
        }
        guard let fallback, let decomposition = fallback.gate.definition.decomposition else {
            throw CompilerError.unsupported("controlled \(qubits.count)-qubit unitary without a decomposition")
        }
        let steps = decomposition(fallback.parameters)
        var product = GateMatrix.identity(matrix.dimension)
        var out: [Operation] = []
        for step in steps {
            let stepMatrix = step.gate.matrix(try step.parameters.map { try $0.evaluate() })
            product = embedLocal(stepMatrix, operands: step.operands, arity: qubits.count) * product
            let app = GateApplication(step.gate, step.operands.map { qubits[$0] }, step.parameters)
            out += try controlled(stepMatrix, qubits: app.qubits, controls: controls, fallback: app)
        }
        // product = e^{iφ} · matrix; apply e^{−iφ} when all controls are set.
        let phase = globalPhase(of: product, relativeTo: matrix)
        let correction = GateMatrix.diagonal([.one, Complex(length: 1, phase: -phase)])
        out += controlledSingle(correction, target: controls.last!, controls: Array(controls.dropLast()))
        return out
    }

    /// Multi-controlled 1-qubit unitary, exactly up to global phase.
    ///
    /// No control: `u3`. One control: the table's `cu(θ, φ, λ, γ)`, which carries U's phase γ.
    /// k ≥ 2 controls (Barenco Lemma 7.2, V² = U), in time order:
    /// C_{c_k}V, C^{k−1}X(c_1…c_{k−1} → c_k), C_{c_k}V†, C^{k−1}X, C^{k−1}V(c_1…c_{k−1} → t).
    static func controlledSingle(_ u: GateMatrix, target: Int, controls: [Int]) -> [Operation] {
        let a = OneQubitSynthesis.u3Angles(u)
        switch controls.count {
        case 0:
            return [.gate(GateApplication(.u3, [target], [.constant(a.theta), .constant(a.phi), .constant(a.lambda)]))]
        case 1:
            let p: [ParameterExpression] = [.constant(a.theta), .constant(a.phi), .constant(a.lambda), .constant(a.gamma)]
            return [.gate(GateApplication(.cu, [controls[0], target], p))]
        default:
            let v = OneQubitSynthesis.squareRoot(u)
            let last = controls.last!, rest = Array(controls.dropLast())
            let x = StandardGate.x.matrix()
            return controlledSingle(v, target: target, controls: [last])
                + controlledSingle(x, target: last, controls: rest)
                + controlledSingle(v.adjoint, target: target, controls: [last])
                + controlledSingle(x, target: last, controls: rest)
                + controlledSingle(v, target: target, controls: rest)
        }
    }

    /// φ with `a ≈ e^{iφ} b`, read on b's largest entry.
    static func globalPhase(of a: GateMatrix, relativeTo b: GateMatrix) -> Double {
        var best = 0
        for i in 0..<b.elements.count where b.elements[i].length > b.elements[best].length { best = i }
        return (a.elements[best] * b.elements[best].conjugate).phase
    }

    /// `m` acting on local `operands` (0 most significant) of an `arity`-qubit gate.
    static func embedLocal(_ m: GateMatrix, operands: [Int], arity: Int) -> GateMatrix {
        let dim = 1 << arity, k = operands.count
        var out = GateMatrix(Array(repeating: .zero, count: dim * dim))
        for column in 0..<dim {
            var local = 0
            for (j, op) in operands.enumerated() where column >> (arity - 1 - op) & 1 == 1 { local |= 1 << (k - 1 - j) }
            for row in 0..<(1 << k) {
                let amplitude = m[row, local]
                if amplitude == .zero { continue }
                var target = column
                for (j, op) in operands.enumerated() {
                    let bit = row >> (k - 1 - j) & 1, position = arity - 1 - op
                    target = (target & ~(1 << position)) | (bit << position)
                }
                out[target, column] = amplitude
            }
        }
        return out
    }
}
