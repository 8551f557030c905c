// Open-system evolution: the Lindblad master equation with per-mode relaxation, pure dephasing and
// optional thermal excitation, as a superoperator on row-major vec(ρ), exponentiated exactly per
// piecewise-constant step. Goals: 1. trace preserved to 1e-12 and ρ positive; 2. exact for idle
// segments of any length (Ramsey, T1); 3. speed (dimension n ≤ ~9 modes-levels: superoperator n²).
import Numerics

/// Which dissipators to include, per mode: L₁ = √(1/T1)·b, L_φ = √(2Γφ)·b†b with
/// Γφ = 1/T2* − 1/(2T1), and optionally L↑ = √(n_th/T1)·b†.
public struct DissipationOptions: Sendable, Equatable {
    /// Include the thermal excitation channel L↑ = √(n_th/T1)·b†.
    public var thermalExcitation: Bool
    public init(thermalExcitation: Bool = false) { self.thermalExcitation = thermalExcitation }
}

/// Density matrices over time from `LindbladSolver.evolve`.
public struct DensityEvolution: Sendable {
    /// Recorded times (step ends), ns.
    public let timesNs: [Double]
    /// Basis populations ρₘₘ(t) at each recorded time.
    public let populations: [[Double]]
    /// The final density matrix in the rotating frame.
    public let finalState: ComplexMatrix
}

/// The Lindblad solver for one model.
public struct LindbladSolver: Sendable {
    public let model: SubsystemModel
    public let options: SolverOptions
    public let dissipation: DissipationOptions

    public init(model: SubsystemModel, options: SolverOptions = SolverOptions(),
                dissipation: DissipationOptions = DissipationOptions()) {
        self.model = model
        self.options = options
        self.dissipation = dissipation
    }

    /// The collapse operators, in ns^{-1/2}: per mode √(1/T1)·b, √(2Γφ)·b†b, and √(n_th/T1)·b† if enabled.
    public func collapseOperators() -> [ComplexMatrix] {
        var ops: [ComplexMatrix] = []
        for (k, e) in model.elements.enumerated() {
            let gamma1 = 1 / (1000 * e.t1Us)
            if gamma1 > 0 { ops.append(model.lowering(mode: k).scaled(by: gamma1.squareRoot())) }
            let gammaPhi = e.pureDephasingRatePerNs
            if gammaPhi > 0 { ops.append(model.number(mode: k).scaled(by: (2 * gammaPhi).squareRoot())) }
            if dissipation.thermalExcitation && e.thermalPopulation > 0 && gamma1 > 0 {
                ops.append(model.lowering(mode: k).adjoint.scaled(by: (e.thermalPopulation * gamma1).squareRoot()))
            }
        }
        return ops
    }

    /// The dissipative part Σ_c [C⊗C̄ − ½(C†C)⊗I − ½I⊗(C†C)ᵀ] on row-major vec(ρ)
    /// (vec(AρB) = (A⊗Bᵀ)vec(ρ)). Frame-invariant for these operators: b → b·e^{−iωt} leaves D[b] unchanged.
    public func dissipator() -> ComplexMatrix {
        let n = model.dimension
        let id = ComplexMatrix.identity(n)
        var d = ComplexMatrix(rows: n * n, cols: n * n)
        for c in collapseOperators() {
            let cdc = c.adjoint * c
            d = d + c.kronecker(c.conjugate)
            d.add(cdc.kronecker(id), times: Complex(-0.5, 0))
            d.add(id.kronecker(cdc.transpose), times: Complex(-0.5, 0))
        }
        return d
    }

    /// −i(H⊗I − I⊗Hᵀ): the Hamiltonian part of the generator for H in rad/ns.
    public func commutatorSuperoperator(_ h: ComplexMatrix) -> ComplexMatrix {
        let id = ComplexMatrix.identity(h.rows)
        return (h.kronecker(id) - id.kronecker(h.transpose)).multiplied(by: Complex(0, -1))
    }

