// Throughput benchmark for the state-vector kernels, reported against the memory-bandwidth
// bound: a gate that reads and writes every amplitude once cannot beat 32·2ⁿ bytes / bandwidth.
import Dispatch
import Foundation
import Numerics
import WukongCircuits
import WukongNumerics

/// Times the kernels on one large state and measures the machine's memory bandwidth.
/// The CLI wires this to a command; figures are meaningful only in a release build.
public enum StateVectorBenchmark {
    /// What to measure.
    public struct Configuration: Sendable {
        /// Register size n (default 24: 256 MiB of amplitudes).
        public var qubitCount: Int = 24
        /// Thread counts to run, each a full pass of the measurements.
        public var threadCounts: [Int] = [1, 2]
        /// Repetitions per figure; the best (minimum) wall time is reported.
        public var repetitions: Int = 3
        /// Fusion windows k for the brickwork figures.
        public var fusionWindows: [Int] = [2, 3, 4]
        /// Brickwork layers timed (each = a 1-qubit gate on every qubit, then 2-qubit gates on
        /// alternating neighbour pairs).
        public var brickworkLayers: Int = 4
        /// Size in MiB of the buffer for the bandwidth measurement.
        public var bandwidthBufferMiB: Int = 512
        /// Seed for the random gates.
        public var seed: UInt64 = 2026

        /// The defaults above.
        public init() {}
    }

    /// One measured figure.
    public struct Figure: Sendable {
        /// What was timed.
        public var name: String
        /// Threads used.
        public var threads: Int
        /// Best wall time per unit in milliseconds (per gate, per layer, or per pass).
        public var wallMs: Double
        /// Process CPU time per unit in milliseconds at the same repetition (≈ threads × wall
        /// when the threads really ran in parallel).
        public var cpuMs: Double
        /// Ratio of the wall time to the bandwidth bound (1 = at the bound), where meaningful.
        public var boundRatio: Double?
        /// Free-form note, e.g. the number of fused blocks.
        public var note: String = ""
    }

    /// Everything a run measured.
    public struct Report: Sendable, CustomStringConvertible {
        /// The configuration used.
        public var qubitCount: Int
        /// Measured in-place read+write bandwidth, GB/s (10⁹ bytes/s), per thread count.
        public var bandwidthGBs: [Int: Double]
        /// Copy and triad bandwidths, GB/s, per thread count.
        public var copyGBs: [Int: Double]
        /// Triad (a = b + s·c) bandwidth, GB/s, per thread count.
        public var triadGBs: [Int: Double]
        /// The per-gate bound 32·2ⁿ / B, ms, per thread count.
        public var boundMs: [Int: Double]
        /// The timed kernels.
        public var figures: [Figure]

        /// A plain-text table.
        public var description: String {
            var lines = ["State-vector kernels, n = \(qubitCount) (\((16 << qubitCount) >> 20) MiB state)"]
            for t in bandwidthGBs.keys.sorted() {
                lines.append(String(format: "threads %d: bandwidth in-place %.2f GB/s, copy %.2f GB/s, triad %.2f GB/s; 1-qubit bound 32·2ⁿ/B = %.1f ms",
                                    t, bandwidthGBs[t]!, copyGBs[t]!, triadGBs[t]!, boundMs[t]!))
            }
            lines.append("figure                                     threads    wall ms     cpu ms   ×bound  note")
            for f in figures {
                let ratio = f.boundRatio.map { String(format: "%6.2f", $0) } ?? "     -"
                // Foundation on Linux ignores the width of %@ (it padded nothing), so pad in Swift.
                lines.append(Self.padded(f.name, to: 42)
                             + String(format: " %7d %10.4f %10.4f   ", f.threads, f.wallMs, f.cpuMs)
                             + ratio + "  " + f.note)
            }
            return lines.joined(separator: "\n")
        }

        /// `text` followed by spaces up to `width` characters (grapheme clusters: "ⁿ", "×" and
        /// "·" in the figure names count once); longer text is left whole.
        static func padded(_ text: String, to width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
    }

    /// Process CPU time in seconds (all threads).
    static func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Best (wall, cpu) seconds of `repetitions` runs of `body`.
    static func time(_ repetitions: Int, _ body: () -> Void) -> (Double, Double) {
        var best = (Double.infinity, Double.infinity)
        for _ in 0..<max(1, repetitions) {
            let c0 = cpuSeconds()
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9
            let cpu = cpuSeconds() - c0
            if wall < best.0 { best = (wall, cpu) }
        }
        return best
    }

