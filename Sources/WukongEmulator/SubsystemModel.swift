// The physical model of a chosen set of chip elements (transmon qubits and couplers): Duffing
// modes with SQUID flux tuning, capacitive couplings, decoherence times. Built from the true
// ChipDevice (never from a calibration snapshot) or inline for tests and benchmarks.
import WukongDevice

/// Whether an element is a qubit (driven, read out) or a coupler (flux-pulsed only).
public enum ElementKind: Sendable, Equatable {
    case qubit
    case coupler
}

/// One Duffing mode: a transmon qubit or a transmon coupler, with its true parameters.
///
/// Its frequency at flux Φ is the SQUID law of `FluxTuning`:
/// f01(Φ) = (f_max + E_C)·[cos²(πΦ/Φ0) + d² sin²(πΦ/Φ0)]^{1/4} − E_C, with E_C = −α.
public struct ElementParameters: Sendable, Equatable {
    /// Qubit or coupler.
    public var kind: ElementKind
    /// A readable name (`q12`, `c40`, or a test label).
    public var name: String
    /// Sweet-spot frequency f_max, GHz.
    public var maxFrequencyGHz: Double
    /// Anharmonicity α (negative), GHz.
    public var anharmonicityGHz: Double
    /// SQUID asymmetry d.
    public var squidAsymmetry: Double
    /// Idle flux bias, Φ0.
    public var idleFluxPhi0: Double
    /// Energy relaxation time T1, µs (`.infinity` for none).
    public var t1Us: Double
    /// Ramsey dephasing time T2*, µs (`.infinity` for none); ≤ 2·T1.
    public var t2StarUs: Double
    /// Thermal excited-state population n_th of the initial state and of the excitation channel.
    public var thermalPopulation: Double
    /// Rabi frequency at full-scale drive amplitude, GHz (0 for couplers: no XY line).
    public var driveRabiGHz: Double
    /// Quasi-static flux-noise σ_Φ, Φ0: the spread of the per-shot flux offset (`QuasiStaticFluxNoise`).
    public var fluxNoiseSigmaPhi0: Double

    /// An element from explicit values. With the defaults the mode idles at its sweet spot with
    /// f01 = `maxFrequencyGHz` and has no decoherence.
    public init(kind: ElementKind, name: String, maxFrequencyGHz: Double, anharmonicityGHz: Double,
                squidAsymmetry: Double = 0, idleFluxPhi0: Double = 0, t1Us: Double = .infinity,
                t2StarUs: Double = .infinity, thermalPopulation: Double = 0, driveRabiGHz: Double = 0,
                fluxNoiseSigmaPhi0: Double = 0) {
        precondition(maxFrequencyGHz > 0 && anharmonicityGHz < 0, "\(name): need f_max > 0 and α < 0")
        precondition(t1Us > 0 && t2StarUs > 0 && t2StarUs <= 2 * t1Us * (1 + 1e-12), "\(name): need 0 < T2* ≤ 2·T1")
        precondition(fluxNoiseSigmaPhi0 >= 0 && fluxNoiseSigmaPhi0.isFinite, "\(name): flux-noise σ must be finite and ≥ 0")
        self.fluxNoiseSigmaPhi0 = fluxNoiseSigmaPhi0
        self.kind = kind
        self.name = name
        self.maxFrequencyGHz = maxFrequencyGHz
        self.anharmonicityGHz = anharmonicityGHz
        self.squidAsymmetry = squidAsymmetry
        self.idleFluxPhi0 = idleFluxPhi0
        self.t1Us = t1Us
        self.t2StarUs = t2StarUs
        self.thermalPopulation = thermalPopulation
        self.driveRabiGHz = driveRabiGHz
    }

    /// The true parameters of a chip qubit.
    public init(_ q: QubitParameters) {
        self.init(kind: .qubit, name: q.index.description, maxFrequencyGHz: q.maxFrequencyGHz,
                  anharmonicityGHz: q.anharmonicityGHz, squidAsymmetry: q.squidAsymmetry, idleFluxPhi0: q.idleFluxPhi0,
                  t1Us: q.t1Us, t2StarUs: q.t2StarUs, thermalPopulation: q.thermalPopulation, driveRabiGHz: q.driveRabiGHz,
                  fluxNoiseSigmaPhi0: q.fluxNoiseSigmaPhi0)
    }

    /// The true parameters of a chip coupler (no drive line, no thermal population).
    public init(_ c: CouplerParameters) {
        self.init(kind: .coupler, name: c.index.description, maxFrequencyGHz: c.maxFrequencyGHz,
                  anharmonicityGHz: c.anharmonicityGHz, squidAsymmetry: c.squidAsymmetry, idleFluxPhi0: c.idleFluxPhi0,
                  t1Us: c.t1Us, t2StarUs: c.t2StarUs, fluxNoiseSigmaPhi0: c.fluxNoiseSigmaPhi0)
    }

