// Building root snapshots: the nominal snapshot (design values from the spec, before anything is
// measured) and the oracle snapshot (read off the hidden truth; for tests and for "perfectly
// calibrated" comparisons only).
import Foundation
import RealModule

extension ChipDevice {
    /// The design device: every parameter at its distribution's mean, no collisions redrawn, no overrides.
    /// This is what the lab believes before measuring anything.
    public static func design(from spec: DeviceSpec) -> ChipDevice {
        let topo = spec.topology
        let d = spec.qubit, r = spec.readout, c = spec.coupler
        let qubits = topo.qubits.map { q -> QubitParameters in
            let t1 = d.t1Us.mean, t2 = min(d.t2StarUs.mean, 2 * t1)
            return QubitParameters(
                index: q, maxFrequencyGHz: (topo.isSublatticeA(q) ? d.maxFrequencyGHzA : d.maxFrequencyGHzB).mean,
                anharmonicityGHz: d.anharmonicityGHz.mean, squidAsymmetry: d.squidAsymmetry.mean,
                idleFluxPhi0: d.idleFluxPhi0.mean, t1Us: t1, t2StarUs: t2, t2EchoUs: min(d.t2EchoFactor * t2, 2 * t1),
                thermalPopulation: d.thermalPopulation.mean, driveRabiGHz: d.driveRabiGHz.mean,
                resonatorFrequencyGHz: r.resonatorBaseGHz + r.resonatorSpacingGHz * Double(topo.position(of: q).col),
                resonatorCouplingGHz: r.couplingGHz.mean, resonatorKappaGHz: r.kappaGHz.mean,
                readoutFidelity0: r.fidelity0.mean, readoutFidelity1: r.fidelity1.mean, feedline: topo.position(of: q).row)
        }
        let disabled = Set(spec.disabledCouplers)
        let couplers = topo.couplers.map { e -> CouplerParameters in
            var p = CouplerParameters(
                index: e.coupler, qubits: [e.low, e.high], maxFrequencyGHz: c.maxFrequencyGHz.mean,
                anharmonicityGHz: c.anharmonicityGHz.mean, qubitCouplingGHz: [c.qubitCouplingGHz.mean, c.qubitCouplingGHz.mean],
                directCouplingGHz: c.directCouplingGHz.mean, squidAsymmetry: c.squidAsymmetry.mean, idleFluxPhi0: 0,
                t1Us: c.t1Us.mean, t2StarUs: min(c.t2StarUs.mean, 2 * c.t1Us.mean), enabled: !disabled.contains(e.coupler.rawValue))
            p.idleFluxPhi0 = decouplingFlux(p, qubitA: qubits[e.low.rawValue].idleFrequencyGHz,
                                            qubitB: qubits[e.high.rawValue].idleFrequencyGHz)
            return p
        }
        return ChipDevice(name: spec.name, specID: spec.specID, topology: topo, qubits: qubits, couplers: couplers)
    }
}

extension CalibrationSnapshot {
    /// The nominal snapshot: design values of the spec, every source `nominal`, fidelities NaN (not measured).
    public static func nominal(spec: DeviceSpec, at date: Date = Date()) throws -> CalibrationSnapshot {
        let hash = spec.specID.split(separator: "/").last.map(String.init) ?? "0"
        return try believing(ChipDevice.design(from: spec), design: spec.design, source: "nominal",
                             id: "cal-nominal-\(hash.prefix(8))", note: "design values of the device spec; nothing measured", at: date)
    }

    /// The oracle snapshot: values read off the hidden true device, source `oracle`. For tests and
    /// for comparing against a perfectly calibrated chip; a real lab never has this.
    public static func oracle(device: ChipDevice, spec: DeviceSpec, at date: Date = Date()) throws -> CalibrationSnapshot {
        try believing(device, design: spec.design, source: "oracle", id: newID(at: date),
                      note: "read off the emulator's true parameters (oracle)", at: date)
    }

    /// Area of the unit-peak lifted-Gaussian envelope, Σₖ e(tₖ)·dt, in ns, with Qiskit's lifting
    /// e(t) = (g(t) − g(−dt))/(1 − g(−dt)), g(t) = exp(−(t − T/2)²/(2σ²)), sampled mid-sample at
    /// tₖ = (k + ½)·dt, k = 0..<N — the convention of WukongPulses' envelopes (checked by a FirmwareSim test).
    public static func liftedGaussianAreaNs(durationNs: Double, sigmaNs: Double, sampleRateGSps: Double) -> Double {
        let dt = 1 / sampleRateGSps
        let n = Int((durationNs * sampleRateGSps).rounded())
        func g(_ t: Double) -> Double { Double.exp(-0.5 * (t - durationNs / 2) * (t - durationNs / 2) / (sigmaNs * sigmaNs)) }
        let floor = g(-dt)
        return (0..<n).reduce(0) { $0 + (g((Double($1) + 0.5) * dt) - floor) / (1 - floor) * dt }
    }

    /// The drive convention shared with the emulator: the Rabi rate at amplitude a and envelope e(t)
    /// is a·e(t)·f_Rabi,full-scale, so a rotation θ needs a = θ / (2π · f_Rabi · area).
    public static func amplitude(forAngle theta: Double, rabiGHz: Double, areaNs: Double) -> Double {
        theta / (2 * Double.pi * rabiGHz * areaNs)
    }

