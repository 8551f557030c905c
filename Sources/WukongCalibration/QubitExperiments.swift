// Single-qubit calibration experiments on the emulated chip (chip-physics §3.4): coarse spectroscopy,
// Rabi, Ramsey (frequency and T2*), DRAG β, π and π/2 amplitudes by error amplification, T1, Hahn echo,
// readout (resonator tone, IQ centres, threshold, assignment matrix). Each sweeps, reads shots, fits a
// closed-form model with uncertainties and proposes snapshot updates. Sign conventions are resolved by
// the physics of each sequence (detuned carriers for Ramsey, sequence pairs for DRAG), never by the truth.
import Foundation
import Numerics
import WukongDevice
import WukongNumerics
import WukongPlot
import WukongPulses

/// What the calibration currently believes about one qubit (starts from the snapshot, improved by experiments).
public struct QubitBeliefs: Sendable, Equatable {
    public var qubit: Int
    public var frequencyGHz: Double
    public var piAmplitude: Double
    public var halfPiAmplitude: Double
    public var betaNs: Double
    public var durationNs: Double
    public var sigmaNs: Double
    public var t1Us: Double
    public var t2StarUs: Double
    public var t2EchoUs: Double
    public var readoutFrequencyGHz: Double
    public var readoutDurationNs: Double
    public var readoutAmplitude: Double

    public init(snapshot s: CalibrationSnapshot, qubit q: Int) {
        qubit = q
        frequencyGHz = s.value(.driveFrequency, q)
        piAmplitude = s.value(.piAmplitude, q)
        halfPiAmplitude = s.value(.halfPiAmplitude, q)
        betaNs = s.value(.dragBeta, q)
        durationNs = s.value(.rphiDuration, q)
        sigmaNs = s.value(.rphiSigma, q)
        t1Us = s.value(.t1, q)
        t2StarUs = s.value(.t2Star, q)
        t2EchoUs = s.value(.t2Echo, q)
        readoutFrequencyGHz = s.value(.readoutFrequency, q)
        readoutDurationNs = s.value(.readoutDuration, q)
        readoutAmplitude = s.value(.readoutAmplitude, q)
    }
}

/// Sweep sizes: `quick` for tests and CI (coarse, fewer points and shots), `full` for a lab-grade run.
public struct SweepSettings: Sendable, Equatable {
    /// Shots per sweep point.
    public var shots: Int
    /// Points per 1-D sweep (spectroscopy uses `spectroscopyPoints`).
    public var points: Int
    /// Coarse spectroscopy: half-span (GHz) and number of carriers.
    public var spectroscopySpanGHz: Double
    public var spectroscopyPoints: Int
    /// Readout shots per prepared state.
    public var readoutShots: Int

    public static let quick = SweepSettings(shots: 500, points: 21, spectroscopySpanGHz: 0.40, spectroscopyPoints: 101, readoutShots: 2000)
    public static let full = SweepSettings(shots: 2000, points: 41, spectroscopySpanGHz: 0.45, spectroscopyPoints: 181, readoutShots: 10000)

    public init(shots: Int, points: Int, spectroscopySpanGHz: Double, spectroscopyPoints: Int, readoutShots: Int) {
        self.shots = shots
        self.points = points
        self.spectroscopySpanGHz = spectroscopySpanGHz
        self.spectroscopyPoints = spectroscopyPoints
        self.readoutShots = readoutShots
    }
}

func linspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
    n == 1 ? [a] : (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
}

/// Binomial standard error of a read-out fraction, floored so a 0 or 1 still has weight.
func binomialSigma(_ p: Double, shots: Int) -> Double {
    (max(p * (1 - p), 1 / Double(shots)) / Double(shots)).squareRoot()
}

/// The experiments on one qubit. Not shared between threads; each qubit gets its own.
public struct QubitBench {
    public let chip: EmulatedChip
    public var beliefs: QubitBeliefs
    public let settings: SweepSettings
    var rng: SeededGenerator
    /// Whether to draw SVG plots.
    public var plots: Bool

