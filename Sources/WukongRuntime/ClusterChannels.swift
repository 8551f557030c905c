// Pulse-derived channels: each native instruction's cluster emulated on the TRUE device (RPhi: the
// driven transmon alone; CZ: two transmons + their coupler, 3 levels each), projected on the
// computational subspace and cached by (kind, elements, rounded pulse parameters).
//
// Frames and approximations (v1):
// - RPhi: one 3-level Duffing transmon with its true f01, α and Rabi rate (no couplers, no neighbours),
//   driven at the calibrated frequency in the frame rotating at that frequency (the compiler's drive
//   frame), RWA drive, 1 sub-step per sample (exact for a single mode whose frame is its carrier).
//   Detuning and Rabi-rate errors of the calibration appear as coherent errors. The drive phase φ
//   enters exactly: U(φ) = e^{iφn}·U(0)·e^{−iφn}, so one propagator per (qubit, amplitude) is cached.
// - CZ: the 27-dim qubit–coupler–qubit model (full x·x couplings), flux pulses only, 1 sub-step (no
//   drive: each held sample is exponentiated exactly). The propagator is taken in the dressed idle
//   frame (`SubsystemModel.dressedFrame`), where an ideal idle is the identity; this is the frame in
//   which `CZCalibration` finds the CZ virtual-Z corrections. It equals the compiler's drive frames when
//   the calibrated drive frequency is the dressed f01; the gap between the bare f01 (what the oracle
//   snapshot and the isolated RPhi clusters use) and the dressed f01 would be an idle phase drift on
//   hardware, which v1 ignores consistently (idle = identity).
// - Projection: the computational block (other levels, coupler in |0⟩) is slightly non-unitary (leakage).
//   It is applied as-is to the state vector, which is then renormalized: leaked population is dropped
//   and the state conditioned on staying computational. Leakage per gate is reported.
import Foundation
import Numerics
import WukongCircuits
import WukongDevice
import WukongEmulator
import WukongPulses

/// A cached channel: the computational block of an instruction's propagator.
public struct PulseChannel: Sendable {
    /// The block as a gate matrix on `qubits` (first operand = most significant bit).
    public let matrix: GateMatrix
    /// Physical qubits the matrix acts on, in operand order.
    public let qubits: [Int]
    /// Average leakage of the full propagator out of the computational subspace.
    public let leakage: Double
}

/// What identifies a channel: kind, elements and pulse parameters rounded to `ChannelCache.digits`.
struct ChannelKey: Hashable, Sendable {
    var kind: String
    var elements: [Int]
    var parameters: [Int64]
}

/// Emulates cluster propagators on the true device and caches them. Thread-safe.
public final class ClusterChannels: @unchecked Sendable {
    /// Pulse parameters are rounded to 1e-10 of their unit (ns, Φ0, GHz, fraction of full scale) for
    /// the key: far below any physical effect (a 1e-10 relative amplitude change moves a π pulse by
    /// ~3e-10 rad) yet above floating-point noise of parameters read back from a snapshot.
    static let keyResolution = 1e-10

    /// The hidden truth (read only here, per invariant 2).
    let device: ChipDevice
    /// AWG rate, GHz.
    let sampleRateGHz: Double
    /// Levels per mode.
    let levels: Int
    private let lock = NSLock()
    private var cache: [ChannelKey: (u: ComplexMatrix, leakage: Double)] = [:]
    private var counters = (hits: 0, misses: 0)

    public init(device: ChipDevice, sampleRateGHz: Double = PulseLowering.sampleRateGHz, levels: Int = 3) {
        self.device = device
        self.sampleRateGHz = sampleRateGHz
        self.levels = levels
    }

    /// Cache hits and misses so far.
    public var statistics: (hits: Int, misses: Int) { lock.withLock { counters } }

    static func quantize(_ values: [Double]) -> [Int64] { values.map { Int64(($0 / keyResolution).rounded()) } }

    func cached(_ key: ChannelKey, compute: () throws -> (ComplexMatrix, Double)) rethrows -> (u: ComplexMatrix, leakage: Double) {
        if let hit = lock.withLock({ cache[key] }) {
            lock.withLock { counters.hits += 1 }
            return hit
        }
        let (u, l) = try compute()
        lock.withLock {
            cache[key] = (u, l)
            counters.misses += 1
        }
        return (u, l)
    }

