// Generators for the gate-level benchmark circuits (issue 3, item 5): QFT, GHZ, random brickwork,
// a hardware-efficient ansatz, and random circuits over the whole gate table for validation.
// Each is an ordinary `Circuit`, so the same object can be timed here and exported to OpenQASM 2
// for the reference simulators (scripts/bench/gate_reference.py) — both sides run one circuit.
import Foundation
import WukongCircuits
import WukongNumerics

/// The benchmark circuits, exactly defined so that the Python side can run the identical circuit
/// (it loads the OpenQASM 2 that `wukong bench gate --export-qasm` writes).
public enum GateBenchmarks {
    /// One benchmark circuit family with its size.
    public enum Spec: Hashable, Sendable, CustomStringConvertible {
        /// QFT on n qubits (`qft:N`).
        case qft(qubits: Int)
        /// GHZ state preparation on n qubits (`ghz:N`).
        case ghz(qubits: Int)
        /// Random brickwork, n qubits × L layers (`brickwork:NxL`).
        case brickwork(qubits: Int, layers: Int)
        /// Hardware-efficient ansatz, n qubits × L layers, timed as an expectation value (`ansatz:NxL`).
        case ansatz(qubits: Int, layers: Int)
        /// Random circuit over the whole gate table, n qubits × G gates (`random:NxG`).
        case random(qubits: Int, gates: Int)
        /// Random circuit over the gates OpenQASM 2 (Qiskit's qelib1.inc) spells directly, so that a
        /// reader gets the exact table matrix rather than a decomposition (`randomq2:NxG`).
        case randomQASM2(qubits: Int, gates: Int)

