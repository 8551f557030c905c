// The gate table: the only place a gate is defined (names, arity, parameters, matrix, inverse,
// controlled form, decomposition). Everything else in the package reads from here.
import Numerics

/// Lookup of gate-table entries by gate or by name.
public enum GateTable {
    /// The entry for `gate`.
    public static func definition(_ gate: StandardGate) -> GateDefinition { entries[gate]! }

    /// All entries, in `StandardGate.allCases` order.
    public static var all: [GateDefinition] { StandardGate.allCases.map { entries[$0]! } }

    /// Case-insensitive lookup by canonical name or alias (e.g. `CNOT`, `Toffoli`, `rphi`).
    public static func lookup(_ name: String) -> StandardGate? { byName[name.lowercased()] }

    /// Lookup by a language's own spelling. OpenQASM names are case-sensitive; OriginIR names are
    /// case-insensitive and fall back to canonical names and aliases.
    public static func lookup(_ name: String, dialect: GateDialect) -> StandardGate? {
        switch dialect {
        case .qasm2: return qasm2Names[name]
        case .qasm3: return qasm3Names[name]
        case .originIR: return originIRNames[name.uppercased()] ?? lookup(name)
        }
    }

    private static let entries: [StandardGate: GateDefinition] = {
        var table: [StandardGate: GateDefinition] = [:]
        for entry in makeEntries() {
            precondition(table[entry.gate] == nil, "gate \(entry.gate) defined twice")
            table[entry.gate] = entry
        }
        for gate in StandardGate.allCases { precondition(table[gate] != nil, "gate \(gate) undefined") }
        return table
    }()

    private static let byName: [String: StandardGate] = {
        var names: [String: StandardGate] = [:]
        for entry in entries.values {
            names[entry.gate.rawValue] = entry.gate
            for alias in entry.aliases {
                precondition(names[alias.lowercased()] == nil, "alias \(alias) is ambiguous")
                names[alias.lowercased()] = entry.gate
            }
        }
        return names
    }()

    private static func spellingIndex(_ dialect: GateDialect, uppercase: Bool) -> [String: StandardGate] {
        var names: [String: StandardGate] = [:]
        for entry in entries.values {
            for name in entry.spellings(in: dialect) {
                let key = uppercase ? name.uppercased() : name
                precondition(names[key] == nil, "\(dialect) name \(name) is ambiguous")
                names[key] = entry.gate
            }
        }
        return names
    }
    private static let qasm2Names = spellingIndex(.qasm2, uppercase: false)
    private static let qasm3Names = spellingIndex(.qasm3, uppercase: false)
    private static let originIRNames = spellingIndex(.originIR, uppercase: true)
}

// MARK: - The entries

// Builders shared by the entries here and in GateTable+Multi.swift.
typealias E = ParameterExpression
let pi = E.constant(.pi)
func step(_ g: StandardGate, _ q: [Int], _ p: [E] = []) -> GateStep { GateStep(g, q, p) }
func same(_ g: StandardGate) -> @Sendable ([E]) -> ParameterizedGate { { ParameterizedGate(g, $0) } }
func negated(_ g: StandardGate) -> @Sendable ([E]) -> ParameterizedGate {
    { ParameterizedGate(g, $0.map { -$0 }) }
}

func entry(
    _ gate: StandardGate, arity: Int, parameters: [String] = [], aliases: [String] = [],
    qasm2: [String] = [], qasm3: [String] = [], originIR: [String] = [],
    matrix: @escaping @Sendable ([Double]) -> GateMatrix,
    inverse: @escaping @Sendable ([E]) -> ParameterizedGate,
    controlled: (@Sendable ([E]) -> ParameterizedGate)? = nil,
    decomposition: (@Sendable ([E]) -> [GateStep])? = nil
) -> GateDefinition {
    GateDefinition(gate: gate, arity: arity, parameterNames: parameters, aliases: aliases,
                   spellings: [.qasm2: qasm2, .qasm3: qasm3, .originIR: originIR],
                   matrix: matrix, inverse: inverse, controlled: controlled,
                   decomposition: decomposition)
}

