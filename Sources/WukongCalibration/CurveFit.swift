// Weighted least squares for the calibration fits: Levenberg–Marquardt on a closed-form model with
// numerical Jacobians, parameter standard errors from the covariance (JᵀWJ)⁻¹ scaled by the reduced
// χ² when it exceeds 1, and the straight-line fit in closed form. Goals: 1. correct uncertainties
// (checked against the scatter of refits of synthetic data in the tests); 2. robust from a rough start.
import Foundation

/// Why a fit failed.
public struct FitError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "fit: \(message)" }
}

/// A fitted model: parameters, their standard errors and the fit quality.
public struct FitResult: Sendable, Equatable {
    /// Best-fit parameters, in the model's order.
    public var parameters: [Double]
    /// One-sigma standard errors.
    public var errors: [Double]
    /// χ² / (points − parameters) with the given per-point σ.
    public var reducedChiSquared: Double
    /// Coefficient of determination 1 − SS_res/SS_tot.
    public var rSquared: Double
    /// Iterations used.
    public var iterations: Int
}

/// A closed-form model y = f(x; p).
public struct FitModel: Sendable {
    public let name: String
    /// Parameter names, for reports.
    public let parameterNames: [String]
    public let evaluate: @Sendable (_ x: Double, _ p: [Double]) -> Double

    public init(name: String, parameterNames: [String], evaluate: @escaping @Sendable (Double, [Double]) -> Double) {
        self.name = name
        self.parameterNames = parameterNames
        self.evaluate = evaluate
    }
}