    public init(chip: EmulatedChip, beliefs: QubitBeliefs, settings: SweepSettings, seed: UInt64, plots: Bool = true) {
        self.chip = chip
        self.beliefs = beliefs
        self.settings = settings
        rng = SeededGenerator(seed: seed)
        self.plots = plots
    }

    var q: Int { beliefs.qubit }
    var element: String { "q\(q)" }

    // MARK: Pulses

    /// A DRAG pulse of the current shape at `amplitude` (sign folded into the phase) and drive phase `phase`.
    func drag(_ amplitude: Double, phase: Double = 0, beta: Double? = nil) -> QubitStep {
        let b = beta ?? beliefs.betaNs
        var amp = amplitude, ph = phase
        if amp < 0 { amp = -amp; ph += .pi }
        amp = min(amp, 1)
        let key = "drag|\(beliefs.durationNs)|\(beliefs.sigmaNs)|\(b)|\(amp)|\(ph)"
        let samples: [Complex<Double>]
        do {
            samples = try Envelope.drag(durationNs: beliefs.durationNs, sigmaNs: beliefs.sigmaNs, betaNs: b, amp: amp)
                .samples(sampleRateGHz: chip.sampleRateGHz)
        } catch {
            preconditionFailure("DRAG pulse of \(element): \(error)")
        }
        let rot = Complex<Double>(length: 1, phase: ph)
        return .pulse(key: key, samples: samples.map { s in
            let z = s * rot
            return z.length > 1 ? z / Complex(z.length, 0) : z
        })
    }

    /// Reads `shots` shots after `steps` at `carrier`; the fraction that read 1.
    mutating func measure(_ steps: [QubitStep], carrier: Double? = nil, decoherence: Bool = false) -> Double {
        let p = chip.populations(qubit: q, carrierGHz: carrier ?? beliefs.frequencyGHz, steps: steps, decoherence: decoherence)
        return Double(chip.readOnes(qubit: q, populations: p, shots: settings.shots, rng: &rng)) / Double(settings.shots)
    }

    func plot(_ title: String, x: [Double], y: [Double], xLabel: String, yLabel: String = "P(read 1)",
              model: FitModel?, fit: FitResult?, xScale: Double = 1) -> LinePlot? {
        guard plots else { return nil }
        var series = [PlotSeries(label: "data", x: x.map { $0 * xScale }, y: y)]
        if let model, let fit, let lo = x.min(), let hi = x.max() {
            let xs = linspace(lo, hi, 400)
            series.append(PlotSeries(label: "fit \(model.name)", x: xs.map { $0 * xScale },
                                     y: xs.map { model.evaluate($0, fit.parameters) }))
        }
        return LinePlot(title: "\(element) \(title)", xLabel: xLabel, yLabel: yLabel, series: series)
    }

    func result(_ name: String, _ measurements: [CalibrationMeasurement], fit: FitResult?, updates: [(CalibrationFieldKey, Double)],
                plot: LinePlot?, started: Date) -> ExperimentResult {
        let source = ExperimentResult.provenance(name, date: started, fit: fit)
        return ExperimentResult(name: name, element: element, measurements: measurements, fit: fit,
                                updates: updates.map { CalibrationUpdate($0.0, element: q, value: $0.1, source: source) },
                                plot: plot, seconds: Date().timeIntervalSince(started), date: started)
    }

    // MARK: Frequency

