// Cache blocking: a gate sequence is cut into stages; in each stage every gate mixes only the
// "local" qubits (the low L bits of the memory index), so the state is swept chunk by chunk — one
// 2^L-amplitude chunk stays in cache while all of the stage's gates run on it — and the state
// crosses main memory once per stage instead of once per gate. Between stages, qubits are
// relabelled: high and local bit positions are exchanged by one pass of contiguous block swaps.
// SWAP gates never move data: they only exchange two labels.
import Foundation
import Numerics
import WukongCircuits

/// Settings of the cache-blocked executor.
public struct CacheBlocking: Sendable, Equatable {
    /// L: a chunk holds 2^L amplitudes (16·2^L bytes). States of at most L qubits run unblocked.
    public var localQubits: Int
    /// Fusion window applied inside each stage (0 or 1 = no fusion).
    public var fusionQubits: Int
    /// Unblocked states (at most L qubits) run lazily from |0…0⟩ (as one chunk) only from this
    /// many qubits on: below, planning costs more than it saves (ansatz 12×8: 1.0 ms eager,
    /// 1.3 ms lazy). Blocked runs from |0…0⟩ are always lazy. Tests set 0.
    public var lazyMinimumQubits = 16
    /// Fuse with `DiagonalGathering.fuse` (Euler-split one-qubit gates, gathered diagonals, real
    /// kernels) instead of plain `GateFusion.fuse`. Its cost model prices the double kernels.
    public var gatherDiagonals = false
    /// Diagonal gathering runs only on states of at least this many qubits: the pass (Euler splits,
    /// 64×64 diagonal matrices, fusing twice to compare) costs milliseconds, more than it saves on
    /// small states (ansatz 12×8: 1 → 7 ms with it). Tests set 0.
    public var gatherMinimumQubits = 16

    /// Whether runs on `qubitCount` qubits fuse with diagonal gathering.
    func gathers(qubitCount: Int) -> Bool { gatherDiagonals && qubitCount >= gatherMinimumQubits }

    public init(localQubits: Int = CacheBlocking.defaultLocalQubits, fusionQubits: Int = 2) {
        precondition((6...30).contains(localQubits), "localQubits must be in 6...30")
        self.localQubits = localQubits
        self.fusionQubits = fusionQubits
    }

    /// 2^18 amplitudes = 4 MiB per chunk: two chunks (one per core) sit in this machine's 32 MiB
    /// L3 with room to spare; measured with `wukong bench gate --local-qubits`.
    public static let defaultLocalQubits = 18
}

/// One operation of a stage, on physical bit positions, ready for any chunk: `variants[v]` is
/// the operation restricted to the chunk whose high (non-mixing) bits read v, or nil when
/// that restriction is the identity; a restriction with no local qubit is a scalar.
struct ChunkOperation {
    enum Restricted {
        case matrix(GateMatrix, on: [Int])
        case scalar(Complex<Double>)
    }
    /// Physical positions (≥ L) of the operation's high qubits, variant bit j = bit of highs[j].
    let highs: [Int]
    let variants: [Restricted?]
    /// The operation needs only the chunk's first 2^liveQubits amplitudes (the rest are zero and
    /// stay zero: lazy activation from |0…0⟩); nil = the whole chunk.
    var liveQubits: Int? = nil
    /// Set only in plans made with `flatActivation`: the stage is this one operation, on
    /// physical positions, applied unchunked to the state's first 2^liveQubits amplitudes.
    var flat: GateOperation? = nil
}

/// A cache-blocked program: stages of chunk-local operations and exchanges of bit positions.
struct BlockedProgram {
    enum Step {
        /// Operations applied chunk by chunk (all mixing qubits are local).
        case stage([ChunkOperation])
        /// Swap physical high positions `highs[i]` with local positions `locals[i]`.
        case exchange(highs: [Int], locals: [Int])
    }
    let qubitCount: Int
    let localQubits: Int
    var steps: [Step] = []
    /// For each step, the physical bit positions that are 0 in every nonzero amplitude when it
    /// starts (bit p set = position p is zero). A stage sweeps only the chunks whose high bits
    /// are 0 there, an exchange skips runs that are zero on both sides; executors may ignore it
    /// (empty = nothing known) at the cost of extra work.
    var zeroPositions: [Int] = []
}

