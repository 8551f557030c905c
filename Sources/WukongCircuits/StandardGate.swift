// Gate identities and the shape of a gate-table entry. The entries themselves live in
// GateTable.swift, the only place a gate is defined.
import Numerics

/// Every gate the circuit IR knows by name. `rawValue` is the canonical (lower-case) name.
///
/// The attributes of each gate (arity, parameters, matrix, inverse, decomposition, spellings in
/// each language) come from `GateTable`; use `definition` or the forwarding properties.
public enum StandardGate: String, CaseIterable, Hashable, Sendable, Codable {
    case id, x, y, z, h, s, sdg, t, tdg, sx, sxdg, x1, y1, z1
    case rx, ry, rz, p, u2, u3, rphi, u4
    case cx, cy, cz, ch, swap, iswap, iswapdg, sqiswap, sqiswapdg
    case cp, crx, cry, crz, cu3, cu, cu4, csx, csxdg
    case rxx, ryy, rzz, rzx
    case ccx, cswap

    /// The table entry that defines this gate.
    public var definition: GateDefinition { GateTable.definition(self) }
    /// Number of qubit operands.
    public var arity: Int { definition.arity }
    /// Number of real parameters (angles in rad).
    public var parameterCount: Int { definition.parameterNames.count }

    /// The unitary for numeric parameters; see `GateDefinition.matrix` for the qubit order.
    public func matrix(_ parameters: [Double] = []) -> GateMatrix {
        precondition(parameters.count == parameterCount,
                     "\(rawValue) takes \(parameterCount) parameters, got \(parameters.count)")
        return definition.matrix(parameters)
    }
}

/// A source language with its own gate spellings.
public enum GateDialect: String, Hashable, Sendable, CaseIterable {
    /// OpenQASM 2.0 with Qiskit's `qelib1.inc` (plus the built-ins `U` and `CX`).
    case qasm2
    /// OpenQASM 3 with `stdgates.inc` (plus the built-in `U`).
    case qasm3
    /// OriginIR (QPanda); names are case-insensitive.
    case originIR
}

/// One gate of a decomposition, on operand positions local to the decomposed gate.
public struct GateStep: Hashable, Sendable {
    /// The gate applied.
    public var gate: StandardGate
    /// Operand positions: 0 is the decomposed gate's first operand.
    public var operands: [Int]
    /// Parameters as expressions of the decomposed gate's parameters.
    public var parameters: [ParameterExpression]

    public init(_ gate: StandardGate, _ operands: [Int], _ parameters: [ParameterExpression] = []) {
        self.gate = gate
        self.operands = operands
        self.parameters = parameters
    }
}

/// A gate with its parameters, the result of inverting or controlling a gate.
public struct ParameterizedGate: Hashable, Sendable {
    public var gate: StandardGate
    public var parameters: [ParameterExpression]

    public init(_ gate: StandardGate, _ parameters: [ParameterExpression] = []) {
        self.gate = gate
        self.parameters = parameters
    }
}

/// A gate-table entry: everything the package knows about one gate.
///
/// **Qubit order of `matrix`.** The matrix is written in the gate's own textbook form: the
/// FIRST operand is the MOST significant bit of the matrix index (so `cx` is
/// `[[1,0,0,0],[0,1,0,0],[0,0,0,1],[0,0,1,0]]` with operand 0 the control). The circuit as a
/// whole uses the opposite convention (qubit 0 is the least significant bit of a basis index),
/// so a simulator applying gate `g` on qubits `[q0, q1, …]` must read matrix row bit
/// `arity − 1 − k` from circuit qubit `qk`.
public struct GateDefinition: Sendable {
    /// The gate this entry defines.
    public let gate: StandardGate
    /// Number of qubit operands.
    public let arity: Int
    /// Parameter names in order (angles in rad).
    public let parameterNames: [String]
    /// Extra case-insensitive names accepted by `GateTable.lookup(_:)`.
    public let aliases: [String]
    /// Spellings per language; the first is the one exporters write. An empty list means the
    /// language has no such gate and exporters fall back to `decomposition`.
    public let spellings: [GateDialect: [String]]
    /// Parameters → unitary, dimension 2^arity, row-major, first operand most significant.
    public let matrix: @Sendable ([Double]) -> GateMatrix
    /// Parameters → the inverse gate (exact, not just up to global phase).
    public let inverse: @Sendable ([ParameterExpression]) -> ParameterizedGate
    /// Parameters → the gate with one more control prepended (as operand 0), if the table has it.
    public let controlled: (@Sendable ([ParameterExpression]) -> ParameterizedGate)?
    /// Parameters → an equivalent sequence of simpler gates (equal up to global phase), ending
    /// in `u3` and `cx`; `nil` for those two primitives and `id`.
    public let decomposition: (@Sendable ([ParameterExpression]) -> [GateStep])?

    /// Spellings in a given language.
    public func spellings(in dialect: GateDialect) -> [String] { spellings[dialect] ?? [] }
}
