// CZ calibration on one coupler (chip-physics §3.2 steps 2–5), through the pulse backend's cluster
// channels (the CZ block of the qubit–coupler–qubit cluster and the calibrated DRAG blocks, all on
// the true device, combined as the pulse backend combines them):
// 1. a coarse 2-D map of coupler × moving-qubit flux amplitude, measuring at each point the
//    conditional phase (target Ramsey-phase sweeps with the control in |0⟩ and |1⟩) and the leakage
//    out of |11⟩ (three-level readout), scored like `CZCalibration`'s cost;
// 2. fine 1-D sweeps: leakage vs qubit amplitude (parabola minimum), conditional phase vs coupler
//    amplitude (line through π);
// 3. the single-qubit phases of the final pulse against a reference without it → virtual-Z corrections.
import Foundation
import Numerics
import WukongCircuits
import WukongDevice
import WukongNumerics
import WukongPlot
import WukongRuntime

/// Grid sizes of the CZ calibration.
public struct CZSweepSettings: Sendable, Equatable {
    /// Coarse map: coupler amplitudes × qubit amplitudes.
    public var couplerPoints: Int
    public var qubitPoints: Int
    /// Relative half-span of the coarse coupler and qubit amplitudes around the snapshot's.
    public var couplerSpan: Double
    public var qubitSpan: Double
    /// Measured-cost Nelder–Mead evaluations after the map.
    public var refinements: Int
    /// Points of each fine 1-D sweep.
    public var finePoints: Int
    /// Phases per Ramsey-phase sweep.
    public var phasePoints: Int
    /// Shots per point.
    public var shots: Int
    /// CZ length and ramp to calibrate at (ns); nil keeps the snapshot's. The design 40/5 ns leaks 1–10 % on
    /// some pairs of this chip; 60/10 ns is adiabatic enough for the 0.99 bar (see the runtime tests).
    public var durationNs: Double?
    public var rampNs: Double?

    public static let quick = CZSweepSettings(couplerPoints: 5, qubitPoints: 13, couplerSpan: 0.3, qubitSpan: 1.0,
                                              refinements: 40, finePoints: 9, phasePoints: 6, shots: 1000, durationNs: 60, rampNs: 10)
    public static let full = CZSweepSettings(couplerPoints: 9, qubitPoints: 25, couplerSpan: 0.4, qubitSpan: 1.0,
                                             refinements: 80, finePoints: 15, phasePoints: 8, shots: 4000, durationNs: 60, rampNs: 10)

    public init(couplerPoints: Int, qubitPoints: Int, couplerSpan: Double, qubitSpan: Double, refinements: Int, finePoints: Int,
                phasePoints: Int, shots: Int, durationNs: Double? = nil, rampNs: Double? = nil) {
        self.couplerPoints = couplerPoints
        self.qubitPoints = qubitPoints
        self.couplerSpan = couplerSpan
        self.qubitSpan = qubitSpan
        self.refinements = refinements
        self.finePoints = finePoints
        self.phasePoints = phasePoints
        self.shots = shots
        self.durationNs = durationNs
        self.rampNs = rampNs
    }
}

/// A measured CZ operating point.
public struct CZPoint: Sendable {
    public var couplerAmplitude: Double
    public var qubitAmplitude: Double
    public var conditionalPhase: Double
    public var conditionalPhaseError: Double
    public var leakage: Double
    public var leakageError: Double

    /// `CZCalibration`'s cost: (π − |φc|)/0.02 rad and leakage/1 %, squared and summed.
    public var cost: Double {
        let a = (Double.pi - abs(conditionalPhase)) / 0.02, b = leakage / 0.01
        return a * a + b * b
    }
}

/// The experiments on one coupler. Each coupler gets its own.
public struct CouplerBench {
    public let chip: EmulatedChip
    public let coupler: Int
    public let low: QubitBeliefs, high: QubitBeliefs
    public let movingQubit: Int
    public let durationNs: Double, rampNs: Double
    public var couplerAmplitude: Double, qubitAmplitude: Double
    public let settings: CZSweepSettings
    var rng: SeededGenerator
    public var plots: Bool