    /// A root snapshot holding what `device` says, with every value's source set to `source`.
    static func believing(_ device: ChipDevice, design: DesignRules, source: String, id: String, note: String,
                          at date: Date) throws -> CalibrationSnapshot {
        let topo = device.topology
        let nq = topo.qubitCount
        var fields: [CalibrationFieldKey: CalibrationField] = [:]
        func put(_ key: CalibrationFieldKey, _ real: [Double], imag: [Double]? = nil, shape: [Int] = [], src: String = source) {
            let n = CalibrationSchema.spec(key).element == .qubit ? nq : topo.couplerCount
            fields[key] = CalibrationField(key: key, elementShape: shape, real: real, imag: imag,
                                           sources: Array(repeating: src, count: n))
        }
        let qs = device.qubits
        put(.driveFrequency, qs.map(\.idleFrequencyGHz))
        put(.anharmonicity, qs.map(\.anharmonicityGHz))
        put(.qubitIdleFlux, qs.map(\.idleFluxPhi0))
        put(.t1, qs.map(\.t1Us))
        put(.t2Star, qs.map(\.t2StarUs))
        put(.t2Echo, qs.map(\.t2EchoUs))
        put(.thermalPopulation, qs.map(\.thermalPopulation))
        let area = liftedGaussianAreaNs(durationNs: design.rphiDurationNs, sigmaNs: design.rphiSigmaNs,
                                        sampleRateGSps: design.sampleRateGSps)
        put(.rphiDuration, Array(repeating: design.rphiDurationNs, count: nq))
        put(.rphiSigma, Array(repeating: design.rphiSigmaNs, count: nq))
        put(.piAmplitude, qs.map { amplitude(forAngle: .pi, rabiGHz: $0.driveRabiGHz, areaNs: area) })
        put(.halfPiAmplitude, qs.map { amplitude(forAngle: .pi / 2, rabiGHz: $0.driveRabiGHz, areaNs: area) })
        put(.dragBeta, Array(repeating: design.dragBetaNs, count: nq))
        put(.rphiFidelity, Array(repeating: .nan, count: nq))
        // Leakage per gate needs a three-level simulation of the pulse (the emulator's job): unknown here.
        put(.rphiLeakage, Array(repeating: .nan, count: nq))

        let cs = device.couplers
        put(.couplerIdleFlux, cs.map(\.idleFluxPhi0))
        put(.couplerIdleFrequency, cs.map(\.idleFrequencyGHz))
        // Static ZZ needs exact diagonalization of the qubit–coupler–qubit Hamiltonian (the emulator's job).
        put(.residualZZ, Array(repeating: .nan, count: cs.count))
        put(.czDuration, Array(repeating: design.czDurationNs, count: cs.count))
        put(.czRamp, Array(repeating: design.czRampNs, count: cs.count))
        put(.czCouplerAmplitude, cs.map { c in
            (c.tuning.flux(forFrequencyGHz: design.czCouplerOnGHz) ?? c.idleFluxPhi0) - c.idleFluxPhi0
        })
        // The moving qubit is the higher one; it is lowered until f_H = f_L − α_H (|11⟩ ↔ |20⟩ resonance).
        let movers = cs.map { c -> (QubitParameters, QubitParameters) in
            let a = device.qubit(c.qubits[0]), b = device.qubit(c.qubits[1])
            return a.idleFrequencyGHz >= b.idleFrequencyGHz ? (a, b) : (b, a)
        }
        put(.czMovingQubit, movers.map { Double($0.0.index.rawValue) })
        put(.czQubitAmplitude, movers.map { high, low in
            let target = low.idleFrequencyGHz - high.anharmonicityGHz
            return (high.tuning.flux(forFrequencyGHz: target) ?? high.idleFluxPhi0) - high.idleFluxPhi0
        })
        put(.czVirtualZ, Array(repeating: 0, count: 2 * cs.count), shape: [2])
        put(.czFidelity, Array(repeating: .nan, count: cs.count))
        put(.czLeakage, Array(repeating: .nan, count: cs.count))

        put(.readoutFrequency, qs.map(\.resonatorFrequencyGHz))
        put(.readoutDuration, Array(repeating: design.readoutDurationNs, count: nq))
        put(.readoutAmplitude, Array(repeating: 0.5, count: nq))
        // Until readout is calibrated, |0⟩ and |1⟩ are assumed at +1 and −1 on the I axis, threshold halfway.
        put(.iqCentres, Array(repeating: [1.0, -1.0], count: nq).flatMap { $0 },
            imag: Array(repeating: 0, count: 2 * nq), shape: [2], src: "nominal")
        put(.readoutThreshold, Array(repeating: 1.0, count: nq), src: "nominal")
        let segments = max(1, Int((design.readoutDurationNs / design.weightSegmentNs).rounded()))
        put(.integrationWeights, Array(repeating: 1.0 / Double(segments), count: nq * segments),
            imag: Array(repeating: 0, count: nq * segments), shape: [segments], src: "nominal")
        put(.assignmentMatrix, qs.flatMap { [$0.readoutFidelity0, 1 - $0.readoutFidelity1, 1 - $0.readoutFidelity0, $0.readoutFidelity1] },
            shape: [2, 2])
        put(.readoutFidelity, qs.map { ($0.readoutFidelity0 + $0.readoutFidelity1) / 2 })

        let meta = SnapshotMetadata(snapshotID: id, parentID: nil, createdAt: timestamp(date),
                                    deviceSpecID: device.specID, chipName: device.name, note: note)
        return try CalibrationSnapshot(metadata: meta, rows: topo.rows, cols: topo.cols,
                                       couplerEnabled: cs.map(\.enabled), weightSegmentNs: design.weightSegmentNs,
                                       fields: fields)
    }
}
