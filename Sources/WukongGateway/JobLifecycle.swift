// The job lifecycle as a pure state machine: (state, event) → (next state, reason, actions). Stores
// apply it inside their transactions; nothing here does I/O, so every path is tested on its own.
import Foundation

/// Something that happens to a job.
public enum JobEvent: Sendable, Equatable {
    /// A worker takes the job.
    case claim
    /// The worker finished every item.
    case complete
    /// The worker could not run the job.
    case fail(message: String)
    /// The user asked to cancel.
    case cancel
    /// The worker's lease lapsed; `attempt` claims so far, `maxAttempts` allowed.
    case leaseExpired(attempt: Int, maxAttempts: Int)
    /// The worker noticed the cancel request and stopped.
    case stopped
}

/// What the store or worker must do as a consequence of a transition.
public enum JobAction: Sendable, Equatable {
    /// Start executing (set the lease, bump the attempt, record the start time).
    case startExecution
    /// Commit the results in the same transaction as the state change.
    case storeResults
    /// Drop any results the worker produced (the job was cancelled meanwhile).
    case discardResults
    /// Ask the running worker to stop between items.
    case signalWorkerToStop
    /// Put the job back in the queue, keeping its seed and calibration snapshot.
    case requeueKeepingSeed
    /// Clear the lease fields.
    case releaseLease
    /// Record the finish time (terminal state reached).
    case recordFinish
}

/// The outcome of a valid transition.
public struct JobTransition: Sendable, Equatable {
    public var state: JobState
    public var reasonCode: ReasonCode?
    public var reason: String?
    public var actions: [JobAction]
}

/// Why an event does not apply to a state.
public struct InvalidTransition: Error, Sendable, Equatable, CustomStringConvertible {
    public var from: JobState
    public var event: JobEvent
    public var description: String { "a \(from.rawValue) job cannot take the event \(event)" }
}

/// The lifecycle rules: queued → running → completed | failed; cancel from queued is immediate,
/// from running goes through cancelling; an expired lease requeues until `maxAttempts`.
public enum JobLifecycle {
    /// The transition `event` causes from `state`, or `InvalidTransition`.
    public static func transition(from state: JobState, on event: JobEvent) -> Result<JobTransition, InvalidTransition> {
        let invalid = Result<JobTransition, InvalidTransition>.failure(InvalidTransition(from: state, event: event))
        switch (state, event) {
        case (.queued, .claim):
            return .success(JobTransition(state: .running, actions: [.startExecution]))
        case (.queued, .cancel):
            return .success(JobTransition(state: .cancelled, reasonCode: .cancelledByUser, reason: "cancelled before it ran",
                                          actions: [.recordFinish]))
        case (.running, .complete):
            return .success(JobTransition(state: .completed, actions: [.storeResults, .releaseLease, .recordFinish]))
        case (.running, .fail(let message)):
            return .success(JobTransition(state: .failed, reasonCode: .executionError, reason: message,
                                          actions: [.releaseLease, .recordFinish]))
        case (.running, .cancel):
            return .success(JobTransition(state: .cancelling, reasonCode: .cancelledByUser, reason: "cancel requested while running",
                                          actions: [.signalWorkerToStop]))
        case (.running, .leaseExpired(let attempt, let maxAttempts)):
            if attempt < maxAttempts {
                return .success(JobTransition(state: .queued, reasonCode: .leaseExpiredRequeued,
                                              reason: "worker lease expired on attempt \(attempt); requeued with the same seed",
                                              actions: [.releaseLease, .requeueKeepingSeed]))
            }
            return .success(JobTransition(state: .failed, reasonCode: .workerLost,
                                          reason: "worker lease expired \(attempt) times; giving up",
                                          actions: [.releaseLease, .recordFinish]))
        case (.cancelling, .complete), (.cancelling, .fail), (.cancelling, .stopped), (.cancelling, .leaseExpired):
            return .success(JobTransition(state: .cancelled, reasonCode: .cancelledByUser, reason: "cancelled while running",
                                          actions: [.discardResults, .releaseLease, .recordFinish]))
        case (.cancelling, .cancel):
            return .success(JobTransition(state: .cancelling, reasonCode: .cancelledByUser, reason: "cancel requested while running",
                                          actions: []))
        default:
            return invalid
        }
    }
}
