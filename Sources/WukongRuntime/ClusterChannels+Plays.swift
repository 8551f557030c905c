// Channels of user plays (OpenPulse): a group of overlapping plays is emulated on the TRUE device as
// one cluster — one transmon for drive/flux plays on a qubit; the coupler and both its qubits when a
// coupler's flux port is played — and projected on the computational subspace like the gate channels.
//
// Frames: a drive play (f, φ) starting at absolute time t₀ is emulated from τ = 0 in the frame rotating
// at the qubit's reference frequency f_ref (its calibrated drive frequency, the frame the state vector
// and the gate channels use) with phase φ − 2π(f − f_ref)·t₀, which is the same field seen from the
// reference frame that has been rotating since t = 0. Single-transmon clusters use that frame exactly
// (sub-stepped when a carrier is detuned from f_ref); coupler clusters are taken in the dressed idle
// frame like the CZ channel (drives in them are referenced to f_ref all the same: the dressed-vs-bare
// frequency gap is the v1 approximation of `ClusterChannels`).
import Foundation
import Numerics
import WukongCircuits
import WukongDevice
import WukongEmulator

/// One play of a cluster, with its start relative to the program start.
public struct ClusterPlay: Sendable, Hashable {
    public var port: PulsePort
    public var frequencyGHz: Double
    public var phaseRad: Double
    public var startNs: Double
    public var samples: [Complex<Double>]

    public static func == (a: Self, b: Self) -> Bool {
        a.port == b.port && a.frequencyGHz == b.frequencyGHz && a.phaseRad == b.phaseRad && a.startNs == b.startNs && a.samples == b.samples
    }
    public func hash(into h: inout Hasher) {
        h.combine(port); h.combine(frequencyGHz); h.combine(startNs); h.combine(samples.count)
    }
}

extension ClusterChannels {
    /// Sub-steps per sample for drives detuned from the single-transmon frame, and for any drive in
    /// a coupler cluster (full x·x couplings oscillate in the frame).
    static let detunedSubsteps = 8, coupledDriveSubsteps = 50

    /// The channel of a group of plays on the qubits and couplers their ports name.
    /// - Parameter referenceGHz: the reference (calibrated drive) frequency of each involved qubit.
    public func channel(forPlays plays: [ClusterPlay], referenceGHz: [Int: Double], maxElements: Int) throws -> PulseChannel {
        precondition(!plays.isEmpty)
        var qubits = Set<Int>(), couplers = Set<Int>()
        for p in plays {
            if p.port.isCoupler {
                couplers.insert(p.port.element)
                let ends = device.topology.endpoints(of: CouplerIndex(p.port.element))
                qubits.formUnion([ends.low.rawValue, ends.high.rawValue])
            } else {
                qubits.insert(p.port.element)
            }
        }
        let qs = qubits.sorted(), cs = couplers.sorted()
        guard qs.count + cs.count <= maxElements else {
            throw PulseLoweringError.unsupported("overlapping plays couple \(qs.map { "q\($0)" } + cs.map { "c\($0)" }), more than \(maxElements) elements (emulate fewer at once: separate them in time)")
        }
        let t0 = plays.map(\.startNs).min()!
        let rate = sampleRateGHz
        let total = plays.map { Int((($0.startNs - t0) * rate).rounded()) + $0.samples.count }.max()!
        var params: [Double] = [Double(qs.count), Double(cs.count)]
        for p in plays.sorted(by: { ($0.startNs, $0.port.name) < ($1.startNs, $1.port.name) }) {
            params += [p.port.isCoupler ? 1 : 0, Double(p.port.element), Double(p.port.kind == .drive ? 0 : 1), p.frequencyGHz,
                       p.phaseRad, p.startNs - t0, Double(p.samples.count)]
            params += p.samples.flatMap { [$0.real, $0.imaginary] }
            // The absolute start matters for detuned carriers (phase relative to the reference).
            if p.port.kind == .drive { params.append((p.frequencyGHz - (referenceGHz[p.port.element] ?? p.frequencyGHz)) * t0) }
        }
        let key = ChannelKey(kind: "plays", elements: qs + cs.map { -1 - $0 }, parameters: Self.quantize(params))
        let (block, leakage) = try cached(key) {
            try playsBlock(plays, qubits: qs, couplers: cs, t0: t0, totalSamples: total, referenceGHz: referenceGHz)
        }
        let m = GateMatrix((0..<block.rows).flatMap { i in (0..<block.cols).map { j in block[i, j] } })
        return PulseChannel(matrix: m, qubits: qs.reversed(), leakage: leakage)
    }

    func playsBlock(_ plays: [ClusterPlay], qubits qs: [Int], couplers cs: [Int], t0: Double, totalSamples: Int,
                    referenceGHz: [Int: Double]) throws -> (ComplexMatrix, Double) {
        let model: SubsystemModel = cs.isEmpty
            ? SubsystemModel(elements: [ElementParameters(device.qubit(QubitIndex(qs[0])))], levels: [levels])
            : SubsystemModel(device: device, qubits: qs.map(QubitIndex.init), couplers: cs.map(CouplerIndex.init), levels: levels)
        let rate = sampleRateGHz
        var drives: [DriveWaveform] = []
        var flux = [[Double]](repeating: [], count: model.elements.count)
        for p in plays {
            let offset = Int(((p.startNs - t0) * rate).rounded())
            let mode = p.port.isCoupler ? qs.count + cs.firstIndex(of: p.port.element)! : qs.firstIndex(of: p.port.element)!
            switch p.port.kind {
            case .drive:
                let fRef = referenceGHz[p.port.element] ?? p.frequencyGHz
                var s = [Complex<Double>](repeating: .zero, count: totalSamples)
                for (k, v) in p.samples.enumerated() { s[offset + k] = v }
                drives.append(DriveWaveform(element: mode, frequencyGHz: p.frequencyGHz,
                                            phaseRad: p.phaseRad - 2 * .pi * (p.frequencyGHz - fRef) * p.startNs, samples: s))
            case .flux:
                if flux[mode].isEmpty { flux[mode] = [Double](repeating: 0, count: totalSamples) }
                for (k, v) in p.samples.enumerated() { flux[mode][offset + k] += v.real }
            case .readout:
                continue
            }
        }
        let fluxes = flux.enumerated().filter { !$0.element.isEmpty }.map { FluxWaveform(element: $0.offset, samplesPhi0: $0.element) }
        let seq = PulseSequence(sampleRateGHz: rate, drives: drives, fluxes: fluxes)
        if cs.isEmpty {
            let fRef = referenceGHz[qs[0]] ?? model.frequenciesGHz()[0]
            let detuned = drives.contains { abs($0.frequencyGHz - fRef) > 1e-6 } || !fluxes.isEmpty && !drives.isEmpty
            let solver = SchrodingerSolver(model: model, options: SolverOptions(frame: .custom([fRef]),
                                                                                substeps: detuned ? Self.detunedSubsteps : 1))
            let u = solver.propagator(seq)
            return (model.computationalBlock(u), model.leakage(u))
        }
        let solver = SchrodingerSolver(model: model, options: SolverOptions(substeps: drives.isEmpty ? 1 : Self.coupledDriveSubsteps))
        let u = solver.propagator(seq)
        let ud = model.dressedFrame(u, solverFrameGHz: solver.frameFrequenciesGHz(for: seq), durationNs: seq.durationNs)
        return (model.computationalBlock(ud), model.leakage(ud))
    }
}
