// The device spec: the seed and distributions from which the hidden true device is drawn,
// per-element overrides, disabled couplers, and the design rules of the nominal calibration.
// It is read from a YAML file in `calibration/` (see docs/formats/device-spec.md).

/// Distributions of per-qubit physical parameters (chip-physics §5.2).
public struct QubitDistributions: Sendable, Equatable, Codable {
    /// Sweet-spot frequency f_max on sublattice A ((row + col) even), GHz.
    public var maxFrequencyGHzA: ParameterDistribution
    /// Sweet-spot frequency f_max on sublattice B ((row + col) odd), GHz.
    public var maxFrequencyGHzB: ParameterDistribution
    /// Anharmonicity α (negative), GHz.
    public var anharmonicityGHz: ParameterDistribution
    /// SQUID junction asymmetry d.
    public var squidAsymmetry: ParameterDistribution
    /// Idle flux bias, Φ0 (0 = sweet spot).
    public var idleFluxPhi0: ParameterDistribution
    /// Energy relaxation time, µs.
    public var t1Us: ParameterDistribution
    /// Ramsey dephasing time T2*, µs; capped at 2·T1.
    public var t2StarUs: ParameterDistribution
    /// T2echo = factor × T2*, capped at 2·T1.
    public var t2EchoFactor: Double
    /// Thermal excited-state population at idle.
    public var thermalPopulation: ParameterDistribution
    /// Rabi frequency at full-scale drive amplitude (amplitude 1.0), GHz: the hidden drive-line attenuation.
    public var driveRabiGHz: ParameterDistribution
    /// Quasi-static flux-noise σ_Φ, Φ0: the spread of the flux offset frozen over one shot (the
    /// low-frequency part of 1/f flux noise). Optional; absent means no flux noise.
    public var fluxNoiseSigmaPhi0: ParameterDistribution?

    enum CodingKeys: String, CodingKey {
        case maxFrequencyGHzA = "max_frequency_ghz_a", maxFrequencyGHzB = "max_frequency_ghz_b"
        case anharmonicityGHz = "anharmonicity_ghz", squidAsymmetry = "squid_asymmetry"
        case idleFluxPhi0 = "idle_flux_phi0", t1Us = "t1_us", t2StarUs = "t2_star_us"
        case t2EchoFactor = "t2_echo_factor", thermalPopulation = "thermal_population"
        case driveRabiGHz = "drive_rabi_ghz", fluxNoiseSigmaPhi0 = "flux_noise_sigma_phi0"
    }
}

/// Distributions of per-coupler physical parameters.
public struct CouplerDistributions: Sendable, Equatable, Codable {
    /// Sweet-spot frequency, GHz (couplers sit above the qubits).
    public var maxFrequencyGHz: ParameterDistribution
    /// Anharmonicity, GHz.
    public var anharmonicityGHz: ParameterDistribution
    /// Qubit–coupler coupling g_qc (drawn separately for each side), GHz.
    public var qubitCouplingGHz: ParameterDistribution
    /// Direct qubit–qubit coupling g_qq, GHz.
    public var directCouplingGHz: ParameterDistribution
    /// SQUID asymmetry d.
    public var squidAsymmetry: ParameterDistribution
    /// Energy relaxation time, µs.
    public var t1Us: ParameterDistribution
    /// Ramsey dephasing time, µs.
    public var t2StarUs: ParameterDistribution
    /// Quasi-static flux-noise σ_Φ, Φ0 (as for qubits; couplers idle off their sweet spot, so it
    /// moves their frequency to first order). Optional; absent means no flux noise.
    public var fluxNoiseSigmaPhi0: ParameterDistribution?

    enum CodingKeys: String, CodingKey {
        case maxFrequencyGHz = "max_frequency_ghz", anharmonicityGHz = "anharmonicity_ghz"
        case qubitCouplingGHz = "qubit_coupling_ghz", directCouplingGHz = "direct_coupling_ghz"
        case squidAsymmetry = "squid_asymmetry", t1Us = "t1_us", t2StarUs = "t2_star_us"
        case fluxNoiseSigmaPhi0 = "flux_noise_sigma_phi0"
    }
}

/// Readout resonators: 12 feedlines (one per row) of 6 frequency-multiplexed resonators.
public struct ReadoutDistributions: Sendable, Equatable, Codable {
    /// Frequency of the resonator in column 0, GHz.
    public var resonatorBaseGHz: Double
    /// Spacing between neighbouring columns' resonators on a feedline, GHz.
    public var resonatorSpacingGHz: Double
    /// Fabrication offset added to each resonator, GHz.
    public var resonatorOffsetGHz: ParameterDistribution
    /// Qubit–resonator coupling g_r, GHz.
    public var couplingGHz: ParameterDistribution
    /// Resonator linewidth κ/2π, GHz.
    public var kappaGHz: ParameterDistribution
    /// Assignment fidelity P(0 | prepared 0).
    public var fidelity0: ParameterDistribution
    /// Assignment fidelity P(1 | prepared 1).
    public var fidelity1: ParameterDistribution

