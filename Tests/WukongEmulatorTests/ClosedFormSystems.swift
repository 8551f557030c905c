// Closed-form test systems written down once (as in dyniqs/QuTiP tests): constant drives on a
// transmon, and their textbook solutions.
import Numerics
import WukongEmulator

enum ClosedForm {
    /// A constant drive of amplitude a on mode 0 for `samples` AWG samples at `frequencyGHz`.
    static func constantDrive(amplitude a: Double, samples: Int, frequencyGHz: Double, phaseRad: Double = 0) -> PulseSequence {
        PulseSequence(drives: [DriveWaveform(element: 0, frequencyGHz: frequencyGHz, phaseRad: phaseRad,
                                             samples: Array(repeating: Complex(a, 0), count: samples))])
    }

    /// Resonant Rabi: P₁(t) = sin²(π·f_R·a·t) (rotation angle θ = 2π·f_R·a·t).
    static func resonantRabiP1(rabiGHz: Double, amplitude a: Double, timeNs t: Double) -> Double {
        let s = Double.sin(Double.pi * rabiGHz * a * t)
        return s * s
    }

    /// Generalized Rabi with detuning Δ = f_q − f_d: P₁ = (Ω²/Ω′²)·sin²(Ω′t/2), Ω = 2π·f_R·a,
    /// Ω′ = √(Ω² + (2πΔ)²), all rad/ns.
    static func detunedRabiP1(rabiGHz: Double, amplitude a: Double, detuningGHz: Double, timeNs t: Double) -> Double {
        let omega = 2 * Double.pi * rabiGHz * a, delta = 2 * Double.pi * detuningGHz
        let general = (omega * omega + delta * delta).squareRoot()
        let s = Double.sin(general * t / 2)
        return omega * omega / (general * general) * s * s
    }
}
