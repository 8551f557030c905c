// The compiler's view of the chip: the coupling graph of enabled couplers, calibrated gate
// durations and CZ virtual-Z corrections, built from a calibration snapshot only (never the truth).
import WukongDevice

/// Why a circuit cannot be compiled for a target.
public enum CompilerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The operation has no translation to the native set (e.g. an opaque gate).
    case unsupported(String)
    /// The circuit needs more qubits than the target has.
    case tooManyQubits(needed: Int, available: Int)
    /// Two qubits that must interact are not connected by enabled couplers.
    case disconnected(Int, Int)
    /// A pass received a circuit that breaks its precondition.
    case contractViolated(pass: String, String)
    /// The layout is not a valid assignment for this circuit and target.
    case badLayout(String)

    public var description: String {
        switch self {
        case .unsupported(let what): return "cannot compile: \(what)"
        case .tooManyQubits(let n, let a): return "the circuit needs \(n) qubits; the target has \(a)"
        case .disconnected(let a, let b): return "physical qubits \(a) and \(b) are not connected by enabled couplers"
        case .contractViolated(let pass, let why): return "pass \(pass): \(why)"
        case .badLayout(let why): return "bad layout: \(why)"
        }
    }
}

/// The hardware target: topology, usable couplers and calibrated timings.
///
/// Invariants: `edges` holds exactly the enabled couplers; `distance` is the hop count over
/// them (`Int.max` between disconnected qubits); durations are positive and finite.
public struct CompilerTarget: Sendable {
    /// Grid size.
    public let rows: Int, cols: Int
    /// Number of physical qubits (`rows · cols`).
    public var qubitCount: Int { rows * cols }
    /// The full lattice (including disabled couplers).
    public let topology: ChipTopology
    /// Whether each coupler may be used (`couplerEnabled[c]`).
    public let couplerEnabled: [Bool]
    /// Neighbours of each qubit over enabled couplers, increasing.
    public let neighbours: [[Int]]
    /// RPhi (DRAG) pulse duration per qubit, ns.
    public let rphiDurationNs: [Double]
    /// CZ duration per coupler, ns.
    public let czDurationNs: [Double]
    /// Readout (measure) duration per qubit, ns.
    public let readoutDurationNs: [Double]
    /// Virtual-Z corrections `[φ_low, φ_high]` (rad) applied after the CZ pulse of each coupler.
    public let czVirtualZ: [[Double]]
    /// CZ fidelity per coupler (NaN = not benchmarked).
    public let czFidelity: [Double]
    /// Hop distance between physical qubits over enabled couplers (`Int.max` if disconnected).
    public let distance: [[Int]]
    /// Per physical qubit: its drive frequency and π amplitude come from a calibration experiment (or the
    /// truth), not from the nominal design values.
    public let qubitCalibrated: [Bool]
    /// Per coupler: its CZ pulse comes from a calibration experiment (or the truth), not the nominal design.
    public let couplerCalibrated: [Bool]
    /// Neighbours of each qubit over enabled couplers whose CZ and both qubits are calibrated, increasing.
    /// The layout pass places a program inside this graph when it can.
    public let calibratedNeighbours: [[Int]]
    /// The snapshot id the target was built from (for provenance in compiled programs).
    public let calibrationID: String

    /// Builds the target from what calibration believes.
    /// - Complexity: O(n²) for the all-pairs distances by BFS, n = number of qubits.
    public init(calibration snapshot: CalibrationSnapshot) {
        let topo = snapshot.topology
        rows = snapshot.rows
        cols = snapshot.cols
        topology = topo
        couplerEnabled = snapshot.couplerEnabled
        calibrationID = snapshot.metadata.snapshotID
        let n = topo.qubitCount
        rphiDurationNs = (0..<n).map { snapshot.value(.rphiDuration, $0) }
        readoutDurationNs = (0..<n).map { snapshot.value(.readoutDuration, $0) }
        czDurationNs = (0..<topo.couplerCount).map { snapshot.value(.czDuration, $0) }
        czVirtualZ = (0..<topo.couplerCount).map { snapshot.values(.czVirtualZ, $0) }
        czFidelity = (0..<topo.couplerCount).map { snapshot.value(.czFidelity, $0) }
        var adjacency = [[Int]](repeating: [], count: n)
        for e in topo.couplers where snapshot.couplerEnabled[e.coupler.rawValue] {
            adjacency[e.low.rawValue].append(e.high.rawValue)
            adjacency[e.high.rawValue].append(e.low.rawValue)
        }
        neighbours = adjacency.map { $0.sorted() }
        distance = Self.allPairsHops(neighbours)
        let nominal = "nominal"
        let qCal = (0..<n).map { snapshot.source(.piAmplitude, $0) != nominal && snapshot.source(.driveFrequency, $0) != nominal }
        let cCal = (0..<topo.couplerCount).map { snapshot.source(.czCouplerAmplitude, $0) != nominal }
        qubitCalibrated = qCal
        couplerCalibrated = cCal
        var calibrated = [[Int]](repeating: [], count: n)
        for e in topo.couplers where snapshot.couplerEnabled[e.coupler.rawValue] && cCal[e.coupler.rawValue]
            && qCal[e.low.rawValue] && qCal[e.high.rawValue] {
            calibrated[e.low.rawValue].append(e.high.rawValue)
            calibrated[e.high.rawValue].append(e.low.rawValue)
        }
        calibratedNeighbours = calibrated.map { $0.sorted() }
    }

    /// The enabled coupler joining two physical qubits, or nil.
    public func coupler(between a: Int, _ b: Int) -> CouplerIndex? {
        guard let c = topology.coupler(between: QubitIndex(a), QubitIndex(b)), couplerEnabled[c.rawValue] else { return nil }
        return c
    }

    /// True when a CZ may be played between the two physical qubits.
    public func areCoupled(_ a: Int, _ b: Int) -> Bool { coupler(between: a, b) != nil }

    /// Enabled couplers as `(low, high)` qubit pairs.
    public var edges: [(Int, Int)] {
        topology.couplers.filter { couplerEnabled[$0.coupler.rawValue] }.map { ($0.low.rawValue, $0.high.rawValue) }
    }

    /// BFS from every qubit.
    /// - Complexity: O(n · (n + e)).
    static func allPairsHops(_ adjacency: [[Int]]) -> [[Int]] {
        let n = adjacency.count
        var result = [[Int]](repeating: [Int](repeating: Int.max, count: n), count: n)
        for source in 0..<n {
            var queue = [source]
            result[source][source] = 0
            var head = 0
            while head < queue.count {
                let u = queue[head]; head += 1
                for v in adjacency[u] where result[source][v] == Int.max {
                    result[source][v] = result[source][u] + 1
                    queue.append(v)
                }
            }
        }
        return result
    }
}
