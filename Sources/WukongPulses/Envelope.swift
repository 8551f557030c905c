// Envelope: a complex baseband pulse shape (Gaussian, lifted Gaussian, DRAG, flat-tops, cosine,
// constant, arbitrary samples) with validated parameters. Evaluation lives in Envelope+Evaluation.
import Numerics

/// A complex baseband envelope f(t) on 0 ≤ t ≤ `durationNs`, scaled by A = amp·e^{i·angle}.
///
/// Sampling convention (the one Qiskit's `SymbolicPulse.get_waveform` uses): sample k of a pulse
/// rendered at rate fs sits at the middle of its sample period, t_k = (k + ½)·dt with dt = 1/fs.
/// Every function of WukongPulses that maps samples to times uses this convention.
///
/// Shapes that are "lifted" as in Qiskit (lifted Gaussian, DRAG) subtract the Gaussian's value
/// one sample period outside the pulse, g(−dt) = g(duration + dt), so they depend on dt; Qiskit's
/// `x = −1` is in units of dt. All other shapes are functions of t alone.
public struct Envelope: Sendable, Equatable {
    /// The shape and its shape-specific parameters (times in ns).
    public enum Shape: Sendable, Equatable {
        /// g(t) = exp(−½((t − T/2)/σ)²), not lifted: the edges are not zero.
        case gaussian(sigmaNs: Double)
        /// Qiskit's `Gaussian`: (g(t) − g(−dt)) / (1 − g(−dt)); one at T/2, zero one dt outside.
        case liftedGaussian(sigmaNs: Double)
        /// Qiskit's `Drag`: ĝ(t)·(1 + i·β·(−(t − T/2)/σ²)), ĝ the lifted Gaussian; β in ns.
        case drag(sigmaNs: Double, betaNs: Double)
        /// Flat top with raised-cosine edges of length r: ½(1 − cos(π·e/r)) for e < r, else 1,
        /// where e = min(t, T − t) is the distance to the nearer edge.
        case flatTopCosine(riseNs: Double)
        /// Flat top (Gaussian-square-like) with erf edges of length r and edge width σ_e:
        /// with ρ(e) = ½(1 + erf((e − r/2)/(√2·σ_e))), edge(e) = (ρ(e) − ρ(0))/(1 − 2ρ(0)),
        /// exactly 0 at the ends and exactly 1 from e = r onward.
        case flatTopErf(riseNs: Double, edgeSigmaNs: Double)
        /// Hann window ½(1 − cos(2π·t/T)).
        case cosine
        /// The constant 1.
        case constant
        /// Given samples at `sampleRateGHz` (sample-and-hold between sample times).
        case arbitrary(samples: [Complex<Double>], sampleRateGHz: Double)
    }

    /// The shape.
    public let shape: Shape
    /// Pulse length T in ns.
    public let durationNs: Double
    /// Magnitude of the complex amplitude, |amp| ≤ 1 (full scale of the AWG). May be negative.
    public let amp: Double
    /// Phase of the complex amplitude in rad.
    public let angle: Double

    /// A = amp·e^{i·angle}.
    public var complexAmplitude: Complex<Double> { Complex(amp * .cos(angle), amp * .sin(angle)) }

    init(shape: Shape, durationNs: Double, amp: Double, angle: Double) throws(PulseError) {
        try require(durationNs > 0 && durationNs.isFinite, "durationNs", durationNs, "must be finite and > 0")
        try require(abs(amp) <= 1, "amp", amp, "must satisfy |amp| ≤ 1")
        try require(angle.isFinite, "angle", angle, "must be finite")
        self.shape = shape
        self.durationNs = durationNs
        self.amp = amp
        self.angle = angle
    }
}

extension Envelope {
    /// A plain (unlifted) Gaussian: A·exp(−½((t − T/2)/σ)²). Peak A at t = T/2.
    /// - Throws: `PulseError` if T ≤ 0, σ ≤ 0 or |amp| > 1.
    public static func gaussian(durationNs: Double, sigmaNs: Double, amp: Double, angle: Double = 0) throws(PulseError) -> Envelope {
        try require(sigmaNs > 0 && sigmaNs.isFinite, "sigmaNs", sigmaNs, "must be finite and > 0")
        return try Envelope(shape: .gaussian(sigmaNs: sigmaNs), durationNs: durationNs, amp: amp, angle: angle)
    }

    /// Qiskit's lifted Gaussian A·(g(t) − g(−dt))/(1 − g(−dt)), g(t) = exp(−½((t − T/2)/σ)²).
    /// - Throws: `PulseError` if T ≤ 0, σ ≤ 0 or |amp| > 1.
    public static func liftedGaussian(durationNs: Double, sigmaNs: Double, amp: Double, angle: Double = 0) throws(PulseError) -> Envelope {
        try require(sigmaNs > 0 && sigmaNs.isFinite, "sigmaNs", sigmaNs, "must be finite and > 0")
        return try Envelope(shape: .liftedGaussian(sigmaNs: sigmaNs), durationNs: durationNs, amp: amp, angle: angle)
    }

