// Inverse-pair cancellation: two adjacent gates on the same qubits whose product is the identity
// (up to global phase) are removed, repeatedly, so nested pairs (A B B† A†) vanish too.
import WukongCircuits

/// Removes adjacent inverse pairs: `cz·cz`, `rphi(θ, φ)·rphi(−θ, φ)` (also `rphi(θ, φ + π)`),
/// `rz(a)·rz(−a)`, and any table gate followed by its exact inverse on the same operands.
///
/// "Adjacent" means no other operation touches any of the pair's qubits in between. Conditioned
/// operations never cancel. Postcondition: unitary unchanged up to global phase; the gate count
/// never grows. - Complexity: O(g · q) per sweep, sweeps until nothing cancels.
public struct InverseCancellationPass: CompilerPass {
    public var name: String { "cancel-inverses" }
    public init() {}

    /// Tolerance on angles when deciding that a pair is an inverse (rad); far below any angle a
    /// program means, far above accumulated rounding (~1e-15).
    static let angleTolerance = 1e-10

    public func run(_ state: inout CompilationState, target: CompilerTarget) throws {
        var instructions = state.circuit.instructions
        var changed = true
        while changed {
            changed = false
            var removed = Set<Int>()
            var lastOnQubit = [Int?](repeating: nil, count: state.circuit.numQubits)
            for (i, instruction) in instructions.enumerated() {
                let qubits = instruction.operation.qubits
                let previous = qubits.map { lastOnQubit[$0] }
                if let p = previous.first ?? nil, previous.allSatisfy({ $0 == p }), !removed.contains(p),
                   Set(instructions[p].operation.qubits) == Set(qubits),
                   try Self.areInverse(instructions[p], instruction) {
                    removed.insert(p); removed.insert(i)
                    // The qubits' last live operation is now unknown; stop matching through this spot.
                    for q in qubits { lastOnQubit[q] = nil }
                    changed = true
                    continue
                }
                for q in qubits { lastOnQubit[q] = i }
            }
            if changed { instructions = instructions.enumerated().filter { !removed.contains($0.offset) }.map(\.element) }
        }
        var out = state.emptyCopy()
        for i in instructions { try out.append(i) }
        state.circuit = out
    }

    /// True when `b` after `a` is the identity up to global phase.
    static func areInverse(_ a: Instruction, _ b: Instruction) throws -> Bool {
        guard a.condition == nil, b.condition == nil,
              case .gate(let x) = a.operation, case .gate(let y) = b.operation,
              x.controls.isEmpty, y.controls.isEmpty else { return false }
        let xs = try x.parameters.map { try $0.evaluate() }, ys = try y.parameters.map { try $0.evaluate() }
        func same(_ u: Double, _ v: Double, period: Double) -> Bool {
            let d = (u - v).truncatingRemainder(dividingBy: period)
            return min(abs(d), period - abs(d)) < angleTolerance
        }
        switch (x.gate, y.gate) {
        case (.cz, .cz): return true
        case (.rz, .rz): return same(xs[0], -ys[0], period: 2 * .pi)
        case (.rphi, .rphi):
            // RPhi(θ, φ)† = RPhi(−θ, φ) = RPhi(θ, φ + π); θ has period 4π, but 2π only flips the sign.
            return (same(xs[0], -ys[0], period: 2 * .pi) && same(xs[1], ys[1], period: 2 * .pi))
                || (same(xs[0], ys[0], period: 2 * .pi) && same(xs[1], ys[1] + .pi, period: 2 * .pi))
        default:
            guard x.qubits == y.qubits || (x.gate == y.gate && x.gate == .swap) else { return false }
            let product = try y.matrix() * x.matrix()
            return product.distanceUpToGlobalPhase(to: .identity(product.dimension)) < angleTolerance
        }
    }
}
