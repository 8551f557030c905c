// The circuit IR: a value type holding registers and a list of instructions (gates, measures,
// resets, barriers, opaque calls), each optionally conditioned on a classical register value.

/// A named slice of the flat qubit or clbit index space (registers are flattened in
/// declaration order).
public struct Register: Hashable, Sendable {
    /// Register name as written in source.
    public var name: String
    /// Flat index of the register's element 0.
    public var start: Int
    /// Number of elements.
    public var size: Int

    public init(name: String, start: Int, size: Int) {
        self.name = name
        self.start = start
        self.size = size
    }

    /// Flat indices covered by the register.
    public var range: Range<Int> { start..<(start + size) }
}

/// A gate from the table applied to circuit qubits, optionally with extra controls.
///
/// The full operand list is `controls + qubits`; the unitary is `gate`'s matrix with
/// `controls.count` controls prepended (`GateMatrix.controlled`), first operand most significant.
/// Invariant kept by the front ends: `controls` is non-empty only if the gate has no controlled
/// form in the table (so `x` with one control is always stored as `cx`).
public struct GateApplication: Hashable, Sendable {
    /// The gate.
    public var gate: StandardGate
    /// Target operands, in the gate's operand order.
    public var qubits: [Int]
    /// Parameters (angles in rad), numeric or symbolic.
    public var parameters: [ParameterExpression]
    /// Extra control qubits, outermost first.
    public var controls: [Int]

    public init(_ gate: StandardGate, _ qubits: [Int], _ parameters: [ParameterExpression] = [],
                controls: [Int] = []) {
        self.gate = gate
        self.qubits = qubits
        self.parameters = parameters
        self.controls = controls
    }

    /// All operands, controls first.
    public var operands: [Int] { controls + qubits }

    /// The inverse application (exact inverse from the gate table; controls kept).
    public var inverse: GateApplication {
        let inv = gate.definition.inverse(parameters)
        return GateApplication(inv.gate, qubits, inv.parameters, controls: controls)
    }

    /// This application with one more control, mapped onto the table's controlled gate when
    /// there is one (`rx` → `crx`, `cx` → `ccx`).
    public func addingControl(_ control: Int) -> GateApplication {
        if controls.isEmpty, let controlled = gate.definition.controlled {
            let c = controlled(parameters)
            return GateApplication(c.gate, [control] + qubits, c.parameters)
        }
        return GateApplication(gate, qubits, parameters, controls: [control] + controls)
    }

    /// Numeric unitary over `operands` (first operand most significant).
    public func matrix(_ values: [String: Double] = [:]) throws -> GateMatrix {
        let numbers = try parameters.map { try $0.evaluate(values) }
        let base = gate.matrix(numbers)
        return controls.isEmpty ? base : base.controlled(controls.count)
    }
}

/// One operation of a circuit.
public enum Operation: Hashable, Sendable {
    /// A gate-table gate.
    case gate(GateApplication)
    /// Measure `qubit` in the Z basis and write the outcome to `clbit`.
    case measure(qubit: Int, clbit: Int)
    /// Reset `qubit` to |0⟩.
    case reset(qubit: Int)
    /// A scheduling barrier over `qubits`.
    case barrier(qubits: [Int])
    /// A gate declared `opaque` in OpenQASM 2: kept by name; simulators reject it.
    case opaque(name: String, qubits: [Int], parameters: [ParameterExpression])
    /// An explicit unitary (row-major, first operand most significant) on `qubits`.
    case unitary(GateMatrix, qubits: [Int])

    /// Qubits the operation touches, in operand order.
    public var qubits: [Int] {
        switch self {
        case .gate(let g): return g.operands
        case .measure(let q, _), .reset(let q): return [q]
        case .barrier(let qs), .opaque(_, let qs, _), .unitary(_, let qs): return qs
        }
    }
}

/// `if (clbits == value)`: the clbits read as an unsigned integer, lowest index least significant.
public struct ClassicalCondition: Hashable, Sendable {
    /// Flat clbit indices compared (usually a whole classical register).
    public var clbits: Range<Int>
    /// The value the clbits must hold for the operation to run.
    public var value: Int

