// The hidden true parameters of the emulated chip. Only the emulator reads these; everything
// else (compiler, gate-level noise, gateway, trainer) sees calibration snapshots.

/// True physical parameters of one transmon qubit and its readout resonator.
public struct QubitParameters: Sendable, Equatable, Codable {
    public var index: QubitIndex
    /// Sweet-spot frequency f_max, GHz.
    public var maxFrequencyGHz: Double
    /// Anharmonicity α (negative), GHz.
    public var anharmonicityGHz: Double
    /// SQUID asymmetry d.
    public var squidAsymmetry: Double
    /// Idle flux bias, Φ0.
    public var idleFluxPhi0: Double
    /// T1, µs.
    public var t1Us: Double
    /// T2* (Ramsey), µs; ≤ 2·T1.
    public var t2StarUs: Double
    /// T2echo, µs; ≤ 2·T1.
    public var t2EchoUs: Double
    /// Thermal excited-state population at idle.
    public var thermalPopulation: Double
    /// Rabi frequency at full-scale drive amplitude, GHz.
    public var driveRabiGHz: Double
    /// Readout resonator frequency, GHz.
    public var resonatorFrequencyGHz: Double
    /// Qubit–resonator coupling g_r, GHz.
    public var resonatorCouplingGHz: Double
    /// Resonator linewidth κ/2π, GHz.
    public var resonatorKappaGHz: Double
    /// Intrinsic assignment fidelity P(0|0).
    public var readoutFidelity0: Double
    /// Intrinsic assignment fidelity P(1|1).
    public var readoutFidelity1: Double
    /// The feedline (0..<rows) this qubit's resonator sits on.
    public var feedline: Int
    /// Quasi-static flux-noise σ_Φ, Φ0 (per-shot Gaussian flux offset; 0: none).
    public var fluxNoiseSigmaPhi0: Double = 0

    /// The flux-tuning law of this qubit.
    public var tuning: FluxTuning {
        FluxTuning(maxFrequencyGHz: maxFrequencyGHz, anharmonicityGHz: anharmonicityGHz, asymmetry: squidAsymmetry)
    }

    /// f01 at the idle flux, GHz.
    public var idleFrequencyGHz: Double { tuning.frequencyGHz(fluxPhi0: idleFluxPhi0) }

    /// The dispersive shift χ at idle, GHz (Koch et al.; chip-physics §2.2).
    public var dispersiveShiftGHz: Double {
        WukongDevice.dispersiveShiftGHz(qubitGHz: idleFrequencyGHz, resonatorGHz: resonatorFrequencyGHz,
                                        couplingGHz: resonatorCouplingGHz, anharmonicityGHz: anharmonicityGHz)
    }

    /// Pure-dephasing rate Γφ = 1/T2* − 1/(2T1), 1/µs (≥ 0 since T2* ≤ 2T1).
    public var pureDephasingRatePerUs: Double { max(0, 1 / t2StarUs - 1 / (2 * t1Us)) }

    /// Fields that a spec's `overrides.qubits` may set, by their YAML names.
    public static let overridableFields: Set<String> = [
        "max_frequency_ghz", "anharmonicity_ghz", "squid_asymmetry", "idle_flux_phi0", "t1_us", "t2_star_us",
        "t2_echo_us", "thermal_population", "drive_rabi_ghz", "resonator_frequency_ghz", "resonator_coupling_ghz",
        "resonator_kappa_ghz", "readout_fidelity_0", "readout_fidelity_1", "flux_noise_sigma_phi0",
    ]

    mutating func apply(override name: String, value: Double) {
        switch name {
        case "max_frequency_ghz": maxFrequencyGHz = value
        case "anharmonicity_ghz": anharmonicityGHz = value
        case "squid_asymmetry": squidAsymmetry = value
        case "idle_flux_phi0": idleFluxPhi0 = value
        case "t1_us": t1Us = value
        case "t2_star_us": t2StarUs = value
        case "t2_echo_us": t2EchoUs = value
        case "thermal_population": thermalPopulation = value
        case "drive_rabi_ghz": driveRabiGHz = value
        case "resonator_frequency_ghz": resonatorFrequencyGHz = value
        case "resonator_coupling_ghz": resonatorCouplingGHz = value
        case "resonator_kappa_ghz": resonatorKappaGHz = value
        case "readout_fidelity_0": readoutFidelity0 = value
        case "readout_fidelity_1": readoutFidelity1 = value
        case "flux_noise_sigma_phi0": fluxNoiseSigmaPhi0 = value
        default: preconditionFailure("unknown qubit override \(name); validated at load")
        }
    }
}

