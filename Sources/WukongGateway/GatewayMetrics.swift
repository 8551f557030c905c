// Counters and a latency summary for `GET /metrics`, written in the Prometheus text format by hand
// (swift-prometheus would add a dependency for a dozen lines of text).
import Foundation

/// In-process counters, safe from any thread.
public final class GatewayMetrics: Sendable {
    private struct State {
        var accepted = 0
        var rejections: [String: Int] = [:]
        var shotsTotal = 0
        var completed = 0, failed = 0
        /// Submit-to-finish seconds of the last `window` finished jobs.
        var latencies: [Double] = []
        var latencySum = 0.0, latencyCount = 0
        var leaseRequeues = 0
    }
    private let state = LockedBox(State())
    static let window = 1024

    public init() {}

    func recordAccepted() { state.withLock { $0.accepted += 1 } }
    func recordRejection(_ code: String) { state.withLock { $0.rejections[code, default: 0] += 1 } }
    func recordRequeues(_ n: Int) { state.withLock { $0.leaseRequeues += n } }
    func recordFinished(success: Bool, shots: Int, latencySeconds: Double) {
        state.withLock { s in
            if success { s.completed += 1; s.shotsTotal += shots } else { s.failed += 1 }
            s.latencies.append(latencySeconds)
            if s.latencies.count > Self.window { s.latencies.removeFirst(s.latencies.count - Self.window) }
            s.latencySum += latencySeconds
            s.latencyCount += 1
        }
    }

    /// The exposition text; `jobsByState` and `queueDepth` come from the store at scrape time.
    func render(jobsByState: [JobState: Int], queueDepth: [String: Int]) -> String {
        let s = state.withLock { $0 }
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ lines: [String]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for l in lines { out += l + "\n" }
        }
        metric("wukong_queue_depth", "gauge", "Queued jobs per backend.",
               queueDepth.keys.sorted().map { "wukong_queue_depth{backend=\"\($0)\"} \(queueDepth[$0]!)" })
        metric("wukong_jobs", "gauge", "Jobs in the store by state.",
               JobState.allCases.map { "wukong_jobs{state=\"\($0.rawValue)\"} \(jobsByState[$0] ?? 0)" })
        metric("wukong_jobs_accepted_total", "counter", "Submissions accepted since start.", ["wukong_jobs_accepted_total \(s.accepted)"])
        metric("wukong_rejections_total", "counter", "Requests rejected, by error code.",
               s.rejections.keys.sorted().map { "wukong_rejections_total{code=\"\($0)\"} \(s.rejections[$0]!)" })
        metric("wukong_shots_total", "counter", "Shots of completed jobs since start.", ["wukong_shots_total \(s.shotsTotal)"])
        metric("wukong_jobs_finished_total", "counter", "Jobs finished by workers since start.",
               ["wukong_jobs_finished_total{outcome=\"completed\"} \(s.completed)", "wukong_jobs_finished_total{outcome=\"failed\"} \(s.failed)"])
        metric("wukong_lease_requeues_total", "counter", "Running jobs requeued after their lease expired.",
               ["wukong_lease_requeues_total \(s.leaseRequeues)"])
        let sorted = s.latencies.sorted()
        func quantile(_ q: Double) -> String {
            sorted.isEmpty ? "NaN" : "\(sorted[min(sorted.count - 1, Int(q * Double(sorted.count)))])"
        }
        metric("wukong_job_latency_seconds", "summary", "Submit-to-finish time of recent jobs.",
               [0.5, 0.9, 0.99].map { "wukong_job_latency_seconds{quantile=\"\($0)\"} \(quantile($0))" }
               + ["wukong_job_latency_seconds_sum \(s.latencySum)", "wukong_job_latency_seconds_count \(s.latencyCount)"])
        return out
    }
}
