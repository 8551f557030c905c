// The pulse path as a `JobExecutor`: each execution is compiled against the job's pinned calibration
// snapshot, lowered to pulses and emulated on the true device (`PulseBackend.run`). The emulated gate
// channels are cached per calibration snapshot and shared by every job and worker of the process.
import Foundation
import WukongCircuits
import WukongCompiler
import WukongDevice
import WukongRuntime

/// One `ClusterChannels` cache per calibration snapshot id, built on the true device on first use.
/// `ClusterChannels` is itself thread-safe; this box guards the map from ids to caches.
public final class PulseChannelCaches: Sendable {
    let device: ChipDevice
    private let caches = LockedBox<[String: ClusterChannels]>([:])

    public init(device: ChipDevice) { self.device = device }

    /// The cache of `calibrationID` (created once; later calls return the same instance).
    public func channels(for calibrationID: String) -> ClusterChannels {
        caches.withLock { all in
            if let c = all[calibrationID] { return c }
            let c = ClusterChannels(device: device)
            all[calibrationID] = c
            return c
        }
    }

    /// Number of snapshots with a cache.
    public var count: Int { caches.withLock { $0.count } }
}

/// Runs jobs of backend `pulse`: noise-free (closed system) on the true device, counts per parameter
/// set plus metadata (stage timing, maximum gate leakage, physical qubits used, cache hits/misses).
public struct PulseJobExecutor: JobExecutor {
    public let backend = "pulse"
    /// The true device the pulses are emulated on (the hidden truth; never shown to clients).
    public let device: ChipDevice
    /// Channel caches shared across jobs.
    public let caches: PulseChannelCaches
    /// Largest number of physical qubits a program may use after routing.
    public let maxQubits: Int
    /// The gateway's limits, for the OpenPulse and schedule interpreters (the submission checked them already).
    public var limits = GatewayLimits()

    public init(device: ChipDevice, maxQubits: Int = GatewayLimits().maxPulseQubits, caches: PulseChannelCaches? = nil) {
        self.device = device
        self.maxQubits = maxQubits
        self.caches = caches ?? PulseChannelCaches(device: device)
    }

    /// Loads the device spec (YAML) and generates the true device from it.
    public init(specPath: String, maxQubits: Int = GatewayLimits().maxPulseQubits) throws {
        self.init(device: try ChipDevice.generate(from: DeviceSpec.load(path: specPath)), maxQubits: maxQubits)
    }

    public func execute(_ job: JobRecord, calibration: CalibrationSnapshot?, shouldStop: @Sendable () -> Bool) throws -> [ItemResult] {
        guard job.spec.noise == "none" else {
            throw ExecutionFailed(description: "the pulse backend runs with noise 'none' only, not '\(job.spec.noise)'")
        }
        guard let calibration else {
            throw ExecutionFailed(description: "calibration snapshot '\(job.calibrationID)' is not loaded in this gateway")
        }
        let channels = caches.channels(for: job.calibrationID)
        let target = CompilerTarget(calibration: calibration)
        // OpenPulse items: the CLI's path (`wukong run --backend pulse`), firmware in the loop.
        let firmware = FirmwareLoop(topology: calibration.topology)
        return try runItems(of: job, shouldStop: shouldStop, openPulse: { i, item in
            if item.language == .schedule {
                if shouldStop() { throw ExecutionStopped() }
                return try runSchedule(job, item: i, spec: item)
            }
            return try runOpenPulse(job, item: i, spec: item, calibration: calibration, channels: channels, firmware: firmware, shouldStop: shouldStop)
        }, prepare: { _, item, circuit in
            // The physical qubits the routed program touches (independent of parameter values).
            let probe = circuit.bind(item.parameterSets.first ?? [:])
            let used = try PulseLowering.lower(Compiler.compile(probe, target: target), calibration: calibration).usedQubits
            if used.count > maxQubits {
                throw ExecutionFailed(description: "the routed program uses \(used.count) physical qubits; the pulse backend emulates at most \(maxQubits) (limit pulse_max_qubits)")
            }
        }) { i, k, item, circuit, parameters in
            let options = PulseBackend.Options(memory: item.memory, iqReadout: item.iq)
            let r = try PulseBackend.run(circuit.bind(parameters), calibration: calibration, device: device, shots: item.shots,
                                         seed: executionSeed(job: job.seed, item: i, set: k), channels: channels, options: options)
            let iq = r.iq.map { points in
                IQData(clbits: r.iqColumns.map(\.clbit), qubits: r.iqColumns.map(\.qubit), i: points.map(\.real), q: points.map(\.imaginary))
            }
            return SetResult(counts: r.counts, memory: item.memory || item.iq ? r.memory : nil, iq: iq, metadata: Self.metadata(r))
        }
    }