    /// Measures in-place scale, copy and triad bandwidth (GB/s) over `mib` MiB with `threads`.
    /// Bytes counted are bytes read plus bytes written.
    static func bandwidth(mib: Int, threads: Int, repetitions: Int) -> (inPlace: Double, copy: Double, triad: Double) {
        let n = (mib << 20) / 8
        let a = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { a.deallocate() }
        a.initialize(repeating: 1, count: n)
        let pa = SendablePointer(base: a)
        let bytes = Double(n * 8)
        let (tScale, _) = time(repetitions) {
            parallelChunks(count: n, threads: threads) { lo, hi in
                for i in lo..<hi { pa.base[i] *= 0.999_999 }
            }
        }
        // Copy and triad within the same buffer, as halves/thirds, so the footprint stays `mib`.
        let half = n / 2
        let (tCopy, _) = time(repetitions) {
            parallelChunks(count: half, threads: threads) { lo, hi in
                (pa.base + half + lo).update(from: pa.base + lo, count: hi - lo)
            }
        }
        let third = n / 3
        let (tTriad, _) = time(repetitions) {
            parallelChunks(count: third, threads: threads) { lo, hi in
                let x = pa.base, y = pa.base + third, z = pa.base + 2 * third
                for i in lo..<hi { x[i] = y[i] + 0.5 * z[i] }
            }
        }
        return (2 * bytes / tScale * 1e-9, bytes / tCopy * 1e-9, bytes / tTriad * 1e-9)
    }

    /// A deterministic random unitary on k qubits (Gram–Schmidt of a uniform complex matrix).
    static func randomUnitary(_ k: Int, _ rng: inout SeededGenerator) -> GateMatrix {
        let d = 1 << k
        let columns = (0..<d).map { _ in (0..<d).map { _ in Complex(rng.uniform() - 0.5, rng.uniform() - 0.5) } }
        return GateMatrix.orthonormalizing(columns: columns)
    }

    /// A brickwork circuit: per layer, a random 1-qubit unitary on every qubit, then random
    /// 2-qubit unitaries on pairs (0,1), (2,3), … in even layers and (1,2), (3,4), … in odd ones.
    public static func brickwork(qubitCount n: Int, layers: Int, seed: UInt64) -> [GateOperation] {
        var rng = SeededGenerator(seed: seed)
        var ops = [GateOperation]()
        for layer in 0..<layers {
            for q in 0..<n { ops.append(GateOperation(randomUnitary(1, &rng), on: [q])) }
            var q = layer % 2
            while q + 1 < n {
                ops.append(GateOperation(randomUnitary(2, &rng), on: [q + 1, q]))
                q += 2
            }
        }
        return ops
    }