public enum CurveFit {
    /// Solves the n×n system A·x = b by Gaussian elimination with partial pivoting; nil when singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a, v = b
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }), abs(m[pivot][col]) > 1e-300 else { return nil }
            m.swapAt(col, pivot); v.swapAt(col, pivot)
            for r in (col + 1)..<n where m[r][col] != 0 {
                let f = m[r][col] / m[col][col]
                for c in col..<n { m[r][c] -= f * m[col][c] }
                v[r] -= f * v[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var s = v[r]
            for c in (r + 1)..<n { s -= m[r][c] * x[c] }
            x[r] = s / m[r][r]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    /// The inverse of a symmetric positive-definite matrix (by solving for each unit vector); nil when singular.
    static func inverse(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var cols: [[Double]] = []
        for i in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[i] = 1
            guard let c = solve(a, e) else { return nil }
            cols.append(c)
        }
        return (0..<n).map { r in (0..<n).map { c in cols[c][r] } }
    }

    /// Levenberg–Marquardt fit of `model` to (x, y) with per-point standard deviations `sigma`.
    /// - Parameters:
    ///   - start: initial parameters; `scales`: typical parameter sizes for the finite-difference steps.
    /// - Throws: `FitError` for too few points or a singular normal matrix at the optimum.
    /// - Complexity: O(iterations · points · parameters²).
    public static func fit(_ model: FitModel, x: [Double], y: [Double], sigma: [Double], start: [Double],
                           scales: [Double]? = nil, maxIterations: Int = 200) throws(FitError) -> FitResult {
        let n = x.count, k = start.count
        guard n == y.count, n == sigma.count else { throw FitError("\(model.name): x, y and sigma lengths differ") }
        guard n > k else { throw FitError("\(model.name): \(n) points for \(k) parameters") }
        let w = sigma.map { 1 / max($0 * $0, 1e-300) }
        let steps = (scales ?? start.map { max(abs($0), 1e-12) }).map { $0 * 1e-6 }
        func residuals(_ p: [Double]) -> [Double] { (0..<n).map { y[$0] - model.evaluate(x[$0], p) } }
        func chi2(_ r: [Double]) -> Double {
            var s = 0.0
            for i in 0..<n { s += r[i] * r[i] * w[i] }
            return s
        }
        func jacobian(_ p: [Double]) -> [[Double]] {
            (0..<k).map { j in
                var up = p, dn = p
                up[j] += steps[j]; dn[j] -= steps[j]
                return (0..<n).map { (model.evaluate(x[$0], up) - model.evaluate(x[$0], dn)) / (2 * steps[j]) }
            }
        }
        func normal(_ jac: [[Double]]) -> [[Double]] {
            var m = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            for a in 0..<k {
                for b in 0..<k {
                    var s = 0.0
                    for i in 0..<n { s += jac[a][i] * jac[b][i] * w[i] }
                    m[a][b] = s
                }
            }
            return m
        }
        var p = start
        var r = residuals(p)
        var c = chi2(r)
        guard c.isFinite else { throw FitError("\(model.name): model is not finite at the start point") }
        var lambda = 1e-3
        var iterations = 0
        for it in 0..<maxIterations {
            iterations = it + 1
            let jac = jacobian(p)
            let a = normal(jac)
            var g = [Double](repeating: 0, count: k)
            for j in 0..<k { for i in 0..<n { g[j] += jac[j][i] * r[i] * w[i] } }
            var improved = false
            while lambda < 1e12 {
                var damped = a
                for j in 0..<k { damped[j][j] *= 1 + lambda; if damped[j][j] == 0 { damped[j][j] = lambda } }
                guard let delta = solve(damped, g) else { lambda *= 10; continue }
                let trial = zip(p, delta).map(+)
                let rt = residuals(trial)
                let ct = chi2(rt)
                if ct.isFinite && ct <= c {
                    let relative = (c - ct) / max(c, 1e-300)
                    p = trial; r = rt; c = ct
                    lambda = max(lambda / 10, 1e-12)
                    improved = true
                    if relative < 1e-12 { lambda = 1e13 }
                    break
                }
                lambda *= 10
            }
            if !improved || lambda >= 1e12 { break }
        }
        guard let cov = inverse(normal(jacobian(p))) else { throw FitError("\(model.name): parameters are not determined by the data") }
        let dof = Double(n - k)
        let reduced = c / dof
        let inflate = max(reduced, 1)
        let mean = y.reduce(0, +) / Double(n)
        let ssTot = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let ssRes = r.reduce(0) { $0 + $1 * $1 }
        return FitResult(parameters: p, errors: (0..<k).map { (max(cov[$0][$0], 0) * inflate).squareRoot() },
                         reducedChiSquared: reduced, rSquared: ssTot > 0 ? 1 - ssRes / ssTot : 1, iterations: iterations)
    }

    /// Weighted straight line y = a + b·x in closed form; parameters [a, b] and their covariance.
    public static func line(x: [Double], y: [Double], sigma: [Double]) throws(FitError) -> (fit: FitResult, covarianceAB: Double) {
        let n = x.count
        guard n >= 3, y.count == n, sigma.count == n else { throw FitError("line: need ≥ 3 points with x, y, sigma of equal length") }
        let w = sigma.map { 1 / ($0 * $0) }
        let s = w.reduce(0, +)
        let sx = zip(w, x).reduce(0) { $0 + $1.0 * $1.1 }
        let sy = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 }
        var sxx = 0.0, sxy = 0.0
        for i in 0..<n { sxx += w[i] * x[i] * x[i]; sxy += w[i] * x[i] * y[i] }
        let d = s * sxx - sx * sx
        guard d > 0 else { throw FitError("line: x values are all equal") }
        let a = (sxx * sy - sx * sxy) / d, b = (s * sxy - sx * sy) / d
        let res = (0..<n).map { y[$0] - a - b * x[$0] }
        var c = 0.0
        for i in 0..<n { c += res[i] * res[i] * w[i] }
        let reduced = c / Double(n - 2)
        let inflate = max(reduced, 1)
        let mean = y.reduce(0, +) / Double(n)
        let ssTot = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let ssRes = res.reduce(0) { $0 + $1 * $1 }
        let fit = FitResult(parameters: [a, b], errors: [(sxx / d * inflate).squareRoot(), (s / d * inflate).squareRoot()],
                            reducedChiSquared: reduced, rSquared: ssTot > 0 ? 1 - ssRes / ssTot : 1, iterations: 1)
        return (fit, -sx / d * inflate)
    }
}