        /// Parses `qft:20`, `ghz:26`, `brickwork:24x20`, `ansatz:12x8`, `random:6x80`.
        public init?(_ text: String) {
            let parts = text.lowercased().split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            let sizes = parts[1].split(separator: "x").compactMap { Int($0) }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 }) else { return nil }
            switch (parts[0], sizes.count) {
            case ("qft", 1): self = .qft(qubits: sizes[0])
            case ("ghz", 1): self = .ghz(qubits: sizes[0])
            case ("brickwork", 2): self = .brickwork(qubits: sizes[0], layers: sizes[1])
            case ("ansatz", 2): self = .ansatz(qubits: sizes[0], layers: sizes[1])
            case ("random", 2) where sizes[0] >= 3: self = .random(qubits: sizes[0], gates: sizes[1])
            case ("randomq2", 2) where sizes[0] >= 3: self = .randomQASM2(qubits: sizes[0], gates: sizes[1])
            default: return nil
            }
        }

        /// The text form accepted by `init?(_:)`.
        public var description: String {
            switch self {
            case .qft(let n): return "qft:\(n)"
            case .ghz(let n): return "ghz:\(n)"
            case let .brickwork(n, l): return "brickwork:\(n)x\(l)"
            case let .ansatz(n, l): return "ansatz:\(n)x\(l)"
            case let .random(n, g): return "random:\(n)x\(g)"
            case let .randomQASM2(n, g): return "randomq2:\(n)x\(g)"
            }
        }

        /// A file-name-safe form, e.g. `brickwork_24x20`.
        public var fileStem: String { description.replacingOccurrences(of: ":", with: "_") }

        /// Register size.
        public var qubitCount: Int {
            switch self {
            case .qft(let n), .ghz(let n), .brickwork(let n, _), .ansatz(let n, _), .random(let n, _),
                 .randomQASM2(let n, _): return n
            }
        }

        /// Whether the figure is an expectation value (the ansatz) rather than a final state.
        public var isExpectation: Bool { if case .ansatz = self { return true } else { return false } }

        /// The circuit, with every parameter bound (ansatz parameters from `ansatzParameters`).
        public func circuit(seed: UInt64) -> Circuit {
            switch self {
            case .qft(let n): return GateBenchmarks.qftOfProductState(qubits: n)
            case .ghz(let n): return GateBenchmarks.ghz(qubits: n)
            case let .brickwork(n, l): return GateBenchmarks.brickwork(qubits: n, layers: l, seed: seed)
            case let .ansatz(n, l):
                let c = GateBenchmarks.hardwareEfficientAnsatz(qubits: n, layers: l)
                return c.bind(GateBenchmarks.ansatzParameters(qubits: n, layers: l, seed: seed))
            case let .random(n, g): return GateBenchmarks.randomCircuit(qubits: n, gates: g, seed: seed)
            case let .randomQASM2(n, g):
                return GateBenchmarks.randomCircuit(qubits: n, gates: g, seed: seed, pool: GateBenchmarks.qasm2GatePool)
            }
        }
    }

    /// The benchmark set: QFT 20/24/26, GHZ 26, brickwork 24 × 20, ansatz 12 and 20 × 8.
    public static let fullSet: [Spec] = [
        .qft(qubits: 20), .qft(qubits: 24), .qft(qubits: 26), .ghz(qubits: 26),
        .brickwork(qubits: 24, layers: 20), .ansatz(qubits: 12, layers: 8), .ansatz(qubits: 20, layers: 8),
    ]

    /// The quick set (≤ 20 qubits) for a short run.
    public static let quickSet: [Spec] = [
        .qft(qubits: 20), .ghz(qubits: 20), .brickwork(qubits: 20, layers: 20),
        .ansatz(qubits: 12, layers: 8), .ansatz(qubits: 20, layers: 8),
    ]

    private static func add(_ c: inout Circuit, _ g: StandardGate, _ qubits: [Int], _ ps: [ParameterExpression] = []) {
        // The generators only build valid instructions; a failure here is a bug in this file.
        do { try c.append(g, qubits, ps) } catch { preconditionFailure("benchmark generator: \(error)") }
    }

    /// The quantum Fourier transform, `QFT|x⟩ = 2^{−n/2} Σ_y e^{2πi·xy/2ⁿ} |y⟩`, with x and y read
    /// with qubit 0 as the least significant bit (so the unitary equals the DFT matrix
    /// `F[y][x] = ω^{xy}/√N`, ω = e^{2πi/N}).
    ///
    /// Gates: for j = n−1 down to 0, `h q[j]` then `cp(π/2^{j−k}) q[k], q[j]` for k = j−1 down to 0;
    /// finally `swap q[i], q[n−1−i]` for i < n/2. That is n(n+1)/2 + ⌊n/2⌋ gates.
    public static func qft(qubits n: Int) -> Circuit {
        var c = Circuit(numQubits: n)
        for j in stride(from: n - 1, through: 0, by: -1) {
            add(&c, .h, [j])
            for k in stride(from: j - 1, through: 0, by: -1) {
                add(&c, .cp, [k, j], [.constant(Double.pi / Double(1 << (j - k)))])
            }
        }
        for i in 0..<(n / 2) { add(&c, .swap, [i, n - 1 - i]) }
        return c
    }

    /// The benchmark's `qft:N`: `ry(θ_q)` with θ_q = π·(q+1)/(n+2) on every qubit, then `qft(qubits:)`.
    /// From |0…0⟩ every controlled phase of a QFT has a control still in |0⟩ and is the identity (a
    /// simulator that tracks untouched qubits runs only the Hadamards), so the benchmark transforms a
    /// dense product state instead; every tool gets the same circuit.
    public static func qftOfProductState(qubits n: Int) -> Circuit {
        var c = Circuit(numQubits: n)
        for q in 0..<n { add(&c, .ry, [q], [.constant(Double.pi * Double(q + 1) / Double(n + 2))]) }
        for i in qft(qubits: n).instructions { try! c.append(i) }
        return c
    }

    /// GHZ preparation `(|0…0⟩ + |1…1⟩)/√2`: `h q[0]`, then the chain `cx q[k], q[k+1]`, k = 0…n−2.
    public static func ghz(qubits n: Int) -> Circuit {
        var c = Circuit(numQubits: n)
        add(&c, .h, [0])
        for k in 0..<(n - 1) { add(&c, .cx, [k, k + 1]) }
        return c
    }

    /// Random brickwork, n qubits × L layers, reproducible from `seed`.
    ///
    /// Layer ℓ (0-based): `u3(θ, φ, λ)` on every qubit q = 0…n−1 in order, with θ, φ, λ drawn in
    /// that order from `SeededGenerator(seed)` as 2π·uniform(); then `cz q[k], q[k+1]` for
    /// k = ℓ mod 2, ℓ mod 2 + 2, … while k + 1 < n. So a layer is n dense 1-qubit gates and
    /// ⌊(n − ℓ mod 2)/2⌋ CZ bricks; two layers entangle every neighbouring pair (u3 ⊗ u3 · CZ is a
    /// generic-looking 2-qubit brick, and keeps the circuit expressible in every reference tool).
    public static func brickwork(qubits n: Int, layers: Int, seed: UInt64) -> Circuit {
        var rng = SeededGenerator(seed: seed)
        var c = Circuit(numQubits: n)
        for layer in 0..<layers {
            for q in 0..<n {
                let angles = (0..<3).map { _ in ParameterExpression.constant(2 * Double.pi * rng.uniform()) }
                add(&c, .u3, [q], angles)
            }
            var k = layer % 2
            while k + 1 < n {
                add(&c, .cz, [k, k + 1])
                k += 2
            }
        }
        return c
    }

    /// Name of ansatz parameter `index` (layer-major: layer ℓ, qubit q, RY before RZ →
    /// index 2(ℓ·n + q) for RY and 2(ℓ·n + q) + 1 for RZ).
    public static func ansatzParameterName(_ index: Int) -> String { "theta_\(index)" }

    /// The hardware-efficient ansatz, n qubits × L layers, 2nL symbolic parameters `theta_k`.
    ///
    /// Layer ℓ: `ry(theta_{2(ℓn+q)}) q[q]` and `rz(theta_{2(ℓn+q)+1}) q[q]` for q = 0…n−1, then the CZ
    /// ladder `cz q[k], q[k+1]` for k = 0…n−2. At 12 × 8 that is 192 parameters.
    public static func hardwareEfficientAnsatz(qubits n: Int, layers: Int) -> Circuit {
        var c = Circuit(numQubits: n)
        for layer in 0..<layers {
            for q in 0..<n {
                let base = 2 * (layer * n + q)
                add(&c, .ry, [q], [.symbol(ansatzParameterName(base))])
                add(&c, .rz, [q], [.symbol(ansatzParameterName(base + 1))])
            }
            for k in 0..<(n - 1) { add(&c, .cz, [k, k + 1]) }
        }
        return c
    }

    /// Parameter values for the ansatz: `theta_k` = 2π·uniform() drawn in index order from
    /// `SeededGenerator(seed)`.
    public static func ansatzParameters(qubits n: Int, layers: Int, seed: UInt64) -> [String: Double] {
        var rng = SeededGenerator(seed: seed)
        var values: [String: Double] = [:]
        for k in 0..<(2 * n * layers) { values[ansatzParameterName(k)] = 2 * Double.pi * rng.uniform() }
        return values
    }

    /// The ansatz observable: `H = Σ_{q<n−1} Z_q Z_{q+1} + 0.5 Σ_q X_q` (a transverse-field Ising
    /// energy; 2n − 1 terms, all weights exactly representable).
    public static func ansatzObservable(qubits n: Int) -> PauliSum {
        var terms: [(coefficient: Double, pauli: PauliString)] = []
        for q in 0..<(n - 1) { terms.append((1.0, PauliString([(q, .z), (q + 1, .z)]))) }
        for q in 0..<n { terms.append((0.5, PauliString([(q, .x)]))) }
        return PauliSum(terms)
    }

    /// Gates the random circuits draw from: every table gate without extra controls.
    public static let randomGatePool: [StandardGate] = StandardGate.allCases

    /// The table gates that OpenQASM 2 spells directly (exported by name, not as a decomposition).
    public static let qasm2GatePool: [StandardGate] = StandardGate.allCases.filter {
        !$0.definition.spellings(in: .qasm2).isEmpty
    }

    /// A random circuit over the whole gate table, n ≥ 3 qubits, G gates, reproducible from `seed`.
    ///
    /// The first `pool.count` gates are the pool in a seeded random order (so every pool gate
    /// appears at least once when G ≥ pool size); the rest are uniform draws. Operands are
    /// distinct uniform qubits; every parameter is an angle 2π·uniform() − π.
    public static func randomCircuit(qubits n: Int, gates: Int, seed: UInt64,
                                     pool: [StandardGate] = randomGatePool) -> Circuit {
        precondition(n >= 3, "random circuits need at least 3 qubits (ccx, cswap)")
        precondition(!pool.isEmpty, "empty gate pool")
        var rng = SeededGenerator(seed: seed)
        var order = pool
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            order.swapAt(i, j)
        }
        var c = Circuit(numQubits: n)
        for k in 0..<gates {
            let gate = k < order.count ? order[k] : pool[Int(rng.next() % UInt64(pool.count))]
            var qubits: [Int] = []
            while qubits.count < gate.arity {
                let q = Int(rng.next() % UInt64(n))
                if !qubits.contains(q) { qubits.append(q) }
            }
            let params = (0..<gate.parameterCount).map { _ in
                ParameterExpression.constant(2 * Double.pi * rng.uniform() - Double.pi)
            }
            add(&c, gate, qubits, params)
        }
        return c
    }
}