private let invSqrt2 = 1 / Double(2).squareRoot()

func makeEntries() -> [GateDefinition] {
    singleQubitEntries() + twoQubitEntries() + threeQubitEntries()
}

private func singleQubitEntries() -> [GateDefinition] {
    @Sendable func c(_ re: Double, _ im: Double = 0) -> Complex<Double> { Complex(re, im) }
    return [
        entry(.id, arity: 1, aliases: ["i", "echo"], qasm2: ["id"], qasm3: ["id"], originIR: ["I", "ECHO"],
              matrix: { _ in .identity(2) }, inverse: same(.id)),
        entry(.x, arity: 1, qasm2: ["x"], qasm3: ["x"], originIR: ["X"],
              matrix: { _ in M.pauliX }, inverse: same(.x), controlled: { _ in .init(.cx) },
              decomposition: { _ in [step(.u3, [0], [pi, 0, pi])] }),
        entry(.y, arity: 1, qasm2: ["y"], qasm3: ["y"], originIR: ["Y"],
              matrix: { _ in M.pauliY }, inverse: same(.y), controlled: { _ in .init(.cy) },
              decomposition: { _ in [step(.u3, [0], [pi, pi / 2, pi / 2])] }),
        entry(.z, arity: 1, qasm2: ["z"], qasm3: ["z"], originIR: ["Z"],
              matrix: { _ in M.pauliZ }, inverse: same(.z), controlled: { _ in .init(.cz) },
              decomposition: { _ in [step(.p, [0], [pi])] }),
        entry(.h, arity: 1, qasm2: ["h"], qasm3: ["h"], originIR: ["H"],
              matrix: { _ in GateMatrix([c(invSqrt2), c(invSqrt2), c(invSqrt2), c(-invSqrt2)]) },
              inverse: same(.h), controlled: { _ in .init(.ch) },
              decomposition: { _ in [step(.u2, [0], [0, pi])] }),
        entry(.s, arity: 1, qasm2: ["s"], qasm3: ["s"], originIR: ["S"],
              matrix: { _ in .diagonal([.one, M.i]) }, inverse: same(.sdg),
              decomposition: { _ in [step(.p, [0], [pi / 2])] }),
        entry(.sdg, arity: 1, qasm2: ["sdg"], qasm3: ["sdg"],
              matrix: { _ in .diagonal([.one, -M.i]) }, inverse: same(.s),
              decomposition: { _ in [step(.p, [0], [-pi / 2])] }),
        entry(.t, arity: 1, qasm2: ["t"], qasm3: ["t"], originIR: ["T"],
              matrix: { _ in .diagonal([.one, M.phase(.pi / 4)]) }, inverse: same(.tdg),
              decomposition: { _ in [step(.p, [0], [pi / 4])] }),
        entry(.tdg, arity: 1, qasm2: ["tdg"], qasm3: ["tdg"],
              matrix: { _ in .diagonal([.one, M.phase(-.pi / 4)]) }, inverse: same(.t),
              decomposition: { _ in [step(.p, [0], [-pi / 4])] }),
        entry(.sx, arity: 1, qasm2: ["sx"], qasm3: ["sx"],
              matrix: { _ in GateMatrix([c(0.5, 0.5), c(0.5, -0.5), c(0.5, -0.5), c(0.5, 0.5)]) },
              inverse: same(.sxdg), controlled: { _ in .init(.csx) },
              decomposition: { _ in [step(.sdg, [0]), step(.h, [0]), step(.sdg, [0])] }),
        entry(.sxdg, arity: 1, qasm2: ["sxdg"],
              matrix: { _ in GateMatrix([c(0.5, -0.5), c(0.5, 0.5), c(0.5, 0.5), c(0.5, -0.5)]) },
              inverse: same(.sx), controlled: { _ in .init(.csxdg) },
              decomposition: { _ in [step(.s, [0]), step(.h, [0]), step(.s, [0])] }),
        entry(.x1, arity: 1, originIR: ["X1"], matrix: { _ in M.rotation(.pi / 2, M.pauliX) },
              inverse: { _ in .init(.rx, [-pi / 2]) }, decomposition: { _ in [step(.rx, [0], [pi / 2])] }),
        entry(.y1, arity: 1, originIR: ["Y1"], matrix: { _ in M.rotation(.pi / 2, M.pauliY) },
              inverse: { _ in .init(.ry, [-pi / 2]) }, decomposition: { _ in [step(.ry, [0], [pi / 2])] }),
        entry(.z1, arity: 1, originIR: ["Z1"], matrix: { _ in M.rotation(.pi / 2, M.pauliZ) },
              inverse: { _ in .init(.rz, [-pi / 2]) }, decomposition: { _ in [step(.rz, [0], [pi / 2])] }),
        entry(.rx, arity: 1, parameters: ["theta"], qasm2: ["rx"], qasm3: ["rx"], originIR: ["RX"],
              matrix: { M.rotation($0[0], M.pauliX) }, inverse: negated(.rx), controlled: same(.crx),
              decomposition: { [step(.u3, [0], [$0[0], -pi / 2, pi / 2])] }),
        entry(.ry, arity: 1, parameters: ["theta"], qasm2: ["ry"], qasm3: ["ry"], originIR: ["RY"],
              matrix: { M.rotation($0[0], M.pauliY) }, inverse: negated(.ry), controlled: same(.cry),
              decomposition: { [step(.u3, [0], [$0[0], 0, 0])] }),
        entry(.rz, arity: 1, parameters: ["phi"], qasm2: ["rz"], qasm3: ["rz"], originIR: ["RZ"],
              matrix: { M.rotation($0[0], M.pauliZ) }, inverse: negated(.rz), controlled: same(.crz),
              decomposition: { [step(.p, [0], [$0[0]])] }),
        entry(.p, arity: 1, parameters: ["lambda"], aliases: ["phase", "u1"],
              qasm2: ["u1", "p"], qasm3: ["p", "phase", "u1"], originIR: ["U1", "P"],
              matrix: { .diagonal([.one, M.phase($0[0])]) }, inverse: negated(.p), controlled: same(.cp),
              decomposition: { [step(.u3, [0], [0, 0, $0[0]])] }),
        entry(.u2, arity: 1, parameters: ["phi", "lambda"], qasm2: ["u2"], qasm3: ["u2"], originIR: ["U2"],
              matrix: { M.u3(.pi / 2, $0[0], $0[1]) },
              inverse: { .init(.u3, [-pi / 2, -$0[1], -$0[0]]) },
              controlled: { .init(.cu3, [pi / 2, $0[0], $0[1]]) },
              decomposition: { [step(.u3, [0], [pi / 2, $0[0], $0[1]])] }),
        entry(.u3, arity: 1, parameters: ["theta", "phi", "lambda"], aliases: ["u"],
              qasm2: ["u3", "u", "U"], qasm3: ["u3", "U"], originIR: ["U3"],
              matrix: { M.u3($0[0], $0[1], $0[2]) },
              inverse: { .init(.u3, [-$0[0], -$0[2], -$0[1]]) }, controlled: same(.cu3)),
        entry(.rphi, arity: 1, parameters: ["theta", "phi"], originIR: ["RPHI"],
              matrix: { M.rphi($0[0], $0[1]) }, inverse: { .init(.rphi, [-$0[0], $0[1]]) },
              decomposition: { [step(.u3, [0], [$0[0], $0[1] - pi / 2, pi / 2 - $0[1]])] }),
        entry(.u4, arity: 1, parameters: ["alpha", "beta", "gamma", "delta"], originIR: ["U4"],
              matrix: { p in
                  let rotation = M.rotation(p[1], M.pauliZ).multiplied(by: M.rotation(p[2], M.pauliY))
                  return rotation.multiplied(by: M.rotation(p[3], M.pauliZ)).scaled(by: M.phase(p[0]))
              },
              inverse: { .init(.u4, [-$0[0], -$0[3], -$0[2], -$0[1]]) }, controlled: same(.cu4),
              decomposition: { [step(.u3, [0], [$0[2], $0[1], $0[3]])] }),
    ]
}
