// Lindblad steps for driven samples of coupled models: the interaction picture of the static lab
// Liouvillian L₀ = −i[H₀, ·] + D (exact, one superoperator exponential per flux value and offset)
// with the drive −i[H_d(t), ·] integrated by the same fourth-order commutator-free Magnus rule the
// closed solver uses (`DrivenStepScheme.interactionPicture`). With ρ_lab(t₀ + s) = e^{L₀s}ρ_I(s),
// dρ_I/ds = L̃(s)ρ_I, L̃(s) = e^{−L₀s}·L_d(t₀ + s)·e^{L₀s}; one sub-step of length h is
// ρ_lab(t₁) = e^{L₀h}·exp(h(a₁L̃₁ + a₂L̃₂))·exp(h(a₂L̃₁ + a₁L̃₂))·ρ_lab(t₀) (L̃ at the Gauss points).
// Each exponential acts on the vector by its Taylor series (O(n⁴) per term, no n⁶ exponential
// per sample). Trace is exact (tr∘L̃ = 0); the dissipator and the fast H₀ rotation never need
// resolving, so the error is the closed solver's CF4 error in the drive alone.
import Numerics

/// Applies interaction-picture Lindblad sub-steps to a row-major vec(ρ) held in the solver frame.
struct LindbladInteractionStepper {
    let planner: StepPlanner
    let n: Int
    /// The dissipator superoperator (lab and frame alike for these collapse operators).
    let dissipator: ComplexMatrix

    /// e^{L₀h}, e^{±L₀s₁}, e^{±L₀s₂} for one flux vector and sub-step length h.
    struct Propagators {
        var full: ComplexMatrix
        var forward: [ComplexMatrix]
        var backward: [ComplexMatrix]
        var norms: [Double]
    }
    private var cache: [[Double]: (h: Double, p: Propagators)] = [:]

    private static let root3 = 3.0.squareRoot()
    /// Gauss-point offsets (fractions of h) and the CF4 weights.
    static let nodes = [0.5 - root3 / 6, 0.5 + root3 / 6]
    static let a1 = (3 - 2 * root3) / 12, a2 = (3 + 2 * root3) / 12

    init(planner: StepPlanner, dissipator: ComplexMatrix) {
        self.planner = planner
        self.n = planner.model.dimension
        self.dissipator = dissipator
    }

    private mutating func propagators(flux: [Double], h: Double, solver: LindbladSolver) -> Propagators {
        if let hit = cache[flux], hit.h == h { return hit.p }
        let l0 = solver.commutatorSuperoperator(planner.labHamiltonian(flux: flux)) + dissipator
        var forward: [ComplexMatrix] = [], backward: [ComplexMatrix] = []
        for c in Self.nodes {
            forward.append(matrixExponential(l0.scaled(by: c * h)))
            backward.append(matrixExponential(l0.scaled(by: -c * h)))
        }
        let norms = (0..<2).map { forward[$0].oneNorm * backward[$0].oneNorm }
        let p = Propagators(full: matrixExponential(l0.scaled(by: h)), forward: forward, backward: backward, norms: norms)
        if cache.count >= 8 { cache.removeAll() }
        cache[flux] = (h, p)
        return p
    }

    /// The lab drive Hamiltonian of sample k of `block` at time t (rad/ns), as ClosedStepper builds it.
    private func labDrive(_ block: PulseBlock, sample k: Int, at t: Double) -> ComplexMatrix {
        var hd = ComplexMatrix(rows: n, cols: n)
        let model = planner.model
        for d in block.drives where k < d.samples.count && d.samples[k] != .zero {
            let rabi = 2 * Double.pi * model.elements[d.element].driveRabiGHz
            let omega = d.samples[k] * Complex(length: 1, phase: d.phaseRad)
            let carrier = omega * Complex<Double>(length: 1, phase: -2 * .pi * d.frequencyGHz * t)
            // RWA: (rabi/2)(Ω̃e^{−iνt} b† + h.c.); full: rabi·Re[Ω̃e^{−iνt}](b + b†).
            let cPlus = planner.options.driveRWA ? carrier.multiplied(by: rabi / 2) : Complex(rabi * carrier.real, 0)
            let stride = model.strides[d.element], top = model.levels[d.element] - 1
            for m in 0..<n {
                let occ = model.occupation(m, mode: d.element)
                if occ >= top { continue }
                let amp = Double(occ + 1).squareRoot()
                let up = (m + stride) * n + m, down = m * n + (m + stride)
                hd.re[up] += amp * cPlus.real
                hd.im[up] += amp * cPlus.imaginary
                hd.re[down] += amp * cPlus.real
                hd.im[down] -= amp * cPlus.imaginary
            }
        }
        return hd
    }

