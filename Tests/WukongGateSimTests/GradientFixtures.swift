// Fixtures of the gradient tests: random parameterized circuits over every parameterized gate of
// the table (with expression parameters and shared symbols), random Pauli sums, and tolerances.
import Numerics
import WukongCircuits
import WukongGateSim
import WukongNumerics

/// Adjoint vs parameter shift. Both are exact up to rounding, except the stencil derivative
/// matrix (≲ 5e-13 per entry, `GateDerivativeRules.stencilStep`); over ~40 gates, ‖H‖ ≤ ~6 and
/// chain factors ≤ ~3 the sum stays below ~1e-11, so 1e-10 leaves a 10× margin.
let gradientAgreementTolerance = 1e-10

/// Central-difference step and tolerance: truncation h²|f‴|/6 with |f‴| ≲ 10³ for these circuits
/// (frequencies ≤ 2 per gate, chain factors ≤ 3, up to ~40 gates, ‖H‖ ≲ 6) is ≲ 2e-8 at h = 1e-5,
/// and rounding ε‖H‖/h ≈ 1e-10; 1e-6 is the brief's tolerance and holds with margin.
let differenceStep = 1e-5
let differenceTolerance = 1e-6

/// Symbols of the random circuits.
let testSymbols = ["a", "b", "c", "d", "e", "f"]

/// A random gate parameter: a bare symbol most often, otherwise an affine map, a product, a
/// function of a symbol, or a constant.
func randomParameter(_ rng: inout SeededGenerator) -> ParameterExpression {
    func symbol() -> ParameterExpression { .symbol(testSymbols[Int(rng.next() % UInt64(testSymbols.count))]) }
    switch rng.next() % 8 {
    case 0: return ParameterExpression.constant(2) * symbol() + .constant(0.3)
    case 1: return symbol() * symbol()
    case 2: return .apply(.sin, symbol()) - symbol() / .constant(3)
    case 3: return .constant(rng.uniform() * 6 - 3)
    default: return symbol()
    }
}

/// Every parameterized gate, plus a few fixed ones so that generators meet entangled states.
let parameterizedTestGates: [StandardGate] = [
    .rx, .ry, .rz, .p, .u2, .u3, .rphi, .u4, .crx, .cry, .crz, .cp, .cu3, .cu, .cu4, .rxx, .ryy, .rzz, .rzx,
]
let fixedTestGates: [StandardGate] = [.h, .cx, .cz, .sx, .swap, .iswap]

/// A random circuit of `gateCount` gates on `n` qubits (n ≥ 3). About one gate in 12 carries an
/// extra control (rphi or ryy, which have no controlled form in the table).
func randomParameterizedCircuit(qubits n: Int, gates gateCount: Int, _ rng: inout SeededGenerator) -> Circuit {
    var circuit = Circuit(numQubits: n)
    for _ in 0..<gateCount {
        let roll = rng.next() % 12
        if roll == 0 {
            let gate: StandardGate = rng.next() % 2 == 0 ? .rphi : .ryy
            let qs = randomQubits(gate.arity + 1, of: n, &rng)
            let params = (0..<gate.parameterCount).map { _ in randomParameter(&rng) }
            try! circuit.append(gate, Array(qs.dropFirst()), params, controls: [qs[0]])
            continue
        }
        let pool = roll < 3 ? fixedTestGates : parameterizedTestGates
        let gate = pool[Int(rng.next() % UInt64(pool.count))]
        let qs = randomQubits(gate.arity, of: n, &rng)
        let params = (0..<gate.parameterCount).map { _ in randomParameter(&rng) }
        try! circuit.append(gate, qs, params)
    }
    return circuit
}

/// A random Pauli sum of `terms` terms with coefficients in [−1.5, 1.5].
func randomPauliSum(qubits n: Int, terms: Int, _ rng: inout SeededGenerator) -> PauliSum {
    PauliSum((0..<terms).map { _ in
        let letters = String((0..<n).map { _ in Pauli.allCases[Int(rng.next() % 4)].rawValue })
        return (coefficient: 3 * rng.uniform() - 1.5, pauli: PauliString(letters)!)
    })
}

/// A random parameter vector in [−π, π).
func randomAngles(_ count: Int, _ rng: inout SeededGenerator) -> [Double] {
    (0..<count).map { _ in (2 * rng.uniform() - 1) * .pi }
}

/// Largest entry-wise difference of two vectors.
func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}
