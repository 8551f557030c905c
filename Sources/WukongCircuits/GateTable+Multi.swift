// Gate-table entries for two- and three-qubit gates (continuation of GateTable.swift).
import Numerics

// The builders (`E`, `pi`, `step`, `same`, `negated`, `entry`) live in GateTable.swift.

/// Controlled-U decomposition (Qiskit's `cu` recipe): control 0, target 1, U = e^{iγ} U3(θ,φ,λ).
private func controlledU3Steps(_ theta: E, _ phi: E, _ lambda: E, _ gamma: E?) -> [GateStep] {
    var steps: [GateStep] = []
    if let gamma { steps.append(step(.p, [0], [gamma])) }
    steps += [
        step(.p, [0], [(lambda + phi) / 2]),
        step(.p, [1], [(lambda - phi) / 2]),
        step(.cx, [0, 1]),
        step(.u3, [1], [-theta / 2, 0, -(phi + lambda) / 2]),
        step(.cx, [0, 1]),
        step(.u3, [1], [theta / 2, phi, 0]),
    ]
    return steps
}

func twoQubitEntries() -> [GateDefinition] {
    let swapMatrix = GateMatrix([
        .one, .zero, .zero, .zero, .zero, .zero, .one, .zero,
        .zero, .one, .zero, .zero, .zero, .zero, .zero, .one,
    ])
    let sx = StandardGate.sx
    return [
        entry(.cx, arity: 2, aliases: ["cnot"], qasm2: ["cx", "CX"], qasm3: ["cx", "CX"], originIR: ["CNOT"],
              matrix: { _ in M.pauliX.controlled() }, inverse: same(.cx), controlled: { _ in .init(.ccx) }),
        entry(.cy, arity: 2, qasm2: ["cy"], qasm3: ["cy"],
              matrix: { _ in M.pauliY.controlled() }, inverse: same(.cy),
              decomposition: { _ in [step(.sdg, [1]), step(.cx, [0, 1]), step(.s, [1])] }),
        entry(.cz, arity: 2, qasm2: ["cz"], qasm3: ["cz"], originIR: ["CZ"],
              matrix: { _ in M.pauliZ.controlled() }, inverse: same(.cz),
              decomposition: { _ in [step(.h, [1]), step(.cx, [0, 1]), step(.h, [1])] }),
        entry(.ch, arity: 2, qasm2: ["ch"], qasm3: ["ch"],
              matrix: { _ in StandardGate.h.matrix().controlled() }, inverse: same(.ch),
              decomposition: { _ in [step(.s, [1]), step(.h, [1]), step(.t, [1]), step(.cx, [0, 1]),
                                     step(.tdg, [1]), step(.h, [1]), step(.sdg, [1])] }),
        entry(.swap, arity: 2, qasm2: ["swap"], qasm3: ["swap"], originIR: ["SWAP"],
              matrix: { _ in swapMatrix }, inverse: same(.swap), controlled: { _ in .init(.cswap) },
              decomposition: { _ in [step(.cx, [0, 1]), step(.cx, [1, 0]), step(.cx, [0, 1])] }),
        entry(.iswap, arity: 2, originIR: ["ISWAP"],
              matrix: { _ in M.xyExchange(.pi / 2) }, inverse: same(.iswapdg),
              decomposition: { _ in [step(.s, [0]), step(.s, [1]), step(.h, [0]), step(.cx, [0, 1]),
                                     step(.cx, [1, 0]), step(.h, [1])] }),
        entry(.iswapdg, arity: 2,
              matrix: { _ in M.xyExchange(-.pi / 2) }, inverse: same(.iswap),
              decomposition: { _ in [step(.h, [1]), step(.cx, [1, 0]), step(.cx, [0, 1]), step(.h, [0]),
                                     step(.sdg, [1]), step(.sdg, [0])] }),
        entry(.sqiswap, arity: 2, originIR: ["SQISWAP"],
              matrix: { _ in M.xyExchange(.pi / 4) }, inverse: same(.sqiswapdg),
              decomposition: { _ in [step(.rxx, [0, 1], [-pi / 4]), step(.ryy, [0, 1], [-pi / 4])] }),
        entry(.sqiswapdg, arity: 2,
              matrix: { _ in M.xyExchange(-.pi / 4) }, inverse: same(.sqiswap),
              decomposition: { _ in [step(.rxx, [0, 1], [pi / 4]), step(.ryy, [0, 1], [pi / 4])] }),
        entry(.cp, arity: 2, parameters: ["lambda"], aliases: ["cphase", "cu1", "cr"],
              qasm2: ["cu1", "cp"], qasm3: ["cp", "cphase", "cu1"], originIR: ["CR", "CP"],
              matrix: { StandardGate.p.matrix($0).controlled() }, inverse: negated(.cp),
              decomposition: { [step(.p, [0], [$0[0] / 2]), step(.cx, [0, 1]), step(.p, [1], [-$0[0] / 2]),
                                step(.cx, [0, 1]), step(.p, [1], [$0[0] / 2])] }),
        entry(.crx, arity: 2, parameters: ["theta"], qasm2: ["crx"], qasm3: ["crx"],
              matrix: { StandardGate.rx.matrix($0).controlled() }, inverse: negated(.crx),
              decomposition: { [step(.s, [1]), step(.cx, [0, 1]), step(.u3, [1], [-$0[0] / 2, 0, 0]),
                                step(.cx, [0, 1]), step(.u3, [1], [$0[0] / 2, -pi / 2, 0])] }),
        entry(.cry, arity: 2, parameters: ["theta"], qasm2: ["cry"], qasm3: ["cry"],
              matrix: { StandardGate.ry.matrix($0).controlled() }, inverse: negated(.cry),
              decomposition: { [step(.ry, [1], [$0[0] / 2]), step(.cx, [0, 1]), step(.ry, [1], [-$0[0] / 2]),
                                step(.cx, [0, 1])] }),
        entry(.crz, arity: 2, parameters: ["theta"], qasm2: ["crz"], qasm3: ["crz"],
              matrix: { StandardGate.rz.matrix($0).controlled() }, inverse: negated(.crz),
              decomposition: { [step(.rz, [1], [$0[0] / 2]), step(.cx, [0, 1]), step(.rz, [1], [-$0[0] / 2]),
                                step(.cx, [0, 1])] }),
        entry(.cu3, arity: 2, parameters: ["theta", "phi", "lambda"], qasm2: ["cu3"],
              matrix: { StandardGate.u3.matrix($0).controlled() },
              inverse: { .init(.cu3, [-$0[0], -$0[2], -$0[1]]) },
              decomposition: { controlledU3Steps($0[0], $0[1], $0[2], nil) }),
        entry(.cu, arity: 2, parameters: ["theta", "phi", "lambda", "gamma"], qasm2: ["cu"], qasm3: ["cu"],
              matrix: { p in StandardGate.u3.matrix(Array(p[0..<3])).scaled(by: M.phase(p[3])).controlled() },
              inverse: { .init(.cu, [-$0[0], -$0[2], -$0[1], -$0[3]]) },
              decomposition: { controlledU3Steps($0[0], $0[1], $0[2], $0[3]) }),
        entry(.cu4, arity: 2, parameters: ["alpha", "beta", "gamma", "delta"], originIR: ["CU"],
              matrix: { StandardGate.u4.matrix($0).controlled() },
              inverse: { .init(.cu4, [-$0[0], -$0[3], -$0[2], -$0[1]]) },
              // RZ(β)RY(γ)RZ(δ) = e^{−i(β+δ)/2} U3(γ,β,δ), so cu4 is cu with γ' = α − (β+δ)/2.
              decomposition: { p in [step(.cu, [0, 1], [p[2], p[1], p[3], p[0] - (p[1] + p[3]) / 2])] }),
        entry(.csx, arity: 2, qasm2: ["csx"],
              matrix: { _ in sx.matrix().controlled() }, inverse: same(.csxdg),
              decomposition: { _ in [step(.h, [1]), step(.cp, [0, 1], [pi / 2]), step(.h, [1])] }),
        entry(.csxdg, arity: 2,
              matrix: { _ in StandardGate.sxdg.matrix().controlled() }, inverse: same(.csx),
              decomposition: { _ in [step(.h, [1]), step(.cp, [0, 1], [-pi / 2]), step(.h, [1])] }),
        entry(.rxx, arity: 2, parameters: ["theta"], qasm2: ["rxx"], originIR: ["RXX"],
              matrix: { M.rotation($0[0], M.pauliX.kron(M.pauliX)) }, inverse: negated(.rxx),
              decomposition: { [step(.h, [0]), step(.h, [1]), step(.cx, [0, 1]), step(.rz, [1], [$0[0]]),
                                step(.cx, [0, 1]), step(.h, [0]), step(.h, [1])] }),
        entry(.ryy, arity: 2, parameters: ["theta"], originIR: ["RYY"],
              matrix: { M.rotation($0[0], M.pauliY.kron(M.pauliY)) }, inverse: negated(.ryy),
              decomposition: { [step(.rx, [0], [pi / 2]), step(.rx, [1], [pi / 2]), step(.cx, [0, 1]),
                                step(.rz, [1], [$0[0]]), step(.cx, [0, 1]),
                                step(.rx, [0], [-pi / 2]), step(.rx, [1], [-pi / 2])] }),
        entry(.rzz, arity: 2, parameters: ["theta"], qasm2: ["rzz"], originIR: ["RZZ"],
              matrix: { M.rotation($0[0], M.pauliZ.kron(M.pauliZ)) }, inverse: negated(.rzz),
              decomposition: { [step(.cx, [0, 1]), step(.rz, [1], [$0[0]]), step(.cx, [0, 1])] }),
        entry(.rzx, arity: 2, parameters: ["theta"], originIR: ["RZX"],
              matrix: { M.rotation($0[0], M.pauliZ.kron(M.pauliX)) }, inverse: negated(.rzx),
              decomposition: { [step(.h, [1]), step(.cx, [0, 1]), step(.rz, [1], [$0[0]]),
                                step(.cx, [0, 1]), step(.h, [1])] }),
    ]
}

func threeQubitEntries() -> [GateDefinition] {
    [
        entry(.ccx, arity: 3, aliases: ["toffoli"], qasm2: ["ccx"], qasm3: ["ccx"], originIR: ["TOFFOLI"],
              matrix: { _ in M.pauliX.controlled(2) }, inverse: same(.ccx),
              decomposition: { _ in [
                  step(.h, [2]), step(.cx, [1, 2]), step(.tdg, [2]), step(.cx, [0, 2]), step(.t, [2]),
                  step(.cx, [1, 2]), step(.tdg, [2]), step(.cx, [0, 2]), step(.t, [1]), step(.t, [2]),
                  step(.h, [2]), step(.cx, [0, 1]), step(.t, [0]), step(.tdg, [1]), step(.cx, [0, 1]),
              ] }),
        entry(.cswap, arity: 3, aliases: ["fredkin"], qasm2: ["cswap"], qasm3: ["cswap"], originIR: ["CSWAP"],
              matrix: { _ in StandardGate.swap.matrix().controlled() }, inverse: same(.cswap),
              decomposition: { _ in [step(.cx, [2, 1]), step(.ccx, [0, 1, 2]), step(.cx, [2, 1])] }),
    ]
}
