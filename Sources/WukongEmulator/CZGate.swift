// The CZ gate via a tunable coupler (chip-physics §3.2, §5.3): a flat-top coupler flux pulse that
// turns the exchange on, plus a co-timed flux pulse on the moving (higher) qubit that brings |11⟩
// to the |02⟩ (or |20⟩) resonance; its figures (conditional phase, leakage, fidelity up to virtual Z)
// in the dressed idle frame, and a small calibration search: a 2-D scan, then Nelder–Mead refinement.
import Numerics
import WukongNumerics
import WukongPulses

/// The flux pulses of one CZ: flat tops with raised-cosine edges on the coupler and the moving qubit.
public struct CZPulseParameters: Sendable, Equatable, Codable {
    /// Position of the coupler mode in the model.
    public var coupler: Int
    /// Position of the moving qubit mode (the higher-frequency one).
    public var movingQubit: Int
    /// Total length of both pulses, ns.
    public var durationNs: Double
    /// Raised-cosine edge length, ns.
    public var riseNs: Double
    /// Flat-top flux offset of the coupler from its idle point, Φ0.
    public var couplerFluxPhi0: Double
    /// Flat-top flux offset of the moving qubit from its idle point, Φ0.
    public var qubitFluxPhi0: Double

    public init(coupler: Int, movingQubit: Int, durationNs: Double, riseNs: Double = 5,
                couplerFluxPhi0: Double, qubitFluxPhi0: Double = 0) {
        self.coupler = coupler
        self.movingQubit = movingQubit
        self.durationNs = durationNs
        self.riseNs = riseNs
        self.couplerFluxPhi0 = couplerFluxPhi0
        self.qubitFluxPhi0 = qubitFluxPhi0
    }

    /// The two flux waveforms as one block at `sampleRateGHz` (mid-sample times, as rendered by WukongPulses).
    public func sequence(sampleRateGHz: Double = 2) -> PulseSequence {
        let shape: [Double]
        do {
            shape = try Envelope.flatTopCosine(durationNs: durationNs, riseNs: riseNs, amp: 1)
                .samples(sampleRateGHz: sampleRateGHz).map(\.real)
        } catch {
            preconditionFailure("CZ pulse: \(error)")
        }
        var fluxes = [FluxWaveform(element: coupler, samplesPhi0: shape.map { $0 * couplerFluxPhi0 })]
        if qubitFluxPhi0 != 0 { fluxes.append(FluxWaveform(element: movingQubit, samplesPhi0: shape.map { $0 * qubitFluxPhi0 })) }
        return PulseSequence(sampleRateGHz: sampleRateGHz, fluxes: fluxes)
    }
}

/// The figures of a two-qubit propagator in the dressed idle frame.
public struct TwoQubitPhases: Sendable, Equatable {
    /// φ₁₁ − φ₁₀ − φ₀₁ + φ₀₀ wrapped to (−π, π], rad, with φₘ = arg⟨m|U_d|m⟩.
    public let conditionalPhaseRad: Double
    /// Average leakage out of the dressed computational subspace.
    public let leakage: Double
    /// Average gate fidelity to CZ = diag(1, 1, 1, −1) up to virtual Z and global phase.
    public let czFidelity: Double
    /// The virtual-Z corrections (rad, per qubit) that maximize the fidelity.
    public let virtualZRad: [Double]

    /// π − |conditional phase|: zero for a perfect CZ phase.
    public var phaseErrorRad: Double { Double.pi - abs(conditionalPhaseRad) }
}

extension SubsystemModel {
    /// The CZ target diag(1, 1, 1, −1) on two qubits.
    public static var czTarget: ComplexMatrix {
        .diagonal(complex: [.one, .one, .one, Complex(-1, 0)])
    }

    /// Conditional phase, leakage and CZ fidelity of a propagator already in the dressed frame.
    /// - Precondition: the model has exactly two qubit modes.
    public func twoQubitPhases(dressed ud: ComplexMatrix) -> TwoQubitPhases {
        precondition(qubitPositions.count == 2, "two-qubit figures need exactly two qubit modes")
        let c = computationalIndices
        let phi = c.map { ud[$0, $0].phase }
        var cp = phi[3] - phi[1] - phi[2] + phi[0]
        cp = Double.atan2(y: Double.sin(cp), x: Double.cos(cp))
        let cmp = compare(ud, to: Self.czTarget)
        return TwoQubitPhases(conditionalPhaseRad: cp, leakage: cmp.leakage, czFidelity: cmp.averageFidelity,
                              virtualZRad: cmp.virtualZRad)
    }