    public init(chip: EmulatedChip, snapshot s: CalibrationSnapshot, coupler c: Int, low: QubitBeliefs, high: QubitBeliefs,
                settings: CZSweepSettings, seed: UInt64, plots: Bool = true) {
        self.chip = chip
        coupler = c
        self.low = low
        self.high = high
        movingQubit = Int(s.value(.czMovingQubit, c).rounded())
        durationNs = settings.durationNs ?? s.value(.czDuration, c)
        rampNs = settings.rampNs ?? s.value(.czRamp, c)
        couplerAmplitude = s.value(.czCouplerAmplitude, c)
        qubitAmplitude = s.value(.czQubitAmplitude, c)
        self.settings = settings
        rng = SeededGenerator(seed: seed)
        self.plots = plots
    }

    var element: String { "c\(coupler)" }

    func pulse(_ cAmp: Double, _ qAmp: Double) -> CZFluxPulse {
        CZFluxPulse.make(coupler: coupler, low: low.qubit, high: high.qubit, movingQubit: movingQubit, durationNs: durationNs,
                    riseNs: rampNs, couplerFluxPhi0: cAmp, qubitFluxPhi0: qAmp)
    }

    /// The calibrated DRAG block of a rotation θ about the axis at `phase` on qubit `b`.
    func rotation(_ b: QubitBeliefs, theta: Double, phase: Double) throws -> GateMatrix {
        var amp = b.piAmplitude * theta / .pi, ph = phase
        if amp < 0 { amp = -amp; ph += .pi }
        let p = DragPulse.make(qubit: b.qubit, durationNs: b.durationNs, sigmaNs: b.sigmaNs, betaNs: b.betaNs, amplitude: amp,
                          phaseRad: ph, frequencyGHz: b.frequencyGHz)
        return try chip.channels.channel(for: p).matrix
    }

    /// Applies a 2×2 gate to the pair state (index 2·b_high + b_low) on `high` or low.
    static func apply(_ g: GateMatrix, onHigh: Bool, _ psi: inout [Complex<Double>]) {
        let pairs = onHigh ? [(0, 2), (1, 3)] : [(0, 1), (2, 3)]
        for (i, j) in pairs {
            let a = psi[i], b = psi[j]
            psi[i] = g[0, 0] * a + g[0, 1] * b
            psi[j] = g[1, 0] * a + g[1, 1] * b
        }
    }

    /// The pair state after: control π (if `controlExcited`), target X/2, the CZ pulse (or nothing),
    /// target X/2 at `finalPhase`; and the population leaked out of the computational subspace.
    func ramseyState(targetHigh: Bool, controlExcited: Bool, finalPhase: Double, cz: CZFluxPulse?) throws -> ([Double], Double) {
        let (t, c) = targetHigh ? (high, low) : (low, high)
        var psi: [Complex<Double>] = [.one, .zero, .zero, .zero]
        if controlExcited { Self.apply(try rotation(c, theta: .pi, phase: 0), onHigh: !targetHigh, &psi) }
        Self.apply(try rotation(t, theta: .pi / 2, phase: 0), onHigh: targetHigh, &psi)
        if let cz {
            let m = chip.channels.channel(for: cz).matrix
            psi = (0..<4).map { i in (0..<4).reduce(Complex<Double>.zero) { $0 + m[i, $1] * psi[$1] } }
        }
        Self.apply(try rotation(t, theta: .pi / 2, phase: finalPhase), onHigh: targetHigh, &psi)
        let norm = psi.reduce(0) { $0 + $1.lengthSquared }
        return (psi.map { $0.lengthSquared / norm }, 1 - norm)
    }

