// A public initializer for `Acquisition`, so callers outside the emulator (the calibration library's
// readout experiments) can build a readout window for `ReadoutChannel` without a JSON schedule.
import Numerics

extension Acquisition {
    /// A readout window of the model's mode `qubit` from `startNs` for `durationNs`, with the tone at
    /// `toneFrequencyGHz`; empty `toneSamples` means the default constant tone over the window.
    public init(qubit: Int, startNs: Double, durationNs: Double, toneFrequencyGHz: Double,
                toneSamples: [Complex<Double>] = [], toneStartNs: Double? = nil) {
        self.qubit = qubit
        self.startNs = startNs
        self.durationNs = durationNs
        self.toneFrequencyGHz = toneFrequencyGHz
        self.toneSamples = toneSamples
        self.toneStartNs = toneStartNs ?? startNs
    }
}
