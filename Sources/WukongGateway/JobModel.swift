// The job model: what a client submits (a validated spec of items), what the store keeps (the record
// with its lifecycle fields), and what a run produces (per-item results).
import Foundation

/// A job's lifecycle state. Terminal states never change again.
public enum JobState: String, Sendable, CaseIterable, Codable {
    case queued, running, completed, failed, cancelling, cancelled

    /// True for completed, failed and cancelled.
    public var isTerminal: Bool { self == .completed || self == .failed || self == .cancelled }
    /// True while the job counts against a key's concurrent-job quota.
    public var isActive: Bool { !isTerminal }
}

/// Why a job is in its state. Stable codes; the message beside them is for people.
public enum ReasonCode: String, Sendable, Codable {
    /// A worker ran the job and it failed (a program the simulator cannot run, …).
    case executionError = "execution_error"
    /// The user asked to cancel.
    case cancelledByUser = "cancelled_by_user"
    /// Leases expired more than the allowed number of times.
    case workerLost = "worker_lost"
    /// The job was requeued once because its worker's lease expired (state stays queued).
    case leaseExpiredRequeued = "lease_expired_requeued"
}

/// One parameter binding: symbol name → value.
public typealias ParameterSet = [String: Double]

/// Program languages the API accepts, with their wire names. `openpulse` is OpenQASM 3 with
/// `defcalgrammar "openpulse"`, `cal` blocks and `defcal`s; `schedule` is the JSON pulse schedule of
/// docs/formats/schedule.md (both backend `pulse` only).
public enum APILanguage: String, Sendable, CaseIterable {
    case openqasm2, openqasm3, originir, openpulse, schedule
}

/// One item of a job: a program, its parameter sets (one result per set), and shots.
public struct JobItem: Sendable, Equatable {
    /// Program text.
    public var program: String
    /// Language of `program`.
    public var language: APILanguage
    /// Parameter sets; `[[:]]` when the program has no parameters.
    public var parameterSets: [ParameterSet]
    /// Shots per parameter set, 1…10 000.
    public var shots: Int
    /// Whether to keep per-shot bitstrings.
    public var memory: Bool
    /// Whether to keep each shot's integrated IQ point per measurement (pulse backend only; implies memory).
    public var iq: Bool

    public init(program: String, language: APILanguage, parameterSets: [ParameterSet] = [[:]], shots: Int, memory: Bool = false,
                iq: Bool = false) {
        self.iq = iq
        self.program = program
        self.language = language
        self.parameterSets = parameterSets
        self.shots = shots
        self.memory = memory
    }
}

/// A validated submission. Everything a worker needs to run the job, reproducibly.
public struct JobSpec: Sendable, Equatable {
    /// Execution path: `gate` (state vector) or `pulse` (compiled, lowered and emulated on the true device).
    public var backend: String
    /// Noise model name: `none`, or `calibration` (the gate path's noise model of the job's snapshot).
    public var noise: String
    /// Items in order.
    public var items: [JobItem]
    /// Free-form tags for listing.
    public var tags: [String]
    /// For backend `calibration`: the calibration request (qubits, couplers, experiments, quick); nil otherwise.
    public var calibration: JSONValue?

    public init(backend: String = "gate", noise: String = "none", items: [JobItem], tags: [String] = [],
                calibration: JSONValue? = nil) {
        self.backend = backend
        self.noise = noise
        self.items = items
        self.tags = tags
        self.calibration = calibration
    }

    /// Backends the gateway runs.
    public static let backends = ["gate", "pulse"]
    /// Noise models: `none`, or `calibration` / `calibration_leakage` (the calibration model plus
    /// leakage, on trajectories; gate backend only).
    public static let noiseModels = ["none", "calibration", "calibration_leakage"]

    /// Total shots over every item and parameter set.
    public var totalShots: Int { items.reduce(0) { $0 + $1.shots * $1.parameterSets.count } }
}

/// A job as the store keeps it.
public struct JobRecord: Sendable, Equatable {
    /// Opaque id, `job_` + 24 hex characters.
    public var id: String
    /// Id of the API key that submitted it.
    public var ownerKeyID: String
    /// Queue order: increases with submission.
    public var sequence: Int64
    public var state: JobState
    public var reasonCode: ReasonCode?
    public var reason: String?
    public var spec: JobSpec
    /// Seed of every random choice; stored at submission so a rerun returns identical shots.
    public var seed: UInt64
    /// Calibration snapshot the job runs against; fixed at submission.
    public var calibrationID: String
    /// Number of times a worker claimed the job.
    public var attempt: Int
    /// Worker holding the lease, while running.
    public var leaseOwner: String?
    /// When the lease lapses unless a heartbeat extends it.
    public var leaseExpiresAt: Date?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
}

/// The result of one parameter set of one item.
public struct SetResult: Sendable, Equatable {
    /// Bitstring → count; clbit 0 is the rightmost character.
    public var counts: [String: Int]
    /// Per-shot bitstrings in shot order, when asked for.
    public var memory: [String]?
    /// Per-shot IQ points (pulse backend, when asked for).
    public var iq: IQData? = nil
    /// Backend-specific facts about the run (the pulse path: stage timing, leakage, qubits used).
    public var metadata: JSONValue? = nil
}

/// The results of one item: one entry per parameter set.
public struct ItemResult: Sendable, Equatable {
    public var index: Int
    public var sets: [SetResult]
}

/// Integrated readout IQ points of every shot: one column per measurement in program order.
public struct IQData: Sendable, Equatable {
    /// The clbit each column's measurement writes.
    public var clbits: [Int]
    /// The physical qubit each column reads.
    public var qubits: [Int]
    /// In-phase and quadrature parts, row-major [shot][column] (√photons, window mean of the field).
    public var i: [Double], q: [Double]

    public init(clbits: [Int], qubits: [Int], i: [Double], q: [Double]) {
        self.clbits = clbits
        self.qubits = qubits
        self.i = i
        self.q = q
    }

    /// Number of shots.
    public var shots: Int { clbits.isEmpty ? 0 : i.count / clbits.count }
}