    enum CodingKeys: String, CodingKey {
        case resonatorBaseGHz = "resonator_base_ghz", resonatorSpacingGHz = "resonator_spacing_ghz"
        case resonatorOffsetGHz = "resonator_offset_ghz", couplingGHz = "coupling_ghz", kappaGHz = "kappa_ghz"
        case fidelity0 = "fidelity_0", fidelity1 = "fidelity_1"
    }
}

/// Frequency-collision rules; a violating qubit is redrawn (chip-physics §5.1).
public struct CollisionRules: Sendable, Equatable, Codable {
    /// Neighbours must differ by at least this in f01, GHz.
    public var minNeighbourDetuningGHz: Double
    /// f01 of one must stay this far from f12 of the other, GHz.
    public var minTransitionDetuningGHz: Double
    /// Redraw rounds before giving up with an error.
    public var maxRedraws: Int

    enum CodingKeys: String, CodingKey {
        case minNeighbourDetuningGHz = "min_neighbour_detuning_ghz"
        case minTransitionDetuningGHz = "min_transition_detuning_ghz", maxRedraws = "max_redraws"
    }
}

/// Design rules for gates and readout: what the nominal calibration starts from.
public struct DesignRules: Sendable, Equatable, Codable {
    /// Single-qubit DRAG pulse length, ns.
    public var rphiDurationNs: Double
    /// DRAG Gaussian σ, ns.
    public var rphiSigmaNs: Double
    /// DRAG coefficient β (Qiskit convention), ns.
    public var dragBetaNs: Double
    /// CZ length, ns.
    public var czDurationNs: Double
    /// CZ flat-top cosine ramp, ns.
    public var czRampNs: Double
    /// Coupler frequency during CZ, GHz.
    public var czCouplerOnGHz: Double
    /// Readout pulse length, ns.
    public var readoutDurationNs: Double
    /// Readout pulse ramp, ns.
    public var readoutRampNs: Double
    /// AWG sample rate, GS/s.
    public var sampleRateGSps: Double
    /// Length of one integration-weight segment, ns.
    public var weightSegmentNs: Double

    enum CodingKeys: String, CodingKey {
        case rphiDurationNs = "rphi_duration_ns", rphiSigmaNs = "rphi_sigma_ns", dragBetaNs = "drag_beta_ns"
        case czDurationNs = "cz_duration_ns", czRampNs = "cz_ramp_ns", czCouplerOnGHz = "cz_coupler_on_ghz"
        case readoutDurationNs = "readout_duration_ns", readoutRampNs = "readout_ramp_ns"
        case sampleRateGSps = "sample_rate_gsps", weightSegmentNs = "weight_segment_ns"
    }
}

/// Per-element overrides of drawn values: `qubits: {"0": {t1_us: 9.254}}`.
public struct DeviceOverrides: Sendable, Equatable, Codable {
    public var qubits: [String: [String: Double]]
    public var couplers: [String: [String: Double]]

    public init(qubits: [String: [String: Double]] = [:], couplers: [String: [String: Double]] = [:]) {
        self.qubits = qubits
        self.couplers = couplers
    }

    enum CodingKeys: String, CodingKey { case qubits, couplers }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        qubits = try c.decodeIfPresent([String: [String: Double]].self, forKey: .qubits) ?? [:]
        couplers = try c.decodeIfPresent([String: [String: Double]].self, forKey: .couplers) ?? [:]
    }
}

/// Everything the true-device generator needs. Immutable once loaded.
public struct DeviceSpec: Sendable, Equatable, Codable {
    public var name: String
    public var seed: UInt64
    public var rows: Int
    public var cols: Int
    public var qubit: QubitDistributions
    public var coupler: CouplerDistributions
    public var readout: ReadoutDistributions
    public var collisions: CollisionRules
    public var design: DesignRules
    public var overrides: DeviceOverrides
    /// Couplers that are broken or switched off (never used by the compiler or the emulator's gates).
    public var disabledCouplers: [Int]

    enum CodingKeys: String, CodingKey {
        case name, seed, rows, cols, qubit, coupler, readout, collisions, design, overrides
        case disabledCouplers = "disabled_couplers"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        seed = try c.decode(UInt64.self, forKey: .seed)
        rows = try c.decode(Int.self, forKey: .rows)
        cols = try c.decode(Int.self, forKey: .cols)
        qubit = try c.decode(QubitDistributions.self, forKey: .qubit)
        coupler = try c.decode(CouplerDistributions.self, forKey: .coupler)
        readout = try c.decode(ReadoutDistributions.self, forKey: .readout)
        collisions = try c.decode(CollisionRules.self, forKey: .collisions)
        design = try c.decode(DesignRules.self, forKey: .design)
        overrides = try c.decodeIfPresent(DeviceOverrides.self, forKey: .overrides) ?? DeviceOverrides()
        disabledCouplers = try c.decodeIfPresent([Int].self, forKey: .disabledCouplers) ?? []
    }
}