    /// −i[H, X] for row-major vec(X).
    private func commutator(_ h: ComplexMatrix, _ x: [Complex<Double>]) -> [Complex<Double>] {
        var out = [Complex<Double>](repeating: .zero, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let a = Complex(h.re[i * n + k], h.im[i * n + k])
                let b = Complex(h.re[k * n + i], h.im[k * n + i])  // H_{k i}: (XH)_{j i} = Σ_k X_{j k} H_{k i}
                if a != .zero { for j in 0..<n { out[i * n + j] = out[i * n + j] + a * x[k * n + j] } }
                if b != .zero { for j in 0..<n { out[j * n + i] = out[j * n + i] - x[j * n + k] * b } }
            }
        }
        return out.map { Complex($0.imaginary, -$0.real) }
    }

    /// Moves vec(ρ) between the frame and the lab: ρₘₙ ← ρₘₙ·e^{sign·i(Eₘ − Eₙ)t}.
    private func rotate(_ v: inout [Complex<Double>], time t: Double, sign: Double) {
        let e = planner.frameEnergies
        for m in 0..<n {
            for k in 0..<n where m != k {
                v[m * n + k] = v[m * n + k] * Complex(length: 1, phase: sign * (e[m] - e[k]) * t)
            }
        }
    }

    /// One driven sub-step [t0, t1] of sample `k` of `block` at `flux`, applied to vec(ρ) in the frame.
    mutating func apply(_ v: inout [Complex<Double>], t0: Double, t1: Double, block: PulseBlock, sample k: Int,
                        flux: [Double], solver: LindbladSolver) {
        let h = t1 - t0
        let p = propagators(flux: flux, h: h, solver: solver)
        let drives = Self.nodes.map { labDrive(block, sample: k, at: t0 + $0 * h) }
        let driveNorms = drives.map { 2 * $0.oneNorm }
        rotate(&v, time: t0, sign: -1)
        // Right factor first: weights (a₂, a₁) on (L̃₁, L̃₂), then (a₁, a₂).
        for (w1, w2) in [(Self.a2, Self.a1), (Self.a1, Self.a2)] {
            let weights = [w1, w2]
            let bound = (0..<2).reduce(0.0) { $0 + weights[$1] * p.norms[$1] * driveNorms[$1] }
            if bound == 0 { continue }
            let pieces = max(1, Int((bound * h).rounded(.up)))
            let dt = h / Double(pieces)
            for _ in 0..<pieces {
                var term = v
                for order in 1...60 {
                    var next = [Complex<Double>](repeating: .zero, count: n * n)
                    for q in 0..<2 {
                        let moved = commutator(drives[q], p.forward[q].apply(term))
                        let back = p.backward[q].apply(moved)
                        let f = weights[q] * dt / Double(order)
                        for x in next.indices { next[x] = next[x] + back[x].multiplied(by: f) }
                    }
                    term = next
                    var largest = 0.0
                    for x in v.indices {
                        v[x] = v[x] + term[x]
                        largest = max(largest, abs(term[x].real), abs(term[x].imaginary))
                    }
                    if largest < 1e-17 { break }
                }
            }
        }
        v = p.full.apply(v)
        rotate(&v, time: t1, sign: 1)
    }
}