    /// Coarse spectroscopy: a weak 80-ns square pulse (a π pulse on resonance at the believed Rabi rate)
    /// swept over ±span around the believed frequency; Gaussian fit of the line.
    public mutating func spectroscopy() throws -> ExperimentResult {
        let started = Date()
        let lengthNs = 80.0
        // Believed full-scale Rabi rate from the π amplitude: a_π·area·f_R = ½.
        let area = CalibrationSnapshot.liftedGaussianAreaNs(durationNs: beliefs.durationNs, sigmaNs: beliefs.sigmaNs,
                                                            sampleRateGSps: chip.sampleRateGHz)
        let rabi = 1 / (2 * beliefs.piAmplitude * area)
        let amp = min(1 / (2 * rabi * lengthNs), 1)
        let n = Int((lengthNs * chip.sampleRateGHz).rounded())
        let pulse = QubitStep.pulse(key: "square|\(lengthNs)|\(amp)", samples: Array(repeating: Complex(amp, 0), count: n))
        let f0 = beliefs.frequencyGHz
        let carriers = linspace(f0 - settings.spectroscopySpanGHz, f0 + settings.spectroscopySpanGHz, settings.spectroscopyPoints)
        let y = carriers.map { measure([pulse], carrier: $0) }
        let sigma = y.map { binomialSigma($0, shots: settings.shots) }
        let best = y.indices.max { y[$0] < y[$1] }!
        let baseline = y.sorted()[y.count / 2]
        let width = rabi * amp  // believed on-resonance Rabi rate: the line's half-width scale
        // Fit the main lobe and first side lobes (±4 widths) with the exact square-pulse line.
        let window = carriers.indices.filter { abs(carriers[$0] - carriers[best]) <= 4 * width }
        guard window.count >= 6 else { throw CalibrationError("\(element) spectroscopy: line narrower than the carrier step; use more points") }
        let model = FitModels.squarePulseLine(lengthNs: lengthNs)
        let fit = try CurveFit.fit(model, x: window.map { carriers[$0] }, y: window.map { y[$0] },
                                   sigma: window.map { sigma[$0] }, start: [baseline, max(y[best] - baseline, 0.3), carriers[best], width],
                                   scales: [1, 1, 1e-3, width])
        let f = fit.parameters[2], df = fit.errors[2]
        guard fit.parameters[1] > 0.2, abs(f - carriers[best]) < 2 * width else {
            throw CalibrationError("\(element) spectroscopy: no qubit line within ±\(settings.spectroscopySpanGHz) GHz of \(f0) GHz")
        }
        beliefs.frequencyGHz = f
        return result("spectroscopy", [CalibrationMeasurement(quantity: "drive_frequency", value: f, uncertainty: df, unit: "GHz")],
                      fit: fit, updates: [(.driveFrequency, f)],
                      plot: plot("spectroscopy", x: carriers, y: y, xLabel: "carrier (GHz)", model: model, fit: fit),
                      started: started)
    }