extension GateMatrix {
    /// For each operand (0 = most significant matrix bit, the `GateMatrix` order): whether the
    /// matrix connects basis states that differ in that operand's bit. A qubit that is not
    /// mixed acts only as a control or through a phase.
    func mixingOperands() -> [Bool] {
        let k = qubitCount, d = dimension
        var mixing = [Bool](repeating: false, count: k)
        for r in 0..<d {
            for c in 0..<d where r != c && self[r, c] != .zero {
                let diff = r ^ c
                for j in 0..<k where (diff >> (k - 1 - j)) & 1 == 1 { mixing[j] = true }
            }
        }
        return mixing
    }

    /// Whether this is exactly the two-qubit SWAP.
    var isSwap: Bool {
        guard dimension == 4 else { return false }
        let one = Complex<Double>.one, zero = Complex<Double>.zero
        let swap: [Complex<Double>] = [one, zero, zero, zero, zero, zero, one, zero,
                                       zero, one, zero, zero, zero, zero, zero, one]
        return elements == swap
    }

    /// The sub-matrix on the operands not in `fixed`, with each fixed operand's bit set to its
    /// value in both row and column (exact when the fixed operands are not mixed).
    func restricted(fixing fixed: [Int: Int]) -> GateMatrix {
        let k = qubitCount
        let free = (0..<k).filter { fixed[$0] == nil }
        var baseIndex = 0
        for (j, v) in fixed where v == 1 { baseIndex |= 1 << (k - 1 - j) }
        func full(_ x: Int) -> Int {
            var i = baseIndex
            for (t, j) in free.enumerated() where (x >> (free.count - 1 - t)) & 1 == 1 { i |= 1 << (k - 1 - j) }
            return i
        }
        let d = 1 << free.count
        var out = [Complex<Double>](repeating: .zero, count: d * d)
        for r in 0..<d { for c in 0..<d { out[r * d + c] = self[full(r), full(c)] } }
        return GateMatrix(out)
    }
}

enum CacheBlockedExecutor {
    /// Applies `operations` (logical qubits) to `state`, cache-blocked when the state has more
    /// than `blocking.localQubits` qubits, else fused and applied directly.
    /// - Parameter zeroState: the caller guarantees the state is |0…0⟩: the run is lazy (see
    ///   `plan`), also on small states, which are then one chunk.
    static func apply(_ operations: [GateOperation], to state: StateVector, blocking: CacheBlocking,
                      zeroState: Bool = false) {
        let n = state.qubitCount
        guard n > blocking.localQubits || (zeroState && n >= blocking.lazyMinimumQubits) else {
            state.apply(fuseAroundSwaps(operations, fusion: blocking.fusionQubits, gather: blocking.gathers(qubitCount: n)))
            return
        }
        let program = plan(operations, qubitCount: n, blocking: blocking, zeroState: zeroState, flatActivation: true)
        run(program, on: state)
    }

    /// Fuses the runs between SWAP gates (which stay single so that they remain relabellings).
    static func fuseAroundSwaps(_ operations: [GateOperation], fusion: Int, gather: Bool = false) -> [GateOperation] {
        guard fusion > 1 else { return operations }
        func fuse(_ run: [GateOperation]) -> [GateOperation] {
            gather ? DiagonalGathering.fuse(run, maxQubits: fusion) : GateFusion.fuse(run, maxQubits: fusion)
        }
        var out: [GateOperation] = [], run: [GateOperation] = []
        for op in operations {
            if op.matrix.isSwap {
                out += fuse(run)
                run = []
                out.append(op)
            } else {
                run.append(op)
            }
        }
        return out + fuse(run)
    }

    // MARK: planning

