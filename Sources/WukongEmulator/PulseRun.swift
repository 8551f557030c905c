// Runs a compiled schedule and writes what was asked for (propagator, final state, populations over
// time, or readout shots) to HDF5. Closed system without noise; Lindblad with T1/T2 and noisy
// readout with T1 decay when noise is on. The initial state is the ground state |0…0⟩.
import Numerics
import WukongHDF5

/// What a pulse run returns.
public enum PulseRunReturn: String, Sendable, CaseIterable {
    case unitary, state, populations, shots
}

/// The result of `runSchedule`.
public struct PulseRunResult: Sendable {
    public let compiled: CompiledSchedule
    /// Solver frame frequencies, GHz (states and propagators are in this frame).
    public let frameGHz: [Double]
    public var unitary: ComplexMatrix?
    public var state: [Complex<Double>]?
    public var densityMatrix: ComplexMatrix?
    public var timesNs: [Double]?
    public var populations: [[Double]]?
    public var shots: ShotData?
}

/// How an open-system run (`noise: true`) is solved.
public enum OpenSystemMethod: Sendable, Equatable {
    /// The Lindblad density matrix (superoperator of dimension n²; exact, for small models).
    case lindblad
    /// Quantum trajectories (state vectors; statistical error ~1/√N, for models too big for ρ).
    case trajectories(TrajectoryOptions)
    /// Lindblad up to `automaticLindbladLimit` dimensions (coupled drives in the interaction picture
    /// of the static Liouvillian), 500 trajectories above.
    case automatic

    /// Largest dimension `automatic` solves by Lindblad (9: two qutrits, a 81 × 81 superoperator).
    public static let automaticLindbladLimit = 9
}

/// Runs `compiled` and returns `what`.
/// - Parameters:
///   - noise: open system (T1, T2 by Lindblad or trajectories per `method`) and noisy readout with T1
///     decay; else closed system, clean readout.
///   - shots, seed: readout shots (for `.shots`).
///   - fluxNoise: quasi-static flux noise; with `.shots` every shot has its own flux draw (and, when
///     `noise`, its own trajectory); with `.populations` the populations are averaged over `shots`
///     draws. Not allowed with `.unitary` or `.state`.
/// - Complexity: O(steps·n³) closed, O(steps·n⁶) Lindblad, O(N·steps·n²) trajectories; × shots with flux noise.
public func runSchedule(_ compiled: CompiledSchedule, returning what: PulseRunReturn, noise: Bool, shots: Int = 1000,
                        seed: UInt64 = 1, solverOptions: SolverOptions = SolverOptions(),
                        method: OpenSystemMethod = .automatic, fluxNoise: QuasiStaticFluxNoise? = nil) -> PulseRunResult {
    let model = compiled.model, seq = compiled.sequence
    let schrodinger = SchrodingerSolver(model: model, options: solverOptions)
    var r = PulseRunResult(compiled: compiled, frameGHz: schrodinger.frameFrequenciesGHz(for: seq))
    precondition(fluxNoise == nil || what == .shots || what == .populations,
                 "flux noise applies to --return shots or populations only")
    if let fluxNoise {
        return runWithFluxNoise(compiled, r, returning: what, noise: noise, shots: shots, seed: seed,
                                solverOptions: solverOptions, fluxNoise: fluxNoise)
    }
    if what == .unitary {
        r.unitary = schrodinger.propagator(seq)
        return r
    }
    var options = solverOptions
    options.recordEverySample = what == .populations
    var finalPopulations: [Double]
    if noise {
        var resolved = method
        if resolved == .automatic {
            // Lindblad for small models (exact idles; coupled drives by CF4 in the interaction picture).
            resolved = model.dimension <= OpenSystemMethod.automaticLindbladLimit ? .lindblad : .trajectories(TrajectoryOptions(seed: seed))
        }
        if case let .trajectories(t) = resolved {
            let run = TrajectorySolver(model: model, options: options).evolve(model.groundState, seq, trajectories: t)
            r.densityMatrix = run.densityMatrix
            (r.timesNs, r.populations) = (run.timesNs, run.populations)
            finalPopulations = run.populations.last!
        } else {
            let run = LindbladSolver(model: model, options: options).evolve(.projector(model.groundState), seq)
            r.densityMatrix = run.finalState
            (r.timesNs, r.populations) = (run.timesNs, run.populations)
            finalPopulations = run.populations.last!
        }
    } else {
        let run = SchrodingerSolver(model: model, options: options).evolve(model.groundState, seq)
        r.state = run.finalState
        (r.timesNs, r.populations) = (run.timesNs, run.populations)
        finalPopulations = run.populations.last!
    }
    if what == .shots {
        finalPopulations = finalPopulations.map { max($0, 0) }
        r.shots = sampleShots(compiled, populations: finalPopulations, shots: shots, seed: seed,
                              options: ReadoutOptions(noise: noise, t1Decay: noise))
    }
    return r
}

