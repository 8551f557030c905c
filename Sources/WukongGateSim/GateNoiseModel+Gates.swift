// Per-gate noise: how long each gate takes on the chip (native RPhi / virtual RZ / CZ counts)
// and the channels that follow it — thermal relaxation of each operand, then depolarizing sized
// to the recorded fidelity.
import Foundation
import Numerics
import WukongCircuits

/// A channel placed on specific qubits (`qubits[0]` most significant).
public struct AppliedChannel: Sendable {
    public let channel: KrausChannel
    public let qubits: [Int]
    public init(_ channel: KrausChannel, on qubits: [Int]) {
        precondition(channel.qubitCount == qubits.count, "channel size does not match the qubits")
        self.channel = channel
        self.qubits = qubits
    }
}

/// How a gate runs on the chip, which sets its duration and error.
public enum NativeGateCost: Sendable, Equatable {
    /// A diagonal one-qubit gate: a frame update, 0 ns, no error.
    case virtual
    /// One RPhi pulse (any non-diagonal one-qubit gate up to virtual Zs).
    case singlePulse
    /// A two-qubit gate compiled to `czCount` CZs with one-qubit layers between them.
    case twoQubit(czCount: Int)
    /// A gate on three or more operands with no decomposition (extra controls, explicit unitaries):
    /// costed as `czCount` CZs on the mean coupler, with relaxation only (an approximation).
    case wide(czCount: Int)
}

extension StandardGate {
    /// Number of CZs in the gate's decomposition down to `cx`/`cz` (1 CZ each, CX = H·CZ·H);
    /// 0 for one-qubit gates.
    public var czCount: Int {
        switch self {
        case .cx, .cz: return 1
        default:
            guard arity > 1, let steps = definition.decomposition?(Array(repeating: .constant(0), count: parameterCount))
            else { return 0 }
            return steps.reduce(0) { $0 + $1.gate.czCount }
        }
    }
}

extension GateNoiseModel {
    /// The native cost of a gate with unitary `matrix` on `operandCount` operands; `gate` is the
    /// gate-table entry when there is one and `extraControls` its added controls.
    static func cost(gate: StandardGate?, extraControls: Int, matrix: GateMatrix, operandCount: Int) -> NativeGateCost {
        switch operandCount {
        case 1: return matrix.isDiagonal ? .virtual : .singlePulse
        case 2:
            if let gate, extraControls == 0, gate.czCount > 0 { return .twoQubit(czCount: gate.czCount) }
            // A controlled one-qubit gate needs 2 CZs; a generic two-qubit unitary 3 (KAK).
            return .twoQubit(czCount: extraControls > 0 || matrix.isDiagonal ? 2 : 3)
        default:
            return .wide(czCount: 2 * (operandCount - 1))
        }
    }

    /// The CZ parameters used between `a` and `b`: their coupler's when adjacent, else the chip mean.
    func czParameters(_ a: Int, _ b: Int) -> CouplerNoiseParameters { coupler(a, b) ?? device.meanCoupler }

    /// Duration (ns) of a gate of the given cost on `qubits`:
    /// virtual 0; one pulse `rphiDuration`; m CZs `m·czDuration + (m − 1)·max(rphiDuration)`
    /// (the one-qubit layers between the CZs).
    public func durationNs(of cost: NativeGateCost, on qubits: [Int]) -> Double {
        let pulse = qubits.map { device.qubits[$0].rphiDurationNs }.max() ?? 0
        switch cost {
        case .virtual: return 0
        case .singlePulse: return pulse
        case .twoQubit(let m):
            return Double(m) * czParameters(qubits[0], qubits[1]).czDurationNs + Double(max(m - 1, 0)) * pulse
        case .wide(let m):
            return Double(m) * device.meanCoupler.czDurationNs + Double(max(m - 1, 0)) * pulse
        }
    }

    /// Entanglement fidelity F_e = ((d+1)·F − 1)/d from an average fidelity F; nil when F is not finite.
    static func entanglementFidelity(average f: Double, dimension d: Int) -> Double? {
        guard f.isFinite else { return nil }
        let dd = Double(d)
        return ((dd + 1) * f - 1) / dd
    }

