// The wiring map: which sequencer channel drives which physical line, and which qubit and coupler
// each line reaches. Built from any ChipTopology (nothing here is specific to the 12 × 6 Wukong grid).
import WukongDevice

/// A sequencer channel: one NCO and one program. Dense index over all channels of a `WiringMap`.
public struct ChannelID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "channel\(rawValue)" }
}

/// A physical output line (one DAC pair and one coax). Dense index over all lines of a `WiringMap`.
public struct LineID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "line\(rawValue)" }
}

/// A readout feedline: one input line, one output line to the ADC, several multiplexed resonators.
public struct FeedlineID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "feedline\(rawValue)" }
}

/// What a sequencer channel controls. Its name (`description`) is how programs refer to it.
public enum ChannelRole: Hashable, Sendable, CustomStringConvertible {
    /// The microwave drive of a qubit (`xy<q>`).
    case drive(QubitIndex)
    /// The flux bias of a qubit (`z<q>`).
    case qubitFlux(QubitIndex)
    /// The flux bias of a coupler (`zc<c>`).
    case couplerFlux(CouplerIndex)
    /// The readout tone of one qubit's resonator, summed with its feedline's other tones (`ro<q>`).
    case readoutTone(QubitIndex)

    public var description: String {
        switch self {
        case .drive(let q): "xy\(q.rawValue)"
        case .qubitFlux(let q): "z\(q.rawValue)"
        case .couplerFlux(let c): "zc\(c.rawValue)"
        case .readoutTone(let q): "ro\(q.rawValue)"
        }
    }

    /// Whether the channel's line is a flux line (real-valued, distorted, pre-distortable).
    public var isFlux: Bool {
        switch self {
        case .qubitFlux, .couplerFlux: true
        case .drive, .readoutTone: false
        }
    }
}

/// What a physical output line reaches.
public enum LineRole: Hashable, Sendable, CustomStringConvertible {
    case xy(QubitIndex)
    case qubitFlux(QubitIndex)
    case couplerFlux(CouplerIndex)
    /// The input of a readout feedline, carrying the summed tones of its resonators.
    case feedlineInput(FeedlineID)

    public var description: String {
        switch self {
        case .xy(let q): "xy\(q.rawValue)"
        case .qubitFlux(let q): "z\(q.rawValue)"
        case .couplerFlux(let c): "zc\(c.rawValue)"
        case .feedlineInput(let f): "feed\(f.rawValue)"
        }
    }

    public var isFlux: Bool {
        switch self {
        case .qubitFlux, .couplerFlux: true
        case .xy, .feedlineInput: false
        }
    }
}

/// The wiring of a chip: one XY and one Z line per qubit, one Z line per coupler, and one feedline
/// per grid row whose resonators are that row's qubits (chip-physics §5.2).
///
/// Channels are numbered drive (q), qubit flux (q), coupler flux (c), readout tone (q), each block
/// in index order; lines are numbered XY (q), qubit Z (q), coupler Z (c), feedline input (row).
/// Every channel drives exactly one line; each readout tone shares its feedline's line.
public struct WiringMap: Sendable, Equatable {
    public let topology: ChipTopology
    /// Role of every channel, indexed by `ChannelID.rawValue`.
    public let channelRoles: [ChannelRole]
    /// Role of every line, indexed by `LineID.rawValue`.
    public let lineRoles: [LineRole]
    private let channelIndexByName: [String: ChannelID]

    /// The standard wiring of `topology` (feedlines by row).
    public init(topology: ChipTopology) {
        self.topology = topology
        let qubits = topology.qubits
        let couplers = (0..<topology.couplerCount).map(CouplerIndex.init)
        channelRoles = qubits.map(ChannelRole.drive) + qubits.map(ChannelRole.qubitFlux)
            + couplers.map(ChannelRole.couplerFlux) + qubits.map(ChannelRole.readoutTone)
        lineRoles = qubits.map(LineRole.xy) + qubits.map(LineRole.qubitFlux) + couplers.map(LineRole.couplerFlux)
            + (0..<topology.rows).map { LineRole.feedlineInput(FeedlineID($0)) }
        var names = [String: ChannelID]()
        for (k, role) in channelRoles.enumerated() { names[role.description] = ChannelID(k) }
        channelIndexByName = names
    }

    /// The Wukong wiring: 72 + 72 + 126 + 72 = 342 channels on 72 + 72 + 126 + 12 = 282 lines.
    public static let wukong = WiringMap(topology: .wukong)

    public var channelCount: Int { channelRoles.count }
    public var lineCount: Int { lineRoles.count }
    public var feedlineCount: Int { topology.rows }
    public var channels: [ChannelID] { (0..<channelCount).map(ChannelID.init) }

    // MARK: Element → channel and line

    public func driveChannel(_ q: QubitIndex) -> ChannelID { ChannelID(checked(q)) }
    public func fluxChannel(_ q: QubitIndex) -> ChannelID { ChannelID(topology.qubitCount + checked(q)) }
    public func fluxChannel(_ c: CouplerIndex) -> ChannelID {
        precondition((0..<topology.couplerCount).contains(c.rawValue), "\(c) is not on this chip")
        return ChannelID(2 * topology.qubitCount + c.rawValue)
    }
    public func readoutChannel(_ q: QubitIndex) -> ChannelID {
        ChannelID(2 * topology.qubitCount + topology.couplerCount + checked(q))
    }

    /// The feedline of a qubit's resonator: its grid row.
    public func feedline(of q: QubitIndex) -> FeedlineID { FeedlineID(checked(q) / topology.cols) }
    /// The qubits whose resonators sit on `f`, in order of column.
    public func resonators(on f: FeedlineID) -> [QubitIndex] {
        precondition((0..<feedlineCount).contains(f.rawValue), "\(f) is not on this chip")
        return (0..<topology.cols).map { topology.qubit(row: f.rawValue, col: $0) }
    }
    /// The input line of feedline `f`.
    public func line(of f: FeedlineID) -> LineID {
        LineID(2 * topology.qubitCount + topology.couplerCount + f.rawValue)
    }

    // MARK: Channel → role and line

    public func role(of channel: ChannelID) -> ChannelRole { channelRoles[checked(channel)] }
    public func role(of line: LineID) -> LineRole { lineRoles[line.rawValue] }

    /// The line a channel drives. XY, Z and coupler-Z channels have a line each, in the same order.
    public func line(of channel: ChannelID) -> LineID {
        switch role(of: channel) {
        case .drive, .qubitFlux, .couplerFlux: LineID(channel.rawValue)
        case .readoutTone(let q): line(of: feedline(of: q))
        }
    }

    /// The channels that drive `line` (several readout tones for a feedline, one channel otherwise).
    public func channels(on line: LineID) -> [ChannelID] {
        switch role(of: line) {
        case .xy, .qubitFlux, .couplerFlux: [ChannelID(line.rawValue)]
        case .feedlineInput(let f): resonators(on: f).map(readoutChannel)
        }
    }

    /// The channel a program names (`xy3`, `z3`, `zc5`, `ro3`), or nil.
    public func channel(named name: String) -> ChannelID? { channelIndexByName[name] }

    private func checked(_ q: QubitIndex) -> Int {
        precondition((0..<topology.qubitCount).contains(q.rawValue), "\(q) is not on this chip")
        return q.rawValue
    }

    private func checked(_ c: ChannelID) -> Int {
        precondition((0..<channelCount).contains(c.rawValue), "\(c) is not in this wiring map")
        return c.rawValue
    }
}