    /// The thermal initial state ⊗ₖ diag(1 − pₖ, pₖ, 0, …) with pₖ each mode's thermal population.
    public func thermalState() -> ComplexMatrix {
        .diagonal((0..<model.dimension).map { m in
            model.elements.indices.reduce(1.0) { acc, k in
                let p = model.elements[k].thermalPopulation
                switch model.occupation(m, mode: k) {
                case 0: return acc * (1 - p)
                case 1: return acc * p
                default: return 0
                }
            }
        })
    }

    /// The step superoperator of one planned step (row-major vec(ρ), in the frame).
    func stepSuperoperator(_ step: PlannedStep, planner: StepPlanner, dissipator diss: ComplexMatrix) -> ComplexMatrix {
        let n = model.dimension
        switch step {
        case let .frame(a, b, h, _):
            return matrixExponential((commutatorSuperoperator(h) + diss).scaled(by: b - a))
        case let .exact(a, b, h, _):
            if planner.commutesWithFrame(h) {
                var hf = h
                for m in 0..<n { hf.re[m * n + m] -= planner.frameEnergies[m] }
                return matrixExponential((commutatorSuperoperator(hf) + diss).scaled(by: b - a))
            }
            // S = P(t1)·exp(L_lab Δt)·P(t0)⁻¹ with P(t) multiplying ρₘₙ by e^{i(Eₘ − Eₙ)t}.
            var lab = matrixExponential((commutatorSuperoperator(h) + diss).scaled(by: b - a))
            let e = planner.frameEnergies
            for row in 0..<(n * n) {
                for col in 0..<(n * n) {
                    let k = row * n * n + col
                    let phase = (e[row / n] - e[row % n]) * b - (e[col / n] - e[col % n]) * a
                    let z = Complex(lab.re[k], lab.im[k]) * Complex(length: 1, phase: phase)
                    lab.re[k] = z.real
                    lab.im[k] = z.imaginary
                }
            }
            return lab
        }
    }

    /// Evolves ρ (in the frame at t = 0) through the sequence; populations after every step that ends
    /// a sample or idle segment. Driven samples of models whose couplings or carriers rotate in the
    /// frame (`SchrodingerSolver.usesInteractionPicture`) run in the interaction picture of the static
    /// Liouvillian with CF4 sub-steps (`options.substeps` per sample); all other steps are exact
    /// superoperator exponentials of piecewise-constant generators. Steps whose generator and length equal an earlier step's (idle runs,
    /// repeated samples in a frame-commuting model) reuse its superoperator instead of a new exponential.
    /// - Complexity: O(distinct steps · n⁶) (dense superoperator exponentials) + O(steps · n⁴).
    public func evolve(_ rho0: ComplexMatrix, _ sequence: PulseSequence) -> DensityEvolution {
        let n = model.dimension
        precondition(rho0.rows == n && rho0.cols == n, "ρ must be \(n)×\(n)")
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        let diss = dissipator()
        var v = rho0.re.indices.map { Complex(rho0.re[$0], rho0.im[$0]) }
        var times = [0.0], pops = [(0..<n).map { rho0.re[$0 * n + $0] }]
        // Cache: only time-translation-invariant steps (frame steps, and exact steps that commute with
        // the frame) can be reused; the key is the generator's Hamiltonian and the step length.
        var cache: [(h: ComplexMatrix, dt: Double, s: ComplexMatrix)] = []
        // Driven samples of coupled models (couplings or carriers rotating in the frame): the
        // interaction picture of the static Liouvillian with CF4 sub-steps (LindbladInteraction.swift).
        let interaction = SchrodingerSolver(model: model, options: options).usesInteractionPicture(sequence)
        var stepper = LindbladInteractionStepper(planner: planner, dissipator: diss)
        planner.forEachStepDescriptor(sequence) { descriptor in
            if interaction, let (block, k) = descriptor.drive {
                stepper.apply(&v, t0: descriptor.t0, t1: descriptor.t1, block: block, sample: k, flux: descriptor.flux, solver: self)
                if descriptor.endsSample {
                    times.append(descriptor.t1)
                    pops.append((0..<n).map { v[$0 * n + $0].real })
                }
                return
            }
            let step = planner.plannedStep(descriptor)
            let (t1, ends): (Double, Bool)
            var reusable = false
            var key = ComplexMatrix(rows: 0, cols: 0), dt = 0.0
            switch step {
            case let .frame(a, b, h, e):
                (t1, ends) = (b, e)
                (key, dt) = (h, b - a)
                reusable = true
            case let .exact(a, b, h, e):
                (t1, ends) = (b, e)
                (key, dt) = (h, b - a)
                reusable = planner.commutesWithFrame(h)
            }
            var s: ComplexMatrix? = nil
            if reusable, let hit = cache.first(where: { $0.dt == dt && $0.h == key }) { s = hit.s }
            if s == nil {
                let fresh = stepSuperoperator(step, planner: planner, dissipator: diss)
                if reusable {
                    if cache.count >= 8 { cache.removeFirst() }
                    cache.append((key, dt, fresh))
                }
                s = fresh
            }
            v = s!.apply(v)
            if ends {
                times.append(t1)
                pops.append((0..<n).map { v[$0 * n + $0].real })
            }
        }
        let rho = ComplexMatrix(rows: n, cols: n, re: v.map { $0.real }, im: v.map { $0.imaginary })
        return DensityEvolution(timesNs: times, populations: pops, finalState: rho)
    }

