// A parameterized circuit compiled once for many evaluations: gates with their parameter
// expressions bound to an ordered symbol vector, fixed gates pre-multiplied, and derivative rules.
import Numerics
import WukongCircuits

/// One unitary step of a compiled circuit.
struct CompiledOperation: Sendable {
    /// The table gate, or nil for an explicit fixed unitary.
    let gate: StandardGate?
    /// Circuit qubits, controls first; operand 0 is the matrix's most significant bit.
    let operands: [Int]
    /// Extra controls prepended to the gate (`GateApplication.controls`).
    let controlCount: Int
    /// The gate's parameters as functions of the symbol vector.
    let parameters: [CompiledExpression]
    /// For each gate parameter, the symbols it depends on (empty for constants).
    let dependencies: [[Int]]
    /// How each gate parameter is differentiated (adjoint generator, shift rule).
    let rules: [ParameterRule]
    /// The matrix when no parameter depends on a symbol.
    let fixedMatrix: GateMatrix?

    var isParameterized: Bool { fixedMatrix == nil }

    /// Numeric gate parameters at symbol vector `x`.
    func values(_ x: [Double]) -> [Double] { parameters.map { $0.evaluate(x) } }

    /// The unitary for numeric gate parameters.
    func matrix(values: [Double]) -> GateMatrix {
        if let fixedMatrix { return fixedMatrix }
        let base = gate!.matrix(values)
        return controlCount == 0 ? base : base.controlled(controlCount)
    }
}

/// A circuit with symbolic parameters, compiled once and evaluated at many parameter vectors.
///
/// Parameters are passed as a vector `x` in the order of `parameterNames`. Every gate parameter
/// may be any `ParameterExpression` of the symbols (`2*theta + sin(phi)`, a symbol shared by many
/// gates, …); gradients apply the chain rule `∂f/∂x_s = Σ_{gates g, params j} ∂f/∂p_{g,j} ·
/// ∂p_{g,j}/∂x_s`, the second factor by exact forward-mode differentiation
/// (`CompiledExpression.dual`).
///
/// Accepted circuits: gates (at most 5 operands including controls), explicit unitaries, barriers,
/// and terminal measurements (ignored: expectation values use the pre-measurement state). Resets,
/// classical conditions, mid-circuit measurements and opaque gates are rejected.
///
/// The value is immutable and `Sendable`; batch workers share one instance.
public struct CompiledCircuit: Sendable {
    /// Number of qubits n.
    public let qubitCount: Int
    /// Symbol names in parameter-vector order.
    public let parameterNames: [String]
    /// The unitary steps in circuit order.
    let operations: [CompiledOperation]

    /// Number of entries of a parameter vector.
    public var parameterCount: Int { parameterNames.count }
    /// Number of gates and unitaries after compilation.
    public var operationCount: Int { operations.count }
    /// Number of gates whose matrix depends on the parameters.
    public var parameterizedOperationCount: Int { operations.filter(\.isParameterized).count }