    /// Fuses (around SWAPs), then cuts the operations into stages and exchanges, ending with the
    /// logical order restored.
    ///
    /// With `zeroState` (the state is |0…0⟩) the run is lazy (`LazyActivation`): the planner
    /// tracks which physical bit positions are *live* (may be 1 in a nonzero amplitude); exchanging
    /// the labels of two positions that are not live moves no data, so a qubit is placed at the
    /// lowest free position when first used, the live state stays a prefix of each chunk
    /// (`ChunkOperation.liveQubits`) and only chunks whose non-live high bits are 0 are swept
    /// (`BlockedProgram.zeroPositions`). States of at most L qubits are then one chunk.
    ///
    /// With `flatActivation` (lazy runs only; the double executor's choice), a gate that mixes a
    /// high qubit only because it brings that qubit to life is not prepared by an exchange but
    /// runs alone, unchunked, on the live prefix of the state (`ChunkOperation.flat`): the live
    /// part doubles with each such gate, so they cost at most about two passes over the state
    /// in all, and the layout stays in first-use order (GHZ and QFT then need no exchange).
    static func plan(_ unfused: [GateOperation], qubitCount n: Int, blocking: CacheBlocking,
                     zeroState: Bool, flatActivation: Bool = false) -> BlockedProgram {
        let L = min(blocking.localQubits, n)
        var phase = Complex<Double>.one
        let simplified = zeroState ? LazyActivation.simplify(unfused, qubitCount: n, phase: &phase) : unfused
        let operations = fuseAroundSwaps(simplified, fusion: blocking.fusionQubits, gather: blocking.gathers(qubitCount: n))
        var program = BlockedProgram(qubitCount: n, localQubits: L)
        var perm = Array(0..<n)          // logical → physical
        var inv = Array(0..<n)           // physical → logical
        // live[p]: physical position p may hold a 1 in a nonzero amplitude. Never false for a
        // position that does (extra live positions only cost work).
        var live = [Bool](repeating: !zeroState, count: n)
        var stage: [GateOperation] = []  // on physical positions
        var stageLive: [Int] = []        // live local extent while each stage operation runs
        // reserved[p]: position p, not live, holds a qubit a coming gate uses; never relabelled.
        var reserved = [Bool](repeating: false, count: n)
        let mixing: [[Int]] = operations.map { op in
            op.matrix.isSwap ? [] : zip(op.qubits, op.matrix.mixingOperands()).filter(\.1).map(\.0)
        }

        func swapPhysical(_ a: Int, _ b: Int) {
            let la = inv[a], lb = inv[b]
            inv[a] = lb; inv[b] = la
            perm[la] = b; perm[lb] = a
        }
        func liveExtent() -> Int { ((0..<L).last { live[$0] } ?? -1) + 1 }
        func zeroMask() -> Int { (0..<n).reduce(0) { live[$1] ? $0 : $0 | (1 << $1) } }
        func append(_ step: BlockedProgram.Step) {
            program.steps.append(step)
            program.zeroPositions.append(zeroMask())
        }
        /// Appends a stage operation on physical positions, marking its positions live (a SWAP
        /// exchanges liveness and is dropped when neither side is live).
        func push(_ op: GateOperation) {
            if op.matrix.isSwap {
                let a = op.qubits[0], b = op.qubits[1]
                guard live[a] || live[b] else { return }
                stage.append(op)
                stageLive.append(max(liveExtent(), max(a, b) + 1))
                live.swapAt(a, b)
                reserved.swapAt(a, b)
                return
            }
            for p in op.qubits {
                live[p] = true
                reserved[p] = false
            }
            stage.append(op)
            stageLive.append(liveExtent())
        }
        func flushStage() {
            guard !stage.isEmpty else { return }
            var prepared = prepare(stage, localQubits: L)
            for i in prepared.indices { prepared[i].liveQubits = stageLive[i] }
            append(.stage(prepared))
            stage = []
            stageLive = []
        }
        /// Reserves logical qubit q, which is not live, for a coming gate: it moves to the lowest
        /// position that is neither live nor reserved (free: both positions are 0 in every
        /// nonzero amplitude) and stays there; it becomes live when a gate uses it.
        func reserve(_ q: Int) {
            guard !live[perm[q]] && !reserved[perm[q]] else { return }
            let target = (0..<n).first { !live[$0] && !reserved[$0] }!
            swapPhysical(perm[q], target)
            reserved[target] = true
        }
        func freeLocal() -> Bool { (0..<L).contains { !live[$0] && !reserved[$0] } }
        /// Brings the logical qubits `incoming` (currently high) into local positions, evicting
        /// the local qubits listed first in `evictionOrder`: one exchange pass.
        func bringLocal(_ incoming: [Int], evictionOrder: [Int]) {
            let m = incoming.count
            guard m > 0 else { return }
            let evicted = Array(evictionOrder.prefix(m))
            // Move the evicted qubits that sit low (below position 10) to the top local slots with
            // SWAPs at the end of the current stage (in cache, no arithmetic), so that the exchange
            // moves runs of at least 2^10 amplitudes (16 KiB) instead of short scattered ones. Those
            // already at 10 or above stay: each such SWAP is a pass over half of every chunk
            // (≈ 10 % of brickwork-24 when all were moved).
            let top = (L - m)..<L
            for e in evicted where !top.contains(perm[e]) && perm[e] < min(10, L - m) {
                let slot = top.first { !evicted.contains(inv[$0]) }!
                push(GateOperation(GateMatrix.swapMatrix, on: [perm[e], slot]))
                swapPhysical(perm[e], slot)
            }
            flushStage()
            // The first-used incoming qubit takes the lowest slot: the live prefix then grows
            // in order as they are used.
            let highs = incoming.map { perm[$0] }, locals = evicted.map { perm[$0] }.sorted()
            append(.exchange(highs: highs, locals: locals))
            for (h, l) in zip(highs, locals) {
                swapPhysical(h, l)
                live.swapAt(h, l)
                reserved[l] = !live[l]
                reserved[h] = false  // an evicted reservation is void
            }
        }

        for (index, original) in operations.enumerated() {
            if original.matrix.isSwap {
                // Relabel: the two logical qubits exchange their storage.
                let a = original.qubits[0], b = original.qubits[1]
                let pa = perm[a], pb = perm[b]
                perm[a] = pb; perm[b] = pa
                inv[pa] = b; inv[pb] = a
                continue
            }
            var op = original
            if zeroState {
                // Fusion can leave an operand that is not live and no longer mixed.
                switch LazyActivation.restrictUntouched(op, isUntouched: { !live[perm[$0]] }) {
                case .identity: continue
                case .scalar(let z): phase *= z; continue
                case .operation(let restricted): op = restricted
                }
                for q in op.qubits { reserve(q) }
                let highMixing = op.qubits.filter { perm[$0] >= L && mixing[index].contains($0) }
                if flatActivation && !highMixing.isEmpty && highMixing.allSatisfy({ !live[perm[$0]] }) {
                    flushStage()
                    let positions = op.qubits.map { perm[$0] }
                    for p in positions {
                        live[p] = true
                        reserved[p] = false
                    }
                    let extent = (live.lastIndex(of: true) ?? 0) + 1
                    append(.stage([ChunkOperation(highs: [], variants: [], liveQubits: extent,
                                                  flat: GateOperation(op.matrix, on: positions))]))
                    continue
                }
            }
            if op.qubits.allSatisfy({ perm[$0] < L || !mixing[index].contains($0) }) {
                push(GateOperation(op.matrix, on: op.qubits.map { perm[$0] }))
                continue
            }
            // Look ahead: the logical qubits (named as now) the next gates mix, in order of first use.
            var alias = Array(0..<n)  // future logical name → current logical name
            var wanted: [Int] = [], seen = Set<Int>()
            var j = index
            while j < operations.count && wanted.count < L {
                let future = operations[j]
                if future.matrix.isSwap {
                    alias.swapAt(future.qubits[0], future.qubits[1])
                } else {
                    for q in mixing[j] where seen.insert(alias[q]).inserted {
                        wanted.append(alias[q])
                        if wanted.count == L { break }
                    }
                }
                j += 1
            }
            // Wanted qubits that are not live yet take free local positions, if any.
            for q in wanted where !live[perm[q]] && perm[q] >= L && freeLocal() { reserve(q) }
            let incoming = wanted.filter { perm[$0] >= L }
            // Evict local qubits not wanted soon: positions that are not live first, then
            // never-wanted, highest position first (the exchange then moves longer contiguous
            // runs), then latest first use.
            let rank = Dictionary(uniqueKeysWithValues: wanted.enumerated().map { ($1, $0) })
            let locals = (0..<L).reversed().map { inv[$0] }
            let idle = locals.filter { !live[perm[$0]] && !reserved[perm[$0]] }
            let busy = locals.filter { live[perm[$0]] || reserved[perm[$0]] }
            let evictionOrder = idle + busy.filter { rank[$0] == nil } + busy.filter { rank[$0] != nil }
                .sorted { rank[$0]! > rank[$1]! }
            bringLocal(incoming, evictionOrder: evictionOrder)
            push(GateOperation(op.matrix, on: op.qubits.map { perm[$0] }))
        }

        // Restore the logical order: logical p must end at physical p. Positions that are not
        // live trade labels for free. Then each round exchanges every wrong high position with a
        // local position: the one holding the logical qubit that belongs there when it is local
        // (fixing it), else one holding a qubit that belongs locally. Two rounds suffice; local
        // disorder is then undone with SWAPs in a chunk pass.
        for p in 0..<n where inv[p] != p && !live[p] && !live[perm[p]] { swapPhysical(p, perm[p]) }
        var rounds = 0
        while true {
            let wrongHigh = (L..<n).filter { inv[$0] != $0 }
            if wrongHigh.isEmpty { break }
            rounds += 1
            precondition(rounds <= 3 && wrongHigh.count <= L, "cache-blocking layout restoration did not converge")
            var used = Set<Int>()
            var locals: [Int] = []
            for p in wrongHigh where perm[p] < L { used.insert(perm[p]) }
            var fillers = (0..<L).reversed().filter { inv[$0] < L && !used.contains($0) }.makeIterator()
            for p in wrongHigh { locals.append(perm[p] < L ? perm[p] : fillers.next()!) }
            flushStage()
            append(.exchange(highs: wrongHigh, locals: locals))
            for (h, l) in zip(wrongHigh, locals) {
                swapPhysical(h, l)
                live.swapAt(h, l)
            }
        }
        for p in 0..<L where inv[p] != p {
            let from = perm[p]
            push(GateOperation(GateMatrix.swapMatrix, on: [p, from]))
            swapPhysical(p, from)
        }
        flushStage()
        if phase != .one {
            // A global phase from gates restricted to a number: one scalar on the live state.
            let scalar = ChunkOperation(highs: [], variants: [.scalar(phase)], liveQubits: liveExtent())
            if case .stage(let ops)? = program.steps.last {
                program.steps[program.steps.count - 1] = .stage(ops + [scalar])
            } else {
                append(.stage([scalar]))
            }
        }
        return program
    }

