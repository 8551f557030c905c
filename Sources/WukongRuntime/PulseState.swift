// Which global state the pulse path applies its channels to: the dense `StateVector` (exact, 2ⁿ
// amplitudes) or a `MatrixProductState` (many qubits, bond dimension and discarded weight reported),
// and the order of the MPS sites on the chip.
import WukongDevice
import WukongGateSim

/// The state of a pulse-path run.
public struct PulseStateOptions: Sendable, Equatable {
    /// `auto`: a state vector up to `autoThresholdQubits` simulated qubits (used + deferred-measurement
    /// ancillas), an MPS above; or one of them always.
    public enum Kind: String, Sendable, CaseIterable { case auto, statevector, mps }
    public var kind: Kind
    /// Truncation of the MPS (max bond dimension, discarded-weight cutoff per SVD).
    public var mps: MPSOptions
    /// Above this many simulated qubits `auto` picks the MPS (2²⁴ amplitudes = 256 MiB).
    public var autoThresholdQubits: Int
    public init(kind: Kind = .auto, mps: MPSOptions = MPSOptions(), autoThresholdQubits: Int = 24) {
        self.kind = kind
        self.mps = mps
        self.autoThresholdQubits = autoThresholdQubits
    }

    /// Largest register the state vector is built for (2³⁰ amplitudes = 16 GiB).
    public static let maxStateVectorQubits = 30

    /// True when `qubits` simulated qubits run on the MPS.
    public func usesMPS(qubits: Int) -> Bool {
        switch kind {
        case .auto: return qubits > autoThresholdQubits
        case .statevector: return false
        case .mps: return true
        }
    }

    /// The initial |0…0⟩ of `qubits` qubits.
    func makeState(qubits: Int) throws -> any SimulationState {
        if usesMPS(qubits: qubits) { return MatrixProductState(qubitCount: qubits, options: mps) }
        guard qubits <= Self.maxStateVectorQubits else {
            throw PulseLoweringError.unsupported("\(qubits) simulated qubits exceed the state vector's \(Self.maxStateVectorQubits); "
                                                 + "use the MPS state (--state mps or auto)")
        }
        return StateVector(qubitCount: qubits)
    }

    /// Compact index of each used physical qubit. State vector: increasing physical order (unchanged
    /// from v1). MPS: the snake order of the grid — row 0 left to right, row 1 right to left, … — so a
    /// path along rows joined by the vertical couplers at alternating ends (the GHZ ladder of
    /// examples/circuits/ghz72.qasm) is nearest-neighbour on the chain; a vertical CZ elsewhere spans at
    /// most 2·cols − 1 sites.
    func compactIndex(_ used: [Int], topology: ChipTopology, mps: Bool) -> [Int: Int] {
        let order = mps ? used.sorted { Self.snakeKey($0, topology) < Self.snakeKey($1, topology) } : used
        return Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    }

    static func snakeKey(_ q: Int, _ topology: ChipTopology) -> Int {
        let row = q / topology.cols, col = q % topology.cols
        return row * topology.cols + (row % 2 == 0 ? col : topology.cols - 1 - col)
    }
}

/// What the global state of a run was and what it cost in accuracy.
public struct PulseStateReport: Sendable, Equatable {
    /// `statevector` or `mps`.
    public let kind: String
    /// Simulated qubits (used + deferred-measurement ancillas).
    public let qubits: Int
    /// Largest bond dimension at the end (1 for a state vector: not applicable).
    public let maxBondDimension: Int
    /// Total relative weight discarded by MPS truncations (0 for a state vector); the output
    /// distribution's total-variation error is ≤ √(this) (see `MatrixProductState.discardedWeight`).
    public let discardedWeight: Double

    init(_ state: any SimulationState) {
        if let m = state as? MatrixProductState {
            kind = "mps"
            maxBondDimension = m.maxBond
            discardedWeight = m.discardedWeight
        } else {
            kind = "statevector"
            maxBondDimension = 1
            discardedWeight = 0
        }
        qubits = state.qubitCount
    }
}

extension PulseStateOptions {
    /// Throws when a channel acts on more qubits than the state accepts (the MPS takes 1- and 2-qubit
    /// blocks; a play cluster over three qubits needs the state vector).
    static func check(_ qubits: [Int], fits state: any SimulationState, what: String) throws {
        guard qubits.count <= state.maxBlockQubits else {
            throw PulseLoweringError.unsupported("\(what) on qubits \(qubits.map { "$\($0)" }) acts on \(qubits.count) qubits; "
                                                 + "the MPS state applies 1- and 2-qubit channels only (use --state statevector)")
        }
    }
}