/// True physical parameters of one tunable coupler.
public struct CouplerParameters: Sendable, Equatable, Codable {
    public var index: CouplerIndex
    /// The two qubits it joins (low, high index).
    public var qubits: [QubitIndex]
    /// Sweet-spot frequency, GHz.
    public var maxFrequencyGHz: Double
    /// Anharmonicity, GHz.
    public var anharmonicityGHz: Double
    /// Coupling to `qubits[0]` and `qubits[1]`, GHz.
    public var qubitCouplingGHz: [Double]
    /// Direct qubit–qubit coupling, GHz.
    public var directCouplingGHz: Double
    /// SQUID asymmetry d.
    public var squidAsymmetry: Double
    /// Idle (decoupling-point) flux, Φ0.
    public var idleFluxPhi0: Double
    /// T1, µs.
    public var t1Us: Double
    /// T2*, µs.
    public var t2StarUs: Double
    /// False when the coupler is broken or switched off.
    public var enabled: Bool
    /// Quasi-static flux-noise σ_Φ, Φ0 (per-shot Gaussian flux offset; 0: none).
    public var fluxNoiseSigmaPhi0: Double = 0

    public var tuning: FluxTuning {
        FluxTuning(maxFrequencyGHz: maxFrequencyGHz, anharmonicityGHz: anharmonicityGHz, asymmetry: squidAsymmetry)
    }

    /// Frequency at the idle flux, GHz.
    public var idleFrequencyGHz: Double { tuning.frequencyGHz(fluxPhi0: idleFluxPhi0) }

    public static let overridableFields: Set<String> = [
        "max_frequency_ghz", "anharmonicity_ghz", "qubit_coupling_ghz_low", "qubit_coupling_ghz_high",
        "direct_coupling_ghz", "squid_asymmetry", "idle_flux_phi0", "t1_us", "t2_star_us", "flux_noise_sigma_phi0",
    ]

    mutating func apply(override name: String, value: Double) {
        switch name {
        case "max_frequency_ghz": maxFrequencyGHz = value
        case "anharmonicity_ghz": anharmonicityGHz = value
        case "qubit_coupling_ghz_low": qubitCouplingGHz[0] = value
        case "qubit_coupling_ghz_high": qubitCouplingGHz[1] = value
        case "direct_coupling_ghz": directCouplingGHz = value
        case "squid_asymmetry": squidAsymmetry = value
        case "idle_flux_phi0": idleFluxPhi0 = value
        case "t1_us": t1Us = value
        case "t2_star_us": t2StarUs = value
        case "flux_noise_sigma_phi0": fluxNoiseSigmaPhi0 = value
        default: preconditionFailure("unknown coupler override \(name); validated at load")
        }
    }
}

/// The whole true device: topology plus every element's parameters.
public struct ChipDevice: Sendable, Equatable {
    public let name: String
    public let specID: String
    public let topology: ChipTopology
    public let qubits: [QubitParameters]
    public let couplers: [CouplerParameters]

    public func qubit(_ q: QubitIndex) -> QubitParameters { qubits[q.rawValue] }
    public func coupler(_ c: CouplerIndex) -> CouplerParameters { couplers[c.rawValue] }

    /// Effective qubit–qubit exchange through a coupler at a coupler frequency, GHz (Yan et al.).
    public func effectiveExchangeGHz(_ c: CouplerIndex, couplerGHz: Double? = nil) -> Double {
        let p = coupler(c)
        let a = qubit(p.qubits[0]).idleFrequencyGHz, b = qubit(p.qubits[1]).idleFrequencyGHz
        return WukongDevice.effectiveExchangeGHz(qubitA: a, qubitB: b, coupler: couplerGHz ?? p.idleFrequencyGHz,
                                                 gA: p.qubitCouplingGHz[0], gB: p.qubitCouplingGHz[1],
                                                 direct: p.directCouplingGHz)
    }
}