    /// The flux-tuning law of this mode.
    public var tuning: FluxTuning {
        FluxTuning(maxFrequencyGHz: maxFrequencyGHz, anharmonicityGHz: anharmonicityGHz, asymmetry: squidAsymmetry)
    }

    /// f01 at a flux offset δΦ from idle: f01(Φ_idle + δΦ), GHz.
    public func frequencyGHz(fluxOffsetPhi0: Double = 0) -> Double {
        tuning.frequencyGHz(fluxPhi0: idleFluxPhi0 + fluxOffsetPhi0)
    }

    /// Pure-dephasing rate Γφ = 1/T2* − 1/(2T1), 1/ns (0 when T2* = 2T1 or both infinite).
    public var pureDephasingRatePerNs: Double { max(0, 1 / t2StarUs - 1 / (2 * t1Us)) / 1000 }
}

/// A capacitive coupling of strength g (GHz) between two modes of a model, by position in `elements`.
public struct ModeCoupling: Sendable, Equatable {
    /// Position of the first mode in the model's element list.
    public var first: Int
    /// Position of the second mode.
    public var second: Int
    /// g/2π in GHz: the term is 2π·g·(b₁ + b₁†)(b₂ + b₂†) (or its RWA part).
    public var strengthGHz: Double

    public init(_ first: Int, _ second: Int, strengthGHz: Double) {
        precondition(first != second, "a coupling joins two different modes")
        self.first = first
        self.second = second
        self.strengthGHz = strengthGHz
    }
}

/// How the capacitive couplings enter the Hamiltonian.
public enum CouplingForm: Sendable, Equatable {
    /// The full x·x form g(b₁ + b₁†)(b₂ + b₂†): needed for the coupler off point and residual ZZ.
    case full
    /// The rotating-wave form g(b₁†b₂ + b₁b₂†): drops the terms that oscillate at ω₁ + ω₂.
    case rotatingWave
}

/// A model of a few chip elements: the Hilbert space (levels per mode), the static Hamiltonian and
/// its flux dependence, couplings and decoherence. Basis index m = Σₖ nₖ·strideₖ with element 0
/// the least significant digit (the project's bit order: qubit 0 is the rightmost bit).
public struct SubsystemModel: Sendable {
    /// The modes, in basis order (element 0 least significant).
    public let elements: [ElementParameters]
    /// Levels kept per mode (2–4).
    public let levels: [Int]
    /// Capacitive couplings between modes.
    public let couplings: [ModeCoupling]
    /// Full x·x or rotating-wave couplings.
    public let couplingForm: CouplingForm
    /// Static flux offset per mode, Φ0, added to the idle flux (e.g. a quasi-static flux-noise draw).
    public var fluxOffsetsPhi0: [Double]
    /// Hilbert-space dimension Πₖ levelsₖ.
    public let dimension: Int
    /// strideₖ = Π_{j<k} levelsⱼ.
    public let strides: [Int]

    /// A model from explicit modes and couplings.
    /// - Precondition: 2 ≤ levels ≤ 4 per mode; couplings refer to existing modes.
    public init(elements: [ElementParameters], levels: [Int], couplings: [ModeCoupling] = [],
                couplingForm: CouplingForm = .full, fluxOffsetsPhi0: [Double]? = nil) {
        precondition(!elements.isEmpty && levels.count == elements.count, "one level count per element")
        precondition(levels.allSatisfy { (2...4).contains($0) }, "2–4 levels per mode")
        precondition(couplings.allSatisfy { elements.indices.contains($0.first) && elements.indices.contains($0.second) },
                     "couplings must join modes of the model")
        self.elements = elements
        self.levels = levels
        self.couplings = couplings
        self.couplingForm = couplingForm
        self.fluxOffsetsPhi0 = fluxOffsetsPhi0 ?? Array(repeating: 0, count: elements.count)
        var s = [Int]()
        var acc = 1
        for l in levels { s.append(acc); acc *= l }
        strides = s
        dimension = acc
        precondition(self.fluxOffsetsPhi0.count == elements.count, "one flux offset per element")
    }

    /// The subsystem of the true chip made of the given qubits, then the given couplers, each with
    /// `levels` levels. A coupler contributes its two qubit–coupler couplings for those of its qubits
    /// that are selected; two selected neighbouring qubits get their direct coupling g_qq
    /// (from the coupler joining them, whether or not that coupler is selected).
    public init(device: ChipDevice, qubits: [QubitIndex], couplers: [CouplerIndex] = [], levels: Int = 3,
                couplingForm: CouplingForm = .full) {
        let elems = qubits.map { ElementParameters(device.qubit($0)) } + couplers.map { ElementParameters(device.coupler($0)) }
        var links: [ModeCoupling] = []
        for (ci, c) in couplers.enumerated() {
            let p = device.coupler(c)
            for side in 0..<2 {
                if let qi = qubits.firstIndex(of: p.qubits[side]) {
                    links.append(ModeCoupling(qi, qubits.count + ci, strengthGHz: p.qubitCouplingGHz[side]))
                }
            }
        }
        for i in qubits.indices {
            for j in qubits.indices where j > i {
                if let c = device.topology.coupler(between: qubits[i], qubits[j]) {
                    links.append(ModeCoupling(i, j, strengthGHz: device.coupler(c).directCouplingGHz))
                }
            }
        }
        self.init(elements: elems, levels: Array(repeating: levels, count: elems.count), couplings: links,
                  couplingForm: couplingForm)
    }

