// The AWG channel alone: DAC quantization bounds and clipping, NCO phase continuity across
// pulses, and agreement of the envelope convention with the calibration's π-amplitude rule.
import Foundation
import Numerics
import Testing
import FirmwareSim
import WukongDevice
import WukongHDF5
import WukongNumerics
import WukongPulses

@Test func dacQuantizationErrorIsAtMostHalfAStep() throws {
    let channel = try AWGChannel(config: AWGChannelConfig(dacBits: 14))
    let step = channel.config.dacStep
    #expect(step == 1.0 / 8192)
    var rng = SeededGenerator(seed: 11)
    for _ in 0..<10_000 {
        let x = (2 * rng.uniform() - 1) * (1 - step)
        let (q, clipped) = channel.quantize(x)
        #expect(!clipped)
        #expect(abs(q - x) <= step / 2 + 1e-16, "x = \(x)")
        #expect((q / step).rounded() == q / step)
    }
}

@Test func dacClipsAtFullScale() throws {
    let channel = try AWGChannel(config: AWGChannelConfig(dacBits: 8, fullScale: 0.5))
    let top = channel.quantize(0.7), bottom = channel.quantize(-0.7)
    #expect(top.clipped && bottom.clipped)
    #expect(top.value == 0.5 * 127 / 128 && bottom.value == -0.5)
}

@Test func ncoPhaseIsContinuousAcrossConsecutivePulses() throws {
    let ifGHz = 0.137
    var channel = try AWGChannel(config: AWGChannelConfig(intermediateFrequencyGHz: ifGHz))
    let pulse = try Envelope.constant(durationNs: 20, amp: 0.5)
    let first = try channel.render(pulse, startTimeNs: 0)
    let second = try channel.render(pulse, startTimeNs: 20)
    // Consecutive ideal (pre-DAC) samples, across the pulse boundary too, advance by exactly 2π·IF·dt.
    let all = first.ideal + second.ideal
    let expected = 2 * Double.pi * ifGHz * 0.5
    for k in 1..<all.count {
        let ratio = all[k] * all[k - 1].conjugate
        let step = Double.atan2(y: ratio.imaginary, x: ratio.real)
        #expect(abs(step - expected) < 1e-12, "sample \(k)")
    }
    #expect(second.timesNs.first! == 20.25)
}

@Test func envelopeConventionMatchesThePiAmplitudeRule() throws {
    // The calibration computes π amplitudes from Σ e(t_k)·dt of the lifted Gaussian; the pulses library
    // renders that envelope. They must agree, or every nominal rotation angle would be off.
    let env = try Envelope.liftedGaussian(durationNs: 30, sigmaNs: 7.5, amp: 1)
    let area = try env.samples(sampleRateGHz: 2).reduce(0.0) { $0 + $1.real * 0.5 }
    let calibrationArea = CalibrationSnapshot.liftedGaussianAreaNs(durationNs: 30, sigmaNs: 7.5, sampleRateGSps: 2)
    #expect(abs(area - calibrationArea) < 1e-12)
}

@Test func renderedWaveformRoundTripsThroughHDF5() throws {
    var request = WaveformRequest(shape: "drag", durationNs: 30)
    request.betaNs = 0.36
    let config = AWGChannelConfig(intermediateFrequencyGHz: 0.1)
    var channel = try AWGChannel(config: config)
    let out = try channel.render(request.envelope())
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("awg-\(UUID().uuidString).h5").path
    try out.writeHDF5(to: path, request: request, config: config)
    let file = try HDF5File.open(path: path)
    let samples = try file.dataset("/waveform/samples").readComplex()
    #expect(samples.real == out.output.map(\.real) && samples.imag == out.output.map(\.imaginary))
    #expect(try file.dataset("/waveform/time").stringAttribute("units") == "ns")
    #expect(try file.group("/waveform").stringAttribute("shape") == "drag")
}

@Test func invalidChannelSettingsAreRejected() {
    #expect(throws: PulseError.self) { try AWGChannel(config: AWGChannelConfig(dacBits: 1)) }
    #expect(throws: PulseError.self) { try AWGChannel(config: AWGChannelConfig(intermediateFrequencyGHz: 1.5)) }
    #expect(throws: PulseError.self) { try AWGChannel(config: AWGChannelConfig(analogBandwidthGHz: 2)) }
    #expect(throws: WaveformExportError.self) { try WaveformRequest(shape: "square-ish", durationNs: 10).envelope() }
}