    /// Ramsey with the carrier detuned below the believed frequency by `detuningGHz`: X/2 — τ — X/2;
    /// the fringe frequency is f01 − f_carrier (the carrier detuning exceeds the belief's error), so
    /// f01 = f_carrier + f_fringe. With decoherence on, the envelope gives T2*.
    public mutating func ramsey(detuningGHz: Double, maxDelayNs: Double, name: String) throws -> ExperimentResult {
        let started = Date()
        let carrier = beliefs.frequencyGHz - detuningGHz
        let half = drag(beliefs.halfPiAmplitude)
        let delays = linspace(0, maxDelayNs, max(settings.points * 2, 41))
        let y = delays.map { measure([half, .idle(ns: $0), half], carrier: carrier, decoherence: true) }
        let sigma = y.map { binomialSigma($0, shots: settings.shots) }
        let mean = y.reduce(0, +) / Double(y.count)
        // Start from the strongest Fourier component near the expected fringe (robust to a wrong start).
        let start = dominantFrequency(x: delays, y: y.map { $0 - mean }, around: detuningGHz)
        var best: FitResult?
        for phase in stride(from: 0.0, to: 2 * .pi, by: .pi / 2) {
            guard let f = try? CurveFit.fit(FitModels.dampedCosine, x: delays, y: y, sigma: sigma,
                                            start: [mean, 0.4, max(beliefs.t2StarUs * 1000, maxDelayNs / 4), start, phase],
                                            scales: [1, 1, 1000, 1e-3, 1]) else { continue }
            // Below the sampling Nyquist frequency (aliases fit as well) and near the expected fringe.
            let fringe = abs(f.parameters[3]), nyquist = 0.5 / (delays[1] - delays[0])
            guard fringe < nyquist, fringe > 0.2 * start, fringe < 3 * start + 0.002 else { continue }
            if f.parameters[1] > 0, f.parameters[2] > 0, best.map({ f.reducedChiSquared < $0.reducedChiSquared }) ?? true { best = f }
        }
        guard let fit = best else { throw CalibrationError("\(element) \(name): Ramsey fit did not converge") }
        let fringe = abs(fit.parameters[3])
        let f = carrier + fringe, df = fit.errors[3]
        beliefs.frequencyGHz = f
        var measurements = [CalibrationMeasurement(quantity: "drive_frequency", value: f, uncertainty: df, unit: "GHz")]
        var updates: [(CalibrationFieldKey, Double)] = [(.driveFrequency, f)]
        let t2 = fit.parameters[2] / 1000, dt2 = fit.errors[2] / 1000
        // T2* is reported only when the window covers enough of the decay to determine it.
        if maxDelayNs >= 0.5 * fit.parameters[2] {
            measurements.append(CalibrationMeasurement(quantity: "t2_star", value: t2, uncertainty: dt2, unit: "us"))
            updates.append((.t2Star, t2))
            beliefs.t2StarUs = t2
        }
        return result(name, measurements, fit: fit, updates: updates,
                      plot: plot(name, x: delays, y: y, xLabel: "delay (µs)", model: FitModels.dampedCosine, fit: fit, xScale: 1e-3),
                      started: started)
    }

    /// The frequency with the largest |DFT| of y over a grid from 0.25× to 2.5× `around`.
    func dominantFrequency(x: [Double], y: [Double], around f: Double) -> Double {
        let grid = linspace(0.25 * f, 2.5 * f, 200)
        return grid.max { a, b in
            func power(_ g: Double) -> Double {
                var c = 0.0, s = 0.0
                for (t, v) in zip(x, y) { c += v * cos(2 * .pi * g * t); s += v * sin(2 * .pi * g * t) }
                return c * c + s * s
            }
            return power(a) < power(b)
        }!
    }

    // MARK: Amplitudes

    /// Rabi amplitude sweep from 0 to 1.8× the believed π amplitude; fit gives the π amplitude (π/2 = half).
    public mutating func rabi() throws -> ExperimentResult {
        let started = Date()
        let amps = linspace(0, min(1.8 * beliefs.piAmplitude, 1), settings.points + 10)
        let y = amps.map { measure([drag($0)]) }
        let sigma = y.map { binomialSigma($0, shots: settings.shots) }
        let model = FitModels.rabi(pulses: 1)
        let fit = try CurveFit.fit(model, x: amps, y: y, sigma: sigma, start: [y[0], 0.9, beliefs.piAmplitude], scales: [1, 1, 0.01])
        let a = fit.parameters[2]
        guard a > 0, a < 1 else { throw CalibrationError("\(element) rabi: fitted π amplitude \(a) outside (0, 1)") }
        beliefs.piAmplitude = a
        beliefs.halfPiAmplitude = a / 2
        return result("rabi", [CalibrationMeasurement(quantity: "pi_amplitude", value: a, uncertainty: fit.errors[2], unit: "1")],
                      fit: fit, updates: [(.piAmplitude, a), (.halfPiAmplitude, a / 2)],
                      plot: plot("rabi", x: amps, y: y, xLabel: "amplitude (full scale)", model: model, fit: fit), started: started)
    }