    /// ρ(t) in the frame at each time of `timesNs` (ascending, ≥ 0) of a free (idle, undriven)
    /// evolution from ρ₀: exact, one superoperator exponential per distinct time increment (so a
    /// uniform Ramsey or T1 delay grid costs one exponential and a matrix–vector product per point).
    /// - Complexity: O(distinct increments · n⁶ + points · n⁴).
    public func idleStates(_ rho0: ComplexMatrix, timesNs: [Double]) -> [ComplexMatrix] {
        let n = model.dimension
        precondition(rho0.rows == n && rho0.cols == n, "ρ must be \(n)×\(n)")
        precondition(zip(timesNs, timesNs.dropFirst()).allSatisfy { $0 <= $1 } && (timesNs.first ?? 0) >= 0,
                     "idleStates: times must be ascending and ≥ 0")
        let planner = StepPlanner(model: model, sequence: PulseSequence(), options: options)
        let h = planner.labHamiltonian(flux: Array(repeating: 0, count: model.elements.count))
        let commutes = planner.commutesWithFrame(h)
        let diss = dissipator()
        // Generator in the frame (commuting case) or in the lab (then each output is moved into the frame).
        var hg = h
        if commutes { for m in 0..<n { hg.re[m * n + m] -= planner.frameEnergies[m] } }
        let generator = commutatorSuperoperator(hg) + diss
        var cache: [(dt: Double, s: ComplexMatrix)] = []
        var v = rho0.re.indices.map { Complex(rho0.re[$0], rho0.im[$0]) }
        var t = 0.0
        var out: [ComplexMatrix] = []
        out.reserveCapacity(timesNs.count)
        let e = planner.frameEnergies
        for target in timesNs {
            let dt = target - t
            if dt > 0 {
                // Increments equal to rounding (a uniform grid built by addition) share one exponential.
                let s: ComplexMatrix
                if let hit = cache.first(where: { abs($0.dt - dt) <= 1e-12 * max(1, dt) }) {
                    s = hit.s
                } else {
                    s = matrixExponential(generator.scaled(by: dt))
                    if cache.count >= 8 { cache.removeFirst() }
                    cache.append((dt, s))
                }
                v = s.apply(v)
                t = target
            }
            var rho = ComplexMatrix(rows: n, cols: n, re: v.map { $0.real }, im: v.map { $0.imaginary })
            if !commutes {
                for i in 0..<n {
                    for j in 0..<n {
                        rho[i, j] = rho[i, j] * Complex(length: 1, phase: (e[i] - e[j]) * target)
                    }
                }
            }
            out.append(rho)
        }
        return out
    }
}

extension ComplexMatrix {
    /// The density matrix |ψ⟩⟨ψ|.
    public static func projector(_ psi: [Complex<Double>]) -> ComplexMatrix {
        var m = ComplexMatrix(rows: psi.count, cols: psi.count)
        for i in psi.indices { for j in psi.indices { m[i, j] = psi[i] * psi[j].conjugate } }
        return m
    }
}
