// Parameter sweeps as one call, spread over the cores with DispatchQueue.concurrentPerform,
// results in input order. Each point runs a single-threaded solve (dense small kernels: threads
// across points, never inside one; pulse-tools.md §4).
import Dispatch
import Synchronization

/// Evaluates `body` at every point, in parallel over `workers` threads, returning results in input order.
///
/// Points are handed out one at a time from a shared counter, so uneven points balance across workers.
/// - Complexity: the sum of the points' costs divided by ~`workers` on an idle machine.
public func parallelSweep<Point: Sendable, Result: Sendable>(_ points: [Point], workers: Int = 2,
                                                              _ body: @Sendable (Point) -> Result) -> [Result] {
    precondition(workers >= 1, "at least one worker")
    let slots = Mutex<[Result?]>(Array(repeating: nil, count: points.count))
    let next = Atomic<Int>(0)
    DispatchQueue.concurrentPerform(iterations: min(workers, max(points.count, 1))) { _ in
        while true {
            let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
            if i >= points.count { break }
            let r = body(points[i])
            slots.withLock { $0[i] = r }
        }
    }
    return slots.withLock { $0.map { $0! } }
}
