// The one error type of WukongPulses: a parameter outside its allowed range, named with its value.

/// A rejected pulse or filter parameter. The message names the parameter, its value and the rule.
public enum PulseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `name` had `value`, which breaks `requirement` (for example "must be > 0").
    case invalidParameter(name: String, value: Double, requirement: String)

    public var description: String {
        switch self {
        case let .invalidParameter(name, value, requirement):
            return "invalid \(name) = \(value): \(requirement)"
        }
    }
}

/// Throws `PulseError.invalidParameter` unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ name: String, _ value: Double, _ requirement: String) throws(PulseError) {
    if !condition { throw .invalidParameter(name: name, value: value, requirement: requirement) }
}

/// Checks that `durationNs · sampleRateGHz` is a whole number of samples and returns it.
/// Tolerance 1e-9 relative: durations built from decimal ns values carry rounding of ~1e-15.
func sampleCount(durationNs: Double, sampleRateGHz: Double) throws(PulseError) -> Int {
    try require(sampleRateGHz > 0 && sampleRateGHz.isFinite, "sampleRateGHz", sampleRateGHz, "must be finite and > 0")
    let exact = durationNs * sampleRateGHz
    let rounded = exact.rounded()
    try require(abs(exact - rounded) <= 1e-9 * max(1, exact) && rounded >= 1, "durationNs", durationNs,
                "must be a whole, positive number of samples at \(sampleRateGHz) GS/s")
    return Int(rounded)
}
