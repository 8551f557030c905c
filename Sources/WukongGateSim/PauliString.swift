// Pauli strings and weighted Pauli sums (observables), stored as X and Z bit masks so that
// the expectation kernel needs only an XOR and a popcount per amplitude.
import Numerics
import WukongCircuits

/// A single-qubit Pauli operator.
public enum Pauli: Character, Sendable, CaseIterable {
    case i = "I", x = "X", y = "Y", z = "Z"

    /// The 2×2 matrix: I, X = [[0,1],[1,0]], Y = [[0,−i],[i,0]], Z = [[1,0],[0,−1]].
    public var matrix: GateMatrix {
        let o = Complex<Double>.zero, l = Complex<Double>.one, j = Complex<Double>.i
        switch self {
        case .i: return GateMatrix([l, o, o, l])
        case .x: return GateMatrix([o, l, l, o])
        case .y: return GateMatrix([o, -j, j, o])
        case .z: return GateMatrix([l, o, o, -l])
        }
    }
}

/// A tensor product of Paulis, `P = ⊗_q P_q`, without a coefficient.
///
/// Stored as masks: qubit q carries X if only `xMask` has bit q, Z if only `zMask` has it, and
/// Y if both (Y = i·X·Z). Written as a string, qubit 0 is the RIGHTMOST letter: "XZ" is X on
/// qubit 1 and Z on qubit 0.
public struct PauliString: Sendable, Hashable, CustomStringConvertible {
    /// Qubits carrying X or Y.
    public let xMask: Int
    /// Qubits carrying Z or Y.
    public let zMask: Int

    /// The product with the given masks.
    public init(xMask: Int, zMask: Int) {
        precondition(xMask >= 0 && zMask >= 0, "masks must be non-negative")
        self.xMask = xMask
        self.zMask = zMask
    }

    /// A string such as "XZIY" with qubit 0 rightmost; letters I, X, Y, Z (case-insensitive).
    /// Returns nil for any other character.
    public init?(_ text: String) {
        var x = 0, z = 0
        for (q, ch) in text.uppercased().reversed().enumerated() {
            guard let p = Pauli(rawValue: ch), q < 62 else { return nil }
            if p == .x || p == .y { x |= 1 << q }
            if p == .z || p == .y { z |= 1 << q }
        }
        self.init(xMask: x, zMask: z)
    }

    /// A product from (qubit, Pauli) factors; a qubit may appear at most once.
    public init(_ factors: [(qubit: Int, pauli: Pauli)]) {
        var x = 0, z = 0
        precondition(Set(factors.map(\.qubit)).count == factors.count, "a qubit appears twice")
        for (q, p) in factors {
            precondition(q >= 0 && q < 62, "qubit index out of range")
            if p == .x || p == .y { x |= 1 << q }
            if p == .z || p == .y { z |= 1 << q }
        }
        self.init(xMask: x, zMask: z)
    }

    /// The Pauli on `qubit`.
    public subscript(qubit: Int) -> Pauli {
        switch ((xMask >> qubit) & 1, (zMask >> qubit) & 1) {
        case (1, 1): return .y
        case (1, 0): return .x
        case (0, 1): return .z
        default: return .i
        }
    }

    /// Number of qubits the string needs (highest non-identity qubit + 1).
    public var span: Int { Int.bitWidth - (xMask | zMask).leadingZeroBitCount }

    /// Number of Y factors.
    public var yCount: Int { (xMask & zMask).nonzeroBitCount }

    /// The letters, qubit 0 rightmost, at least one letter long.
    public var description: String {
        String((0..<max(span, 1)).reversed().map { self[$0].rawValue })
    }
}

/// A real-weighted sum of Pauli strings, `H = Σₖ cₖ Pₖ`, a Hermitian observable.
public struct PauliSum: Sendable {
    /// The terms (coefficient, string).
    public var terms: [(coefficient: Double, pauli: PauliString)]

    /// A sum of the given terms.
    public init(_ terms: [(coefficient: Double, pauli: PauliString)]) { self.terms = terms }
}