    /// Precomputes each operation's restriction for every value of its high qubits.
    static func prepare(_ operations: [GateOperation], localQubits L: Int) -> [ChunkOperation] {
        operations.map { op in
            let highOperands = op.qubits.indices.filter { op.qubits[$0] >= L }
            if highOperands.isEmpty {
                return ChunkOperation(highs: [], variants: [.matrix(op.matrix, on: op.qubits)])
            }
            let localOperands = op.qubits.indices.filter { op.qubits[$0] < L }
            let localQubits = localOperands.map { op.qubits[$0] }
            let variants = (0..<(1 << highOperands.count)).map { v -> ChunkOperation.Restricted? in
                var fixed: [Int: Int] = [:]
                for (j, operand) in highOperands.enumerated() { fixed[operand] = (v >> j) & 1 }
                let m = op.matrix.restricted(fixing: fixed)
                if m.dimension == 1 { return m[0, 0] == .one ? nil : .scalar(m[0, 0]) }
                if m.elements == GateMatrix.identity(m.dimension).elements { return nil }
                return .matrix(m, on: localQubits)
            }
            return ChunkOperation(highs: highOperands.map { op.qubits[$0] }, variants: variants)
        }
    }
}

/// Carries a value into `@Sendable` closures that only read it.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension StateVector {
    /// Multiplies every amplitude by a complex factor.
    func scale(by z: Complex<Double>) {
        let p = SendablePointer(base: data)
        let f = PackedComplex(z.real, z.imaginary)
        parallelChunks(count: count, threads: threads) { lo, hi in
            let s = UnsafeMutableRawPointer(p.base)
            for i in lo..<hi {
                let x = loadAmplitude(s, i)
                storeAmplitude(s, i, f.times(x, swapped: swapped(x)))
            }
        }
    }
}