    /// Error amplification: a train of `pulses` rotations of nominal angle `angleOverPi`·π (total an odd
    /// multiple of π) swept in amplitude around the belief; the peak sharpens ∝ pulses.
    public mutating func amplitudeTrain(pulses: Int, angleOverPi: Double, relativeSpan: Double) throws -> ExperimentResult {
        let started = Date()
        let half = angleOverPi < 1
        let a0 = half ? beliefs.halfPiAmplitude : beliefs.piAmplitude
        let amps = linspace(a0 * (1 - relativeSpan), a0 * (1 + relativeSpan), settings.points)
        let y = amps.map { a in measure(Array(repeating: drag(a), count: pulses)) }
        let sigma = y.map { binomialSigma($0, shots: settings.shots) }
        let model = FitModels.rabi(pulses: Double(pulses), angleOverPi: angleOverPi)
        let name = "\(half ? "half_pi" : "pi")_amplitude_x\(pulses)"
        let fit = try CurveFit.fit(model, x: amps, y: y, sigma: sigma, start: [0.05, 0.9, a0], scales: [1, 1, 0.001])
        let a = fit.parameters[2]
        guard abs(a / a0 - 1) < relativeSpan else {
            throw CalibrationError("\(element) \(name): fitted amplitude \(a) left the sweep around \(a0)")
        }
        if half { beliefs.halfPiAmplitude = a } else { beliefs.piAmplitude = a }
        let key: CalibrationFieldKey = half ? .halfPiAmplitude : .piAmplitude
        return result(name, [CalibrationMeasurement(quantity: key.name, value: a, uncertainty: fit.errors[2], unit: "1")],
                      fit: fit, updates: [(key, a)],
                      plot: plot(name, x: amps, y: y, xLabel: "amplitude (full scale)", model: model, fit: fit), started: started)
    }

    // MARK: DRAG

    /// DRAG β from the pair X180·Y90 and Y180·X90 (each ideally P1 = ½): with a phase error both move
    /// linearly in β in opposite directions; β where the two lines cross.
    public mutating func drag() throws -> ExperimentResult {
        let started = Date()
        let betas = linspace(beliefs.betaNs - 1.0, beliefs.betaNs + 1.0, settings.points)
        var y1: [Double] = [], y2: [Double] = []
        for b in betas {
            // Operator order: the first listed pulse is played first.
            y1.append(measure([drag(beliefs.halfPiAmplitude, phase: .pi / 2, beta: b), drag(beliefs.piAmplitude, phase: 0, beta: b)]))
            y2.append(measure([drag(beliefs.halfPiAmplitude, phase: 0, beta: b), drag(beliefs.piAmplitude, phase: .pi / 2, beta: b)]))
        }
        let s1 = y1.map { binomialSigma($0, shots: settings.shots) }, s2 = y2.map { binomialSigma($0, shots: settings.shots) }
        let (l1, c1) = try CurveFit.line(x: betas, y: y1, sigma: s1)
        let (l2, c2) = try CurveFit.line(x: betas, y: y2, sigma: s2)
        let (a1, b1) = (l1.parameters[0], l1.parameters[1]), (a2, b2) = (l2.parameters[0], l2.parameters[1])
        guard abs(b1 - b2) > 3 * (l1.errors[1] * l1.errors[1] + l2.errors[1] * l2.errors[1]).squareRoot() else {
            throw CalibrationError("\(element) drag: the two sequences do not separate in β; widen the sweep")
        }
        let beta = (a2 - a1) / (b1 - b2)
        // Error propagation: β = Δa/Δb, with var(a + bβ) per line.
        let varLine1 = l1.errors[0] * l1.errors[0] + beta * beta * l1.errors[1] * l1.errors[1] + 2 * beta * c1
        let varLine2 = l2.errors[0] * l2.errors[0] + beta * beta * l2.errors[1] * l2.errors[1] + 2 * beta * c2
        let dBeta = (max(varLine1 + varLine2, 0)).squareRoot() / abs(b1 - b2)
        beliefs.betaNs = beta
        var p: LinePlot?
        if plots {
            let xs = [betas.first!, betas.last!]
            p = LinePlot(title: "\(element) drag", xLabel: "beta (ns)", yLabel: "P(read 1)", series: [
                PlotSeries(label: "Y90 then X180", x: betas, y: y1), PlotSeries(label: "X90 then Y180", x: betas, y: y2),
                PlotSeries(label: "fit 1", x: xs, y: xs.map { a1 + b1 * $0 }), PlotSeries(label: "fit 2", x: xs, y: xs.map { a2 + b2 * $0 }),
            ])
        }
        let worse = l1.reducedChiSquared > l2.reducedChiSquared ? l1 : l2
        return result("drag", [CalibrationMeasurement(quantity: "drag_beta", value: beta, uncertainty: dBeta, unit: "ns")],
                      fit: worse, updates: [(.dragBeta, beta)], plot: p, started: started)
    }