/// The closed-form models of the calibration experiments.
public enum FitModels {
    /// Gaussian peak: offset + A·exp(−(x − x0)²/(2w²)). Parameters [offset, A, x0, w].
    public static let gaussianPeak = FitModel(name: "gaussian peak", parameterNames: ["offset", "amplitude", "centre", "width"]) { x, p in
        p[0] + p[1] * exp(-0.5 * (x - p[2]) * (x - p[2]) / (p[3] * p[3]))
    }

    /// Rabi in amplitude for a train of n pulses: offset + A·(1 − cos(n·θ_unit·x/x_π))/2 with θ_unit the
    /// nominal angle of one pulse over π. Parameters [offset, A, x_π]; `pulses`·`angleOverPi` fixed.
    public static func rabi(pulses: Double, angleOverPi: Double = 1) -> FitModel {
        FitModel(name: "rabi×\(pulses)", parameterNames: ["offset", "amplitude", "x_pi"]) { x, p in
            p[0] + p[1] * (1 - cos(Double.pi * pulses * angleOverPi * x / p[2])) / 2
        }
    }

    /// Square-pulse (Rabi) line of length T: offset + A·Ω²/(Ω² + δ²)·sin²(πT√(Ω² + δ²)), δ = x − f0, the
    /// exact two-level response to a constant drive of Rabi rate Ω. Parameters [offset, A, f0, Ω].
    public static func squarePulseLine(lengthNs: Double) -> FitModel {
        FitModel(name: "square-pulse line", parameterNames: ["offset", "amplitude", "centre", "rabi"]) { x, p in
            let d = x - p[2], w2 = p[3] * p[3] + d * d
            let s = sin(Double.pi * lengthNs * w2.squareRoot())
            return p[0] + p[1] * p[3] * p[3] / w2 * s * s
        }
    }

    /// Damped cosine: offset + A·exp(−x/τ)·cos(2π f x + φ). Parameters [offset, A, τ, f, φ].
    public static let dampedCosine = FitModel(name: "damped cosine", parameterNames: ["offset", "amplitude", "tau", "frequency", "phase"]) { x, p in
        p[0] + p[1] * exp(-x / p[2]) * cos(2 * Double.pi * p[3] * x + p[4])
    }

    /// Exponential decay: offset + A·exp(−x/τ). Parameters [offset, A, τ].
    public static let exponential = FitModel(name: "exponential", parameterNames: ["offset", "amplitude", "tau"]) { x, p in
        p[0] + p[1] * exp(-x / p[2])
    }

    /// Parabola: c + a·(x − x0)². Parameters [c, a, x0].
    public static let parabola = FitModel(name: "parabola", parameterNames: ["minimum", "curvature", "x0"]) { x, p in
        p[0] + p[1] * (x - p[2]) * (x - p[2])
    }
}

extension FitModels {
    /// Sinusoid in a phase x: offset + A·cos(x − φ). Parameters [offset, A, φ].
    public static let sinusoid = FitModel(name: "sinusoid", parameterNames: ["offset", "amplitude", "phase"]) { x, p in
        p[0] + p[1] * cos(x - p[2])
    }

    /// Closed-form start for `sinusoid` from evenly spaced phases: the first Fourier component.
    public static func sinusoidStart(x: [Double], y: [Double]) -> [Double] {
        let n = Double(x.count)
        let mean = y.reduce(0, +) / n
        var c = 0.0, s = 0.0
        for (t, v) in zip(x, y) { c += (v - mean) * cos(t); s += (v - mean) * sin(t) }
        return [mean, 2 * (c * c + s * s).squareRoot() / n, atan2(s, c)]
    }
}
