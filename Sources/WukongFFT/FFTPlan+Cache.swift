// A process-wide cache of FFT plans keyed by (length, direction), so repeated transforms of
// one size plan once. The cache has its own lock; planning inside takes the planner lock.
import Synchronization

private struct PlanKey: Hashable {
    let length: Int
    let direction: FFTDirection
}

private let planCache = Mutex<[PlanKey: FFTPlan]>([:])

extension FFTPlan {
    /// The shared, cached plan for `length` points in `direction`; made on first use.
    ///
    /// Cached plans live for the whole process. Lock order is always cache → planner, and plan
    /// destruction takes only the planner lock, so the two locks cannot deadlock.
    /// - Complexity: O(1) amortised after the first call for a length.
    public static func shared(length: Int, direction: FFTDirection) -> FFTPlan {
        let key = PlanKey(length: length, direction: direction)
        return planCache.withLock { cache in
            if let plan = cache[key] { return plan }
            let plan = FFTPlan(length: length, direction: direction)
            cache[key] = plan
            return plan
        }
    }

    /// Number of plans currently cached (for tests and diagnostics).
    public static var cachedPlanCount: Int { planCache.withLock { $0.count } }
}