    // MARK: Coherence

    /// T1: π pulse, wait τ (Lindblad), read; exponential fit over 0…4·T1 (belief).
    public mutating func t1() throws -> ExperimentResult {
        let started = Date()
        let delays = linspace(0, 4000 * beliefs.t1Us, settings.points + 4)
        let pi = drag(beliefs.piAmplitude)
        let y = delays.map { measure([pi, .idle(ns: $0)], decoherence: true) }
        let sigma = y.map { binomialSigma($0, shots: settings.shots) }
        let fit = try CurveFit.fit(FitModels.exponential, x: delays, y: y, sigma: sigma,
                                   start: [y.last!, y[0] - y.last!, 1000 * beliefs.t1Us], scales: [1, 1, 1000])
        let t1 = fit.parameters[2] / 1000, dt1 = fit.errors[2] / 1000
        guard t1 > 0, t1 < 40 * beliefs.t1Us else { throw CalibrationError("\(element) t1: fit gave T1 = \(t1) µs") }
        beliefs.t1Us = t1
        return result("t1", [CalibrationMeasurement(quantity: "t1", value: t1, uncertainty: dt1, unit: "us")], fit: fit, updates: [(.t1, t1)],
                      plot: plot("t1", x: delays, y: y, xLabel: "delay (µs)", model: FitModels.exponential, fit: fit, xScale: 1e-3),
                      started: started)
    }

    /// Hahn echo: X90 — τ/2 — Y180 — τ/2 — X90 on resonance; exponential fit of the decay gives T2echo.
    /// (The emulator's dephasing is Markovian, so the echo refocuses nothing and T2echo ≈ T2*.)
    public mutating func echo() throws -> ExperimentResult {
        let started = Date()
        let delays = linspace(0, 3000 * max(beliefs.t2StarUs, 0.2), settings.points + 4)
        let half = drag(beliefs.halfPiAmplitude), pi = drag(beliefs.piAmplitude, phase: .pi / 2)
        let y = delays.map { measure([half, .idle(ns: $0 / 2), pi, .idle(ns: $0 / 2), half], decoherence: true) }
        let sigma = y.map { binomialSigma($0, shots: settings.shots) }
        let fit = try CurveFit.fit(FitModels.exponential, x: delays, y: y, sigma: sigma,
                                   start: [y.last!, y[0] - y.last!, 1000 * beliefs.t2StarUs], scales: [1, 1, 1000])
        let t2 = fit.parameters[2] / 1000, dt2 = fit.errors[2] / 1000
        guard t2 > 0 else { throw CalibrationError("\(element) echo: fit gave T2echo = \(t2) µs") }
        beliefs.t2EchoUs = t2
        return result("echo", [CalibrationMeasurement(quantity: "t2_echo", value: t2, uncertainty: dt2, unit: "us")], fit: fit,
                      updates: [(.t2Echo, t2)],
                      plot: plot("echo", x: delays, y: y, xLabel: "total delay (µs)", model: FitModels.exponential, fit: fit, xScale: 1e-3),
                      started: started)
    }