    public init(clbits: Range<Int>, value: Int) {
        self.clbits = clbits
        self.value = value
    }
}

/// An operation with an optional classical condition.
public struct Instruction: Hashable, Sendable {
    public var operation: Operation
    public var condition: ClassicalCondition?

    public init(_ operation: Operation, condition: ClassicalCondition? = nil) {
        self.operation = operation
        self.condition = condition
    }
}

/// Why a circuit is malformed.
public enum CircuitError: Error, Hashable, Sendable, CustomStringConvertible {
    case qubitOutOfRange(Int, numQubits: Int)
    case clbitOutOfRange(Int, numClbits: Int)
    case duplicateOperand(Int)
    case wrongArity(gate: String, expected: Int, got: Int)
    case wrongParameterCount(gate: String, expected: Int, got: Int)
    case unboundParameters([String])
    case notInvertible(String)
    case badMatrix(String)

    public var description: String {
        switch self {
        case .qubitOutOfRange(let q, let n): return "qubit \(q) out of range (circuit has \(n))"
        case .clbitOutOfRange(let c, let n): return "clbit \(c) out of range (circuit has \(n))"
        case .duplicateOperand(let q): return "qubit \(q) appears twice in one operation"
        case .wrongArity(let g, let e, let n): return "gate '\(g)' takes \(e) qubits, got \(n)"
        case .wrongParameterCount(let g, let e, let n): return "gate '\(g)' takes \(e) parameters, got \(n)"
        case .unboundParameters(let names): return "unbound parameters: \(names.joined(separator: ", "))"
        case .notInvertible(let what): return "cannot invert \(what)"
        case .badMatrix(let why): return "bad unitary: \(why)"
        }
    }
}

/// A quantum circuit: qubits and clbits (flat indices, qubit 0 the least significant bit of a
/// basis-state index), the registers that name them, and the instructions in program order.
public struct Circuit: Hashable, Sendable {
    /// Number of qubits.
    public var numQubits: Int
    /// Number of classical bits.
    public var numClbits: Int
    /// Quantum registers in declaration order; empty when qubits are physical (`$k`).
    public var quantumRegisters: [Register]
    /// Classical registers in declaration order.
    public var classicalRegisters: [Register]
    /// The program, in order.
    public private(set) var instructions: [Instruction] = []

    /// A circuit with single registers named `q` and `c` (omitted when of size 0).
    public init(numQubits: Int, numClbits: Int = 0) {
        self.numQubits = numQubits
        self.numClbits = numClbits
        quantumRegisters = numQubits > 0 ? [Register(name: "q", start: 0, size: numQubits)] : []
        classicalRegisters = numClbits > 0 ? [Register(name: "c", start: 0, size: numClbits)] : []
    }

    /// A circuit with explicit registers; sizes are the sums of register sizes unless given.
    public init(quantumRegisters: [Register], classicalRegisters: [Register],
                numQubits: Int? = nil, numClbits: Int? = nil) {
        self.quantumRegisters = quantumRegisters
        self.classicalRegisters = classicalRegisters
        self.numQubits = numQubits ?? quantumRegisters.reduce(0) { $0 + $1.size }
        self.numClbits = numClbits ?? classicalRegisters.reduce(0) { $0 + $1.size }
    }

    /// Appends an instruction after validating it.
    public mutating func append(_ instruction: Instruction) throws {
        try validate(instruction)
        instructions.append(instruction)
    }

    /// Appends a gate; parameters may be numbers or symbols.
    public mutating func append(_ gate: StandardGate, _ qubits: [Int], _ parameters: [ParameterExpression] = [],
                                controls: [Int] = [], condition: ClassicalCondition? = nil) throws {
        try append(Instruction(.gate(GateApplication(gate, qubits, parameters, controls: controls)),
                               condition: condition))
    }

