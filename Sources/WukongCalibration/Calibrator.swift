// The calibration run: the experiments in lab order over a dependency graph, independent qubits (then
// independent couplers) in parallel over the cores, progress lines as each experiment finishes, and
// one new snapshot (parent = the input) holding every update with its provenance.
//
// Graph (per qubit, then per coupler):
//   frequency: spectroscopy → ramsey_coarse ─┐
//   rabi:      rabi ─────────────────────────┼→ drag → π / π/2 error amplification → ramsey_fine (f, T2*)
//                                            └→ t1, echo (t2), readout
//   cz (per coupler, after both qubits):      cz_map → cz_leakage → cz_phase → cz_virtual_z
// An experiment not requested is taken as already calibrated: its values come from the input snapshot.
import Foundation
import WukongDevice
import WukongEmulator
import WukongPlot

/// What to calibrate.
public struct CalibrationRequest: Sendable {
    public var qubits: [Int]
    public var couplers: [Int]
    public var experiments: Set<ExperimentKind>
    public var settings: SweepSettings
    public var czSettings: CZSweepSettings
    public var seed: UInt64
    /// Threads for independent qubits / couplers.
    public var workers: Int
    /// Draw plots.
    public var plots: Bool

    public init(qubits: [Int], couplers: [Int] = [], experiments: Set<ExperimentKind> = Set(ExperimentKind.allCases),
                settings: SweepSettings = .full, czSettings: CZSweepSettings = .full, seed: UInt64 = 1, workers: Int = 2,
                plots: Bool = true) {
        self.qubits = qubits
        self.couplers = couplers
        self.experiments = experiments
        self.settings = settings
        self.czSettings = czSettings
        self.seed = seed
        self.workers = workers
        self.plots = plots
    }
}

/// The outcome of a run.
public struct CalibrationRun: Sendable {
    /// The new snapshot (parent = the input snapshot).
    public let snapshot: CalibrationSnapshot
    /// Every experiment's result, qubits first (in request order), then couplers.
    public let results: [ExperimentResult]
    /// Experiments that failed (each stops its qubit's chain, or its coupler), with the reason; the
    /// snapshot holds everything measured before.
    public let failures: [String]
    /// Wall time, s.
    public let seconds: Double

    /// SVG documents by file name (`q3_rabi.svg`), for the caller to write.
    public var plots: [(name: String, svg: String)] {
        results.compactMap { r in r.plot.map { ("\(r.element)_\(r.name).svg", $0.svg()) } }
    }
}

public enum Calibrator {
    /// Checks the request against the chip; errors name the bad entry.
    public static func validate(_ r: CalibrationRequest, snapshot: CalibrationSnapshot) throws {
        let topo = snapshot.topology
        for q in r.qubits where !(0..<topo.qubitCount).contains(q) {
            throw CalibrationError("qubit \(q) is not on the chip (0..<\(topo.qubitCount))")
        }
        guard Set(r.qubits).count == r.qubits.count else { throw CalibrationError("qubits are listed more than once: \(r.qubits)") }
        for c in r.couplers {
            guard (0..<topo.couplerCount).contains(c) else { throw CalibrationError("coupler \(c) is not on the chip (0..<\(topo.couplerCount))") }
            guard snapshot.couplerEnabled[c] else { throw CalibrationError("coupler \(c) is disabled in snapshot \(snapshot.metadata.snapshotID)") }
        }
        guard !r.experiments.isEmpty else { throw CalibrationError("no experiments requested") }
        if r.experiments.contains(.cz) && r.couplers.isEmpty { throw CalibrationError("experiment cz needs at least one coupler") }
        if r.experiments.subtracting([.cz]).isEmpty == false && r.qubits.isEmpty {
            throw CalibrationError("single-qubit experiments need at least one qubit")
        }
    }