    /// Runs every measurement and returns the report. Needs about 16·2ⁿ bytes plus the
    /// bandwidth buffer of memory; at n = 24 with defaults, 768 MiB, and tens of seconds.
    /// - Complexity: O(threadCounts · repetitions · (n + layers·n) · 2ⁿ).
    public static func run(_ config: Configuration = Configuration()) -> Report {
        let n = config.qubitCount
        var rng = SeededGenerator(seed: config.seed)
        let u1 = randomUnitary(1, &rng), u2 = randomUnitary(2, &rng)
        let phase = Complex(Double.cos(0.3), Double.sin(0.3))
        let circuit = brickwork(qubitCount: n, layers: config.brickworkLayers, seed: config.seed)
        var report = Report(qubitCount: n, bandwidthGBs: [:], copyGBs: [:], triadGBs: [:],
                            boundMs: [:], figures: [])
        let state = StateVector(qubitCount: n)
        for t in config.threadCounts {
            state.options = ExecutionOptions(threadCount: t)
            let bw = bandwidth(mib: config.bandwidthBufferMiB, threads: t, repetitions: config.repetitions)
            let boundMs = 32 * Double(1 << n) / (bw.inPlace * 1e9) * 1e3
            report.bandwidthGBs[t] = bw.inPlace
            report.copyGBs[t] = bw.copy
            report.triadGBs[t] = bw.triad
            report.boundMs[t] = boundMs

            func add(_ name: String, units: Int, note: String = "", bound: Bool = true, _ body: () -> Void) {
                let (wall, cpu) = time(config.repetitions, body)
                let wallMs = wall * 1e3 / Double(units), cpuMs = cpu * 1e3 / Double(units)
                report.figures.append(Figure(name: name, threads: t, wallMs: wallMs, cpuMs: cpuMs,
                                             boundRatio: bound ? wallMs / boundMs : nil, note: note))
            }
            add("1-qubit dense, every qubit (per gate)", units: n) {
                for q in 0..<n { state.applyOneQubit(u1, on: q) }
            }
            for q in [0, n / 2, n - 1] {
                add("1-qubit dense, qubit \(q) only", units: 1) { state.applyOneQubit(u1, on: q) }
            }
            add("1-qubit diagonal, every qubit (per gate)", units: n) {
                for q in 0..<n { state.applyDiagonal(phase.conjugate, phase, on: q) }
            }
            add("1-qubit phase P (d0 = 1, per gate)", units: n, note: "touches half") {
                for q in 0..<n { state.applyDiagonal(.one, phase, on: q) }
            }
            let pairs = [(1, 0), (n / 2 + 1, n / 2), (n - 1, n - 2), (n - 1, 0)]
            add("2-qubit dense, 4 pairs (per gate)", units: pairs.count) {
                for (a, b) in pairs { state.applyTwoQubit(u2, a, b) }
            }
            add("CX via controlled kernel (per gate)", units: pairs.count, note: "touches half") {
                for (a, b) in pairs { state.applyControlled(Pauli.x.matrix, controls: [a], target: b) }
            }
            add("CZ diagonal 2-qubit (per gate)", units: pairs.count) {
                for (a, b) in pairs { state.applyDiagonalTwoQubit([.one, .one, .one, -.one], a, b) }
            }
            let diag4 = (0..<16).map { Complex(Double.cos(0.1 * Double($0)), Double.sin(0.1 * Double($0))) }
            add("4-qubit diagonal block (per gate)", units: 1) {
                state.applyDiagonalMultiQubit(diag4, on: [n - 1, n / 2, 3, 0])
            }
            let u4 = randomUnitary(4, &rng)
            add("4-qubit dense block (per gate)", units: 1, note: "16 cmac/amplitude") {
                state.applyMultiQubit(u4, on: [n - 1, n / 2, 3, 0])
            }
            add("SWAP permutation (per gate)", units: pairs.count, note: "touches half") {
                for (a, b) in pairs { state.applySwap(a, b) }
            }
            // ⟨H⟩ of the ansatz observable (2n − 1 terms): blocked against one pass per term.
            let observable = GateBenchmarks.ansatzObservable(qubits: n)
            add("<H> ansatz observable, blocked (per term)", units: observable.terms.count,
                note: "\(observable.terms.count) terms", bound: false) {
                _ = state.expectation(observable)
            }
            add("<H> ansatz observable, term by term (per term)", units: observable.terms.count,
                note: "read-only pass per term", bound: false) {
                _ = state.termwiseExpectation(observable)
            }
            // Per-gate overhead on a small state that fits in cache (reference/gate-tools.md
            // target: ≤ 1 µs per gate at 12 qubits).
            let small = StateVector(qubitCount: 12, options: ExecutionOptions(threadCount: t))
            let smallCircuit = brickwork(qubitCount: 12, layers: 8, seed: config.seed)
            add("12-qubit brickwork, unfused (per gate)", units: smallCircuit.count,
                note: "\(smallCircuit.count) gates", bound: false) {
                small.apply(smallCircuit)
            }
            let layers = config.brickworkLayers
            add("brickwork unfused (per layer)", units: layers,
                note: "\(circuit.count / layers) gates/layer", bound: false) {
                state.apply(circuit)
            }
            for window in config.fusionWindows {
                let fused = GateFusion.fuse(circuit, maxQubits: window)
                add("brickwork fused k=\(window) (per layer)", units: layers,
                    note: String(format: "%.1f blocks/layer", Double(fused.count) / Double(layers)),
                    bound: false) {
                    state.apply(fused)
                }
                add("fusion k=\(window) itself (per layer)", units: layers, bound: false) {
                    _ = GateFusion.fuse(circuit, maxQubits: window)
                }
            }
        }
        return report
    }
}
