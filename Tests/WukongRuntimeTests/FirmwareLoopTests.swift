// Firmware in the loop: the pulse path with every pulse rendered by FirmwareSim (sequencer programs,
// NCO, 14-bit DACs) agrees with the direct path to within what the DAC quantization can change.
import Foundation
import Numerics
import Testing
import FirmwareSim
import WukongCircuits
import WukongCompiler
import WukongDevice
import WukongEmulator
@testable import WukongRuntime

@Suite struct FirmwareLoopTests {
    /// Half a DAC step per quadrature, as a complex magnitude (fraction of full scale).
    let quantization = (1.0 / Double(1 << 13)) / 2 * 2.0.squareRoot()

    @Test func renderedSamplesDifferByAtMostTheDACQuantization() throws {
        let circuit = try Fixtures.qasm("qreg q[2]; creg c[2]; rx(1.1) q[0]; ry(-2.0) q[1]; cz q[0],q[1]; measure q -> c;")
        let compiled = try Compiler.compile(circuit, target: CompilerTarget(calibration: CZFixture.snapshot))
        let program = try PulseBackend.physicalProgram(compiled)
        let timeline = try OpenPulseBackend.timeline(program, calibration: CZFixture.snapshot)
        let (rendered, maxError) = try FirmwareLoop(topology: CZFixture.snapshot.topology)
            .render(timeline, channels: ClusterChannels(device: Fixtures.device))
        #expect(maxError > 0 && maxError <= quantization * (1 + 1e-9), "max |rendered − ideal| \(maxError), bound \(quantization)")
        // Every drive and flux pulse became a play at its reference frame; captures are untouched.
        #expect(rendered.events.allSatisfy { if case .drag = $0.kind { return false }; if case .cz = $0.kind { return false }; return true })
        #expect(rendered.events.filter { if case .capture = $0.kind { return true } else { return false } }.count == 2)
    }

    @Test func handOffConjugatesOnce() {
        let line: [Complex<Double>] = [Complex(0.3, 0.4), Complex(-0.1, -0.2)]
        #expect(FirmwareLoop.handOff(line[...]) == [Complex(0.3, -0.4), Complex(-0.1, 0.2)])
    }

    /// Σ over pulses of ∫‖H_rendered − H_ideal‖dt, a bound on ‖U_rendered − U_ideal‖ and so on the TVD.
    /// Drive: 2π·f_R·√2·|δΩ| (3 levels: ‖b + b†‖ ≤ 1 + √2 < 2.5, so 2π·f_R·2.5/2·|δΩ| is used);
    /// flux: 2π·2·max|∂f01/∂Φ|·|δΦ| (level 2 moves by about twice f01).
    func bound(_ circuit: Circuit) throws -> Double {
        let compiled = try Compiler.compile(circuit, target: CompilerTarget(calibration: CZFixture.snapshot))
        let timeline = try OpenPulseBackend.timeline(try PulseBackend.physicalProgram(compiled), calibration: CZFixture.snapshot)
        let channels = ClusterChannels(device: Fixtures.device)
        let firmware = FirmwareLoop(topology: CZFixture.snapshot.topology)
        let (rendered, _) = try firmware.render(timeline, channels: channels)
        var pulses: [FirmwareLoop.Pulse] = []
        for e in timeline.events { pulses += try FirmwareLoop.pulses(of: e, channels: channels) ?? [] }
        let plays = rendered.events.compactMap { e -> [Complex<Double>]? in
            if case let .play(_, _, _, s) = e.kind { return s } else { return nil }
        }
        #expect(plays.count == pulses.count)
        var total = 0.0
        let dt = 0.5
        for (p, r) in zip(pulses, plays) {
            let fRef = timeline.referenceGHz[p.port.element] ?? p.frequencyGHz
            var sum = 0.0
            for (j, s) in p.samples.enumerated() {
                let t = (Double(j) + 0.5) * dt + p.startNs
                let ideal = p.port.kind == .drive ? s * Complex(length: 1, phase: p.phaseRad - 2 * .pi * (p.frequencyGHz - fRef) * t) : s
                sum += (r[j] - ideal).length * dt
            }
            switch p.port.kind {
            case .drive:
                total += 2 * .pi * Fixtures.device.qubit(QubitIndex(p.port.element)).driveRabiGHz * 1.25 * sum
            case .flux:
                let element = p.port.isCoupler ? ElementParameters(Fixtures.device.coupler(CouplerIndex(p.port.element)))
                    : ElementParameters(Fixtures.device.qubit(QubitIndex(p.port.element)))
                let peak = p.samples.map { abs($0.real) }.max() ?? 0
                let h = 1e-5
                let slope = stride(from: 0.0, through: peak + 1e-3, by: max(peak / 50, 1e-4)).map { x in
                    abs(element.frequencyGHz(fluxOffsetPhi0: x + h) - element.frequencyGHz(fluxOffsetPhi0: x - h)) / (2 * h)
                }.max() ?? 0
                total += 2 * .pi * 2 * slope * sum
            case .readout:
                break
            }
        }
        return total
    }

    @Test(arguments: [0, 1])
    func firmwareRunMatchesTheDirectPath(circuit k: Int) throws {
        let circuits = [
            try Fixtures.qasm("qreg q[1]; creg c[1]; rx(1.1) q[0]; ry(0.7) q[0]; measure q -> c;"),
            CZFixture.circuits[0],   // Bell
        ]
        let circuit = circuits[k]
        let channels = ClusterChannels(device: Fixtures.device)
        let direct = try PulseBackend.exactDistribution(circuit, calibration: CZFixture.snapshot, device: Fixtures.device, channels: channels)
        let viaFirmware = try PulseBackend.exactDistribution(circuit, calibration: CZFixture.snapshot, device: Fixtures.device,
                                                            channels: channels,
                                                            options: .init(firmware: FirmwareLoop(topology: CZFixture.snapshot.topology)))
        let tvd = Fixtures.totalVariation(direct, viaFirmware)
        let b = try bound(circuit)
        print("firmware vs direct, circuit \(k): TVD \(tvd), quantization bound \(b)")
        #expect(tvd <= b, "TVD \(tvd) > bound \(b): \(direct) vs \(viaFirmware)")
        // The drive bound is tight enough to mean something (measured 9e-4); the flux bound is worst case
        // (the steepest slope on every sample, all errors adding up; measured 0.12 for Bell vs TVD 1.6e-4).
        if k == 0 { #expect(b < 0.005, "the bound itself should be small (\(b))") }
    }

    @Test func pulseRunReportsFirmwareTiming() throws {
        let r = try PulseBackend.run(CZFixture.circuits[0], calibration: CZFixture.snapshot, device: Fixtures.device, shots: 200, seed: 5,
                                     options: .init(firmware: FirmwareLoop(topology: CZFixture.snapshot.topology)))
        #expect(r.counts.values.reduce(0, +) == 200)
        #expect(r.timing.firmwareMs > 0 && r.timing.emulateMs > 0)
    }
}
