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

/// Runs `compiled` and returns `what`.
/// - Parameters:
///   - noise: Lindblad (T1, T2) evolution and noisy readout with T1 decay; else closed system, clean readout.
///   - shots, seed: readout shots (for `.shots`).
/// - Complexity: O(steps·n³) closed, O(steps·n⁶) open (dense superoperator).
public func runSchedule(_ compiled: CompiledSchedule, returning what: PulseRunReturn, noise: Bool, shots: Int = 1000,
                        seed: UInt64 = 1, solverOptions: SolverOptions = SolverOptions()) -> PulseRunResult {
    let model = compiled.model, seq = compiled.sequence
    let schrodinger = SchrodingerSolver(model: model, options: solverOptions)
    var r = PulseRunResult(compiled: compiled, frameGHz: schrodinger.frameFrequenciesGHz(for: seq))
    if what == .unitary {
        r.unitary = schrodinger.propagator(seq)
        return r
    }
    var options = solverOptions
    options.recordEverySample = what == .populations
    var finalPopulations: [Double]
    if noise {
        let run = LindbladSolver(model: model, options: options).evolve(.projector(model.groundState), seq)
        r.densityMatrix = run.finalState
        (r.timesNs, r.populations) = (run.timesNs, run.populations)
        finalPopulations = run.populations.last!
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
