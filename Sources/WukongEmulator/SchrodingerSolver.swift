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
    /// - Complexity: O(steps · n³).
    public func propagator(_ sequence: PulseSequence) -> ComplexMatrix {
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        var u = ComplexMatrix.identity(model.dimension)
        planner.forEachStep(sequence) { step in u = Self.stepUnitary(step, planner: planner) * u }
        return u
    }

    /// Evolves a state (in the frame at t = 0, where it equals the lab state) through the sequence,
    /// recording basis populations after every step that ends an AWG sample or idle segment.
    /// - Complexity: O(steps · n³).
    public func evolve(_ initial: [Complex<Double>], _ sequence: PulseSequence) -> StateEvolution {
        precondition(initial.count == model.dimension, "state has \(initial.count) entries, model dimension is \(model.dimension)")
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        var psi = initial
        var times = [0.0], pops = [Self.populations(initial)]
        planner.forEachStep(sequence) { step in
            psi = Self.stepUnitary(step, planner: planner).apply(psi)
            switch step {
            case let .frame(_, t1, _, ends) where ends, let .exact(_, t1, _, ends) where ends:
                times.append(t1)
                pops.append(Self.populations(psi))
            default: break
            }
        }
        return StateEvolution(timesNs: times, populations: pops, finalState: psi)
    }

    static func populations(_ psi: [Complex<Double>]) -> [Double] { psi.map { $0.lengthSquared } }
}
