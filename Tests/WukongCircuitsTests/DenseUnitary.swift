// A tiny, obviously correct dense-unitary builder for checking gate-table entries and small
// circuits (≤ 4 qubits) in tests; not a simulator.
import Numerics
@testable import WukongCircuits

/// Tolerance for entries built from a handful of double-precision products: each product
/// contributes ~1e-16 relative error, and no checked unitary takes more than a few hundred
/// products, so 1e-12 leaves two orders of magnitude of slack.
let unitaryTolerance = 1e-12

/// Embeds `matrix` (first operand most significant) acting on `bits` (bit positions of the
/// full basis index) into a `2^n`-dimensional unitary.
func embed(_ matrix: GateMatrix, bits: [Int], n: Int) -> GateMatrix {
    let dim = 1 << n
    let k = bits.count
    var out = GateMatrix(Array(repeating: .zero, count: dim * dim))
    for column in 0..<dim {
        var local = 0
        for (j, b) in bits.enumerated() where column >> b & 1 == 1 { local |= 1 << (k - 1 - j) }
        for row in 0..<(1 << k) {
            let amplitude = matrix[row, local]
            if amplitude == .zero { continue }
            var target = column
            for (j, b) in bits.enumerated() {
                let bit = row >> (k - 1 - j) & 1
                target = (target & ~(1 << b)) | (bit << b)
            }
            out[target, column] = amplitude
        }
    }
    return out
}

/// The unitary of a circuit without measurements (qubit 0 least significant).
func circuitUnitary(_ circuit: Circuit, values: [String: Double] = [:]) throws -> GateMatrix {
    var u = GateMatrix.identity(1 << circuit.numQubits)
    for instruction in circuit.instructions {
        switch instruction.operation {
        case .gate(let g):
            let m = try g.matrix(values)
            u = embed(m, bits: g.operands, n: circuit.numQubits).multiplied(by: u)
        case .unitary(let m, let qs):
            u = embed(m, bits: qs, n: circuit.numQubits).multiplied(by: u)
        case .barrier: break
        default: fatalError("circuitUnitary: non-unitary operation \(instruction)")
        }
    }
    return u
}

/// The unitary of a gate-table decomposition, expanded recursively down to primitives when
/// `recursive` is set; operands are local (operand 0 most significant).
func decompositionUnitary(_ gate: StandardGate, _ params: [Double], recursive: Bool) -> GateMatrix {
    let n = gate.arity
    var u = GateMatrix.identity(1 << n)
    func apply(_ g: StandardGate, _ ops: [Int], _ ps: [ParameterExpression]) {
        let values = ps.map { $0.value! }
        if recursive, let d = g.definition.decomposition {
            for s in d(values.map { .constant($0) }) {
                apply(s.gate, s.operands.map { ops[$0] }, s.parameters)
            }
        } else {
            u = embed(g.matrix(values), bits: ops.map { n - 1 - $0 }, n: n).multiplied(by: u)
        }
    }
    for s in gate.definition.decomposition!(params.map { .constant($0) }) {
        apply(s.gate, s.operands, s.parameters)
    }
    return u
}

/// Deterministic pseudo-random angles (SplitMix64) so failures reproduce from the seed.
struct SeededAngles {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) / Double(1 << 53)) * 4 * .pi - 2 * .pi
    }
}