    /// The target's Ramsey phase (rad) and its error from a sweep of the final pulse's phase.
    mutating func targetPhase(targetHigh: Bool, controlExcited: Bool, cz: CZFluxPulse?) throws -> (Double, Double, [Double], [Double]) {
        let phases = (0..<settings.phasePoints).map { 2 * Double.pi * Double($0) / Double(settings.phasePoints) }
        var y: [Double] = []
        for ph in phases {
            let (p, _) = try ramseyState(targetHigh: targetHigh, controlExcited: controlExcited, finalPhase: ph, cz: cz)
            let counts = chip.readPairs(qubits: (high.qubit, low.qubit), probabilities: p, shots: settings.shots, rng: &rng)
            let ones = targetHigh ? counts[2] + counts[3] : counts[1] + counts[3]
            y.append(Double(ones) / Double(settings.shots))
        }
        let sigma = y.map { binomialSigma($0, shots: settings.shots) }
        let start = FitModels.sinusoidStart(x: phases, y: y)
        let fit = try CurveFit.fit(FitModels.sinusoid, x: phases, y: y, sigma: sigma, start: start, scales: [1, 1, 1])
        var phi = fit.parameters[2]
        if fit.parameters[1] < 0 { phi += .pi }
        return (wrap(phi), fit.errors[2], phases, y)
    }

    /// Leakage out of |11⟩ after the pulse, read with a three-level readout: fraction of shots found outside.
    mutating func leakage(_ cz: CZFluxPulse) throws -> (Double, Double) {
        var psi: [Complex<Double>] = [.one, .zero, .zero, .zero]
        Self.apply(try rotation(high, theta: .pi, phase: 0), onHigh: true, &psi)
        Self.apply(try rotation(low, theta: .pi, phase: 0), onHigh: false, &psi)
        let m = chip.channels.channel(for: cz).matrix
        psi = (0..<4).map { i in (0..<4).reduce(Complex<Double>.zero) { $0 + m[i, $1] * psi[$1] } }
        let kept = psi.reduce(0) { $0 + $1.lengthSquared }
        let leaked = max(0, 1 - kept)
        var count = 0
        for _ in 0..<settings.shots where rng.uniform() < leaked { count += 1 }
        let l = Double(count) / Double(settings.shots)
        return (l, binomialSigma(l, shots: settings.shots))
    }

    /// Measures one operating point.
    public mutating func measure(_ cAmp: Double, _ qAmp: Double) throws -> CZPoint {
        let p = pulse(cAmp, qAmp)
        let (a0, e0, _, _) = try targetPhase(targetHigh: false, controlExcited: false, cz: p)
        let (a1, e1, _, _) = try targetPhase(targetHigh: false, controlExcited: true, cz: p)
        let (l, el) = try leakage(p)
        return CZPoint(couplerAmplitude: cAmp, qubitAmplitude: qAmp, conditionalPhase: wrap(a1 - a0),
                       conditionalPhaseError: (e0 * e0 + e1 * e1).squareRoot(), leakage: l, leakageError: el)
    }

    func wrap(_ x: Double) -> Double { atan2(sin(x), cos(x)) }

    func result(_ name: String, _ ms: [CalibrationMeasurement], fit: FitResult?, updates: [CalibrationUpdate], plot: LinePlot?,
                started: Date) -> ExperimentResult {
        ExperimentResult(name: name, element: element, measurements: ms, fit: fit, updates: updates, plot: plot,
                         seconds: Date().timeIntervalSince(started), date: started)
    }

