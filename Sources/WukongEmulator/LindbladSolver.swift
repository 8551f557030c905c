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

    /// Evolves ρ (in the frame at t = 0) through the sequence; populations after every step that ends
    /// a sample or idle segment.
    /// - Complexity: O(steps · n⁶) (dense superoperator exponentials).
    public func evolve(_ rho0: ComplexMatrix, _ sequence: PulseSequence) -> DensityEvolution {
        let n = model.dimension
        precondition(rho0.rows == n && rho0.cols == n, "ρ must be \(n)×\(n)")
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        let diss = dissipator()
        var v = rho0.re.indices.map { Complex(rho0.re[$0], rho0.im[$0]) }
        var times = [0.0], pops = [(0..<n).map { rho0.re[$0 * n + $0] }]
        planner.forEachStep(sequence) { step in
            let (t0, t1, ends): (Double, Double, Bool)
            let s: ComplexMatrix
            switch step {
            case let .frame(a, b, h, e):
                (t0, t1, ends) = (a, b, e)
                s = matrixExponential((commutatorSuperoperator(h) + diss).scaled(by: b - a))
            case let .exact(a, b, h, e):
                (t0, t1, ends) = (a, b, e)
                if planner.commutesWithFrame(h) {
                    var hf = h
                    for m in 0..<n { hf.re[m * n + m] -= planner.frameEnergies[m] }
                    s = matrixExponential((commutatorSuperoperator(hf) + diss).scaled(by: b - a))
                } else {
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
                    s = lab
                }
            }
            v = s.apply(v)
            if ends {
                times.append(t1)
                pops.append((0..<n).map { v[$0 * n + $0].real })
            }
            _ = t0
        }
        let rho = ComplexMatrix(rows: n, cols: n, re: v.map(\.real), im: v.map(\.imaginary))
        return DensityEvolution(timesNs: times, populations: pops, finalState: rho)
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