    /// The recorded entanglement fidelity a gate of this cost should reach, or nil when not recorded:
    /// one pulse → the RPhi fidelity; m CZs → F_e(CZ)^m · Π over the m − 1 one-qubit layers of
    /// F_e(RPhi) of each operand (a layer's recorded values only when finite).
    func targetEntanglementFidelity(_ cost: NativeGateCost, on qubits: [Int]) -> Double? {
        switch cost {
        case .virtual, .wide: return nil
        case .singlePulse: return Self.entanglementFidelity(average: device.qubits[qubits[0]].rphiFidelity, dimension: 2)
        case .twoQubit(let m):
            guard let cz = Self.entanglementFidelity(average: czParameters(qubits[0], qubits[1]).czFidelity, dimension: 4)
            else { return nil }
            var f = Foundation.pow(cz, Double(m))
            for q in qubits {
                if let single = Self.entanglementFidelity(average: device.qubits[q].rphiFidelity, dimension: 2) {
                    f *= Foundation.pow(single, Double(max(m - 1, 0)))
                }
            }
            return f
        }
    }

    /// The channels that follow the ideal gate of the given cost on `qubits`, in order:
    /// thermal relaxation of each operand over the gate's duration, then — for one- and two-qubit
    /// gates whose target fidelity is below the relaxation-only fidelity — a depolarizing channel
    /// `ρ ↦ (1−p)ρ + p·I/d` on all operands with
    ///
    ///     p = (F_e,relax − F_e,target) / (F_e,relax − 1/d²),
    ///
    /// which follows from F_e(D∘E) = (1 − p)·F_e(E) + p/d² (F_e is linear in the channel, and the
    /// fully depolarizing channel has F_e = 1/d²). Empty when noise is off or the gate is virtual.
    public func gateNoise(_ cost: NativeGateCost, on qubits: [Int]) -> [AppliedChannel] {
        guard options.enabled, cost != .virtual else { return [] }
        let duration = durationNs(of: cost, on: qubits)
        var out: [AppliedChannel] = []
        var relaxFidelity = 1.0
        if options.gateRelaxation && duration > 0 {
            for q in qubits {
                let ch = relaxation(of: q, durationNs: duration)
                relaxFidelity *= ch.entanglementFidelity
                out.append(AppliedChannel(ch, on: [q]))
            }
        }
        if options.depolarizing, qubits.count <= 2, let target = targetEntanglementFidelity(cost, on: qubits) {
            let d2 = Double(1 << (2 * qubits.count))
            if target < relaxFidelity {
                let p = min((relaxFidelity - target) / (relaxFidelity - 1 / d2), d2 / (d2 - 1))
                out.append(AppliedChannel(.depolarizing(p, qubitCount: qubits.count), on: qubits))
            }
        }
        return out
    }

    /// The whole noisy channel of one gate on its operands (ideal unitary, then `gateNoise`), as
    /// one Kraus channel on `qubits.count ≤ 2` qubits — for fidelity checks and small studies.
    public func noisyChannel(_ g: GateApplication, parameters: [String: Double] = [:]) throws -> KrausChannel {
        let u = try g.matrix(parameters)
        let qubits = g.operands
        precondition(qubits.count <= 2, "noisyChannel handles one- and two-qubit gates")
        let cost = Self.cost(gate: g.gate, extraControls: g.controls.count, matrix: u, operandCount: qubits.count)
        var channel = KrausChannel(unitary: u)
        for piece in gateNoise(cost, on: qubits) { channel = channel.followed(by: piece.embedded(in: qubits)) }
        return channel
    }
}

extension AppliedChannel {
    /// The channel as one on `operands` (a superset of its qubits, at most 2), identity elsewhere.
    public func embedded(in operands: [Int]) -> KrausChannel {
        if qubits == operands { return channel }
        precondition(qubits.count == 1 && operands.count == 2 && operands.contains(qubits[0]),
                     "embedding handles one qubit into two")
        let id = KrausChannel.identity(qubitCount: 1)
        return qubits[0] == operands[0] ? channel.tensor(id) : id.tensor(channel)
    }
}