extension GateMatrix {
    /// The two-qubit SWAP.
    static let swapMatrix: GateMatrix = {
        let one = Complex<Double>.one, zero = Complex<Double>.zero
        return GateMatrix([one, zero, zero, zero, zero, zero, one, zero,
                           zero, one, zero, zero, zero, zero, zero, one])
    }()
}

/// What a cache-blocked plan does: stages (chunk sweeps) and exchanges (block-swap sweeps).
public struct CacheBlockingSummary: Sendable, Equatable {
    public let stages: Int
    public let exchanges: Int
    /// Operations run inside chunks, after fusion, summed over stages.
    public let chunkOperations: Int
    /// Amplitudes the chunk operations sweep, Σ over operations of (chunks swept) · (live part of
    /// a chunk): 2ⁿ per operation for an eager run; much less for a lazy run from |0…0⟩
    /// (about 2·2ⁿ in all for GHZ-n).
    public let amplitudeUpdates: Int
}

extension StateVector {
    /// Applies `operations` cache-blocked (`CacheBlocking`): equal to `apply(operations)` up to
    /// rounding. With `zeroState` the caller promises the state is |0…0⟩ and the run is lazy:
    /// gates reading untouched qubits are restricted, kernels sweep only the live amplitudes
    /// (`LazyActivation`, `CacheBlockingSummary.amplitudeUpdates`).
    /// - Complexity: O(Σ 2ⁿ·2^{kᵢ}) arithmetic, but only O((stages + exchanges)·2ⁿ) traffic to
    ///   main memory.
    public func apply(_ operations: [GateOperation], blocking: CacheBlocking, zeroState: Bool = false) {
        CacheBlockedExecutor.apply(operations, to: self, blocking: blocking, zeroState: zeroState)
    }

    /// The plan `apply(_:blocking:zeroState:)` would run on an n-qubit state (n > L, or any n
    /// with `zeroState`).
    public static func cacheBlockingSummary(_ operations: [GateOperation], qubitCount: Int, blocking: CacheBlocking,
                                            zeroState: Bool = false) -> CacheBlockingSummary {
        let program = CacheBlockedExecutor.plan(operations, qubitCount: qubitCount, blocking: blocking, zeroState: zeroState,
                                                flatActivation: true)
        var stages = 0, exchanges = 0, ops = 0, updates = 0
        let L = program.localQubits
        for (i, step) in program.steps.enumerated() {
            switch step {
            case .stage(let s):
                stages += 1
                ops += s.count
                let zeros = i < program.zeroPositions.count ? program.zeroPositions[i] : 0
                let liveHighs = (L..<qubitCount).filter { (zeros >> $0) & 1 == 0 }.count
                for op in s { updates += 1 << (op.flat != nil ? op.liveQubits! : liveHighs + (op.liveQubits ?? L)) }
            case .exchange: exchanges += 1
            }
        }
        return CacheBlockingSummary(stages: stages, exchanges: exchanges, chunkOperations: ops, amplitudeUpdates: updates)
    }
}