    /// The channel of one DRAG pulse: U(φ) restricted to {|0⟩, |1⟩}.
    public func channel(for pulse: DragPulse) throws -> PulseChannel {
        let key = ChannelKey(kind: "rphi", elements: [pulse.qubit],
                             parameters: Self.quantize([pulse.durationNs, pulse.sigmaNs, pulse.betaNs, pulse.amplitude,
                                                        pulse.frequencyGHz]))
        let (u0, leakage) = try cached(key) { try dragPropagator(pulse) }
        // U(φ)ᵢⱼ = e^{iφ(i−j)}·U(0)ᵢⱼ on the computational block.
        let e = Complex<Double>(length: 1, phase: pulse.phaseRad)
        let m = GateMatrix([u0[0, 0], u0[0, 1] * e.conjugate, u0[1, 0] * e, u0[1, 1]])
        return PulseChannel(matrix: m, qubits: [pulse.qubit], leakage: leakage)
    }

    /// The full 3-level propagator of the pulse at phase 0 in the drive frame, and its leakage.
    func dragPropagator(_ pulse: DragPulse) throws -> (ComplexMatrix, Double) {
        let element = ElementParameters(device.qubit(QubitIndex(pulse.qubit)))
        let model = SubsystemModel(elements: [element], levels: [levels])
        let samples = try Envelope.drag(durationNs: pulse.durationNs, sigmaNs: pulse.sigmaNs, betaNs: pulse.betaNs,
                                        amp: pulse.amplitude).samples(sampleRateGHz: sampleRateGHz)
        // DRAG's quadrature can push |Ω| a hair above the peak amplitude; clip to full scale like the DAC.
        let clipped = samples.map { $0.length > 1 ? $0 / Complex($0.length, 0) : $0 }
        let seq = PulseSequence(sampleRateGHz: sampleRateGHz,
                                drives: [DriveWaveform(element: 0, frequencyGHz: pulse.frequencyGHz, samples: clipped)])
        let solver = SchrodingerSolver(model: model, options: SolverOptions(frame: .custom([pulse.frequencyGHz])))
        let u = solver.propagator(seq)
        return (u, model.leakage(u))
    }

    /// The channel of one CZ flux-pulse pair, in the dressed idle frame of the pair + coupler.
    public func channel(for pulse: CZFluxPulse) -> PulseChannel {
        let key = ChannelKey(kind: "cz", elements: [pulse.coupler, pulse.low, pulse.high, pulse.movingQubit],
                             parameters: Self.quantize([pulse.durationNs, pulse.riseNs, pulse.couplerFluxPhi0,
                                                        pulse.qubitFluxPhi0]))
        let (block, leakage) = cached(key) { czBlock(pulse) }
        // Model basis: element 0 (low) is the least significant digit; the block's index is
        // b_low + 2·b_high, i.e. a gate matrix on operands [high, low] (first operand = MSB).
        let m = GateMatrix((0..<4).flatMap { i in (0..<4).map { j in block[i, j] } })
        return PulseChannel(matrix: m, qubits: [pulse.high, pulse.low], leakage: leakage)
    }

    func czModel(_ pulse: CZFluxPulse) -> SubsystemModel {
        SubsystemModel(device: device, qubits: [QubitIndex(pulse.low), QubitIndex(pulse.high)],
                       couplers: [CouplerIndex(pulse.coupler)], levels: levels)
    }

    /// The CZ pulse as the emulator's `CZPulseParameters` on `czModel` (qubits at 0, 1; coupler at 2).
    public func emulatorPulse(_ pulse: CZFluxPulse) -> CZPulseParameters {
        CZPulseParameters(coupler: 2, movingQubit: pulse.movingQubit == pulse.low ? 0 : 1, durationNs: pulse.durationNs,
                          riseNs: pulse.riseNs, couplerFluxPhi0: pulse.couplerFluxPhi0, qubitFluxPhi0: pulse.qubitFluxPhi0)
    }

    /// The computational block of the dressed-frame CZ propagator, and its leakage.
    func czBlock(_ pulse: CZFluxPulse) -> (ComplexMatrix, Double) {
        let model = czModel(pulse)
        let seq = emulatorPulse(pulse).sequence(sampleRateGHz: sampleRateGHz)
        let solver = SchrodingerSolver(model: model)
        let u = solver.propagator(seq)
        let ud = model.dressedFrame(u, solverFrameGHz: solver.frameFrequenciesGHz(for: seq), durationNs: seq.durationNs)
        return (model.computationalBlock(ud), model.leakage(ud))
    }
}
