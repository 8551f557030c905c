// Building the noise model from a calibration snapshot — the only source the gate path may read
// (ARCHITECTURE.md invariant 2: never the hidden ChipDevice truth).
import Foundation
import WukongDevice

extension DeviceNoiseParameters {
    /// The noise numbers recorded in `snapshot`: T1, T2* (as T2, clamped to 2·T1), thermal
    /// population, RPhi duration and fidelity, readout duration and assignment matrix per qubit;
    /// RPhi leakage; CZ duration, fidelity, residual ZZ, leakage and moving qubit per enabled coupler.
    public init(calibration snapshot: CalibrationSnapshot) {
        let topo = snapshot.topology
        let qubits = (0..<topo.qubitCount).map { q in
            QubitNoiseParameters(
                t1Us: snapshot.value(.t1, q), t2Us: snapshot.value(.t2Star, q),
                excitedPopulation: max(0, min(1, snapshot.value(.thermalPopulation, q))),
                rphiDurationNs: snapshot.value(.rphiDuration, q), rphiFidelity: snapshot.value(.rphiFidelity, q),
                readoutDurationNs: snapshot.value(.readoutDuration, q),
                readout: ReadoutConfusion(rowMajor: snapshot.values(.assignmentMatrix, q)),
                rphiLeakage: snapshot.value(.rphiLeakage, q))
        }
        var couplers: [QubitPair: CouplerNoiseParameters] = [:]
        for e in topo.couplers where snapshot.couplerEnabled[e.coupler.rawValue] {
            let c = e.coupler.rawValue
            couplers[QubitPair(e.low.rawValue, e.high.rawValue)] = CouplerNoiseParameters(
                czDurationNs: snapshot.value(.czDuration, c), czFidelity: snapshot.value(.czFidelity, c),
                residualZZGHz: snapshot.value(.residualZZ, c), czLeakage: snapshot.value(.czLeakage, c),
                movingQubit: Int(snapshot.value(.czMovingQubit, c)))
        }
        self.init(qubits: qubits, couplers: couplers)
    }
}

extension GateNoiseModel {
    /// The model of the chip described by `snapshot`.
    public init(calibration snapshot: CalibrationSnapshot, options: NoiseOptions = NoiseOptions()) {
        self.init(device: DeviceNoiseParameters(calibration: snapshot), options: options)
    }

    /// The model of the calibration snapshot stored at `path` (HDF5, docs/formats/calibration.md).
    public init(calibrationFile path: String, options: NoiseOptions = NoiseOptions()) throws {
        self.init(calibration: try CalibrationSnapshot.read(from: path), options: options)
    }
}