    /// Qiskit's DRAG pulse: f(t) = ĝ(t)·(1 + i·β·(−(t − T/2)/σ²)), ĝ = A·(g(t) − g(−dt))/(1 − g(−dt)).
    ///
    /// β (ns) is Qiskit's `beta` times dt; for a transmon of anharmonicity α (rad/ns) the usual
    /// choice is β = λ/|α| with λ ≈ 0.5–1 (Motzoi et al. 2009).
    /// - Throws: `PulseError` if T ≤ 0, σ ≤ 0, β not finite or |amp| > 1.
    public static func drag(durationNs: Double, sigmaNs: Double, betaNs: Double, amp: Double, angle: Double = 0) throws(PulseError) -> Envelope {
        try require(sigmaNs > 0 && sigmaNs.isFinite, "sigmaNs", sigmaNs, "must be finite and > 0")
        try require(betaNs.isFinite, "betaNs", betaNs, "must be finite")
        return try Envelope(shape: .drag(sigmaNs: sigmaNs, betaNs: betaNs), durationNs: durationNs, amp: amp, angle: angle)
    }

    /// A flat top of height A with raised-cosine edges of `riseNs` each.
    /// - Throws: `PulseError` unless 0 < riseNs ≤ T/2, and if T ≤ 0 or |amp| > 1.
    public static func flatTopCosine(durationNs: Double, riseNs: Double, amp: Double, angle: Double = 0) throws(PulseError) -> Envelope {
        try require(riseNs > 0 && riseNs <= durationNs / 2, "riseNs", riseNs, "must satisfy 0 < riseNs ≤ durationNs/2 = \(durationNs / 2)")
        return try Envelope(shape: .flatTopCosine(riseNs: riseNs), durationNs: durationNs, amp: amp, angle: angle)
    }

    /// A flat top of height A with normalised erf edges of `riseNs`, edge width `edgeSigmaNs`
    /// (riseNs/4 is a common choice: the edge then spans ±2σ_e).
    /// - Throws: `PulseError` unless 0 < riseNs ≤ T/2 and σ_e > 0, and if T ≤ 0 or |amp| > 1.
    public static func flatTopErf(durationNs: Double, riseNs: Double, edgeSigmaNs: Double, amp: Double, angle: Double = 0) throws(PulseError) -> Envelope {
        try require(riseNs > 0 && riseNs <= durationNs / 2, "riseNs", riseNs, "must satisfy 0 < riseNs ≤ durationNs/2 = \(durationNs / 2)")
        try require(edgeSigmaNs > 0 && edgeSigmaNs.isFinite, "edgeSigmaNs", edgeSigmaNs, "must be finite and > 0")
        return try Envelope(shape: .flatTopErf(riseNs: riseNs, edgeSigmaNs: edgeSigmaNs), durationNs: durationNs, amp: amp, angle: angle)
    }

    /// A Hann (cosine) pulse A·½(1 − cos(2π·t/T)); peak A at T/2.
    public static func cosine(durationNs: Double, amp: Double, angle: Double = 0) throws(PulseError) -> Envelope {
        try Envelope(shape: .cosine, durationNs: durationNs, amp: amp, angle: angle)
    }

    /// The constant A for the whole duration.
    public static func constant(durationNs: Double, amp: Double, angle: Double = 0) throws(PulseError) -> Envelope {
        try Envelope(shape: .constant, durationNs: durationNs, amp: amp, angle: angle)
    }

    /// Arbitrary samples taken at `sampleRateGHz` (sample k covers [k·dt, (k+1)·dt)); A = 1.
    /// - Throws: `PulseError` if there are no samples, the rate is not positive, or some |s| > 1.
    public static func arbitrary(samples: [Complex<Double>], sampleRateGHz: Double = 2) throws(PulseError) -> Envelope {
        try require(!samples.isEmpty, "samples.count", 0, "must be > 0")
        try require(sampleRateGHz > 0 && sampleRateGHz.isFinite, "sampleRateGHz", sampleRateGHz, "must be finite and > 0")
        for (k, s) in samples.enumerated() {
            try require(s.length <= 1, "samples[\(k)].magnitude", s.length, "must be ≤ 1")
        }
        return try Envelope(shape: .arbitrary(samples: samples, sampleRateGHz: sampleRateGHz),
                            durationNs: Double(samples.count) / sampleRateGHz, amp: 1, angle: 0)
    }
}