    // MARK: Readout

    /// Readout: (1) the tone frequency that maximizes the |0⟩–|1⟩ separation of the mean IQ points
    /// (parabola fit of the separation near its peak); (2) IQ blobs of prepared |0⟩ and |1⟩ there: centres,
    /// the threshold on the |0⟩→|1⟩ axis minimizing misassignment, and the assignment matrix.
    public mutating func readout() throws -> [ExperimentResult] {
        let started = Date()
        let ground = chip.populations(qubit: q, carrierGHz: beliefs.frequencyGHz, steps: [], decoherence: false)
        let excited = chip.populations(qubit: q, carrierGHz: beliefs.frequencyGHz, steps: [drag(beliefs.piAmplitude)], decoherence: false)
        func mean(_ v: [Complex<Double>]) -> Complex<Double> { v.reduce(.zero, +).divided(by: Double(v.count)) }
        let tones = linspace(beliefs.readoutFrequencyGHz - 0.006, beliefs.readoutFrequencyGHz + 0.006, settings.points + 4)
        let perPoint = max(settings.readoutShots / 20, 50)
        var separation: [Double] = [], sepSigma: [Double] = []
        for f in tones {
            let z0 = chip.iqShots(qubit: q, populations: ground, toneFrequencyGHz: f, amplitude: beliefs.readoutAmplitude,
                                  durationNs: beliefs.readoutDurationNs, shots: perPoint, rng: &rng)
            let z1 = chip.iqShots(qubit: q, populations: excited, toneFrequencyGHz: f, amplitude: beliefs.readoutAmplitude,
                                  durationNs: beliefs.readoutDurationNs, shots: perPoint, rng: &rng)
            let d = mean(z1) - mean(z0)
            let spread = (z0.map { ($0 - mean(z0)).lengthSquared }.reduce(0, +) + z1.map { ($0 - mean(z1)).lengthSquared }.reduce(0, +))
                / Double(2 * perPoint)
            separation.append(d.length)
            sepSigma.append((spread / Double(perPoint)).squareRoot())
        }
        let best = separation.indices.max { separation[$0] < separation[$1] }!
        let lo = max(best - 3, 0), hi = min(best + 3, tones.count - 1)
        var tone = tones[best], toneErr = tones[1] - tones[0]
        var toneFit: FitResult?
        if hi - lo >= 4, let f = try? CurveFit.fit(FitModels.parabola, x: Array(tones[lo...hi]), y: Array(separation[lo...hi]),
                                                   sigma: Array(sepSigma[lo...hi]), start: [separation[best], -1e4, tones[best]],
                                                   scales: [1, 1e4, 1e-4]),
           f.parameters[1] < 0, abs(f.parameters[2] - tones[best]) < 2 * toneErr {
            (tone, toneErr, toneFit) = (f.parameters[2], f.errors[2], f)
        }
        beliefs.readoutFrequencyGHz = tone
        var toneSeries = [PlotSeries(label: "|c1 − c0|", x: tones, y: separation)]
        if let f = toneFit {
            let xs = linspace(tones[lo], tones[hi], 100)
            toneSeries.append(PlotSeries(label: "fit parabola", x: xs, y: xs.map { FitModels.parabola.evaluate($0, f.parameters) }))
        }
        let toneResult = result("readout_tone", [CalibrationMeasurement(quantity: "readout_frequency", value: tone, uncertainty: toneErr, unit: "GHz")],
                                fit: toneFit, updates: [(.readoutFrequency, tone)],
                                plot: plots ? LinePlot(title: "\(element) readout tone", xLabel: "tone (GHz)", yLabel: "IQ separation",
                                                       series: toneSeries) : nil, started: started)

        let started2 = Date()
        let n = settings.readoutShots
        let z0 = chip.iqShots(qubit: q, populations: ground, toneFrequencyGHz: tone, amplitude: beliefs.readoutAmplitude,
                              durationNs: beliefs.readoutDurationNs, shots: n, rng: &rng)
        let z1 = chip.iqShots(qubit: q, populations: excited, toneFrequencyGHz: tone, amplitude: beliefs.readoutAmplitude,
                              durationNs: beliefs.readoutDurationNs, shots: n, rng: &rng)
        let c0 = mean(z0), c1 = mean(z1)
        let axis = (c1 - c0).divided(by: (c1 - c0).length)
        func project(_ z: Complex<Double>) -> Double { ((z - c0) * axis.conjugate).real }
        let p0 = z0.map(project), p1 = z1.map(project)
        // Threshold minimizing misassignment: scan the sorted projections.
        let all = (p0.map { ($0, 0) } + p1.map { ($0, 1) }).sorted { $0.0 < $1.0 }
        var bestErrors = n, threshold = (c1 - c0).length / 2
        // With the threshold just above all[k], shots 0…k read 0.
        var misread = n  // everything reads 1: all |0⟩ shots wrong
        for k in all.indices {
            if all[k].1 == 0 { misread -= 1 } else { misread += 1 }
            if misread < bestErrors, k + 1 < all.count {
                bestErrors = misread
                threshold = (all[k].0 + all[k + 1].0) / 2
            }
        }
        let e01 = Double(p0.filter { $0 > threshold }.count) / Double(n)  // P(read 1 | 0)
        let e10 = Double(p1.filter { $0 <= threshold }.count) / Double(n)  // P(read 0 | 1)
        let fidelity = 1 - (e01 + e10) / 2
        let dF = (e01 * (1 - e01) / Double(n) + e10 * (1 - e10) / Double(n)).squareRoot() / 2
        var iqPlot: LinePlot?
        if plots {
            let k = min(n, 400)
            iqPlot = LinePlot(title: "\(element) readout IQ (projections)", xLabel: "shot", yLabel: "projection on |0>→|1> axis", series: [
                PlotSeries(label: "prepared 0", x: (0..<k).map(Double.init), y: Array(p0.prefix(k))),
                PlotSeries(label: "prepared 1", x: (0..<k).map(Double.init), y: Array(p1.prefix(k))),
                PlotSeries(label: "threshold", x: [0, Double(k)], y: [threshold, threshold]),
            ])
        }
        let source = ExperimentResult.provenance("readout_iq", date: started2, fit: nil) + " shots=\(n)"
        let updates = [
            CalibrationUpdate(.iqCentres, element: q, real: [c0.real, c1.real], imag: [c0.imaginary, c1.imaginary], source: source),
            CalibrationUpdate(.readoutThreshold, element: q, value: threshold, source: source),
            CalibrationUpdate(.assignmentMatrix, element: q, real: [1 - e01, e10, e01, 1 - e10], imag: nil, source: source),
            CalibrationUpdate(.readoutFidelity, element: q, value: fidelity, source: source),
        ]
        let iq = ExperimentResult(name: "readout_iq", element: element, measurements: [
            CalibrationMeasurement(quantity: "p_read1_given0", value: e01, uncertainty: (e01 * (1 - e01) / Double(n)).squareRoot(), unit: "1"),
            CalibrationMeasurement(quantity: "p_read0_given1", value: e10, uncertainty: (e10 * (1 - e10) / Double(n)).squareRoot(), unit: "1"),
            CalibrationMeasurement(quantity: "readout_fidelity", value: fidelity, uncertainty: dF, unit: "1"),
        ], fit: nil, updates: updates, plot: iqPlot, seconds: Date().timeIntervalSince(started2), date: started2)
        return [toneResult, iq]
    }
}