    /// Runs every parameter set of an OpenPulse item through `OpenPulseBackend` (firmware in the loop),
    /// seeded per execution from the job seed. IQ (when asked): one column per `capture_v1` in program
    /// order, clbit −1 (capture_v1 writes no bit), the captured qubit.
    func runOpenPulse(_ job: JobRecord, item i: Int, spec item: JobItem, calibration: CalibrationSnapshot, channels: ClusterChannels,
                      firmware: FirmwareLoop, shouldStop: @Sendable () -> Bool) throws -> [SetResult] {
        let program = try OpenPulseProgram.parse(item.program, file: "items[\(i)].program")
        let limits = SubmissionDecoder(limits: self.limits).openPulseLimits
        var sets: [SetResult] = []
        for (k, parameters) in item.parameterSets.enumerated() {
            if shouldStop() { throw ExecutionStopped() }
            do {
                let r = try OpenPulseBackend.run(program, calibration: calibration, device: device, shots: item.shots,
                                                 seed: executionSeed(job: job.seed, item: i, set: k), channels: channels, limits: limits,
                                                 parameters: parameters, firmware: firmware, keepMemory: item.memory || item.iq)
                var iq: IQData?
                if item.iq {
                    let timeline = try OpenPulseBackend.timeline(program, calibration: calibration, limits: limits, parameters: parameters)
                    var qubits = [Int](repeating: -1, count: r.iq.count)
                    for event in timeline.events {
                        if case let .capture(q, .iq(index), _) = event.kind, index < qubits.count { qubits[index] = q }
                    }
                    let columns = r.iq.count
                    var re = [Double](), im = [Double]()
                    re.reserveCapacity(item.shots * columns)
                    im.reserveCapacity(item.shots * columns)
                    for s in 0..<item.shots {
                        for c in 0..<columns {
                            re.append(r.iq[c].values[s].real)
                            im.append(r.iq[c].values[s].imaginary)
                        }
                    }
                    iq = IQData(clbits: [Int](repeating: -1, count: columns), qubits: qubits, i: re, q: im)
                }
                sets.append(SetResult(counts: r.counts, memory: r.memory, iq: iq, metadata: Self.metadata(r)))
            } catch {
                throw ExecutionFailed(description: "parameter set \(k): \(error)")
            }
        }
        return sets
    }

    /// The result metadata of one OpenPulse run.
    static func metadata(_ r: OpenPulseRunResult) -> JSONValue {
        [
            "timing_ms": [
                "compile": .number(r.timing.compileMs), "firmware": .number(r.timing.firmwareMs),
                "emulate": .number(r.timing.emulateMs), "sample": .number(r.timing.sampleMs), "total": .number(r.timing.totalMs),
            ],
            "program": "openpulse",
            "max_leakage": .number(r.gateLeakage.map(\.leakage).max() ?? 0),
            "channels": .int(r.gateLeakage.count), "play_clusters": .int(r.clusterCount),
            "physical_qubits": .array(r.usedQubits.map { .int($0) }),
            "duration_ns": .number(r.durationNs),
            "firmware_max_sample_error": .number(r.firmwareMaxError),
        ]
    }

    /// The result metadata of one pulse run.
    static func metadata(_ r: PulseRunResult) -> JSONValue {
        let maxLeakage = r.gateLeakage.map(\.leakage).max() ?? 0
        return [
            "timing_ms": [
                "compile": .number(r.timing.compileMs), "lower": .number(r.timing.lowerMs),
                "emulate": .number(r.timing.emulateMs), "sample": .number(r.timing.sampleMs),
                "total": .number(r.timing.totalMs),
            ],
            "max_leakage": .number(maxLeakage),
            "gates_emulated": .int(r.gateLeakage.count),
            "physical_qubits": .array(r.usedQubits.map { .int($0) }),
            "channel_cache": ["hits": .int(r.cacheHits), "misses": .int(r.cacheMisses)],
        ]
    }
}
