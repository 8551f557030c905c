// `wukong pulse`: pulse-level emulation. `run` solves a JSON pulse schedule; `cz` calibrates a CZ
// flux pulse on the two-transmon + coupler model; `bench` prints the benchmark problems as JSON.
import ArgumentParser
import Foundation
import WukongEmulator

struct PulseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pulse", abstract: "Pulse-level emulation.",
                                                    subcommands: [CZ.self])

    struct CZ: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Calibrate a CZ (coupler + moving-qubit flat-top flux pulses) on two transmons and a coupler.")
        @Option(help: "Pulse length, ns.") var durationNs: Double = 50
        @Option(help: "Raised-cosine edge length, ns.") var riseNs: Double = 5
        @Option(help: "Coupler idle (decoupling) frequency, GHz.") var couplerIdleGHz: Double = 6.05
        @Option(help: "Lowest coupler on-frequency in the scan, GHz.") var couplerMinGHz: Double = 4.9
        @Option(help: "Highest coupler on-frequency in the scan, GHz.") var couplerMaxGHz: Double = 5.6
        @Option(help: "Largest moving-qubit detuning in the scan, GHz.") var qubitMaxDetuningGHz: Double = 0.06
        @Option(help: "Grid points per axis.") var points: Int = 9
        @Option(help: "Refinement evaluations.") var refinements: Int = 80

        func run() throws {
            let model = SubsystemModel.twoTransmonsWithCoupler().tuning(mode: 2, toFrequencyGHz: couplerIdleGHz)
            let f = model.frequenciesGHz()
            let cGrid = (0..<points).map { i in
                model.fluxOffset(mode: 2, toFrequencyGHz: couplerMaxGHz - (couplerMaxGHz - couplerMinGHz) * Double(i) / Double(points - 1))
            }
            let qGrid = (0..<points).map { i in
                model.fluxOffset(mode: 1, toFrequencyGHz: f[1] - qubitMaxDetuningGHz * Double(i) / Double(points - 1))
            }
            let start = Date()
            let r = CZCalibration.calibrate(model: model, coupler: 2, movingQubit: 1, durationNs: durationNs, riseNs: riseNs,
                                            couplerFluxGrid: cGrid, qubitFluxGrid: qGrid, maxRefinements: refinements)
            let elapsed = Date().timeIntervalSince(start)
            for p in r.scan {
                print(String(format: "scan  Φc %.5f  Φq %.5f  cp %+.4f  leak %.2e  F %.5f", p.pulse.couplerFluxPhi0,
                             p.pulse.qubitFluxPhi0, p.phases.conditionalPhaseRad, p.phases.leakage, p.phases.czFidelity))
            }
            let fc = model.elements[2].frequencyGHz(fluxOffsetPhi0: model.fluxOffsetsPhi0[2] + r.pulse.couplerFluxPhi0)
            let fq = model.elements[1].frequencyGHz(fluxOffsetPhi0: r.pulse.qubitFluxPhi0)
            print(String(format: "best  Φc %.6f (coupler on %.4f GHz)  Φq %.6f (q1 at %.4f GHz)", r.pulse.couplerFluxPhi0, fc,
                         r.pulse.qubitFluxPhi0, fq))
            print(String(format: "      conditional phase %+.6f rad  leakage %.3e  CZ fidelity %.6f  vZ %@",
                         r.phases.conditionalPhaseRad, r.phases.leakage, r.phases.czFidelity, "\(r.phases.virtualZRad)"))
            print(String(format: "      %d scan points + %d refinements in %.2f s", r.scan.count, r.refinementEvaluations, elapsed))
        }
    }
}
