// Leakage in the gate-level noise model: which leak events follow a gate, and the seepage of a
// leaked qubit back to |1⟩ over a span of time. Executed by `Trajectories` (NoisySimulator+Methods.swift).
import Foundation
import Numerics
import WukongCircuits

/// One chance of leaving the computational subspace, placed after a gate.
public enum LeakEvent: Sendable, Equatable {
    /// An RPhi pulse: the qubit leaks with `probability`, whatever its state. On a trajectory the
    /// qubit is then measured in the computational basis (an exact unravelling of tracing it out)
    /// and its amplitude register is held in |0⟩ while the flag is set.
    case pulse(qubit: Int, probability: Double)
    /// A CZ: the |11⟩ component of (moving, partner) leaks with `probability` to |2⟩ on `moving`
    /// and |0⟩ on `partner` (Kraus operators K₀ = I − (1 − √(1−p))·|11⟩⟨11|, K₁ = √p·|11⟩⟨11|,
    /// then both registers are set to |0⟩ and `moving` is flagged).
    case cz(moving: Int, partner: Int, probability: Double)
}

extension GateNoiseModel {
    /// Whether leakage is modelled (master switch and leakage switch both on).
    public var modelsLeakage: Bool { options.enabled && options.leakage }

    /// The leak events after a gate of the given cost on `qubits`, in order; empty when leakage is
    /// off or the recorded probabilities are NaN or 0.
    ///
    /// One pulse: one RPhi event. m CZs: m CZ events on the pair followed by m − 1 RPhi events on
    /// each operand (the one-qubit layers between the CZs). For `cz` itself this is the physical
    /// path; for a composite gate (cx, swap, …) the CZ events act on the gate's output state — an
    /// approximation, since inside the gate the |11⟩ component is that of a rotated state.
    /// Wide gates (three or more operands without decomposition) get none.
    public func leakEvents(_ cost: NativeGateCost, on qubits: [Int]) -> [LeakEvent] {
        guard modelsLeakage else { return [] }
        func valid(_ p: Double) -> Double? { p.isFinite && p > 0 ? min(p, 1) : nil }
        switch cost {
        case .virtual, .wide: return []
        case .singlePulse:
            return valid(device.qubits[qubits[0]].rphiLeakage).map { [.pulse(qubit: qubits[0], probability: $0)] } ?? []
        case .twoQubit(let m):
            var out: [LeakEvent] = []
            let c = czParameters(qubits[0], qubits[1])
            if let p = valid(c.czLeakage) {
                let moving = c.movingQubit.flatMap { qubits.contains($0) ? $0 : nil } ?? qubits[0]
                let partner = moving == qubits[0] ? qubits[1] : qubits[0]
                out += Array(repeating: .cz(moving: moving, partner: partner, probability: p), count: m)
            }
            for q in qubits {
                if let p = valid(device.qubits[q].rphiLeakage) {
                    out += Array(repeating: .pulse(qubit: q, probability: p), count: max(m - 1, 0))
                }
            }
            return out
        }
    }

    /// Probability that a leaked qubit `q` returns to |1⟩ within `durationNs`:
    /// 1 − exp(−Γ₂₁·t) with Γ₂₁ = 2/T1 (`QubitNoiseParameters.seepageRatePerNs`).
    public func seepageProbability(of q: Int, durationNs: Double) -> Double {
        let rate = device.qubits[q].seepageRatePerNs
        guard rate > 0, durationNs > 0 else { return 0 }
        return -Foundation.expm1(-rate * durationNs)
    }

    /// The two Kraus operators of a CZ leak event on (moving, partner): stay, leak.
    static func czLeakChannel(probability p: Double) -> KrausChannel {
        var stay = [Complex<Double>](repeating: .zero, count: 16)
        var leak = [Complex<Double>](repeating: .zero, count: 16)
        for i in 0..<3 { stay[i * 4 + i] = .one }
        stay[15] = Complex((1 - p).squareRoot())
        leak[15] = Complex(p.squareRoot())
        return KrausChannel([GateMatrix(stay), GateMatrix(leak)])
    }
}
