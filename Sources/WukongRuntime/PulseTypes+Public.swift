// Public constructors of the lowered pulse types, for callers outside the runtime that emulate pulses
// through `ClusterChannels` directly (the calibration experiments). Factories rather than initializers,
// because an extension initializer may not repeat the synthesized memberwise one.
extension DragPulse {
    /// A DRAG pulse (see the properties for units and conventions).
    public static func make(qubit: Int, durationNs: Double, sigmaNs: Double, betaNs: Double, amplitude: Double,
                            phaseRad: Double, frequencyGHz: Double) -> DragPulse {
        DragPulse(qubit: qubit, durationNs: durationNs, sigmaNs: sigmaNs, betaNs: betaNs, amplitude: amplitude,
                  phaseRad: phaseRad, frequencyGHz: frequencyGHz)
    }
}

extension CZFluxPulse {
    /// A CZ flux-pulse pair (see the properties for units and conventions).
    public static func make(coupler: Int, low: Int, high: Int, movingQubit: Int, durationNs: Double, riseNs: Double,
                            couplerFluxPhi0: Double, qubitFluxPhi0: Double) -> CZFluxPulse {
        CZFluxPulse(coupler: coupler, low: low, high: high, movingQubit: movingQubit, durationNs: durationNs, riseNs: riseNs,
                    couplerFluxPhi0: couplerFluxPhi0, qubitFluxPhi0: qubitFluxPhi0)
    }
}
