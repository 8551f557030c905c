// The fitter against known answers: exact recovery from noise-free data, and honest uncertainties —
// over many seeded noisy datasets, the pulls (estimate − truth)/σ have unit spread.
import Foundation
import Testing
import WukongNumerics
@testable import WukongCalibration

@Test func exactRecoveryOfEveryModel() throws {
    let cases: [(FitModel, [Double], [Double], [Double])] = [
        (FitModels.rabi(pulses: 1), linspace(0, 0.7, 30), [0.03, 0.92, 0.37], [0.1, 0.7, 0.33]),
        (FitModels.dampedCosine, linspace(0, 4000, 60), [0.5, 0.45, 2000, 0.0021, 0.3], [0.45, 0.4, 1500, 0.0020, 0.1]),
        (FitModels.exponential, linspace(0, 60000, 30), [0.05, 0.9, 17000], [0.1, 0.7, 20000]),
        (FitModels.squarePulseLine(lengthNs: 80), linspace(4.70, 4.76, 61), [0.02, 0.95, 4.7365, 0.006], [0.05, 0.8, 4.735, 0.0055]),
        (FitModels.sinusoid, linspace(0, 5.5, 8), [0.5, 0.4, 1.2], [0.4, 0.3, 1.0]),
        (FitModels.parabola, linspace(-1, 1, 9), [0.01, 3, 0.2], [0, 1, 0]),
    ]
    for (model, x, truth, start) in cases {
        let y = x.map { model.evaluate($0, truth) }
        let fit = try CurveFit.fit(model, x: x, y: y, sigma: Array(repeating: 0.01, count: x.count), start: start,
                                   scales: truth.map { max(abs($0), 1e-3) })
        for (p, t) in zip(fit.parameters, truth) {
            #expect(abs(p - t) <= 1e-6 * max(abs(t), 1), "\(model.name): \(fit.parameters) vs \(truth)")
        }
    }
}

@Test func pullsOfNoisyFitsHaveUnitSpread() throws {
    // 200 Rabi datasets with binomial-like Gaussian noise of known σ; the π-amplitude pulls.
    let model = FitModels.rabi(pulses: 1)
    let truth = [0.04, 0.9, 0.36]
    let x = linspace(0, 0.65, 31)
    var rng = SeededGenerator(seed: 3)
    var pulls: [Double] = []
    for _ in 0..<200 {
        let sigma = x.map { _ in 0.02 }
        let y = x.map { model.evaluate($0, truth) + 0.02 * rng.standardNormal() }
        let fit = try CurveFit.fit(model, x: x, y: y, sigma: sigma, start: [0, 1, 0.3], scales: [1, 1, 0.01])
        pulls.append((fit.parameters[2] - truth[2]) / fit.errors[2])
    }
    let mean = pulls.reduce(0, +) / Double(pulls.count)
    let sd = (pulls.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pulls.count - 1)).squareRoot()
    // For 200 pulls the sample sd has a standard error ≈ 0.05; allow 4 of them.
    #expect(abs(mean) < 0.3 && abs(sd - 1) < 0.2, "pull mean \(mean), sd \(sd)")
}

@Test func straightLineMatchesClosedForm() throws {
    let x = [0.0, 1, 2, 3, 4], y = [1.0, 3.1, 4.9, 7.2, 8.8]
    let (fit, _) = try CurveFit.line(x: x, y: y, sigma: Array(repeating: 0.1, count: 5))
    // Ordinary least squares by hand: b = Sxy/Sxx about the means.
    let mx = 2.0, my = y.reduce(0, +) / 5
    let b = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
    #expect(abs(fit.parameters[1] - b) < 1e-12 && abs(fit.parameters[0] - (my - b * mx)) < 1e-12)
    #expect(throws: FitError.self) { try CurveFit.line(x: [1, 1, 1], y: [1, 2, 3], sigma: [1, 1, 1]) }
    #expect(throws: FitError.self) {
        try CurveFit.fit(FitModels.exponential, x: [1, 2], y: [1, 2], sigma: [1, 1], start: [0, 1, 1])
    }
}
