// What the solvers integrate: sampled control waveforms (XY drive envelopes, Z flux offsets) on
// the AWG grid, and idle segments that the solvers exponentiate in one exact step.
import Numerics

/// An XY drive on one qubit mode: complex envelope samples Ωₖ = a·e(tₖ) (fraction of full scale,
/// held constant over each sample period) on a carrier at `frequencyGHz` with phase `phaseRad`.
///
/// Convention (ARCHITECTURE.md invariant 5): in the frame rotating at the carrier, with the RWA,
/// H_d = ½·2π·f_Rabi·[Ω_I(b + b†) + Ω_Q·i(b† − b)] = π·f_Rabi·(Ω̃ b† + Ω̃* b) with Ω̃ = Ω·e^{iφ}.
/// On a two-level system that is a rotation by θ = 2π·f_Rabi·Σ|Ωₖ|dt about cos(ψ)X + sin(ψ)Y,
/// ψ = arg Ω̃, so a π pulse needs a = 1/(2·f_Rabi·Σe(tₖ)dt). In the lab frame the same drive is
/// 2π·f_Rabi·Re[Ω̃ e^{−i·2π·f_d·t}]·(b + b†), t the absolute time in ns (a phase-coherent NCO).
public struct DriveWaveform: Sendable, Equatable {
    /// Position of the driven mode in the model's element list.
    public var element: Int
    /// Carrier frequency f_d, GHz.
    public var frequencyGHz: Double
    /// Carrier phase φ, rad.
    public var phaseRad: Double
    /// Envelope samples (|Ω| ≤ 1), one per AWG sample.
    public var samples: [Complex<Double>]

    public init(element: Int, frequencyGHz: Double, phaseRad: Double = 0, samples: [Complex<Double>]) {
        precondition(samples.allSatisfy { $0.length <= 1 + 1e-12 }, "drive samples must satisfy |Ω| ≤ 1 (full scale)")
        self.element = element
        self.frequencyGHz = frequencyGHz
        self.phaseRad = phaseRad
        self.samples = samples
    }
}

/// A Z (flux) waveform on one mode: flux offsets from idle in Φ0, one per AWG sample (held).
public struct FluxWaveform: Sendable, Equatable {
    /// Position of the flux-pulsed mode in the model's element list.
    public var element: Int
    /// Flux offsets δΦ(tₖ), Φ0.
    public var samplesPhi0: [Double]

    public init(element: Int, samplesPhi0: [Double]) {
        self.element = element
        self.samplesPhi0 = samplesPhi0
    }
}

/// A block of simultaneous sampled waveforms, all of `sampleCount` samples (shorter ones are zero-padded).
public struct PulseBlock: Sendable, Equatable {
    /// Number of AWG samples in the block.
    public var sampleCount: Int
    /// XY drives.
    public var drives: [DriveWaveform]
    /// Z (flux) waveforms.
    public var fluxes: [FluxWaveform]

    public init(drives: [DriveWaveform] = [], fluxes: [FluxWaveform] = []) {
        sampleCount = max(drives.map(\.samples.count).max() ?? 0, fluxes.map(\.samplesPhi0.count).max() ?? 0)
        self.drives = drives
        self.fluxes = fluxes
    }
}

/// One piece of a sequence.
public enum PulseSegment: Sendable, Equatable {
    /// Sampled waveforms on the AWG grid.
    case block(PulseBlock)
    /// Free evolution at idle flux for a duration in ns (exponentiated exactly in one step).
    case idle(durationNs: Double)
}

/// A sequence of sampled blocks and idle segments, played back to back from t = 0.
public struct PulseSequence: Sendable, Equatable {
    /// AWG sample rate, GHz (samples per ns); sample period dt = 1/rate.
    public var sampleRateGHz: Double
    /// The segments in time order.
    public var segments: [PulseSegment]

    public init(sampleRateGHz: Double = 2, segments: [PulseSegment] = []) {
        precondition(sampleRateGHz > 0, "sample rate must be positive")
        self.sampleRateGHz = sampleRateGHz
        self.segments = segments
    }

    /// A single block.
    public init(sampleRateGHz: Double = 2, drives: [DriveWaveform] = [], fluxes: [FluxWaveform] = []) {
        self.init(sampleRateGHz: sampleRateGHz, segments: [.block(PulseBlock(drives: drives, fluxes: fluxes))])
    }

    /// Total duration, ns.
    public var durationNs: Double {
        segments.reduce(0) { t, s in
            switch s {
            case let .block(b): t + Double(b.sampleCount) / sampleRateGHz
            case let .idle(d): t + d
            }
        }
    }

    /// This sequence followed by `other` (same sample rate).
    public func then(_ other: PulseSequence) -> PulseSequence {
        precondition(other.sampleRateGHz == sampleRateGHz, "sample rates differ")
        return PulseSequence(sampleRateGHz: sampleRateGHz, segments: segments + other.segments)
    }

    /// This sequence followed by an idle of `durationNs`.
    public func thenIdle(_ durationNs: Double) -> PulseSequence {
        precondition(durationNs >= 0, "idle duration must be ≥ 0")
        return PulseSequence(sampleRateGHz: sampleRateGHz, segments: segments + [.idle(durationNs: durationNs)])
    }
}
