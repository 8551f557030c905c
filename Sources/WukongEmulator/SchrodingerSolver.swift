// Closed-system evolution: propagators and states for a SubsystemModel under a PulseSequence,
// piecewise constant per step (see StepPlanner), each step exponentiated exactly via the
// Hermitian eigen-decomposition. Goals: 1. unitary to 1e-12; 2. exact for undriven segments and
// for drives held per sample in their own frame; 3. speed (one n³ eigen + one n³ product per step).
import Numerics

/// States over time from `SchrodingerSolver.evolve`.
public struct StateEvolution: Sendable {
    /// Times at which populations were recorded (step ends), ns.
    public let timesNs: [Double]
    /// Basis-state populations |ψₘ(t)|² at each recorded time (in the frame; frame-independent).
    public let populations: [[Double]]
    /// The final state in the rotating frame.
    public let finalState: [Complex<Double>]
}

/// The closed-system solver for one model and solver options.
public struct SchrodingerSolver: Sendable {
    /// The physics.
    public let model: SubsystemModel
    /// Frame, RWA and step options.
    public let options: SolverOptions

    public init(model: SubsystemModel, options: SolverOptions = SolverOptions()) {
        self.model = model
        self.options = options
    }

    /// The frame frequencies (GHz) this solver uses for `sequence`.
    public func frameFrequenciesGHz(for sequence: PulseSequence) -> [Double] {
        StepPlanner(model: model, sequence: sequence, options: options).frameGHz
    }

    /// The step propagator of a planned step, in the frame.
    static func stepUnitary(_ step: PlannedStep, planner: StepPlanner) -> ComplexMatrix {
        switch step {
        case let .frame(t0, t1, h, _):
            return unitaryExponential(h, timeNs: t1 - t0)
        case let .exact(t0, t1, h, _):
            if planner.commutesWithFrame(h) {
                // exp(−i(H − H_f)Δt): exact and of small norm in the frame.
                var hf = h
                let n = planner.model.dimension
                for m in 0..<n { hf.re[m * n + m] -= planner.frameEnergies[m] }
                return unitaryExponential(hf, timeNs: t1 - t0)
            }
            // U_frame = D(t1)·exp(−iHΔt)·D(t0)†, D(t) = diag(e^{iEₘt}).
            var u = unitaryExponential(h, timeNs: t1 - t0)
            let e = planner.frameEnergies, n = planner.model.dimension
            for i in 0..<n {
                for j in 0..<n {
                    let k = i * n + j
                    let phase = Complex<Double>(length: 1, phase: e[i] * t1 - e[j] * t0)
                    let z = Complex(u.re[k], u.im[k]) * phase
                    u.re[k] = z.real
                    u.im[k] = z.imaginary
                }
            }
            return u
        }
    }

    /// The propagator U(T, 0) of the whole sequence in the rotating frame.
    /// - Complexity: O(steps · n³), one Householder–QL decomposition per driven step and per distinct
    ///   undriven flux vector.
    public func propagator(_ sequence: PulseSequence) -> ComplexMatrix {
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        // Idles and flux pulses only: the propagator is block-diagonal; each block on its own.
        if let blocked = BlockedFluxPropagator(planner: planner, sequence: sequence) { return blocked.propagate(sequence) }
        var stepper = ClosedStepper(planner: planner, initial: .identity(model.dimension), interaction: usesInteractionPicture(sequence))
        planner.forEachStepDescriptor(sequence) { stepper.apply($0) }
        return stepper.block
    }

    /// The propagator by the plain path (Jacobi eigen-decomposition and one step matrix per step,
    /// driven steps always at frame midpoints): the reference `propagator` is tested against.
    public func referencePropagator(_ sequence: PulseSequence) -> ComplexMatrix {
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        var u = ComplexMatrix.identity(model.dimension)
        planner.forEachStep(sequence) { step in u = Self.stepUnitary(step, planner: planner) * u }
        return u
    }

