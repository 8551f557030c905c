// The lab bench: the emulated chip that calibration experiments run on. It holds the hidden true
// device and hands pulses to the emulator — the same single-transmon drive model and qubit–coupler–qubit
// CZ clusters (`ClusterChannels`) that users' pulse jobs run on — and returns only what a lab sees:
// read-out bits and IQ points. Like `ClusterChannels` it never reads a device parameter itself; it
// passes the device to emulator constructors (invariant 2 of ARCHITECTURE.md). Experiments see only
// this interface and the snapshot they are improving.
//
// Approximations: single-qubit sequences emulate the driven transmon alone (3 levels, frame = carrier),
// as the pulse backend's RPhi clusters do; with decoherence on, idle segments evolve under the Lindblad
// solver (T1, pure dephasing) while the 30-ns pulses are applied as unitaries (their decoherence,
// ~1 % of a µs-scale experiment, is neglected). Bits are drawn with the device's assignment errors (the
// pulse backend's readout); IQ points come from the dispersive `ReadoutChannel` model.
import Foundation
import Numerics
import WukongDevice
import WukongEmulator
import WukongNumerics
import WukongPulses
import WukongRuntime

/// One step of a single-qubit sequence: a pulse (complex envelope samples at the carrier, |s| ≤ 1) or an idle.
public enum QubitStep: Sendable {
    /// A pulse; `key` names the samples (equal keys must mean equal samples) for the propagator cache.
    case pulse(key: String, samples: [Complex<Double>])
    /// Free evolution at idle, ns.
    case idle(ns: Double)
}

/// The emulated chip as an instrument. Thread-safe.
public final class EmulatedChip: @unchecked Sendable {
    private let device: ChipDevice
    /// The pulse backend's cluster channels on the true device (CZ and DRAG blocks).
    public let channels: ClusterChannels
    /// AWG rate, GHz.
    public let sampleRateGHz: Double
    private let lock = NSLock()
    private var unitaries: [String: ComplexMatrix] = [:]
    private var idleMaps: [String: ComplexMatrix] = [:]

    /// A bench on `device` (the hidden truth, e.g. from `ChipDevice.generate`).
    public init(device: ChipDevice, sampleRateGHz: Double = PulseLowering.sampleRateGHz) {
        self.device = device
        self.sampleRateGHz = sampleRateGHz
        channels = ClusterChannels(device: device, sampleRateGHz: sampleRateGHz)
    }

    /// Chip shape, for checking requested elements.
    public var topology: ChipTopology { device.topology }

    /// Whether a coupler is wired up (a lab knows which couplers are broken).
    public func couplerEnabled(_ c: Int) -> Bool { device.couplers[c].enabled }

    func transmon(_ q: Int) -> SubsystemModel {
        SubsystemModel(elements: [ElementParameters(device.qubit(QubitIndex(q)))], levels: [3])
    }

    private func cachedUnitary(_ key: String, _ compute: () -> ComplexMatrix) -> ComplexMatrix {
        if let u = lock.withLock({ unitaries[key] }) { return u }
        let u = compute()
        lock.withLock { unitaries[key] = u }
        return u
    }

    /// Populations of levels 0, 1, 2 of qubit `q` after `steps` from |0⟩, in the frame of `carrierGHz`.
    /// - Parameter decoherence: Lindblad T1/T2* during idles (pulses stay unitary).
    /// - Complexity: one propagator per distinct pulse (cached), one 9×9 superoperator exponential per idle.
    public func populations(qubit q: Int, carrierGHz: Double, steps: [QubitStep], decoherence: Bool) -> [Double] {
        let model = transmon(q)
        let options = SolverOptions(frame: .custom([carrierGHz]))
        let schrodinger = SchrodingerSolver(model: model, options: options)
        func pulseU(_ key: String, _ samples: [Complex<Double>]) -> ComplexMatrix {
            cachedUnitary("q\(q)|\(carrierGHz)|\(key)") {
                schrodinger.propagator(PulseSequence(sampleRateGHz: sampleRateGHz,
                                                     drives: [DriveWaveform(element: 0, frequencyGHz: carrierGHz, samples: samples)]))
            }
        }
        let idleSeq: (Double) -> PulseSequence = { PulseSequence(sampleRateGHz: self.sampleRateGHz, segments: [.idle(durationNs: $0)]) }
        if !decoherence {
            var psi = model.groundState
            for s in steps {
                switch s {
                case let .pulse(key, samples): psi = pulseU(key, samples).apply(psi)
                case let .idle(ns) where ns > 0: psi = schrodinger.propagator(idleSeq(ns)).apply(psi)
                case .idle: break
                }
            }
            return psi.map(\.lengthSquared)
        }
        let lindblad = LindbladSolver(model: model, options: options)
        var rho = ComplexMatrix.projector(model.groundState)
        for s in steps {
            switch s {
            case let .pulse(key, samples):
                let u = pulseU(key, samples)
                rho = u * rho * u.adjoint
            case let .idle(ns) where ns > 0:
                rho = lindblad.evolve(rho, idleSeq(ns)).finalState
            case .idle: break
            }
        }
        return (0..<model.dimension).map { max(rho[$0, $0].real, 0) }
    }

