// Dispersive readout: a linear resonator driven by the readout tone and pulled by ±χ by its qubit,
// integrated over the acquisition window with Gaussian noise and T1 decay during readout, giving an
// IQ point and a bit per shot. Goals: 1. exact linear-resonator transients (piecewise-constant tone,
// exact per sample); 2. noise calibrated so |0⟩'s assignment error matches the device; 3. speed.
import Foundation
import Numerics
import WukongDevice
import WukongNumerics

/// The readout resonator of one qubit (true parameters).
///
/// With the qubit in |0⟩ the resonator sits at f_r − χ, with the qubit in |1⟩ (or higher) at f_r + χ
/// (a 2χ pull; χ < 0 for a qubit below its resonator, Koch et al.). In the frame of a tone at f_t the
/// field obeys dα/dt = −(i·2πΔ_s + π·κ)·α − i·π·κ·√n_fs·ε(t), Δ_s = f_{r,s} − f_t, κ the energy decay
/// rate /2π (GHz): a full-scale tone (|ε| = 1) on resonance holds n_fs photons in steady state.
public struct ReadoutResonator: Sendable, Equatable {
    /// Bare resonator frequency f_r (midway between the two dressed frequencies), GHz.
    public var frequencyGHz: Double
    /// Dispersive shift χ (half the pull), GHz.
    public var chiGHz: Double
    /// Linewidth κ/2π, GHz.
    public var kappaGHz: Double
    /// T1 of the qubit, µs (decay during readout).
    public var qubitT1Us: Double
    /// Target assignment fidelities P(0|0), P(1|1).
    public var fidelity0: Double
    public var fidelity1: Double

    public init(frequencyGHz: Double, chiGHz: Double, kappaGHz: Double, qubitT1Us: Double, fidelity0: Double, fidelity1: Double) {
        precondition(kappaGHz > 0 && chiGHz != 0, "need κ > 0 and χ ≠ 0")
        precondition(fidelity0 > 0.5 && fidelity0 < 1, "P(0|0) must lie in (0.5, 1)")
        self.frequencyGHz = frequencyGHz
        self.chiGHz = chiGHz
        self.kappaGHz = kappaGHz
        self.qubitT1Us = qubitT1Us
        self.fidelity0 = fidelity0
        self.fidelity1 = fidelity1
    }

    /// The true resonator of a chip qubit.
    public init(_ q: QubitParameters) {
        self.init(frequencyGHz: q.resonatorFrequencyGHz, chiGHz: q.dispersiveShiftGHz, kappaGHz: q.resonatorKappaGHz,
                  qubitT1Us: q.t1Us, fidelity0: q.readoutFidelity0, fidelity1: q.readoutFidelity1)
    }

    /// Dressed resonator frequency with the qubit in |0⟩ (state 0) or excited (state ≥ 1), GHz.
    public func dressedFrequencyGHz(excited: Bool) -> Double { frequencyGHz + (excited ? chiGHz : -chiGHz) }
}

/// Readout options.
public struct ReadoutOptions: Sendable, Equatable {
    /// Steady photons on resonance at full-scale tone amplitude.
    public var fullScalePhotons: Double
    /// Tone amplitude (fraction of full scale) when an acquire has no readout play.
    public var defaultToneAmplitude: Double
    /// The reference window (ns) at which the noise is calibrated (chip-physics §5.2: 1.5 µs).
    public var referenceDurationNs: Double
    /// Add Gaussian noise.
    public var noise: Bool
    /// Let excited shots decay (T1) during readout.
    public var t1Decay: Bool

    public init(fullScalePhotons: Double = 10, defaultToneAmplitude: Double = 0.5, referenceDurationNs: Double = 1500,
                noise: Bool = true, t1Decay: Bool = true) {
        self.fullScalePhotons = fullScalePhotons
        self.defaultToneAmplitude = defaultToneAmplitude
        self.referenceDurationNs = referenceDurationNs
        self.noise = noise
        self.t1Decay = t1Decay
    }
}

/// Shots: per shot and acquisition, a bit and an integrated IQ point (√photons, window mean of α).
public struct ShotData: Sendable {
    public let shots: Int
    /// Column labels (the measured qubit of each acquisition).
    public let labels: [String]
    /// Bits, row-major [shot][acquisition].
    public let bits: [UInt8]
    /// IQ points, row-major [shot][acquisition].
    public let iq: [Complex<Double>]
}

