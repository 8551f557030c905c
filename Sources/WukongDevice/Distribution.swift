// Parameter distributions of the device spec: a constant, a (clipped) normal, or a lognormal
// given by its mean. Written in YAML as a number, `{mean, sd, min, max}` or `{mean, sigma_ln}`.
import WukongNumerics

/// How one per-element parameter is drawn.
public enum ParameterDistribution: Sendable, Equatable, Codable {
    /// Always this value.
    case constant(Double)
    /// Normal with this mean and standard deviation; draws outside [min, max] are redrawn.
    case normal(mean: Double, sd: Double, min: Double?, max: Double?)
    /// Lognormal with this mean (not median) and log-space standard deviation.
    case lognormal(mean: Double, sigmaLn: Double)

    private enum Keys: String, CodingKey { case mean, sd, min, max, sigma_ln }

    public init(from decoder: any Decoder) throws {
        if let value = try? decoder.singleValueContainer().decode(Double.self) {
            self = .constant(value)
            return
        }
        let c = try decoder.container(keyedBy: Keys.self)
        let mean = try c.decode(Double.self, forKey: .mean)
        if let sigma = try c.decodeIfPresent(Double.self, forKey: .sigma_ln) {
            guard sigma >= 0, mean > 0 else {
                throw DecodingError.dataCorruptedError(forKey: .sigma_ln, in: c,
                    debugDescription: "a lognormal needs mean > 0 and sigma_ln ≥ 0 (got mean \(mean), sigma_ln \(sigma))")
            }
            self = .lognormal(mean: mean, sigmaLn: sigma)
        } else {
            let sd = try c.decodeIfPresent(Double.self, forKey: .sd) ?? 0
            let lo = try c.decodeIfPresent(Double.self, forKey: .min)
            let hi = try c.decodeIfPresent(Double.self, forKey: .max)
            guard sd >= 0 else {
                throw DecodingError.dataCorruptedError(forKey: .sd, in: c, debugDescription: "sd must be ≥ 0 (got \(sd))")
            }
            if let lo, let hi, lo > hi {
                throw DecodingError.dataCorruptedError(forKey: .min, in: c, debugDescription: "min \(lo) exceeds max \(hi)")
            }
            if let lo, mean < lo {
                throw DecodingError.dataCorruptedError(forKey: .mean, in: c, debugDescription: "mean \(mean) is below min \(lo)")
            }
            if let hi, mean > hi {
                throw DecodingError.dataCorruptedError(forKey: .mean, in: c, debugDescription: "mean \(mean) is above max \(hi)")
            }
            self = .normal(mean: mean, sd: sd, min: lo, max: hi)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .constant(let v):
            var c = encoder.singleValueContainer()
            try c.encode(v)
        case let .normal(mean, sd, lo, hi):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(mean, forKey: .mean)
            try c.encode(sd, forKey: .sd)
            try c.encodeIfPresent(lo, forKey: .min)
            try c.encodeIfPresent(hi, forKey: .max)
        case let .lognormal(mean, sigma):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(mean, forKey: .mean)
            try c.encode(sigma, forKey: .sigma_ln)
        }
    }

    /// The design (expected) value: what a lab believes before measuring.
    public var mean: Double {
        switch self {
        case .constant(let v): return v
        case .normal(let m, _, _, _): return m
        case .lognormal(let m, _): return m
        }
    }

    /// Draws one value. Clipped normals redraw until inside their bounds (the mean is inside, so this ends).
    public func draw(_ rng: inout SeededGenerator) -> Double {
        switch self {
        case .constant(let v): return v
        case let .normal(mean, sd, lo, hi):
            while true {
                let x = rng.normal(mean: mean, sd: sd)
                if let lo, x < lo { continue }
                if let hi, x > hi { continue }
                return x
            }
        case let .lognormal(mean, sigma): return rng.lognormal(mean: mean, sigmaLn: sigma)
        }
    }
}
