// Quantum trajectories (Monte-Carlo wave function; Dalibard, Castin & Mølmer 1992) for open systems
// too big for density matrices: a state vector of dimension n instead of a superoperator of n².
// Between jumps each trajectory follows the non-Hermitian H_eff = H − (i/2)Σ_c C_c†C_c; a jump
// happens when ‖ψ‖² falls below a uniform draw r, with channel c chosen ∝ ‖C_c ψ‖². The mean of
// |ψ⟩⟨ψ|/‖ψ‖² over trajectories converges to the Lindblad ρ (LindbladSolver) as 1/√N.
// Goals: 1. the same physics and frame as LindbladSolver (same collapse operators, same step plan);
// 2. seeded and reproducible, independent of the number of worker threads; 3. speed: the no-jump
// step propagators are computed once per distinct step and shared by all trajectories.
import Numerics
import WukongNumerics

/// Settings of a trajectory run.
public struct TrajectoryOptions: Sendable, Equatable {
    /// Number of trajectories N (the statistical error of a population p is √(p(1−p)/N)).
    public var trajectories: Int
    /// Seed; trajectory i draws from its own stream derived from (seed, i).
    public var seed: UInt64
    /// Longest no-jump step, ns. A jump is applied at the end of the step in which it occurs, so this
    /// bounds the jump-time error; `nil`: 0.002 / (largest decay rate of Σ C†C), at most 10 ns.
    public var maxStepNs: Double?
    /// Worker threads (trajectories are spread over them; results do not depend on it).
    public var workers: Int

    public init(trajectories: Int = 500, seed: UInt64 = 1, maxStepNs: Double? = nil, workers: Int = 2) {
        precondition(trajectories >= 1, "at least one trajectory")
        precondition(maxStepNs.map { $0 > 0 } ?? true, "maxStepNs must be positive")
        self.trajectories = trajectories
        self.seed = seed
        self.maxStepNs = maxStepNs
        self.workers = max(1, workers)
    }
}

/// The trajectory average.
public struct TrajectoryEnsemble: Sendable {
    /// Recorded times (step ends that end a sample or idle segment, as LindbladSolver), ns.
    public let timesNs: [Double]
    /// Mean basis populations at each recorded time.
    public let populations: [[Double]]
    /// Standard error of each mean population (sample standard deviation / √N).
    public let standardErrors: [[Double]]
    /// The mean final density matrix (1/N)Σ|ψ⟩⟨ψ|, in the rotating frame.
    public let densityMatrix: ComplexMatrix
    /// Quantum jumps over all trajectories.
    public let jumps: Int
    /// The final normalized state of every trajectory (for sampling shots per trajectory).
    public let finalStates: [[Complex<Double>]]
}

/// The trajectory solver for one model: same options and dissipators as `LindbladSolver`.
public struct TrajectorySolver: Sendable {
    public let model: SubsystemModel
    public let options: SolverOptions
    public let dissipation: DissipationOptions

    public init(model: SubsystemModel, options: SolverOptions = SolverOptions(),
                dissipation: DissipationOptions = DissipationOptions()) {
        self.model = model
        self.options = options
        self.dissipation = dissipation
    }

    /// One no-jump step: a shared propagator (index into the list) and, for lab-frame exact steps,
    /// the frame phases to apply before (t0) and after (t1).
    struct Step {
        var propagator: Int
        var phased: Bool
        var t0: Double
        var t1: Double
        var records: Bool
    }