    /// The whole CZ calibration; results of each stage, the last holding the virtual-Z corrections.
    public mutating func calibrate() throws -> [ExperimentResult] {
        var out: [ExperimentResult] = []
        // 1. Coarse map.
        var started = Date()
        let c0 = couplerAmplitude, q0 = qubitAmplitude
        let cs = linspace(c0 * (1 - settings.couplerSpan), c0 * (1 + settings.couplerSpan), settings.couplerPoints)
        let qs = linspace(q0 * (1 - settings.qubitSpan), q0 * (1 + settings.qubitSpan), settings.qubitPoints)
        var map: [CZPoint] = []
        for c in cs { for qa in qs { map.append(try measure(c, qa)) } }
        var best = map.min { $0.cost < $1.cost }!
        var mapPlot: LinePlot?
        if plots {
            mapPlot = LinePlot(title: "\(element) CZ map: conditional phase vs coupler amplitude", xLabel: "coupler flux (Phi0)",
                               yLabel: "|conditional phase| (rad)", series: qs.map { qa in
                                   let row = map.filter { $0.qubitAmplitude == qa }
                                   return PlotSeries(label: String(format: "qubit %.4f", qa), x: row.map(\.couplerAmplitude),
                                                     y: row.map { abs($0.conditionalPhase) })
                               })
        }
        out.append(result("cz_map", [
            CalibrationMeasurement(quantity: "coupler_flux_amplitude", value: best.couplerAmplitude, uncertainty: abs(cs[1] - cs[0]) / 2, unit: "Phi0"),
            CalibrationMeasurement(quantity: "qubit_flux_amplitude", value: best.qubitAmplitude, uncertainty: abs(qs[1] - qs[0]) / 2, unit: "Phi0"),
            CalibrationMeasurement(quantity: "conditional_phase", value: best.conditionalPhase, uncertainty: best.conditionalPhaseError, unit: "rad"),
            CalibrationMeasurement(quantity: "leakage", value: best.leakage, uncertainty: best.leakageError, unit: "1"),
        ], fit: nil, updates: [], plot: mapPlot, started: started))

        // 2a. Nelder–Mead on the measured cost from the best map point.
        started = Date()
        let qStep = abs(qs[1] - qs[0]), cStepMap = abs(cs[1] - cs[0])
        var measured: [CZPoint] = []
        var failure: Error?
        // From the best map point; when that stalls above the bars (cost > 4), once more from the best map
        // point at least two grid steps away (another branch of the phase/leakage landscape).
        var starts = [best]
        for attempt in 0..<2 where failure == nil {
            if attempt == 1 {
                guard (measured.map(\.cost).min() ?? best.cost) > 4,
                      let other = map.filter({ abs($0.couplerAmplitude - best.couplerAmplitude) > 1.5 * cStepMap
                          || abs($0.qubitAmplitude - best.qubitAmplitude) > 1.5 * qStep }).min(by: { $0.cost < $1.cost })
                else { break }
                starts.append(other)
            }
            let from = starts[attempt]
            _ = nelderMead(start: [from.couplerAmplitude, from.qubitAmplitude], steps: [cStepMap / 2, qStep / 2],
                           // A measured (noisy) cost: no value-spread stop; room for one iteration's two evaluations.
                           maxEvaluations: settings.refinements - 1, tolerance: nil) { x in
                do {
                    let p = try measure(x[0], x[1])
                    measured.append(p)
                    return p.cost
                } catch {
                    failure = error
                    return .infinity
                }
            }
        }
        if let failure { throw failure }
        if let m = measured.min(by: { $0.cost < $1.cost }), m.cost < best.cost { best = m }
        out.append(result("cz_refine", [
            CalibrationMeasurement(quantity: "coupler_flux_amplitude", value: best.couplerAmplitude, uncertainty: cStepMap / 4, unit: "Phi0"),
            CalibrationMeasurement(quantity: "qubit_flux_amplitude", value: best.qubitAmplitude, uncertainty: qStep / 4, unit: "Phi0"),
            CalibrationMeasurement(quantity: "conditional_phase", value: best.conditionalPhase, uncertainty: best.conditionalPhaseError, unit: "rad"),
            CalibrationMeasurement(quantity: "leakage", value: best.leakage, uncertainty: best.leakageError, unit: "1"),
        ], fit: nil, updates: [], plot: plots ? LinePlot(title: "\(element) CZ refinement (measured cost)", xLabel: "evaluation",
                                                         yLabel: "log10 cost", series: [PlotSeries(
                                                             label: "cost", x: measured.indices.map(Double.init),
                                                             y: measured.map { Foundation.log10(max($0.cost, 1e-3)) })]) : nil,
                          started: started))
        let qBest = best.qubitAmplitude

        // 2b. Conditional phase vs coupler amplitude: the line through π.
        started = Date()
        let cStep = cStepMap / 4
        let cFine = linspace(best.couplerAmplitude - cStep, best.couplerAmplitude + cStep, settings.finePoints)
        let points = try cFine.map { try measure($0, qBest) }
        // Unwrap |φc| near π: use φc mod 2π in (0, 2π).
        let phase = points.map { $0.conditionalPhase < 0 ? $0.conditionalPhase + 2 * .pi : $0.conditionalPhase }
        let (line, cov) = try CurveFit.line(x: cFine, y: phase, sigma: points.map { max($0.conditionalPhaseError, 1e-3) })
        var cBest = best.couplerAmplitude, cErr = cStep / Double(settings.finePoints)
        let (a, b) = (line.parameters[0], line.parameters[1])
        if b != 0 {
            let root = (Double.pi - a) / b
            if abs(root - best.couplerAmplitude) <= cStep {
                cBest = root
                let v = line.errors[0] * line.errors[0] + root * root * line.errors[1] * line.errors[1] + 2 * root * cov
                cErr = max(v, 0).squareRoot() / abs(b)
            }
        }
        out.append(result("cz_phase", [CalibrationMeasurement(quantity: "coupler_flux_amplitude", value: cBest, uncertainty: cErr, unit: "Phi0")],
                          fit: line, updates: [],
                          plot: plots ? fitPlot("CZ conditional phase", x: cFine, y: phase, xLabel: "coupler flux (Phi0)",
                                                yLabel: "conditional phase (rad)",
                                                model: FitModel(name: "line", parameterNames: ["a", "b"]) { x, p in p[0] + p[1] * x },
                                                fit: line) : nil, started: started))

        // 3. Final point and virtual Z: target phases with the control in |0⟩ against a reference without the pulse.
        started = Date()
        let polished = try measure(cBest, qBest)
        if polished.cost <= best.cost { best = polished } else { cBest = best.couplerAmplitude }
        couplerAmplitude = cBest
        qubitAmplitude = qBest
        let p = pulse(cBest, qBest)
        var corrections: [Double] = []
        var errors: [Double] = []
        for targetHigh in [false, true] {
            let (with, e1, _, _) = try targetPhase(targetHigh: targetHigh, controlExcited: false, cz: p)
            let (without, e2, _, _) = try targetPhase(targetHigh: targetHigh, controlExcited: false, cz: nil)
            corrections.append(wrap(-(with - without)))
            errors.append((e1 * e1 + e2 * e2).squareRoot())
        }
        let source = ExperimentResult.provenance("cz_virtual_z", date: started, fit: nil)
            + String(format: " phi_c=%.4f leak=%.2e", best.conditionalPhase, best.leakage)
        let updates = [
            CalibrationUpdate(.czDuration, element: coupler, value: durationNs, source: source),
            CalibrationUpdate(.czRamp, element: coupler, value: rampNs, source: source),
            CalibrationUpdate(.czCouplerAmplitude, element: coupler, value: cBest, source: source),
            CalibrationUpdate(.czQubitAmplitude, element: coupler, value: qBest, source: source),
            CalibrationUpdate(.czVirtualZ, element: coupler, real: corrections, imag: nil, source: source),
            // The |11⟩ leakage measured at the chosen point (the gate-level noise model's `gates/cz/leakage`).
            CalibrationUpdate(.czLeakage, element: coupler, value: best.leakage, source: source),
        ]
        out.append(result("cz_virtual_z", [
            CalibrationMeasurement(quantity: "conditional_phase", value: best.conditionalPhase, uncertainty: best.conditionalPhaseError, unit: "rad"),
            CalibrationMeasurement(quantity: "leakage", value: best.leakage, uncertainty: best.leakageError, unit: "1"),
            CalibrationMeasurement(quantity: "virtual_z_low", value: corrections[0], uncertainty: errors[0], unit: "rad"),
            CalibrationMeasurement(quantity: "virtual_z_high", value: corrections[1], uncertainty: errors[1], unit: "rad"),
        ], fit: nil, updates: updates, plot: nil, started: started))
        return out
    }

    func fitPlot(_ title: String, x: [Double], y: [Double], xLabel: String, yLabel: String, model: FitModel, fit: FitResult?) -> LinePlot {
        var series = [PlotSeries(label: "data", x: x, y: y)]
        if let fit, let lo = x.min(), let hi = x.max() {
            let xs = linspace(lo, hi, 200)
            series.append(PlotSeries(label: "fit \(model.name)", x: xs, y: xs.map { model.evaluate($0, fit.parameters) }))
        }
        return LinePlot(title: "\(element) \(title)", xLabel: xLabel, yLabel: yLabel, series: series)
    }
}

