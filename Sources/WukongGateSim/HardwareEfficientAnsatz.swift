// The hardware-efficient ansatz (RY·RZ on every qubit, then an entangling ladder, repeated):
// the circuit family of the tests, the gradient benchmark and the trainer's adapters.
import WukongCircuits

/// A hardware-efficient ansatz on n qubits with L layers. Layer ℓ applies `RY(θ_{ℓ,q,0})` then
/// `RZ(θ_{ℓ,q,1})` to every qubit q, then the entangler on (0,1), (1,2), …, (n−2, n−1).
/// It has 2·n·L parameters, named `"<prefix>_<ℓ>_<q>_<k>"` with zero-padded numbers so that
/// `Circuit.parameterNames` (sorted) lists them in construction order.
public struct HardwareEfficientAnsatz: Sendable {
    /// The two-qubit gate of the ladder.
    public enum Entangler: String, Sendable, CaseIterable {
        case cz, cx
    }

    /// Number of qubits n.
    public let qubitCount: Int
    /// Number of layers L.
    public let layerCount: Int
    /// The symbolic circuit.
    public let circuit: Circuit
    /// Symbol names in construction order (layer, qubit, then RY before RZ).
    public let parameterNames: [String]

    /// Builds the ansatz.
    /// - Complexity: O(n·L).
    public init(qubits n: Int, layers: Int, entangler: Entangler = .cz, prefix: String = "theta") {
        precondition(n >= 1 && n <= StateVector.maxQubitCount, "qubit count must be in 1...\(StateVector.maxQubitCount)")
        precondition(layers >= 0 && layers <= 9999, "layer count must be in 0...9999")
        func padded(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var circuit = Circuit(numQubits: n)
        var names: [String] = []
        for layer in 0..<layers {
            for q in 0..<n {
                for (k, gate) in [StandardGate.ry, .rz].enumerated() {
                    let name = "\(prefix)_\(padded(layer, 4))_\(padded(q, 2))_\(k)"
                    names.append(name)
                    // Operands are in range and the parameter count matches: append cannot fail.
                    try! circuit.append(gate, [q], [.symbol(name)])
                }
            }
            for q in 0..<(n - 1) {
                try! circuit.append(entangler == .cz ? .cz : .cx, [q, q + 1])
            }
        }
        self.qubitCount = n
        self.layerCount = layers
        self.circuit = circuit
        self.parameterNames = names
    }

    /// Number of parameters, 2·n·L.
    public var parameterCount: Int { parameterNames.count }

    /// The compiled circuit, parameter vector in `parameterNames` order.
    public func compiled() -> CompiledCircuit {
        // Built from table gates with bare symbols on at most two qubits: compilation cannot fail.
        try! CompiledCircuit(circuit, parameterOrder: parameterNames)
    }
}
