// Solver options (frame, RWA, sub-stepping) and the step planner shared by the Schrödinger and
// Lindblad solvers: it turns a PulseSequence into piecewise-constant steps, each either exact
// (no drive: the lab Hamiltonian is constant, exponentiated in one step and moved into the frame)
// or a frame step (driven: the rotating-frame Hamiltonian at the sub-step midpoint).
import Numerics

/// The rotating frame the solvers work in: H_f = Σₖ 2π·f_frame,k·nₖ (rad/ns).
public enum FrameChoice: Sendable, Equatable {
    /// Qubits rotate at their first drive's carrier (or their idle f01 if undriven); couplers at idle f01.
    case automatic
    /// The lab frame (all frame frequencies zero); for checks, needs fine sub-steps with drives.
    case lab
    /// Explicit frame frequencies, GHz, one per mode.
    case custom([Double])
}

/// How the closed-system solver integrates driven sub-steps.
public enum DrivenStepScheme: Sendable, Equatable {
    /// The frame Hamiltonian held at each sub-step midpoint: exact with one sub-step when nothing
    /// rotates in the frame (uncoupled or frame-commuting couplings, RWA drive at its mode's frame).
    case frameMidpoint
    /// The interaction picture of the static lab Hamiltonian H₀ (exponentiated exactly through one
    /// eigen-decomposition per flux value), the drive integrated per sub-step by the fourth-order
    /// commutator-free Magnus method (two exponentials at the Gauss points): for full x·x couplings,
    /// whose fast counter-rotating terms then never need resolving.
    case interactionPicture
    /// `frameMidpoint` when it is exact for the sequence, `interactionPicture` otherwise.
    case automatic
}

/// How the solvers discretize time.
public struct SolverOptions: Sendable, Equatable {
    /// The rotating frame; states and propagators are returned in it.
    public var frame: FrameChoice
    /// Keep only the co-rotating part of the drive, π·f_R(Ω̃e^{−i2πf_d t} b† + h.c.) (true), or the
    /// full 2π·f_R·Re[Ω̃e^{−i2πf_d t}](b + b†) (false, lab-frame checks).
    public var driveRWA: Bool
    /// Sub-steps per driven AWG sample (≥ 1). The drive is held per sample, so one sub-step is exact
    /// when every driven mode's frame equals its carrier and no coupling oscillates in the frame.
    public var substeps: Int
    /// Record populations after every AWG sample (otherwise undriven samples with equal flux are
    /// merged into one exact step and only the final state is kept).
    public var recordEverySample: Bool
    /// How driven sub-steps are integrated by the Schrödinger, Lindblad and trajectory solvers.
    public var drivenScheme: DrivenStepScheme

    public init(frame: FrameChoice = .automatic, driveRWA: Bool = true, substeps: Int = 1, recordEverySample: Bool = false,
                drivenScheme: DrivenStepScheme = .automatic) {
        precondition(substeps >= 1, "at least one sub-step")
        self.frame = frame
        self.driveRWA = driveRWA
        self.substeps = substeps
        self.recordEverySample = recordEverySample
        self.drivenScheme = drivenScheme
    }
}

/// One piecewise-constant step from t0 to t1 (ns).
enum PlannedStep {
    /// No drive: the lab Hamiltonian `hamiltonian` (rad/ns) is constant on [t0, t1].
    case exact(t0: Double, t1: Double, hamiltonian: ComplexMatrix, endsSample: Bool)
    /// Driven: the rotating-frame Hamiltonian (rad/ns) evaluated at the step midpoint.
    case frame(t0: Double, t1: Double, hamiltonian: ComplexMatrix, endsSample: Bool)
}

/// Turns a sequence into steps for one model and options.
struct StepPlanner {
    let model: SubsystemModel
    let options: SolverOptions
    /// Frame frequency per mode, GHz.
    let frameGHz: [Double]
    /// E_m = Σₖ 2π·f_frame,k·nₖ(m), rad/ns.
    let frameEnergies: [Double]
    let couplingH: ComplexMatrix

