// The running half of the cache-blocked executor (CacheBlocking.swift plans): stages swept chunk by
// chunk over the live chunks and prefixes, and the one-pass exchanges of high and local bit positions.
import Foundation
import Numerics
import WukongCircuits

extension CacheBlockedExecutor {
    static func run(_ program: BlockedProgram, on state: StateVector) {
        let L = program.localQubits, n = program.qubitCount
        let base = SendablePointer(base: state.data)
        let threads = state.threads
        let profile = ProcessInfo.processInfo.environment["WUKONG_BLOCK_PROFILE"] != nil
        var stageTime = 0.0, exchangeTime = 0.0
        defer { if profile { print("blocking profile: stages \(stageTime) s, exchanges \(exchangeTime) s") } }
        for (s, step) in program.steps.enumerated() {
            let zeros = s < program.zeroPositions.count ? program.zeroPositions[s] : 0
            let t0 = profile ? Date().timeIntervalSince1970 : 0
            defer {
                if profile {
                    let dt = Date().timeIntervalSince1970 - t0
                    if case .stage = step { stageTime += dt } else { exchangeTime += dt }
                }
            }
            switch step {
            case .stage(let ops) where ops.count == 1 && ops[0].flat != nil:
                let op = ops[0].flat!
                StateVector(borrowing: state.data, qubitCount: ops[0].liveQubits!, options: state.options)
                    .apply(op.matrix, on: op.qubits)
            case .stage(let ops):
                // Only chunks whose zero high positions read 0 can hold a nonzero amplitude.
                let liveHighs = (L..<n).filter { (zeros >> $0) & 1 == 0 }
                let liveChunks = UncheckedBox((0..<(1 << liveHighs.count)).map { v in
                    liveHighs.enumerated().reduce(0) { (v >> $1.0) & 1 == 1 ? $0 | (1 << ($1.1 - L)) : $0 }
                })
                let box = UncheckedBox(ops)
                if liveChunks.value.count >= threads {
                    parallelChunks(count: liveChunks.value.count, threads: threads) { lo, hi in
                        for c in liveChunks.value[lo..<hi] {
                            runChunk(box.value, chunk: c, localQubits: L, base: base.base, options: .serial)
                        }
                    }
                } else {
                    // Fewer live chunks than threads: chunk after chunk, each kernel threaded.
                    for c in liveChunks.value {
                        runChunk(ops, chunk: c, localQubits: L, base: base.base, options: state.options)
                    }
                }
            case let .exchange(highs, locals):
                exchange(state, highs: highs, locals: locals, zeroPositions: zeros)
            }
        }
    }

    /// Runs a stage's operations on chunk `c`, each over its live prefix of the chunk.
    static func runChunk(_ ops: [ChunkOperation], chunk c: Int, localQubits L: Int,
                         base: UnsafeMutablePointer<Double>, options: ExecutionOptions) {
        let start = base + 2 * (c << L)
        var views = [StateVector?](repeating: nil, count: L + 1)
        func view(_ k: Int) -> StateVector {
            if let v = views[k] { return v }
            let v = StateVector(borrowing: start, qubitCount: k, options: options)
            views[k] = v
            return v
        }
        var scalar = Complex<Double>.one
        var scalarQubits = 0
        for op in ops {
            var v = 0
            for (j, h) in op.highs.enumerated() where (c >> (h - L)) & 1 == 1 { v |= 1 << j }
            let k = op.liveQubits ?? L
            switch op.variants[v] {
            case .none: continue
            case .scalar(let z)?:
                scalar *= z
                scalarQubits = max(scalarQubits, k)
            case let .matrix(m, qubits)?: view(k).apply(m, on: qubits)
            }
        }
        // Scalars commute with everything: one pass at the end, over the widest live prefix
        // any of them saw (beyond it the chunk is zero).
        if scalar != .one { view(max(scalarQubits, ops.compactMap(\.liveQubits).max() ?? L)).scale(by: scalar) }
    }

    /// Swaps bit positions highs[i] ↔ locals[i] for all i at once: for every assignment of the
    /// other bits above the lowest swapped local position, the run (H = x, T = y) trades places
    /// with (H = y, T = x); each run is 2^(min locals) contiguous amplitudes. One pass.
    /// Positions set in `zeroPositions` are 0 in every nonzero amplitude: runs with such a bit
    /// set on both sides are zero and skipped.
    static func exchange(_ state: StateVector, highs: [Int], locals: [Int], zeroPositions: Int = 0) {
        let n = state.qubitCount, m = highs.count
        let low = locals.min()!
        let runAmplitudes = 1 << low
        let swapped = Set(highs + locals)
        let zeroRest = (low..<n).filter { !swapped.contains($0) && (zeroPositions >> $0) & 1 == 1 }
        let restPositions = (low..<n).filter { !swapped.contains($0) && (zeroPositions >> $0) & 1 == 0 }
        let values = 1 << m
        @Sendable func deposit(_ v: Int, _ positions: [Int]) -> Int {
            var i = 0
            for (j, p) in positions.enumerated() where (v >> j) & 1 == 1 { i |= 1 << p }
            return i
        }
        let depositHigh = (0..<values).map { deposit($0, highs) }
        let depositLocal = (0..<values).map { deposit($0, locals) }
        var pairs: [(Int, Int)] = []
        for x in 0..<values {
            for y in (x + 1)..<values {
                let a = depositHigh[x] | depositLocal[y], b = depositHigh[y] | depositLocal[x]
                if a & zeroPositions != 0 && b & zeroPositions != 0 { continue }
                pairs.append((a, b))
            }
        }
        guard !pairs.isEmpty else { return }
        let restCount = 1 << restPositions.count
        let jobs = restCount * pairs.count
        // The pairs as index offsets; the rest bits are spread by inserting zeros at the swapped
        // and zero positions (one mask operation per position per run).
        let offsets = UncheckedBox(pairs)
        let inserter = ZeroBitInserter(positions: Array(swapped) + zeroRest)
        let p = SendablePointer(base: state.data)
        // Rest-major order: consecutive jobs share the rest bits, so all runs of one rest value
        // (2^(2m) runs, near each other) move together.
        parallelChunks(count: jobs, threads: state.threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            let pairCount = offsets.value.count
            offsets.value.withUnsafeBufferPointer { pairOffsets in
            inserter.lowMasks.withUnsafeBufferPointer { masks in
                var job = lo
                while job < hi {
                    let rest = job / pairCount
                    let base = ZeroBitInserter.insert(rest << low, masks)
                    var q = job % pairCount
                    while q < pairCount && job < hi {
                        let a = base | pairOffsets[q].0, b = base | pairOffsets[q].1
                        for k in 0..<runAmplitudes {
                            let u = loadAmplitude(s, a + k), w = loadAmplitude(s, b + k)
                            storeAmplitude(s, a + k, w)
                            storeAmplitude(s, b + k, u)
                        }
                        q += 1
                        job += 1
                    }
                }
            }
            }
        }
    }
}