    /// Compiles `circuit`.
    /// - Parameters:
    ///   - parameterOrder: the parameter-vector order; defaults to `circuit.parameterNames`
    ///     (sorted). It may list symbols the circuit does not use (their gradient is 0); every
    ///     symbol the circuit uses must appear.
    /// - Throws: `GateSimulatorError` for circuits outside the accepted set or unknown symbols.
    /// - Complexity: O(gates · parameters per gate).
    public init(_ circuit: Circuit, parameterOrder: [String]? = nil) throws {
        try CircuitSimulator.checkSize(circuit)
        guard CircuitSimulator.isTerminallyMeasured(circuit) else {
            throw GateSimulatorError.invalidCircuit("mid-circuit measurement, reset or condition: no single final state")
        }
        let names = parameterOrder ?? circuit.parameterNames
        var index: [String: Int] = [:]
        for (k, name) in names.enumerated() {
            guard index[name] == nil else { throw GateSimulatorError.invalidCircuit("parameter '\(name)' listed twice") }
            index[name] = k
        }
        var operations: [CompiledOperation] = []
        for instruction in circuit.instructions {
            switch instruction.operation {
            case .gate(let g):
                guard g.operands.count <= StateVector.maxDenseQubits else {
                    throw GateSimulatorError.gateTooWide(gate: g.gate.rawValue, qubits: g.operands.count)
                }
                let expressions = try g.parameters.map { try CompiledExpression($0, symbolIndex: index) }
                let dependencies = expressions.map(\.symbols)
                let rules = GateDerivativeRules.rules(for: g.gate).map { $0.underControls(g.controls.count) }
                let fixed = dependencies.allSatisfy(\.isEmpty) ? try g.matrix() : nil
                operations.append(CompiledOperation(
                    gate: g.gate, operands: g.operands, controlCount: g.controls.count, parameters: expressions,
                    dependencies: dependencies, rules: rules, fixedMatrix: fixed))
            case .unitary(let m, let qubits):
                operations.append(CompiledOperation(
                    gate: nil, operands: qubits, controlCount: 0, parameters: [], dependencies: [], rules: [],
                    fixedMatrix: m))
            case .measure, .barrier: continue
            case .reset: throw GateSimulatorError.invalidCircuit("reset")
            case .opaque(let name, _, _): throw GateSimulatorError.opaqueGate(name: name)
            }
        }
        self.qubitCount = circuit.numQubits
        self.parameterNames = names
        self.operations = operations
    }

    /// The parameter vector for named values; every name in `parameterNames` must be present.
    public func parameterVector(_ values: [String: Double]) throws -> [Double] {
        try parameterNames.map { name in
            guard let v = values[name] else { throw GateSimulatorError.unboundParameter(name) }
            return v
        }
    }

    func checkParameters(_ x: [Double]) {
        precondition(x.count == parameterCount, "expected \(parameterCount) parameters, got \(x.count)")
    }

    /// The numeric matrix of every operation at `x`, in circuit order.
    func matrices(_ x: [Double]) -> [GateMatrix] {
        operations.map { $0.matrix(values: $0.isParameterized ? $0.values(x) : []) }
    }

    /// Applies the circuit at `x` to `state` (which the caller prepares, usually |0…0⟩).
    /// - Parameter fusionQubits: fuse neighbouring gates up to this many qubits (0 or 1: none).
    /// - Complexity: O(gates · 2ⁿ).
    func run(_ x: [Double], on state: StateVector, fusionQubits: Int) {
        let ops = zip(operations, matrices(x)).map { GateOperation($0.1, on: $0.0.operands) }
        CacheBlockedExecutor.apply(ops, to: state, blocking: state.options.blocking(fusionQubits: fusionQubits))
    }

    /// The state `U(x)|0…0⟩`.
    /// - Parameters:
    ///   - execution: kernel threads; the default is serial because small circuits are
    ///     overhead-bound (reference/gate-tools.md: no threads below about 14–16 qubits).
    ///   - fusionQubits: gate-fusion window (2 = fuse into ≤ 2-qubit blocks; 0 = off).
    /// - Complexity: O(gates · 2ⁿ).
    public func state(at x: [Double], execution: ExecutionOptions = .serial, fusionQubits: Int = 2) -> StateVector {
        checkParameters(x)
        let state = StateVector(qubitCount: qubitCount, options: execution)
        run(x, on: state, fusionQubits: fusionQubits)
        return state
    }

    /// ⟨ψ(x)|H|ψ(x)⟩ with |ψ(x)⟩ = U(x)|0…0⟩.
    /// - Complexity: O((gates + terms) · 2ⁿ).
    public func expectation(of observable: PauliSum, at x: [Double], execution: ExecutionOptions = .serial,
                            fusionQubits: Int = 2) -> Double {
        state(at: x, execution: execution, fusionQubits: fusionQubits).expectation(observable)
    }
}
