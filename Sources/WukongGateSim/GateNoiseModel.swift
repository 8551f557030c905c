// The gate-level noise model: the calibration numbers it uses (per qubit and per qubit pair),
// the switches for each ingredient, and the channels it attaches to gates and idle times.
import Foundation
import Numerics
import WukongCircuits

/// Which noise ingredients a run applies. `enabled = false` switches all of them off.
public struct NoiseOptions: Sendable, Equatable {
    /// Master switch; false gives the ideal circuit (readout included).
    public var enabled = true
    /// Thermal relaxation (T1, T2, thermal population) of each operand over a gate's duration.
    public var gateRelaxation = true
    /// Depolarizing error sized so each gate's average fidelity matches the recorded fidelity.
    public var depolarizing = true
    /// Thermal relaxation of qubits waiting while others run a layer (ASAP layer schedule).
    public var idleRelaxation = true
    /// Coherent residual-ZZ phase between coupled qubits over every layer.
    public var residualZZ = true
    /// Readout assignment errors applied to sampled bits.
    public var readout = true
    /// Leakage out of the computational subspace (`gates/rphi/leakage`, `gates/cz/leakage`) with
    /// seepage back to |1⟩; see `GateNoiseModel`. Off by default, so runs without it are unchanged.
    /// Runs on quantum trajectories only (the leaked flag is classical per trajectory).
    public var leakage = false

    public init() {}

    /// Every ingredient off. To run a single ingredient, start here and set `enabled` and its flag.
    public static var none: NoiseOptions {
        var o = NoiseOptions()
        o.enabled = false
        o.gateRelaxation = false
        o.depolarizing = false
        o.idleRelaxation = false
        o.residualZZ = false
        o.readout = false
        o.leakage = false
        return o
    }
}

/// What the noise model knows about one qubit, read from a calibration snapshot.
public struct QubitNoiseParameters: Sendable, Equatable {
    /// Energy relaxation time T1 (µs).
    public var t1Us: Double
    /// Dephasing time T2 (µs) used for gates and idling: the Ramsey T2*, clamped to 2·T1.
    public var t2Us: Double
    /// Equilibrium excited-state population (1).
    public var excitedPopulation: Double
    /// Duration of one RPhi pulse (ns).
    public var rphiDurationNs: Double
    /// Recorded average RPhi gate fidelity (1); NaN when not benchmarked.
    public var rphiFidelity: Double
    /// Readout duration (ns), used as the length of a mid-circuit measurement.
    public var readoutDurationNs: Double
    /// Readout confusion (`readout/assignment_matrix`).
    public var readout: ReadoutConfusion
    /// Probability that one RPhi pulse leaks the qubit out of {|0⟩, |1⟩} (1); NaN when not measured.
    public var rphiLeakage: Double

    public init(t1Us: Double, t2Us: Double, excitedPopulation: Double = 0, rphiDurationNs: Double = 30,
                rphiFidelity: Double = .nan, readoutDurationNs: Double = 1000, readout: ReadoutConfusion = .perfect,
                rphiLeakage: Double = .nan) {
        self.t1Us = t1Us
        self.t2Us = min(t2Us, 2 * t1Us)
        self.excitedPopulation = excitedPopulation
        self.rphiDurationNs = rphiDurationNs
        self.rphiFidelity = rphiFidelity
        self.readoutDurationNs = readoutDurationNs
        self.readout = readout
        self.rphiLeakage = rphiLeakage
    }

    /// Seepage rate Γ₂₁ of a leaked qubit back to |1⟩ (1/ns): 2/T1, the |2⟩ → |1⟩ decay of a
    /// transmon (the matrix element ⟨1|b|2⟩ = √2 makes Γ₂₁ ≈ 2·Γ₁₀); 0 when T1 is not finite.
    public var seepageRatePerNs: Double {
        t1Us.isFinite && t1Us > 0 ? 2 / (t1Us * 1000) : 0
    }
}

/// What the noise model knows about one coupler (a pair of neighbouring qubits).
public struct CouplerNoiseParameters: Sendable, Equatable {
    /// CZ duration (ns).
    public var czDurationNs: Double
    /// Recorded CZ average gate fidelity (1); NaN when not benchmarked.
    public var czFidelity: Double
    /// Static ZZ rate ζ/2π at idle (GHz); NaN when not measured.
    public var residualZZGHz: Double
    /// Probability that one CZ takes the pair's |11⟩ component out of the computational subspace
    /// (1); NaN when not measured.
    public var czLeakage: Double
    /// The qubit pulsed during the CZ, which ends in |2⟩ when |11⟩ leaks (|11⟩ → |20⟩); nil means
    /// the gate's first operand.
    public var movingQubit: Int?

    public init(czDurationNs: Double, czFidelity: Double = .nan, residualZZGHz: Double = .nan,
                czLeakage: Double = .nan, movingQubit: Int? = nil) {
        self.czDurationNs = czDurationNs
        self.czFidelity = czFidelity
        self.residualZZGHz = residualZZGHz
        self.czLeakage = czLeakage
        self.movingQubit = movingQubit
    }
}

/// An unordered pair of qubits, stored low first.
public struct QubitPair: Hashable, Sendable {
    public let low: Int
    public let high: Int
    public init(_ a: Int, _ b: Int) {
        precondition(a != b, "a pair needs two different qubits")
        low = min(a, b)
        high = max(a, b)
    }
}

