// Cache blocking for the complex-float state: the precision-independent plan of CacheBlocking.swift
// (`CacheBlockedExecutor.plan`: stages of chunk-local operations and exchanges of bit positions)
// run over Float storage. A float amplitude is 8 bytes, so a chunk of 2^19 amplitudes occupies
// the same 4 MiB as a double chunk of 2^18.
import Foundation
import Numerics
import WukongCircuits

extension CacheBlocking {
    /// Default L for single precision: 2^19 amplitudes = 4 MiB per chunk, the double default's
    /// bytes. `wukong bench gate --precision single --cache-block-qubits 17|18|19` on QFT 24 and
    /// brickwork 24×20 (1 thread, loaded machine) gave 1.23/1.41/1.35 s and 5.65/4.50/4.74 s CPU:
    /// within the noise of each other; larger L means fewer exchanges (57/51/51 sweeps).
    public static let defaultLocalQubitsSingle = 19
}

extension ExecutionOptions {
    /// The cache-blocking settings of a single-precision gate run fused with window `fusionQubits`.
    func singleBlocking(fusionQubits: Int) -> CacheBlocking {
        var blocking = CacheBlocking(localQubits: singleCacheBlockQubits == 0 ? 30 : singleCacheBlockQubits,
                                     fusionQubits: fusionQubits)
        blocking.gatherDiagonals = gatherDiagonals
        blocking.gatherMinimumQubits = gatherMinimumQubits
        return blocking
    }
}

enum SingleBlockedExecutor {
    /// Applies `operations` to `state`, cache-blocked when the state has more than
    /// `blocking.localQubits` qubits, else fused and applied directly (as
    /// `CacheBlockedExecutor.apply`, whose planner it shares).
    static func apply(_ operations: [GateOperation], to state: StateVectorSingle, blocking: CacheBlocking,
                      zeroState: Bool = false) {
        let n = state.qubitCount
        guard n > blocking.localQubits else {
            state.apply(CacheBlockedExecutor.fuseAroundSwaps(operations, fusion: blocking.fusionQubits,
                                                             gather: blocking.gathers(qubitCount: n)))
            return
        }
        let program = CacheBlockedExecutor.plan(operations, qubitCount: n, blocking: blocking, zeroState: zeroState)
        run(program, on: state)
    }

    static func run(_ program: BlockedProgram, on state: StateVectorSingle) {
        let L = program.localQubits, n = program.qubitCount
        let chunks = 1 << (n - L)
        let base = SendablePointer(base: state.data)
        for step in program.steps {
            switch step {
            case .stage(let ops):
                let box = UncheckedBox(ops)
                parallelChunks(count: chunks, threads: state.threads) { lo, hi in
                    for c in lo..<hi {
                        let view = StateVectorSingle(borrowing: base.base + 2 * (c << L), qubitCount: L)
                        var scalar = Complex<Double>.one
                        for op in box.value {
                            var v = 0
                            for (j, h) in op.highs.enumerated() where (c >> (h - L)) & 1 == 1 { v |= 1 << j }
                            switch op.variants[v] {
                            case .none: continue
                            case .scalar(let z)?: scalar *= z
                            case let .matrix(m, qubits)?: view.apply(m, on: qubits)
                            }
                        }
                        if scalar != .one { view.scale(by: scalar) }
                    }
                }
            case let .exchange(highs, locals):
                exchange(state, highs: highs, locals: locals)
            }
        }
    }

    /// Swaps bit positions highs[i] ↔ locals[i] for all i at once (as
    /// `CacheBlockedExecutor.exchange`): runs of 2^(min locals) contiguous amplitudes trade
    /// places, one pass over the state.
    static func exchange(_ state: StateVectorSingle, highs: [Int], locals: [Int]) {
        let n = state.qubitCount, m = highs.count
        let low = locals.min()!
        let runAmplitudes = 1 << low
        let swapped = Set(highs + locals)
        let restPositions = (low..<n).filter { !swapped.contains($0) }
        let values = 1 << m
        var pairs: [(Int, Int)] = []
        for x in 0..<values { for y in (x + 1)..<values { pairs.append((x, y)) } }
        guard !pairs.isEmpty else { return }
        func deposit(_ v: Int, _ positions: [Int]) -> Int {
            var i = 0
            for (j, p) in positions.enumerated() where (v >> j) & 1 == 1 { i |= 1 << p }
            return i
        }
        let jobs = (1 << restPositions.count) * pairs.count
        let depositHigh = (0..<values).map { deposit($0, highs) }
        let depositLocal = (0..<values).map { deposit($0, locals) }
        let offsets = UncheckedBox(pairs.map { (x, y) in
            (depositHigh[x] | depositLocal[y], depositHigh[y] | depositLocal[x])
        })
        let inserter = ZeroBitInserter(positions: Array(swapped))
        let p = SendablePointer(base: state.data)
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
                        if runAmplitudes >= 4 {
                            var k = 0
                            while k < runAmplitudes {
                                let u = loadQuad(s, a + k), w = loadQuad(s, b + k)
                                storeQuad(s, a + k, w)
                                storeQuad(s, b + k, u)
                                k += 4
                            }
                        } else {
                            for k in 0..<runAmplitudes {
                                let u = s.load(fromByteOffset: 8 * (a + k), as: UInt64.self)
                                let w = s.load(fromByteOffset: 8 * (b + k), as: UInt64.self)
                                s.storeBytes(of: w, toByteOffset: 8 * (a + k), as: UInt64.self)
                                s.storeBytes(of: u, toByteOffset: 8 * (b + k), as: UInt64.self)
                            }
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

extension StateVectorSingle {
    /// Applies `operations` cache-blocked (`CacheBlocking`): equal to `apply(operations)` up to
    /// rounding. With `zeroState` the caller promises the state is |0…0⟩ (the first relabelling
    /// is then free).
    /// - Complexity: O(Σ 2ⁿ·2^{kᵢ}) arithmetic, O((stages + exchanges)·2ⁿ) traffic to memory.
    public func apply(_ operations: [GateOperation], blocking: CacheBlocking, zeroState: Bool = false) {
        SingleBlockedExecutor.apply(operations, to: self, blocking: blocking, zeroState: zeroState)
    }
}