    /// Runs a CZ pulse (closed system, solver frame automatic) and returns its dressed-frame figures.
    /// - Complexity: one 27×27 eigen-decomposition per distinct flux sample (≈ 2·riseNs·rate + 1).
    public func evaluateCZ(_ pulse: CZPulseParameters, sampleRateGHz: Double = 2, basis: DressedBasis? = nil) -> TwoQubitPhases {
        let seq = pulse.sequence(sampleRateGHz: sampleRateGHz)
        let solver = SchrodingerSolver(model: self)
        let u = solver.propagator(seq)
        let ud = dressedFrame(u, solverFrameGHz: solver.frameFrequenciesGHz(for: seq), durationNs: seq.durationNs, basis: basis)
        return twoQubitPhases(dressed: ud)
    }

    /// The flux offset from idle (Φ0, ≥ 0) that puts mode k at f01 = `frequencyGHz`.
    /// - Precondition: the frequency is reachable from the mode's idle point by lowering its flux branch.
    public func fluxOffset(mode k: Int, toFrequencyGHz f: Double) -> Double {
        guard let flux = elements[k].tuning.flux(forFrequencyGHz: f) else {
            preconditionFailure("\(elements[k].name) cannot reach \(f) GHz")
        }
        return flux - elements[k].idleFluxPhi0 - fluxOffsetsPhi0[k]
    }
}

/// One point of a CZ calibration scan.
public struct CZScanPoint: Sendable {
    public let pulse: CZPulseParameters
    public let phases: TwoQubitPhases
}

/// The result of `CZCalibration.calibrate`.
public struct CZCalibrationResult: Sendable {
    /// The refined pulse.
    public let pulse: CZPulseParameters
    /// Its figures.
    public let phases: TwoQubitPhases
    /// Every coarse scan point, in scan order.
    public let scan: [CZScanPoint]
    /// Model evaluations spent in refinement.
    public let refinementEvaluations: Int
}

/// The calibration search for a CZ pulse at fixed duration and rise: a coarse 2-D scan of coupler
/// and moving-qubit flux amplitudes in parallel, then Nelder–Mead on the cost
/// c = (π − |φ_c|)² + (L/L₀)²·(0.02 rad)², which weighs a leakage L₀ = 1 % like a 0.02-rad phase error.
public enum CZCalibration {
    /// Leakage that costs as much as a 0.02-rad phase error (the two bars).
    static let leakageScale = 0.01
    static let phaseScaleRad = 0.02

    /// The cost of a point (dimensionless: 1 = both bars just met).
    public static func cost(_ p: TwoQubitPhases) -> Double {
        let a = p.phaseErrorRad / phaseScaleRad, b = p.leakage / leakageScale
        return a * a + b * b
    }

    /// Scans `couplerFluxGrid` × `qubitFluxGrid` (Φ0 offsets) at fixed duration with `workers` threads,
    /// then refines the best point with at most `maxRefinements` evaluations.
    /// - Complexity: (grid size + maxRefinements) CZ evaluations.
    public static func calibrate(model: SubsystemModel, coupler: Int, movingQubit: Int, durationNs: Double,
                                 riseNs: Double = 5, couplerFluxGrid: [Double], qubitFluxGrid: [Double],
                                 maxRefinements: Int = 80, workers: Int = 2) -> CZCalibrationResult {
        let basis = model.dressedBasis()
        @Sendable func pulse(_ x: [Double]) -> CZPulseParameters {
            CZPulseParameters(coupler: coupler, movingQubit: movingQubit, durationNs: durationNs, riseNs: riseNs,
                              couplerFluxPhi0: x[0], qubitFluxPhi0: x[1])
        }
        let grid = couplerFluxGrid.flatMap { c in qubitFluxGrid.map { [c, $0] } }
        let scan = parallelSweep(grid, workers: workers) { x in
            CZScanPoint(pulse: pulse(x), phases: model.evaluateCZ(pulse(x), basis: basis))
        }
        var best = scan.min { cost($0.phases) < cost($1.phases) }!
        var evaluations = 0
        if maxRefinements > 0 {
            let cStep = couplerFluxGrid.count > 1 ? abs(couplerFluxGrid[1] - couplerFluxGrid[0]) / 2 : 0.005
            let qStep = qubitFluxGrid.count > 1 ? abs(qubitFluxGrid[1] - qubitFluxGrid[0]) / 2 : 0.005
            let start = [best.pulse.couplerFluxPhi0, best.pulse.qubitFluxPhi0]
            let (x, _, n) = nelderMead(start: start, steps: [cStep, qStep], maxEvaluations: maxRefinements) { x in
                cost(model.evaluateCZ(pulse(x), basis: basis))
            }
            evaluations = n
            let p = model.evaluateCZ(pulse(x), basis: basis)
            if cost(p) < cost(best.phases) { best = CZScanPoint(pulse: pulse(x), phases: p) }
        }
        return CZCalibrationResult(pulse: best.pulse, phases: best.phases, scan: scan, refinementEvaluations: evaluations)
    }
}