    /// Positions of the qubit modes, in element order.
    public var qubitPositions: [Int] { elements.indices.filter { elements[$0].kind == .qubit } }

    /// Occupation nₖ of mode k in basis state m.
    @inline(__always)
    public func occupation(_ m: Int, mode k: Int) -> Int { (m / strides[k]) % levels[k] }

    /// The basis index of the occupations `n` (one per mode).
    public func basisIndex(_ n: [Int]) -> Int {
        precondition(n.count == levels.count && zip(n, levels).allSatisfy { $0 >= 0 && $0 < $1 }, "bad occupations \(n)")
        return zip(n, strides).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// f01 of every mode at static offsets plus `extraFluxPhi0` (per mode, Φ0), GHz.
    public func frequenciesGHz(extraFluxPhi0: [Double]? = nil) -> [Double] {
        elements.indices.map { k in
            elements[k].frequencyGHz(fluxOffsetPhi0: fluxOffsetsPhi0[k] + (extraFluxPhi0?[k] ?? 0))
        }
    }
}

extension SubsystemModel {
    /// One transmon at a fixed frequency (sweet spot), for closed-form tests and benchmarks.
    public static func singleTransmon(frequencyGHz: Double, anharmonicityGHz: Double = -0.22, levels: Int = 3,
                                      driveRabiGHz: Double = 0.08, t1Us: Double = .infinity,
                                      t2StarUs: Double = .infinity, thermalPopulation: Double = 0) -> SubsystemModel {
        let q = ElementParameters(kind: .qubit, name: "q", maxFrequencyGHz: frequencyGHz, anharmonicityGHz: anharmonicityGHz,
                                  t1Us: t1Us, t2StarUs: t2StarUs, thermalPopulation: thermalPopulation,
                                  driveRabiGHz: driveRabiGHz)
        return SubsystemModel(elements: [q], levels: [levels])
    }

    /// Two transmons and a tunable coupler between them (elements q0, q1, c), the chip-physics §5.3
    /// defaults: qubits at 4.40 / 4.65 GHz with α = −220 MHz, coupler f_max = 7.0 GHz with
    /// α_c = −150 MHz, g_qc = 90 MHz, g_qq = 6 MHz, full x·x couplings.
    public static func twoTransmonsWithCoupler(qubitsGHz: (Double, Double) = (4.40, 4.65), qubitAnharmonicityGHz: Double = -0.22,
                                               couplerMaxGHz: Double = 7.0, couplerAnharmonicityGHz: Double = -0.15,
                                               qubitCouplerGHz: Double = 0.09, directGHz: Double = 0.006,
                                               levels: Int = 3, couplingForm: CouplingForm = .full,
                                               driveRabiGHz: Double = 0.08) -> SubsystemModel {
        let q0 = ElementParameters(kind: .qubit, name: "q0", maxFrequencyGHz: qubitsGHz.0,
                                   anharmonicityGHz: qubitAnharmonicityGHz, driveRabiGHz: driveRabiGHz)
        let q1 = ElementParameters(kind: .qubit, name: "q1", maxFrequencyGHz: qubitsGHz.1,
                                   anharmonicityGHz: qubitAnharmonicityGHz, driveRabiGHz: driveRabiGHz)
        let c = ElementParameters(kind: .coupler, name: "c", maxFrequencyGHz: couplerMaxGHz,
                                  anharmonicityGHz: couplerAnharmonicityGHz)
        return SubsystemModel(elements: [q0, q1, c], levels: [levels, levels, levels],
                              couplings: [ModeCoupling(0, 2, strengthGHz: qubitCouplerGHz),
                                          ModeCoupling(1, 2, strengthGHz: qubitCouplerGHz),
                                          ModeCoupling(0, 1, strengthGHz: directGHz)],
                              couplingForm: couplingForm)
    }

    /// A copy whose mode k sits at flux offset Φ such that f01 = `frequencyGHz` (on the Φ ≥ 0 branch).
    /// - Precondition: the frequency is reachable (between f_min and f_max).
    public func tuning(mode k: Int, toFrequencyGHz f: Double) -> SubsystemModel {
        guard let flux = elements[k].tuning.flux(forFrequencyGHz: f) else {
            preconditionFailure("\(elements[k].name) cannot reach \(f) GHz")
        }
        var copy = self
        copy.fluxOffsetsPhi0[k] = flux - elements[k].idleFluxPhi0
        return copy
    }
}