    /// Runs N trajectories from the pure state ψ₀ (in the frame at t = 0) through the sequence.
    /// - Complexity: O(distinct steps · n³) once, then O(N · steps · n²) spread over the workers.
    public func evolve(_ psi0: [Complex<Double>], _ sequence: PulseSequence,
                       trajectories run: TrajectoryOptions = TrajectoryOptions()) -> TrajectoryEnsemble {
        let n = model.dimension
        precondition(psi0.count == n, "state has \(psi0.count) entries, model dimension is \(n)")
        let lindblad = LindbladSolver(model: model, options: options, dissipation: dissipation)
        let collapse = lindblad.collapseOperators()
        // Γ = Σ C†C; for these operators (b, b†b, b†) it is diagonal and commutes with the frame.
        var gamma = ComplexMatrix(rows: n, cols: n)
        for c in collapse { gamma = gamma + c.adjoint * c }
        let maxRate = (0..<n).map { gamma.re[$0 * n + $0] }.max() ?? 0
        let maxStep = run.maxStepNs ?? (maxRate > 0 ? min(10, 0.002 / maxRate) : .infinity)
        let planner = StepPlanner(model: model, sequence: sequence, options: options)

        // Plan: split long steps, build each distinct no-jump propagator once.
        var propagators: [ComplexMatrix] = []
        var keys: [(h: ComplexMatrix, dt: Double, shifted: Bool)] = []
        var steps: [Step] = []
        func propagatorIndex(_ h: ComplexMatrix, _ dt: Double, shiftedToFrame: Bool) -> Int {
            if let i = keys.firstIndex(where: { $0.dt == dt && $0.shifted == shiftedToFrame && $0.h == h }) { return i }
            var g = h
            if shiftedToFrame { for m in 0..<n { g.re[m * n + m] -= planner.frameEnergies[m] } }
            // exp(−i(H − iΓ/2)Δt) = exp((−iH − Γ/2)Δt).
            let generator = g.multiplied(by: Complex(0, -1)) - gamma.scaled(by: 0.5)
            propagators.append(matrixExponential(generator.scaled(by: dt)))
            keys.append((h, dt, shiftedToFrame))
            return propagators.count - 1
        }
        // Driven samples of models whose couplings or carriers rotate in the frame: the closed-system
        // interaction-picture step (exact H₀, CF4 drive; as SchrodingerSolver) with the decay split
        // symmetrically around it, e^{−ΓΔt/4}·U·e^{−ΓΔt/4} (Γ diagonal; exact when Γ = 0).
        let interaction = SchrodingerSolver(model: model, options: options).usesInteractionPicture(sequence)
        let decayRates = (0..<n).map { gamma.re[$0 * n + $0] }
        planner.forEachStepDescriptor(sequence) { step in
            if interaction, step.drive != nil {
                var single = step
                single.endsSample = true
                var stepper = ClosedStepper(planner: planner, initial: .identity(n), interaction: true)
                stepper.apply(single)
                var u = stepper.block
                let dt = step.t1 - step.t0
                for i in 0..<n {
                    for j in 0..<n {
                        let f = Double.exp(-(decayRates[i] + decayRates[j]) * dt / 4)
                        u.re[i * n + j] *= f
                        u.im[i * n + j] *= f
                    }
                }
                propagators.append(u)
                keys.append((ComplexMatrix(rows: 0, cols: 0), -1, false))
                steps.append(Step(propagator: propagators.count - 1, phased: false, t0: step.t0, t1: step.t1, records: step.endsSample))
                return
            }
            let (t0, t1, ends) = (step.t0, step.t1, step.endsSample)
            let h: ComplexMatrix, isFrame: Bool
            if let (b, k) = step.drive {
                // The frame-midpoint Hamiltonian, as StepPlanner.forEachStep builds it.
                var hr = planner.toFrame(planner.labHamiltonian(flux: step.flux), atNs: (t0 + t1) / 2)
                planner.addDrives(b, sample: k, atNs: (t0 + t1) / 2, to: &hr)
                (h, isFrame) = (hr, true)
            } else {
                (h, isFrame) = (planner.labHamiltonian(flux: step.flux), false)
            }
            let pieces = max(1, Int(((t1 - t0) / maxStep).rounded(.up)))
            let dt = (t1 - t0) / Double(pieces)
            let commutes = isFrame || planner.commutesWithFrame(h)
            let index = propagatorIndex(h, dt, shiftedToFrame: !isFrame && commutes)
            for p in 0..<pieces {
                let a = t0 + Double(p) * dt
                steps.append(Step(propagator: index, phased: !commutes, t0: a, t1: p == pieces - 1 ? t1 : a + dt,
                                  records: ends && p == pieces - 1))
            }
        }
        var times = [0.0]
        for s in steps where s.records { times.append(s.t1) }

        let norm0 = psi0.reduce(0) { $0 + $1.lengthSquared }.squareRoot()
        precondition(norm0 > 0, "initial state is zero")
        let start = psi0.map { $0 / Complex(norm0, 0) }
        let energies = planner.frameEnergies
        let seed = run.seed
        let sharedPropagators = propagators, sharedSteps = steps, recordCount = times.count
        let results = parallelSweep(Array(0..<run.trajectories), workers: run.workers) { index -> (pops: [Double], psi: [Complex<Double>], jumps: Int) in
            var rng = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1))
            var psi = start
            var pops: [Double] = []
            pops.reserveCapacity(recordCount * n)
            pops.append(contentsOf: psi.map { $0.lengthSquared })
            var r = rng.uniform()
            var jumps = 0
            for s in sharedSteps {
                if s.phased { Self.rotate(&psi, energies, time: -s.t0) }
                psi = sharedPropagators[s.propagator].apply(psi)
                if s.phased { Self.rotate(&psi, energies, time: s.t1) }
                var norm2 = psi.reduce(0) { $0 + $1.lengthSquared }
                if norm2 < r {
                    // Jump: channel c with probability ‖C_c ψ‖² / Σ‖C ψ‖².
                    let candidates = collapse.map { $0.apply(psi) }
                    let weights = candidates.map { $0.reduce(0) { $0 + $1.lengthSquared } }
                    let total = weights.reduce(0, +)
                    if total > 0 {
                        var pick = rng.uniform() * total, chosen = candidates.count - 1
                        for (c, w) in weights.enumerated() {
                            if pick < w { chosen = c; break }
                            pick -= w
                        }
                        psi = candidates[chosen]
                        norm2 = weights[chosen]
                        jumps += 1
                    }
                    let scale = 1 / norm2.squareRoot()
                    psi = psi.map { $0.multiplied(by: scale) }
                    r = rng.uniform()
                }
                if s.records {
                    let inv = 1 / psi.reduce(0) { $0 + $1.lengthSquared }
                    pops.append(contentsOf: psi.map { $0.lengthSquared * inv })
                }
            }
            let scale = 1 / psi.reduce(0) { $0 + $1.lengthSquared }.squareRoot()
            return (pops, psi.map { $0.multiplied(by: scale) }, jumps)
        }

        let count = Double(run.trajectories)
        var mean = [Double](repeating: 0, count: times.count * n), square = mean
        var rho = ComplexMatrix(rows: n, cols: n)
        var jumps = 0
        for t in results {
            for k in mean.indices { mean[k] += t.pops[k]; square[k] += t.pops[k] * t.pops[k] }
            for i in 0..<n {
                for j in 0..<n {
                    let z = t.psi[i] * t.psi[j].conjugate
                    rho.re[i * n + j] += z.real
                    rho.im[i * n + j] += z.imaginary
                }
            }
            jumps += t.jumps
        }
        let pops = (0..<times.count).map { k in (0..<n).map { mean[k * n + $0] / count } }
        let errors = (0..<times.count).map { k in
            (0..<n).map { m -> Double in
                let mu = mean[k * n + m] / count
                let variance = max(0, square[k * n + m] / count - mu * mu) * count / max(1, count - 1)
                return (variance / count).squareRoot()
            }
        }
        return TrajectoryEnsemble(timesNs: times, populations: pops, standardErrors: errors,
                                  densityMatrix: rho.scaled(by: 1 / count), jumps: jumps,
                                  finalStates: results.map { $0.psi })
    }

    /// ψₘ ← e^{iEₘt}ψₘ.
    static func rotate(_ psi: inout [Complex<Double>], _ e: [Double], time t: Double) {
        for m in psi.indices { psi[m] = psi[m] * Complex(length: 1, phase: e[m] * t) }
    }
}