    /// Probability that qubit `q` reads 1 when its levels have populations `p` (levels ≥ 2 read as 1),
    /// with the device's assignment errors — the readout of the pulse backend.
    public func probabilityOfReadingOne(qubit q: Int, populations p: [Double]) -> Double {
        let params = device.qubit(QubitIndex(q))
        let excited = min(max(p.dropFirst().reduce(0, +), 0), 1)
        return excited * params.readoutFidelity1 + (1 - excited) * (1 - params.readoutFidelity0)
    }

    /// Read-outs of qubit `q`: how many of `shots` read 1.
    public func readOnes(qubit q: Int, populations p: [Double], shots: Int, rng: inout SeededGenerator) -> Int {
        let p1 = probabilityOfReadingOne(qubit: q, populations: p)
        var ones = 0
        for _ in 0..<shots where rng.uniform() < p1 { ones += 1 }
        return ones
    }

    /// Two-qubit read-outs of (first, second) from joint probabilities of 00, 01, 10, 11 (index = 2·b_first + b_second).
    public func readPairs(qubits: (Int, Int), probabilities: [Double], shots: Int, rng: inout SeededGenerator) -> [Int] {
        let a = device.qubit(QubitIndex(qubits.0)), b = device.qubit(QubitIndex(qubits.1))
        var counts = [0, 0, 0, 0]
        let total = probabilities.reduce(0, +)
        for _ in 0..<shots {
            var u = rng.uniform() * total, k = 0
            while k < 3 && u >= probabilities[k] { u -= probabilities[k]; k += 1 }
            var first = k >> 1 == 1, second = k & 1 == 1
            if rng.uniform() < (first ? 1 - a.readoutFidelity1 : 1 - a.readoutFidelity0) { first.toggle() }
            if rng.uniform() < (second ? 1 - b.readoutFidelity1 : 1 - b.readoutFidelity0) { second.toggle() }
            counts[(first ? 2 : 0) + (second ? 1 : 0)] += 1
        }
        return counts
    }

    /// Integrated IQ points of `shots` read-outs of qubit `q` whose level is drawn from `populations`
    /// (the dispersive resonator model with noise and T1 decay during the window), at a constant tone of
    /// `toneFrequencyGHz` and `amplitude` (fraction of full scale) over `durationNs`.
    public func iqShots(qubit q: Int, populations p: [Double], toneFrequencyGHz: Double, amplitude: Double,
                        durationNs: Double, shots: Int, rng: inout SeededGenerator) -> [Complex<Double>] {
        let resonator = ReadoutResonator(device.qubit(QubitIndex(q)))
        let acquisition = Acquisition(qubit: 0, startNs: 0, durationNs: durationNs, toneFrequencyGHz: toneFrequencyGHz)
        let channel = ReadoutChannel(resonator: resonator, acquisition: acquisition, sampleRateGHz: sampleRateGHz,
                                     options: ReadoutOptions(defaultToneAmplitude: amplitude))
        let excited = min(max(p.dropFirst().reduce(0, +), 0), 1)
        return (0..<shots).map { _ in
            channel.shot(level: rng.uniform() < excited ? 1 : 0, stateTimeNs: 0, rng: &rng).iq
        }
    }
}