    /// Evolves a state (in the frame at t = 0, where it equals the lab state) through the sequence,
    /// recording basis populations after every step that ends an AWG sample or idle segment.
    /// - Complexity: O(steps · n³) for the decompositions, O(steps · n²) for the state.
    public func evolve(_ initial: [Complex<Double>], _ sequence: PulseSequence) -> StateEvolution {
        precondition(initial.count == model.dimension, "state has \(initial.count) entries, model dimension is \(model.dimension)")
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        let column = ComplexMatrix(rows: initial.count, cols: 1, re: initial.map { $0.real }, im: initial.map { $0.imaginary })
        var stepper = ClosedStepper(planner: planner, initial: column, interaction: usesInteractionPicture(sequence))
        var times = [0.0], pops = [Self.populations(initial)]
        planner.forEachStepDescriptor(sequence) { step in
            stepper.apply(step)
            if step.endsSample {
                times.append(step.t1)
                pops.append((0..<initial.count).map { stepper.ur[$0] * stepper.ur[$0] + stepper.ui[$0] * stepper.ui[$0] })
            }
        }
        let psi = (0..<initial.count).map { Complex(stepper.ur[$0], stepper.ui[$0]) }
        return StateEvolution(timesNs: times, populations: pops, finalState: psi)
    }

    /// The final state only (no population record): the sweep kernel.
    /// - Complexity: as `evolve`, without the O(steps · n) record.
    public func finalState(_ initial: [Complex<Double>], _ sequence: PulseSequence) -> [Complex<Double>] {
        precondition(initial.count == model.dimension, "state has \(initial.count) entries, model dimension is \(model.dimension)")
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        let column = ComplexMatrix(rows: initial.count, cols: 1, re: initial.map { $0.real }, im: initial.map { $0.imaginary })
        var stepper = ClosedStepper(planner: planner, initial: column, interaction: usesInteractionPicture(sequence))
        planner.forEachStepDescriptor(sequence) { stepper.apply($0) }
        return (0..<initial.count).map { Complex(stepper.ur[$0], stepper.ui[$0]) }
    }

    static func populations(_ psi: [Complex<Double>]) -> [Double] { psi.map { $0.lengthSquared } }
}

extension SchrodingerSolver {
    /// True when piecewise-constant frame steps are not exact for this model and sequence: some
    /// sample is driven and either some coupling oscillates in the frame (full x·x couplings, or
    /// modes at different frame frequencies), a drive's carrier differs from its mode's frame, or the
    /// drive is not in the RWA.
    public func needsSubsteps(_ sequence: PulseSequence) -> Bool {
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        var driven = false, offFrame = false
        for case let .block(b) in sequence.segments {
            for d in b.drives where d.samples.contains(where: { $0 != .zero }) {
                driven = true
                if abs(d.frequencyGHz - planner.frameGHz[d.element]) > 1e-12 { offFrame = true }
            }
        }
        return driven && (offFrame || !options.driveRWA || !planner.commutesWithFrame(planner.couplingH))
    }

    /// Whether driven steps of `sequence` run in the interaction picture of H₀ (`drivenScheme`).
    public func usesInteractionPicture(_ sequence: PulseSequence) -> Bool {
        switch options.drivenScheme {
        case .frameMidpoint: false
        case .interactionPicture: true
        case .automatic: needsSubsteps(sequence)
        }
    }

    /// The sub-step count at which the final state from `initial` has converged: the count doubles
    /// from `start` until two successive results differ by at most `tolerance` (largest amplitude
    /// difference), up to `limit`. Returns the count, the last difference, and whether it converged.
    /// - Complexity: about twice the cost of a solve at the returned count.
    public func convergedSubsteps(_ sequence: PulseSequence, initial: [Complex<Double>], start: Int = 8,
                                  tolerance: Double = 1e-7, limit: Int = 1024) -> (substeps: Int, change: Double, converged: Bool) {
        precondition(start >= 1 && limit >= start, "need 1 ≤ start ≤ limit")
        func solve(_ m: Int) -> [Complex<Double>] {
            var o = options
            o.substeps = m
            return SchrodingerSolver(model: model, options: o).finalState(initial, sequence)
        }
        var m = start
        var previous = solve(m)
        var change = Double.infinity
        while m * 2 <= limit {
            let next = solve(m * 2)
            change = zip(previous, next).map { ($0 - $1).length }.max() ?? 0
            m *= 2
            previous = next
            if change <= tolerance { return (m, change, true) }
        }
        return (m, change, false)
    }
}
