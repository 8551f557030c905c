// Threading options for the state-vector kernels, and the small parallel-for helper they share.
// Threads help only on large states; below the threshold every kernel runs on the calling thread.
import Dispatch
import Foundation

/// How a state vector spreads its kernels over threads.
///
/// On a shared 2-core machine two threads gave 1.3–2.0× on 24–26-qubit states when the machine
/// was quiet and slowdowns when it was not (reference/gate-tools.md), so both numbers are options.
public struct ExecutionOptions: Sendable, Equatable {
    /// Number of threads a kernel may use (1 = always serial).
    public var threadCount: Int
    /// Kernels run serially when the state holds fewer than `2^parallelThresholdQubits` amplitudes.
    /// Tests set 0 to exercise the threaded paths on small states.
    public var parallelThresholdQubits: Int
    /// Cache blocking of gate runs: chunks of 2^L amplitudes (`CacheBlocking.localQubits`);
    /// 0 turns blocking off (every fused gate sweeps the whole state).
    public var cacheBlockQubits: Int = CacheBlocking.defaultLocalQubits
    /// The same for single-precision runs (`StateVectorSingle`, 8-byte amplitudes); 0 = off.
    public var singleCacheBlockQubits: Int = CacheBlocking.defaultLocalQubitsSingle
    /// Gate runs (double and single precision) fuse with diagonal gathering (`DiagonalGathering.fuse`): Euler-split
    /// one-qubit gates, diagonals multiplied together, real kernels, when its cost model says so.
    public var gatherDiagonals = true
    /// ...from this many qubits on (`CacheBlocking.gatherMinimumQubits`; tests set 0).
    public var gatherMinimumQubits = 16

    /// - Parameters:
    ///   - threadCount: threads per kernel; defaults to the number of active processors.
    ///   - parallelThresholdQubits: qubit count from which threads start (default 14, Aer's choice).
    public init(threadCount: Int = ProcessInfo.processInfo.activeProcessorCount,
                parallelThresholdQubits: Int = 14) {
        precondition(threadCount >= 1, "threadCount must be at least 1")
        precondition(parallelThresholdQubits >= 0, "parallelThresholdQubits must be non-negative")
        self.threadCount = threadCount
        self.parallelThresholdQubits = parallelThresholdQubits
    }

    /// Always one thread.
    public static let serial = ExecutionOptions(threadCount: 1)

    /// The cache-blocking settings for a gate run fused with window `fusionQubits`.
    func blocking(fusionQubits: Int) -> CacheBlocking {
        var blocking = CacheBlocking(localQubits: cacheBlockQubits == 0 ? 30 : cacheBlockQubits, fusionQubits: fusionQubits)
        blocking.gatherDiagonals = gatherDiagonals
        blocking.gatherMinimumQubits = gatherMinimumQubits
        return blocking
    }

    /// Threads to use for a state of `qubitCount` qubits.
    func threads(forQubits qubitCount: Int) -> Int {
        qubitCount >= parallelThresholdQubits ? threadCount : 1
    }
}

/// A raw pointer that may cross into a `@Sendable` closure. Each thread must write only its own
/// disjoint index range; that discipline, not the type system, makes the sharing safe.
struct SendablePointer<Pointee>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Pointee>
}

/// Runs `body(lo, hi)` over `0..<count`, split into `threads` contiguous static chunks.
/// Static chunks of at least a few MiB each keep the per-thread overhead negligible.
@inline(__always)
func parallelChunks(count: Int, threads: Int, _ body: @Sendable (Int, Int) -> Void) {
    let workers = min(threads, count)
    if workers <= 1 {
        body(0, count)
        return
    }
    DispatchQueue.concurrentPerform(iterations: workers) { chunk in
        let lo = count * chunk / workers
        let hi = count * (chunk + 1) / workers
        body(lo, hi)
    }
}

/// Sums `body(lo, hi)` over static chunks of `0..<count`, one partial sum per thread.
func parallelSum(count: Int, threads: Int, _ body: @Sendable (Int, Int) -> (Double, Double))
    -> (Double, Double)
{
    let workers = min(threads, count)
    if workers <= 1 { return body(0, count) }
    let partials = UnsafeMutablePointer<(Double, Double)>.allocate(capacity: workers)
    defer { partials.deallocate() }
    partials.initialize(repeating: (0, 0), count: workers)
    let box = SendablePointer(base: partials)
    DispatchQueue.concurrentPerform(iterations: workers) { chunk in
        let lo = count * chunk / workers
        let hi = count * (chunk + 1) / workers
        box.base[chunk] = body(lo, hi)
    }
    var re = 0.0, im = 0.0
    for w in 0..<workers {
        re += partials[w].0
        im += partials[w].1
    }
    return (re, im)
}