    init(model: SubsystemModel, sequence: PulseSequence, options: SolverOptions) {
        self.model = model
        self.options = options
        switch options.frame {
        case .lab: frameGHz = Array(repeating: 0, count: model.elements.count)
        case let .custom(f):
            precondition(f.count == model.elements.count, "one frame frequency per mode")
            frameGHz = f
        case .automatic: frameGHz = StepPlanner.automaticFrame(model: model, sequence: sequence)
        }
        let f = frameGHz
        frameEnergies = (0..<model.dimension).map { m in
            model.elements.indices.reduce(0) { $0 + 2 * .pi * f[$1] * Double(model.occupation(m, mode: $1)) }
        }
        couplingH = model.couplingHamiltonian()
    }

    static func automaticFrame(model: SubsystemModel, sequence: PulseSequence) -> [Double] {
        var f = model.frequenciesGHz()
        var set = Set<Int>()
        for case let .block(b) in sequence.segments {
            for d in b.drives where !set.contains(d.element) {
                f[d.element] = d.frequencyGHz
                set.insert(d.element)
            }
        }
        return f
    }

    /// The lab static Hamiltonian at extra fluxes, rad/ns.
    func labHamiltonian(flux: [Double]) -> ComplexMatrix {
        var h = couplingH
        let d = model.duffingDiagonal(extraFluxPhi0: flux)
        for m in 0..<model.dimension { h.re[m * model.dimension + m] += d[m] }
        return h
    }

    /// True when H commutes with the frame operator H_f (every nonzero Hₘₙ has Eₘ = Eₙ), so that
    /// the frame step exp(−i(H − H_f)Δt) is exact and small in norm.
    func commutesWithFrame(_ h: ComplexMatrix) -> Bool {
        let n = model.dimension
        for i in 0..<n {
            for j in 0..<n where i != j {
                if (h.re[i * n + j] != 0 || h.im[i * n + j] != 0)
                    && abs(frameEnergies[i] - frameEnergies[j]) > 1e-12 * max(1, abs(frameEnergies[i])) {
                    return false
                }
            }
        }
        return true
    }

    /// D(t)·(H − H_f)·D(t)†, D(t) = diag(e^{iEₘt}): the frame Hamiltonian of a lab Hamiltonian H at time t.
    func toFrame(_ h: ComplexMatrix, atNs t: Double) -> ComplexMatrix {
        let n = model.dimension
        var out = h
        let cr = frameEnergies.map { Double.cos($0 * t) }, ci = frameEnergies.map { Double.sin($0 * t) }
        for i in 0..<n {
            for j in 0..<n {
                let k = i * n + j
                if i == j { out.re[k] -= frameEnergies[i]; continue }
                let xr = h.re[k], xi = h.im[k]
                if xr == 0 && xi == 0 { continue }
                // e^{i(Eᵢ − Eⱼ)t} = (cᵢ + i sᵢ)(cⱼ − i sⱼ).
                let pr = cr[i] * cr[j] + ci[i] * ci[j], pi = ci[i] * cr[j] - cr[i] * ci[j]
                out.re[k] = xr * pr - xi * pi
                out.im[k] = xr * pi + xi * pr
            }
        }
        return out
    }

    /// Adds the drive terms of the sample `k` of `block` at time t (ns) to a frame Hamiltonian.
    func addDrives(_ block: PulseBlock, sample k: Int, atNs t: Double, to h: inout ComplexMatrix) {
        addDrives(block, sample: k, atNs: t, re: &h.re, im: &h.im)
    }

    /// Adds the drive terms of the sample `k` of `block` at time t (ns) to a frame Hamiltonian given
    /// as row-major real and imaginary parts.
    func addDrives(_ block: PulseBlock, sample k: Int, atNs t: Double, re: inout [Double], im: inout [Double]) {
        let n = model.dimension
        for d in block.drives where k < d.samples.count && d.samples[k] != .zero {
            let rabi = 2 * Double.pi * model.elements[d.element].driveRabiGHz
            let omega = d.phaseRad == 0 ? d.samples[k] : d.samples[k] * Complex(length: 1, phase: d.phaseRad)
            // Coefficients c₊ of b† and c₋ of b (c₋ = conj(c₊) for a Hermitian term).
            let cPlus: Complex<Double>
            if options.driveRWA {
                let detuning = d.frequencyGHz - frameGHz[d.element]
                let carrier = detuning == 0 ? .one : Complex<Double>(length: 1, phase: -2 * .pi * detuning * t)
                cPlus = (omega * carrier).multiplied(by: rabi / 2)
            } else {
                let lab = omega * Complex<Double>(length: 1, phase: -2 * .pi * d.frequencyGHz * t)
                cPlus = Complex<Double>(length: 1, phase: 2 * .pi * frameGHz[d.element] * t).multiplied(by: rabi * lab.real)
            }
            let stride = model.strides[d.element], top = model.levels[d.element] - 1
            for m in 0..<n {
                let occ = model.occupation(m, mode: d.element)
                if occ >= top { continue }
                let amp = Double(occ + 1).squareRoot()
                let up = (m + stride) * n + m, down = m * n + (m + stride)
                re[up] += amp * cPlus.real
                im[up] += amp * cPlus.imaginary
                re[down] += amp * cPlus.real
                im[down] -= amp * cPlus.imaginary
            }
        }
    }