/// Shots (or averaged populations) with one quasi-static flux draw per shot, spread over the cores.
private func runWithFluxNoise(_ compiled: CompiledSchedule, _ base: PulseRunResult, returning what: PulseRunReturn,
                              noise: Bool, shots: Int, seed: UInt64, solverOptions: SolverOptions,
                              fluxNoise: QuasiStaticFluxNoise) -> PulseRunResult {
    var r = base
    let seq = compiled.sequence
    var recording = solverOptions
    recording.recordEverySample = what == .populations
    let options = recording
    let draws = fluxNoise.draws(count: shots, seed: seed)
    // Per draw: the populations over time of that shot (one trajectory when noise is on).
    let runs = parallelSweep(Array(draws.enumerated()), workers: 2) { item -> (times: [Double], pops: [[Double]]) in
        let (i, offsets) = item
        let m = fluxNoise.model(compiled.model, offsets: offsets)
        if noise {
            let t = TrajectorySolver(model: m, options: options)
                .evolve(m.groundState, seq, trajectories: TrajectoryOptions(trajectories: 1, seed: seed &+ UInt64(i), workers: 1))
            return (t.timesNs, t.populations)
        }
        let e = SchrodingerSolver(model: m, options: options).evolve(m.groundState, seq)
        return (e.timesNs, e.populations)
    }
    guard let first = runs.first else { return r }
    r.timesNs = first.times
    r.populations = (0..<first.pops.count).map { k in
        (0..<compiled.model.dimension).map { m in runs.reduce(0) { $0 + $1.pops[k][m] } / Double(runs.count) }
    }
    if what == .shots {
        var bits: [UInt8] = [], iq: [Complex<Double>] = []
        var labels: [String] = []
        for (i, run) in runs.enumerated() {
            let one = sampleShots(compiled, populations: run.pops.last!.map { max($0, 0) }, shots: 1, seed: seed &+ UInt64(i),
                                  options: ReadoutOptions(noise: noise, t1Decay: noise))
            bits += one.bits
            iq += one.iq
            labels = one.labels
        }
        r.shots = ShotData(shots: shots, labels: labels, bits: bits, iq: iq)
    }
    return r
}

extension PulseRunResult {
    /// Writes the result: `/elements`, `/levels`, `/frame_ghz`, and `/unitary` [n, n] complex, `/state` [n]
    /// or `/density_matrix` [n, n], `/times_ns` + `/populations` [times, n], `/shots/bits` uint8
    /// [shots, acquisitions], `/shots/iq` complex [shots, acquisitions], `/shots/labels`.
    public func writeHDF5(to path: String) throws {
        let file = try HDF5File.create(path: path)
        let root = try file.root()
        try root.write("elements", strings: compiled.elementNames)
        try root.write("levels", int64s: compiled.model.levels.map { Int64($0) })
        try root.write("frame_ghz", doubles: frameGHz, units: "GHz")
        let n = compiled.model.dimension
        if let u = unitary { try root.write("unitary", real: u.re, imag: u.im, shape: [n, n]) }
        if let s = state { try root.write("state", real: s.map(\.real), imag: s.map(\.imaginary), shape: [n]) }
        if let rho = densityMatrix { try root.write("density_matrix", real: rho.re, imag: rho.im, shape: [n, n]) }
        if let t = timesNs, let p = populations, shots == nil {
            try root.write("times_ns", doubles: t, units: "ns")
            try root.write("populations", doubles: p.flatMap { $0 }, shape: [t.count, n])
        }
        if let s = shots {
            let g = try root.createGroup("shots")
            let cols = s.labels.count
            guard cols > 0 && s.shots > 0 else { return }
            try g.write("bits", bytes: s.bits, shape: [s.shots, cols])
            try g.write("iq", real: s.iq.map(\.real), imag: s.iq.map(\.imaginary), shape: [s.shots, cols], units: "sqrt(photons)")
            try g.write("labels", strings: s.labels)
        }
    }
}
