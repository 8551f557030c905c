// Quasi-static flux noise: low-frequency (1/f) flux noise is frozen over one shot, so each shot sees
// its own flux offset δΦ ~ N(0, σ_Φ) per mode, which moves f01 along the SQUID law f(Φ). Averaged
// over shots, a Ramsey fringe then decays as ⟨cos(2π(δ + δf)τ)⟩; in the linear regime
// δf = (∂f/∂Φ)·δΦ is Gaussian with σ_f = |∂f/∂Φ|·σ_Φ and the envelope is exp(−(2πσ_f τ)²/2).
import Numerics
import WukongNumerics

/// Per-shot quasi-static flux offsets, one Gaussian per mode.
public struct QuasiStaticFluxNoise: Sendable, Equatable {
    /// Standard deviation σ_Φ of the flux offset of each mode, Φ0 (0: no noise on that mode).
    public var sigmaPhi0: [Double]

    public init(sigmaPhi0: [Double]) {
        precondition(sigmaPhi0.allSatisfy { $0 >= 0 && $0.isFinite }, "flux-noise σ_Φ must be finite and ≥ 0")
        self.sigmaPhi0 = sigmaPhi0
    }

    /// The device's own σ_Φ per mode (`ElementParameters.fluxNoiseSigmaPhi0`, from the device spec).
    public init(model: SubsystemModel) {
        self.init(sigmaPhi0: model.elements.map(\.fluxNoiseSigmaPhi0))
    }

    /// The flux noise of a pulse run: the CLI's uniform σ_Φ when given (0 switches it off), else the
    /// device's own σ per mode for open-system shot runs (`noise` and `.shots`: one draw per shot);
    /// nil when that leaves no mode with σ > 0.
    public static func forRun(model: SubsystemModel, override: Double?, noise: Bool, returning: PulseRunReturn) -> QuasiStaticFluxNoise? {
        if let override {
            return override > 0 ? .uniform(sigmaPhi0: override, modes: model.elements.count) : nil
        }
        guard noise && returning == .shots else { return nil }
        let device = QuasiStaticFluxNoise(model: model)
        return device.sigmaPhi0.contains { $0 > 0 } ? device : nil
    }

    /// The same σ_Φ on every mode of a model with `modes` modes.
    public static func uniform(sigmaPhi0: Double, modes: Int) -> QuasiStaticFluxNoise {
        QuasiStaticFluxNoise(sigmaPhi0: Array(repeating: sigmaPhi0, count: modes))
    }

    /// `count` draws of the offset vector (Φ0), draw i from its own stream of (seed, i), so a draw
    /// does not depend on how many were asked for.
    public func draws(count: Int, seed: UInt64) -> [[Double]] {
        (0..<count).map { i in
            var rng = SeededGenerator(seed: seed &+ 0xD1B5_4A32_D192_ED03 &* UInt64(i + 1))
            return sigmaPhi0.map { $0 > 0 ? rng.normal(mean: 0, sd: $0) : 0 }
        }
    }

    /// The model of one shot: the base model with `offsets` added to its static flux offsets.
    public func model(_ base: SubsystemModel, offsets: [Double]) -> SubsystemModel {
        precondition(offsets.count == base.elements.count && sigmaPhi0.count == base.elements.count,
                     "flux noise has \(sigmaPhi0.count) modes, model \(base.elements.count)")
        var m = base
        for k in offsets.indices { m.fluxOffsetsPhi0[k] += offsets[k] }
        return m
    }

    /// Linear-response frequency spread σ_f = |∂f01/∂Φ|·σ_Φ of mode k at its operating point, GHz.
    public func frequencySpreadGHz(_ model: SubsystemModel, mode k: Int) -> Double {
        let e = model.elements[k]
        return abs(e.tuning.slopeGHzPerPhi0(fluxPhi0: e.idleFluxPhi0 + model.fluxOffsetsPhi0[k])) * sigmaPhi0[k]
    }
}