    /// Calls `body` with every step of `sequence`, in time order.
    func forEachStep(_ sequence: PulseSequence, _ body: (PlannedStep) -> Void) {
        forEachStepDescriptor(sequence) { body(plannedStep($0)) }
    }

    /// The step of a descriptor: the frame-midpoint Hamiltonian when driven, else the exact lab step.
    func plannedStep(_ s: StepDescriptor) -> PlannedStep {
        if let (b, k) = s.drive {
            var hr = toFrame(labHamiltonian(flux: s.flux), atNs: (s.t0 + s.t1) / 2)
            addDrives(b, sample: k, atNs: (s.t0 + s.t1) / 2, to: &hr)
            return .frame(t0: s.t0, t1: s.t1, hamiltonian: hr, endsSample: s.endsSample)
        }
        return .exact(t0: s.t0, t1: s.t1, hamiltonian: labHamiltonian(flux: s.flux), endsSample: s.endsSample)
    }

    /// One step without its Hamiltonian: times, flux per mode, and the driven sample (if any).
    struct StepDescriptor {
        var t0: Double
        var t1: Double
        var endsSample: Bool
        /// The block and sample index whose drives act on this step (nil: undriven, exact step).
        var drive: (PulseBlock, Int)?
        /// Extra flux per mode, Φ0 (held over the step).
        var flux: [Double]
    }

    /// The step plan of `forEachStep`, without building matrices (the fast solvers build them in place).
    func forEachStepDescriptor(_ sequence: PulseSequence, _ body: (StepDescriptor) -> Void) {
        let dt = 1 / sequence.sampleRateGHz
        let zeroFlux = [Double](repeating: 0, count: model.elements.count)
        var t = 0.0
        for segment in sequence.segments {
            switch segment {
            case let .idle(d):
                if d > 0 { body(StepDescriptor(t0: t, t1: t + d, endsSample: true, drive: nil, flux: zeroFlux)) }
                t += d
            case let .block(b):
                var k = 0
                let t0 = t
                while k < b.sampleCount {
                    // Blocks without flux waveforms share one zero vector (no allocation per sample).
                    let flux = b.fluxes.isEmpty ? zeroFlux : fluxVector(b, sample: k)
                    let start = t0 + Double(k) * dt
                    if isDriven(b, sample: k) {
                        let h = dt / Double(options.substeps)
                        for s in 0..<options.substeps {
                            let a = start + Double(s) * h
                            body(StepDescriptor(t0: a, t1: a + h, endsSample: s == options.substeps - 1, drive: (b, k), flux: flux))
                        }
                        k += 1
                    } else {
                        var end = k + 1
                        if !options.recordEverySample {
                            while end < b.sampleCount && !isDriven(b, sample: end) && fluxVector(b, sample: end) == flux { end += 1 }
                        }
                        body(StepDescriptor(t0: start, t1: t0 + Double(end) * dt, endsSample: true, drive: nil, flux: flux))
                        k = end
                    }
                }
                t = t0 + Double(b.sampleCount) * dt
            }
        }
    }

    func fluxVector(_ b: PulseBlock, sample k: Int) -> [Double] {
        var f = [Double](repeating: 0, count: model.elements.count)
        for w in b.fluxes where k < w.samplesPhi0.count { f[w.element] += w.samplesPhi0[k] }
        return f
    }

    func isDriven(_ b: PulseBlock, sample k: Int) -> Bool {
        b.drives.contains { k < $0.samples.count && $0.samples[k] != .zero }
    }
}