/// The noise-relevant numbers of a chip: per-qubit parameters and the enabled couplers.
///
/// Built from a `CalibrationSnapshot` (`GateNoiseModel(calibration:)`) — never from the hidden
/// device truth. Tests may build one by hand.
public struct DeviceNoiseParameters: Sendable, Equatable {
    /// Per physical qubit.
    public var qubits: [QubitNoiseParameters]
    /// Enabled couplers by the pair they join.
    public var couplers: [QubitPair: CouplerNoiseParameters]
    /// Values used for a two-qubit gate between qubits with no (enabled) coupler: the chip means
    /// over enabled couplers of the finite values (a routed gate's cost is not modelled).
    public var meanCoupler: CouplerNoiseParameters

    public init(qubits: [QubitNoiseParameters], couplers: [QubitPair: CouplerNoiseParameters],
                meanCoupler: CouplerNoiseParameters? = nil) {
        self.qubits = qubits
        self.couplers = couplers
        self.meanCoupler = meanCoupler ?? Self.mean(of: Array(couplers.values))
    }

    /// Chip means of the finite values (NaN when none is finite; 40 ns CZ when there is no coupler).
    static func mean(of cs: [CouplerNoiseParameters]) -> CouplerNoiseParameters {
        func avg(_ xs: [Double]) -> Double {
            let f = xs.filter(\.isFinite)
            return f.isEmpty ? .nan : f.reduce(0, +) / Double(f.count)
        }
        let duration = avg(cs.map(\.czDurationNs))
        return CouplerNoiseParameters(czDurationNs: duration.isFinite ? duration : 40,
                                      czFidelity: avg(cs.map(\.czFidelity)), residualZZGHz: .nan,
                                      czLeakage: avg(cs.map(\.czLeakage)))
    }

    /// Identical qubits on a line 0–1–…–(n−1), each neighbour pair coupled. For tests and examples.
    public static func uniformChain(qubitCount: Int, qubit: QubitNoiseParameters,
                                    coupler: CouplerNoiseParameters) -> DeviceNoiseParameters {
        var cs: [QubitPair: CouplerNoiseParameters] = [:]
        for q in 0..<max(qubitCount - 1, 0) { cs[QubitPair(q, q + 1)] = coupler }
        return DeviceNoiseParameters(qubits: Array(repeating: qubit, count: qubitCount), couplers: cs)
    }
}

/// The gate-level noise model: which channels follow each gate, how long each gate takes, and
/// what idle qubits and coupled pairs suffer, all from calibration values.
///
/// **Qubit mapping.** Logical qubit i of a circuit is physical qubit i of the chip (no layout or
/// routing); circuits wider than the chip are rejected by `NoisySimulator`.
///
/// **Per gate** (`GateNoiseModel+Gates.swift`): the ideal gate, then thermal relaxation of each
/// operand over the gate's duration, then a depolarizing channel on the operands sized so the
/// gate's average fidelity equals the recorded one — only when it is finite and below the
/// coherence limit. Diagonal one-qubit gates are virtual (0 ns, noiseless).
///
/// **Per layer** (`NoiseSchedule.swift`): idle relaxation of waiting qubits and the residual-ZZ
/// phase of coupled pairs. **Readout:** the assignment matrix applied to sampled bits.
///
/// **Leakage** (`options.leakage`, off by default; `GateNoiseModel+Leakage.swift`): an RPhi pulse
/// leaks its qubit with probability `rphiLeakage` whatever its state; a CZ takes the pair's |11⟩
/// component to |2⟩ on the moving qubit and |0⟩ on its partner with probability `czLeakage`
/// (|11⟩ → |20⟩, the physical path of a coupler CZ). A leaked qubit is a classical flag per
/// trajectory: gates on it (and two-qubit gates with it as a partner) act as the identity, it
/// returns to |1⟩ at the seepage rate 2/T1, and it reads as 1 (then the assignment matrix of 1).
public struct GateNoiseModel: Sendable {
    /// The chip's noise numbers.
    public let device: DeviceNoiseParameters
    /// Ingredient switches.
    public var options: NoiseOptions

    /// A model over the given parameters.
    public init(device: DeviceNoiseParameters, options: NoiseOptions = NoiseOptions()) {
        self.device = device
        self.options = options
    }

    /// Number of physical qubits.
    public var qubitCount: Int { device.qubits.count }

    /// A model of a chip of `qubitCount` perfect qubits with every ingredient off.
    public static func noiseless(qubitCount: Int) -> GateNoiseModel {
        let q = QubitNoiseParameters(t1Us: .infinity, t2Us: .infinity)
        return GateNoiseModel(device: .uniformChain(qubitCount: qubitCount, qubit: q,
                                                    coupler: CouplerNoiseParameters(czDurationNs: 40)),
                              options: .none)
    }

    /// The coupler parameters between `a` and `b`, or nil when they are not coupled.
    public func coupler(_ a: Int, _ b: Int) -> CouplerNoiseParameters? { device.couplers[QubitPair(a, b)] }

    /// Thermal relaxation of qubit `q` over `durationNs` (ns).
    public func relaxation(of q: Int, durationNs: Double) -> KrausChannel {
        let p = device.qubits[q]
        // T2 is clamped again here because `t2Us` is a mutable field that may have bypassed `init`.
        return .thermalRelaxation(durationNs: durationNs, t1Us: p.t1Us, t2Us: min(p.t2Us, 2 * p.t1Us),
                                  excitedPopulation: p.excitedPopulation)
    }

    /// The readout confusion of qubit `q` (perfect when readout noise is off).
    public func readout(of q: Int) -> ReadoutConfusion {
        options.enabled && options.readout ? device.qubits[q].readout : .perfect
    }
}