    /// Runs the requested experiments and returns the new snapshot.
    /// - Parameter progress: called with one line per finished experiment (from worker threads).
    public static func run(chip: EmulatedChip, start: CalibrationSnapshot, request r: CalibrationRequest,
                           progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> CalibrationRun {
        try validate(r, snapshot: start)
        let began = Date()
        let qubitOutcomes = parallelSweep(r.qubits, workers: r.workers) { q in
            calibrateQubit(q, chip: chip, start: start, request: r, progress: progress)
        }
        var beliefs: [Int: QubitBeliefs] = [:]
        var results: [ExperimentResult] = []
        var failures: [String] = []
        var failedQubits = Set<Int>()
        for (b, rs, f) in qubitOutcomes {
            beliefs[b.qubit] = b
            results += rs
            failures += f
            if !f.isEmpty { failedQubits.insert(b.qubit) }
        }
        if r.experiments.contains(.cz) {
            let frozen = beliefs
            let frozenFailed = failedQubits
            let outcomes = parallelSweep(r.couplers, workers: r.workers) { c -> Result<[ExperimentResult], CalibrationError> in
                let ends = start.topology.endpoints(of: CouplerIndex(c))
                if frozenFailed.contains(ends.low.rawValue) || frozenFailed.contains(ends.high.rawValue) {
                    progress("FAILED c\(c): skipped, a qubit's calibration failed")
                    return .failure(CalibrationError("c\(c): skipped because q\(ends.low.rawValue) or q\(ends.high.rawValue) failed"))
                }
                let low = frozen[ends.low.rawValue] ?? QubitBeliefs(snapshot: start, qubit: ends.low.rawValue)
                let high = frozen[ends.high.rawValue] ?? QubitBeliefs(snapshot: start, qubit: ends.high.rawValue)
                var bench = CouplerBench(chip: chip, snapshot: start, coupler: c, low: low, high: high, settings: r.czSettings,
                                         seed: r.seed &+ 0x9E37_79B9 &* UInt64(1000 + c), plots: r.plots)
                do {
                    let rs = try bench.calibrate()
                    for x in rs { progress(x.summary) }
                    return .success(rs)
                } catch {
                    progress("FAILED c\(c): \(error)")
                    return .failure(CalibrationError("c\(c): \(error)"))
                }
            }
            for o in outcomes {
                switch o {
                case .success(let rs): results += rs
                case .failure(let e): failures.append(e.message)
                }
            }
        }
        guard !results.isEmpty else {
            throw CalibrationError("every experiment failed: \(failures.joined(separator: "; "))")
        }
        let updates = results.flatMap(\.updates)
        let names = r.experiments.map(\.rawValue).sorted().joined(separator: ",")
        let note = "wukong calibrate: \(names) on qubits \(r.qubits.map(String.init).joined(separator: ","))"
            + (r.couplers.isEmpty ? "" : " couplers \(r.couplers.map(String.init).joined(separator: ","))") + " (seed \(r.seed))"
        let snapshot = try start.updating(updates, note: note)
        return CalibrationRun(snapshot: snapshot, results: results, failures: failures, seconds: Date().timeIntervalSince(began))
    }

    /// The single-qubit chain of one qubit, in lab order.
    static func calibrateQubit(_ q: Int, chip: EmulatedChip, start: CalibrationSnapshot, request r: CalibrationRequest,
                               progress: @Sendable (String) -> Void) -> (QubitBeliefs, [ExperimentResult], [String]) {
        var bench = QubitBench(chip: chip, beliefs: QubitBeliefs(snapshot: start, qubit: q), settings: r.settings,
                               seed: r.seed &+ 0x9E37_79B9 &* UInt64(q + 1), plots: r.plots)
        var out: [ExperimentResult] = []
        func record(_ x: ExperimentResult) { out.append(x); progress(x.summary) }
        let e = r.experiments
        let quick = r.settings.points < 30
        // A failure stops this qubit's chain (later steps depend on it); the experiments done so far stand.
        do {
            try chain()
        } catch {
            let message = "q\(q): \(error)"
            progress("FAILED \(message)")
            return (bench.beliefs, out, [message])
        }
        return (bench.beliefs, out, [])

        func chain() throws {
        if e.contains(.frequency) {
            record(try bench.spectroscopy())
            record(try bench.ramsey(detuningGHz: 0.005, maxDelayNs: 1000, name: "ramsey_coarse"))
        }
        if e.contains(.rabi) { record(try bench.rabi()) }
        if e.contains(.drag) { record(try bench.drag()) }
        if e.contains(.rabi) {
            if quick {
                record(try bench.amplitudeTrain(pulses: 7, angleOverPi: 1, relativeSpan: 0.08))
            } else {
                record(try bench.amplitudeTrain(pulses: 5, angleOverPi: 1, relativeSpan: 0.12))
                record(try bench.amplitudeTrain(pulses: 11, angleOverPi: 1, relativeSpan: 0.05))
            }
            record(try bench.amplitudeTrain(pulses: quick ? 6 : 10, angleOverPi: 0.5, relativeSpan: quick ? 0.08 : 0.05))
        }
        if e.contains(.frequency) || e.contains(.t2) {
            let window = min(max(2.5 * bench.beliefs.t2StarUs, 1), 8) * 1000
            let detuning = max(0.0005, 4 / window)
            record(try bench.ramsey(detuningGHz: detuning, maxDelayNs: window, name: "ramsey_fine"))
        }
        if e.contains(.t1) { record(try bench.t1()) }
        if e.contains(.t2) { record(try bench.echo()) }
        if e.contains(.readout) { for x in try bench.readout() { record(x) } }
        }
    }
}