    /// Appends a measurement of `qubit` into `clbit`.
    public mutating func measure(_ qubit: Int, _ clbit: Int) throws {
        try append(Instruction(.measure(qubit: qubit, clbit: clbit)))
    }

    /// Appends a reset of `qubit`.
    public mutating func reset(_ qubit: Int) throws { try append(Instruction(.reset(qubit: qubit))) }

    /// Appends a barrier.
    public mutating func barrier(_ qubits: [Int]) throws { try append(Instruction(.barrier(qubits: qubits))) }

    /// Checks operand ranges, duplicate operands, arity and parameter counts.
    public func validate(_ instruction: Instruction) throws {
        let qubits = instruction.operation.qubits
        var seen = Set<Int>()
        for q in qubits {
            guard q >= 0, q < numQubits else { throw CircuitError.qubitOutOfRange(q, numQubits: numQubits) }
            guard seen.insert(q).inserted else { throw CircuitError.duplicateOperand(q) }
        }
        switch instruction.operation {
        case .gate(let g):
            let d = g.gate.definition
            guard g.qubits.count == d.arity else {
                throw CircuitError.wrongArity(gate: g.gate.rawValue, expected: d.arity, got: g.qubits.count)
            }
            guard g.parameters.count == d.parameterNames.count else {
                throw CircuitError.wrongParameterCount(gate: g.gate.rawValue, expected: d.parameterNames.count,
                                                       got: g.parameters.count)
            }
        case .measure(_, let c):
            guard c >= 0, c < numClbits else { throw CircuitError.clbitOutOfRange(c, numClbits: numClbits) }
        case .unitary(let m, let qs):
            guard m.dimension == 1 << qs.count else {
                throw CircuitError.badMatrix("dimension \(m.dimension) for \(qs.count) qubits")
            }
        case .reset, .barrier, .opaque: break
        }
        if let cond = instruction.condition {
            for c in [cond.clbits.lowerBound, cond.clbits.upperBound - 1] where c < 0 || c >= numClbits {
                throw CircuitError.clbitOutOfRange(c, numClbits: numClbits)
            }
        }
    }

    /// Validates every instruction.
    public func validate() throws { for i in instructions { try validate(i) } }

    /// Names of free (unbound) parameters, sorted.
    public var parameterNames: [String] {
        var names = Set<String>()
        for i in instructions {
            switch i.operation {
            case .gate(let g): for p in g.parameters { p.collectSymbols(into: &names) }
            case .opaque(_, _, let ps): for p in ps { p.collectSymbols(into: &names) }
            default: break
            }
        }
        return names.sorted()
    }

    /// The circuit with the given symbols replaced by numbers; others stay free.
    public func bind(_ values: [String: Double]) -> Circuit {
        var out = self
        out.instructions = instructions.map { i in
            var i = i
            switch i.operation {
            case .gate(var g):
                g.parameters = g.parameters.map { $0.binding(values) }
                i.operation = .gate(g)
            case .opaque(let n, let qs, let ps):
                i.operation = .opaque(name: n, qubits: qs, parameters: ps.map { $0.binding(values) })
            default: break
            }
            return i
        }
        return out
    }

    /// The inverse circuit (gates reversed and inverted); fails on measure, reset, opaque calls,
    /// and conditions, which have no inverse.
    public func inverted() throws -> Circuit {
        var out = self
        out.instructions = try instructions.reversed().map { i in
            guard i.condition == nil else { throw CircuitError.notInvertible("a conditioned operation") }
            switch i.operation {
            case .gate(let g): return Instruction(.gate(g.inverse))
            case .barrier: return i
            case .unitary(let m, let qs): return Instruction(.unitary(m.adjoint, qubits: qs))
            case .measure: throw CircuitError.notInvertible("measure")
            case .reset: throw CircuitError.notInvertible("reset")
            case .opaque(let n, _, _): throw CircuitError.notInvertible("opaque gate '\(n)'")
            }
        }
        return out
    }

    /// Appends already-validated instructions (used by the front ends).
    mutating func appendUnchecked(_ instruction: Instruction) { instructions.append(instruction) }
}