extension LindbladSolver {
    /// The reference the fast Lindblad paths are tested against: dρ/dt = −i[H(t), ρ] + D(ρ) in the
    /// frame, integrated by classical RK4 with `stepsPerSample` fixed steps per AWG sample (idle
    /// segments at the same step length), H(t) the frame Hamiltonian at the step's own times (the
    /// couplings' and carriers' rotation resolved, the drive envelope held per sample). Plain and slow:
    /// O(steps · n⁴); its error falls as (step)⁴, so two step sizes bound it.
    public func referenceEvolve(_ rho0: ComplexMatrix, _ sequence: PulseSequence, stepsPerSample: Int) -> ComplexMatrix {
        let n = model.dimension
        precondition(rho0.rows == n && rho0.cols == n, "ρ must be \(n)×\(n)")
        precondition(stepsPerSample >= 1, "at least one step per sample")
        let planner = StepPlanner(model: model, sequence: sequence, options: options)
        let diss = dissipator()
        let zeroFlux = [Double](repeating: 0, count: model.elements.count)
        let sampleNs = 1 / sequence.sampleRateGHz
        var v = rho0.re.indices.map { Complex(rho0.re[$0], rho0.im[$0]) }
        func hamiltonian(_ t: Double, flux: [Double], drive: (PulseBlock, Int)?) -> ComplexMatrix {
            var h = planner.toFrame(planner.labHamiltonian(flux: flux), atNs: t)
            if let (b, k) = drive { planner.addDrives(b, sample: k, atNs: t, to: &h) }
            return h
        }
        func derivative(_ x: [Complex<Double>], _ h: ComplexMatrix) -> [Complex<Double>] {
            var out = diss.apply(x)
            for i in 0..<n {
                for j in 0..<n {
                    var acc = Complex<Double>.zero
                    for k in 0..<n {
                        acc = acc + Complex(h.re[i * n + k], h.im[i * n + k]) * x[k * n + j]
                            - x[i * n + k] * Complex(h.re[k * n + j], h.im[k * n + j])
                    }
                    out[i * n + j] = out[i * n + j] + Complex(acc.imaginary, -acc.real)
                }
            }
            return out
        }
        func rk4(from t0: Double, length: Double, steps: Int, flux: [Double], drive: (PulseBlock, Int)?) {
            let dt = length / Double(steps)
            for s in 0..<steps {
                let t = t0 + Double(s) * dt
                let h0 = hamiltonian(t, flux: flux, drive: drive)
                let hm = hamiltonian(t + dt / 2, flux: flux, drive: drive)
                let h1 = hamiltonian(t + dt, flux: flux, drive: drive)
                let k1 = derivative(v, h0)
                let k2 = derivative(zip(v, k1).map { $0 + $1.multiplied(by: dt / 2) }, hm)
                let k3 = derivative(zip(v, k2).map { $0 + $1.multiplied(by: dt / 2) }, hm)
                let k4 = derivative(zip(v, k3).map { $0 + $1.multiplied(by: dt) }, h1)
                for x in v.indices {
                    v[x] = v[x] + (k1[x] + k2[x].multiplied(by: 2) + k3[x].multiplied(by: 2) + k4[x]).multiplied(by: dt / 6)
                }
            }
        }
        var t = 0.0
        for segment in sequence.segments {
            switch segment {
            case let .idle(d):
                if d > 0 {
                    rk4(from: t, length: d, steps: max(1, Int((d / sampleNs * Double(stepsPerSample)).rounded(.up))),
                        flux: zeroFlux, drive: nil)
                }
                t += d
            case let .block(b):
                for k in 0..<b.sampleCount {
                    let drive: (PulseBlock, Int)? = planner.isDriven(b, sample: k) ? (b, k) : nil
                    rk4(from: t + Double(k) * sampleNs, length: sampleNs, steps: stepsPerSample,
                        flux: planner.fluxVector(b, sample: k), drive: drive)
                }
                t += Double(b.sampleCount) * sampleNs
            }
        }
        return ComplexMatrix(rows: n, cols: n, re: v.map { $0.real }, im: v.map { $0.imaginary })
    }
}
