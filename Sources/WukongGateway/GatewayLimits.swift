// Limits every submission is checked against before it is queued, and the per-key rate and quota.
// Each breach is a 4xx whose code names the limit (`limit_shots`, `limit_qubits`, …).
import Foundation

/// Limits of the gateway. Defaults follow Wukong's published figures where there are any.
public struct GatewayLimits: Sendable {
    /// Largest request body, bytes.
    public var maxBodyBytes = 16 << 20
    /// Largest program text per item, bytes.
    public var maxProgramBytes = 1 << 20
    /// Items per job: Wukong dispatches 200 circuits at once.
    public var maxItemsPerJob = 200
    /// Shots per item (per parameter set): Wukong's cap.
    public var maxShotsPerItem = 10_000
    /// Parameter sets per item.
    public var maxParameterSetsPerItem = 1_000
    /// Executions per job: Σ items × parameter sets.
    public var maxExecutionsPerJob = 10_000
    /// Qubits of the chip.
    public var chipQubits = 72
    /// Qubits the state-vector simulator holds (2^30 amplitudes = 16 GiB).
    public var simulatorQubits = 30
    /// Physical qubits a pulse-backend program may use after routing (the pulse path emulates every
    /// distinct gate on the true device and keeps a state vector over the used qubits).
    public var maxPulseQubits = 12
    /// Instructions per program after expansion.
    public var maxGatesPerItem = 100_000
    /// Circuit depth per program (layers of gates and measurements on shared qubits).
    public var maxDepthPerItem = 50_000
    /// Pulse backend: total length of a program's lowered pulse schedule, ns (1 ms).
    public var maxScheduleNs = 1_000_000.0
    /// Pulse backend: AWG samples over every waveform of a program (drive, flux, readout tones).
    public var maxWaveformSamples = 4_000_000
    /// Pulse backend: samples in one OpenPulse waveform (at 2 GS/s: 50 µs).
    public var maxSamplesPerWaveform = 100_000
    /// Pulse backend: elements (qubits and couplers) one JSON schedule may emulate (3 levels each).
    public var maxScheduleElements = 3
    /// Pulse backend: readout captures of one physical qubit per shot.
    public var maxCapturesPerQubit = 2
    /// Estimated result size, bytes.
    public var maxResultBytes = 64 << 20
    /// Tags per job and characters per tag.
    public var maxTags = 10, maxTagLength = 64
    /// Token-bucket submission rate per key: refill per second and burst.
    public var submitRatePerSecond = 20.0, submitBurst = 40.0
    /// Jobs a key may have queued, running or cancelling at once.
    public var maxActiveJobsPerKey = 50

    public init() {}

    /// The widest state vector `workers` concurrent jobs can each hold in half of `memoryBytes`
    /// (16 bytes per amplitude), at most 30 qubits: 2 workers on 24 GiB → 28 qubits (4 GiB each).
    public static func simulatorQubits(memoryBytes: UInt64, workers: Int) -> Int {
        let perWorker = Double(memoryBytes) / 2 / Double(max(1, workers)) / 16
        return max(10, min(30, Int(log2(max(perWorker, 1)).rounded(.down))))
    }

    /// As JSON, for `GET /v1/backends/{name}`.
    public var json: JSONValue {
        [
            "max_body_bytes": .int(maxBodyBytes), "max_program_bytes": .int(maxProgramBytes),
            "max_items_per_job": .int(maxItemsPerJob), "shots_range": [1, .int(maxShotsPerItem)],
            "max_parameter_sets_per_item": .int(maxParameterSetsPerItem), "max_executions_per_job": .int(maxExecutionsPerJob),
            "chip_qubits": .int(chipQubits), "simulator_max_qubits": .int(simulatorQubits), "pulse_max_qubits": .int(maxPulseQubits),
            "max_gates_per_item": .int(maxGatesPerItem), "max_depth_per_item": .int(maxDepthPerItem),
            "pulse_max_schedule_ns": .number(maxScheduleNs), "pulse_max_waveform_samples": .int(maxWaveformSamples),
            "pulse_max_samples_per_waveform": .int(maxSamplesPerWaveform),
            "pulse_max_schedule_elements": .int(maxScheduleElements),
            "pulse_max_captures_per_qubit": .int(maxCapturesPerQubit), "max_result_bytes": .int(maxResultBytes),
            "submit_rate_per_second": .number(submitRatePerSecond), "submit_burst": .number(submitBurst),
            "max_active_jobs_per_key": .int(maxActiveJobsPerKey),
        ]
    }
}

/// A per-key token bucket: `rate` tokens per second up to `burst`; each submission takes one.
public final class RateLimiter: Sendable {
    private struct Bucket { var tokens: Double; var updated: Date }
    private let buckets = LockedBox<[String: Bucket]>([:])
    let rate: Double, burst: Double

    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
    }

    /// Takes a token for `key`; returns nil when allowed, else the seconds until one is available.
    public func take(_ key: String, now: Date = Date()) -> Double? {
        buckets.withLock { all in
            var b = all[key] ?? Bucket(tokens: burst, updated: now)
            b.tokens = min(burst, b.tokens + max(0, now.timeIntervalSince(b.updated)) * rate)
            b.updated = now
            defer { all[key] = b }
            if b.tokens >= 1 {
                b.tokens -= 1
                return nil
            }
            return (1 - b.tokens) / rate
        }
    }
}

/// A value behind a lock (NSLock: available everywhere Foundation is).
final class LockedBox<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