/// The dispersive readout of one acquisition: clean responses, the calibrated noise and the discriminator.
public struct ReadoutChannel: Sendable {
    public let resonator: ReadoutResonator
    public let acquisition: Acquisition
    public let sampleRateGHz: Double
    public let options: ReadoutOptions
    /// Noise-free integrated responses for |0⟩ and |1⟩.
    public let clean: (ground: Complex<Double>, excited: Complex<Double>)
    /// Per-quadrature noise standard deviation of the integrated signal.
    public let sigma: Double

    /// Builds the channel and calibrates the noise.
    ///
    /// Calibration: at the reference tone (f_t = f_r, default amplitude, reference window) the two
    /// clean points are d apart; with a midpoint threshold a |0⟩ shot is misread with probability
    /// Q(d/2σ), so σ_ref = d / (2·Φ⁻¹(F0)). |0⟩ does not decay, so this reproduces F0; F1 then comes
    /// out below F0 by about the probability of decaying early in the window (T1 during readout), as on
    /// the device. White noise integrated over T falls as 1/√T: σ = σ_ref·√(T_ref/T).
    public init(resonator: ReadoutResonator, acquisition: Acquisition, sampleRateGHz: Double, options: ReadoutOptions) {
        self.resonator = resonator
        self.acquisition = acquisition
        self.sampleRateGHz = sampleRateGHz
        self.options = options
        clean = (Self.integrate(resonator, acquisition, sampleRateGHz, options, excitedUntilNs: -.infinity),
                 Self.integrate(resonator, acquisition, sampleRateGHz, options, excitedUntilNs: .infinity))
        let reference = Acquisition(qubit: acquisition.qubit, startNs: 0, durationNs: options.referenceDurationNs,
                                    toneFrequencyGHz: resonator.frequencyGHz, toneSamples: [], toneStartNs: 0)
        let d = (Self.integrate(resonator, reference, sampleRateGHz, options, excitedUntilNs: -.infinity)
                 - Self.integrate(resonator, reference, sampleRateGHz, options, excitedUntilNs: .infinity)).length
        let sigmaRef = d / (2 * inverseStandardNormalCDF(resonator.fidelity0))
        sigma = sigmaRef * (options.referenceDurationNs / acquisition.durationNs).squareRoot()
    }

    /// The bit of an IQ point: which side of the perpendicular bisector of the clean points.
    public func discriminate(_ s: Complex<Double>) -> UInt8 {
        let axis = clean.excited - clean.ground, mid = (clean.excited + clean.ground).divided(by: 2)
        return ((s - mid) * axis.conjugate).real > 0 ? 1 : 0
    }

    /// The window-averaged field ⟨α⟩ for a qubit excited until `excitedUntilNs` (absolute time; −∞: in |0⟩
    /// throughout, +∞: never decays). Exact for the tone held per sample.
    /// - Complexity: O(samples from tone start to window end).
    static func integrate(_ r: ReadoutResonator, _ a: Acquisition, _ rate: Double, _ o: ReadoutOptions,
                          excitedUntilNs: Double) -> Complex<Double> {
        let dt = 1 / rate
        let t0 = min(a.toneStartNs, a.startNs)
        let steps = Int(((a.startNs + a.durationNs - t0) * rate).rounded())
        let windowFirst = Int(((a.startNs - t0) * rate).rounded())
        let drive = Double.pi * r.kappaGHz * o.fullScalePhotons.squareRoot()
        func lambda(_ excited: Bool) -> Complex<Double> {
            Complex(Double.pi * r.kappaGHz, 2 * .pi * (r.dressedFrequencyGHz(excited: excited) - a.toneFrequencyGHz))
        }
        let lam = [lambda(false), lambda(true)]
        let decay = lam.map { Complex<Double>.exp(-$0.multiplied(by: dt)) }
        let meanFactor = zip(lam, decay).map { (l, e) in (Complex<Double>.one - e) / l.multiplied(by: dt) }
        var alpha = Complex<Double>.zero, sum = Complex<Double>.zero
        let toneOffset = Int(((a.toneStartNs - t0) * rate).rounded())
        for k in 0..<steps {
            let eps: Complex<Double>
            if a.toneSamples.isEmpty {
                eps = k >= windowFirst ? Complex(o.defaultToneAmplitude, 0) : .zero
            } else {
                let j = k - toneOffset
                eps = j >= 0 && j < a.toneSamples.count ? a.toneSamples[j] : .zero
            }
            let s = t0 + Double(k) * dt < excitedUntilNs ? 1 : 0
            let steady = Complex<Double>(0, -drive) * eps / lam[s]
            let next = steady + (alpha - steady) * decay[s]
            if k >= windowFirst { sum += steady + (alpha - steady) * meanFactor[s] }
            alpha = next
        }
        return sum.divided(by: Double(max(steps - windowFirst, 1)))
    }

    /// One shot for a qubit found in `level` at `stateTimeNs` (end of the pulse part); decays at a random time.
    public func shot(level: Int, stateTimeNs: Double, rng: inout SeededGenerator) -> (bit: UInt8, iq: Complex<Double>) {
        var s: Complex<Double>
        if level == 0 {
            s = clean.ground
        } else if options.t1Decay && resonator.qubitT1Us.isFinite {
            let tau = stateTimeNs - 1000 * resonator.qubitT1Us * Double.log(1 - rng.uniform())
            s = tau >= acquisition.startNs + acquisition.durationNs ? clean.excited
                : Self.integrate(resonator, acquisition, sampleRateGHz, options, excitedUntilNs: tau)
        } else {
            s = clean.excited
        }
        if options.noise { s += Complex(rng.standardNormal(), rng.standardNormal()).multiplied(by: sigma) }
        return (discriminate(s), s)
    }
}

/// Samples shots of a compiled schedule's acquisitions from the basis populations at the end of its pulses.
/// Each shot draws one basis state (joint over all modes, so correlations are kept), then each acquisition
/// reads its qubit's level (levels ≥ 2 read as excited; a decay from |2⟩ is treated like one from |1⟩).
/// - Complexity: O(shots · (log dimension + acquisitions)) plus O(window samples) per decaying shot.
public func sampleShots(_ compiled: CompiledSchedule, populations: [Double], shots: Int, seed: UInt64,
                        options: ReadoutOptions = ReadoutOptions()) -> ShotData {
    precondition(shots >= 0 && populations.count == compiled.model.dimension, "bad shots or populations")
    let channels = compiled.acquisitions.map {
        ReadoutChannel(resonator: compiled.resonators[$0.qubit]!, acquisition: $0,
                       sampleRateGHz: compiled.sequence.sampleRateGHz, options: options)
    }
    var cumulative = [Double]()
    var acc = 0.0
    for p in populations { acc += max(p, 0); cumulative.append(acc) }
    var rng = SeededGenerator(seed: seed)
    var bits = [UInt8](), iq = [Complex<Double>]()
    bits.reserveCapacity(shots * channels.count)
    iq.reserveCapacity(shots * channels.count)
    for _ in 0..<shots {
        let u = rng.uniform() * acc
        var lo = 0, hi = cumulative.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] > u { hi = mid } else { lo = mid + 1 } }
        for c in channels {
            let r = c.shot(level: compiled.model.occupation(lo, mode: c.acquisition.qubit), stateTimeNs: compiled.evolutionEndNs, rng: &rng)
            bits.append(r.bit)
            iq.append(r.iq)
        }
    }
    return ShotData(shots: shots, labels: compiled.acquisitions.map { compiled.elementNames[$0.qubit] }, bits: bits, iq: iq)
}

/// Φ⁻¹(p), the standard normal quantile, by bisection on Φ(x) = ½·erfc(−x/√2) (|error| < 1e-12).
public func inverseStandardNormalCDF(_ p: Double) -> Double {
    precondition(p > 0 && p < 1, "p must lie in (0, 1)")
    var lo = -40.0, hi = 40.0
    for _ in 0..<200 {
        let mid = (lo + hi) / 2
        if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { lo = mid } else { hi = mid }
        if hi - lo < 1e-13 { break }
    }
    return (lo + hi) / 2
}
