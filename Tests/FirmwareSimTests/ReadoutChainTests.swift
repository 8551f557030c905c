// The readout chain alone: demodulation recovers a known IQ point within the ADC bound, six tones on
// one feedline separate, thresholding uses the calibration's centres, raw traces are capped.
import Foundation
import Numerics
import Testing
import FirmwareSim
import WukongDevice
import WukongPulses

private let wiring = WiringMap.wukong

/// A tone a·e^{i(φ0 + 2π f t)} on the ADC grid t_k = (k + ½)/fs.
private func tone(amplitude: Complex<Double>, frequencyGHz f: Double, count: Int, rateGSps: Double) -> [Complex<Double>] {
    (0..<count).map { k in
        let t = (Double(k) + 0.5) / rateGSps
        return amplitude * Complex(.cos(2 * .pi * f * t), .sin(2 * .pi * f * t))
    }
}

@Test func demodulationRecoversAKnownIQPoint() throws {
    let f = 0.0731, start = 400.0, duration = 1000.0
    let expected = Complex<Double>(0.31, -0.47)
    let signal = FeedlineSignal(feedline: FeedlineID(0), sampleRateGSps: 1,
                                samples: tone(amplitude: expected, frequencyGHz: f, count: 2000, rateGSps: 1))
    // The NCO phase at the window start is 2π f·start: the demodulator's reference.
    let cycles = f * start
    let window = AcquisitionWindow(qubit: QubitIndex(0), feedline: FeedlineID(0), startNs: start, durationNs: duration,
                                   weights: "box", frequencyGHz: f, phaseAtStartRad: 2 * .pi * (cycles - cycles.rounded(.down)))
    let weights = IntegrationWeights.boxcar(durationNs: duration, segmentNs: 10)
    let chain = ReadoutChain(discriminators: [QubitIndex(0): ReadoutDiscriminator(
        centre0: Complex(1, 0), centre1: Complex(-1, 0), threshold: 1, weights: weights)], weights: ["box": weights])
    let result = try #require(try chain.acquire(signal, windows: [window]).first)
    // Each ADC sample is off by ≤ step/2 per quadrature, i.e. ≤ step/√2 in modulus; the demodulation
    // rotates by a unit phasor and the weights sum in modulus to Σ|w| = 1, so |S − expected| ≤ step/√2.
    let bound = chain.options.adc.step / 2.0.squareRoot()
    #expect((result.iq - expected).length <= bound, "error \((result.iq - expected).length) vs \(bound)")
    #expect(chain.options.adc.step == 1.0 / 2048)
}

@Test func multiplexedReadoutSeparatesSixTones() throws {
    // Six readout tones on feedline 0, through the executor (2 GS/s AWG), resampled to the 1 GS/s ADC.
    let ifs = [-0.2473, -0.1519, -0.0532, 0.0497, 0.1488, 0.2511]
    let amplitudes = (0..<6).map { k in Complex<Double>(0.1 * .cos(Double(k)), 0.1 * .sin(Double(k))) }
    let integrationNs = 1000.0, marginNs = 200.0
    var config = FirmwareConfiguration(wiring: wiring)
    var table = WaveformTable()
    var programs = [ChannelProgram]()
    for (k, q) in wiring.resonators(on: FeedlineID(0)).enumerated() {
        config.initialFrequencyGHz[wiring.readoutChannel(q).rawValue] = ifs[k]
        table.add("head\(k)", samples: Array(repeating: amplitudes[k], count: Int(2 * marginNs)))
        table.add("body\(k)", samples: Array(repeating: amplitudes[k], count: Int(2 * (integrationNs + marginNs))))
        programs.append(ChannelProgram(channel: wiring.readoutChannel(q), instructions: [
            .play("head\(k)"), .acquire(ns: integrationNs, weights: "calibrated"), .play("body\(k)"),
        ]))
    }
    let result = try SequencerExecutor(configuration: config).run(programs, waveforms: table)
    let feed = wiring.line(of: FeedlineID(0))
    let signal = FeedlineSignal(feedline: FeedlineID(0), sampleRateGSps: result.sampleRateGSps, samples: result.output(feed))
    var discriminators = [QubitIndex: ReadoutDiscriminator]()
    for q in wiring.resonators(on: FeedlineID(0)) {
        discriminators[q] = ReadoutDiscriminator(centre0: .zero, centre1: Complex(1, 0), threshold: 0.5,
                                                 weights: .boxcar(durationNs: integrationNs, segmentNs: 10))
    }
    let readout = try ReadoutChain(discriminators: discriminators).acquire(signal, windows: result.acquisitions)
    #expect(readout.count == 6)
    for (k, r) in readout.enumerated() {
        // A boxcar of length T passes a tone Δf away with gain |sinc(Δf T)| ≤ 1/(π |Δf| T).
        let leakage = (0..<6).filter { $0 != k }.reduce(0.0) { sum, j in
            sum + amplitudes[j].length / (Double.pi * abs(ifs[j] - ifs[k]) * integrationNs)
        }
        // Quantization: the ADC (12 bits) and the AWG (14 bits, through the unit-gain resampler), step/√2 each.
        let quantization = (1.0 / 2048 + 1.0 / 8192) / 2.0.squareRoot()
        let error = (r.iq - amplitudes[k]).length
        #expect(error <= leakage + quantization, "tone \(k): error \(error), bound \(leakage + quantization)")
        #expect(leakage < 2e-3)  // the stated tone-to-tone crosstalk level for 1 µs at ≥ 95 MHz spacing
    }
}

@Test func thresholdAssignsBitsAlongTheCentreAxis() {
    let d = ReadoutDiscriminator(centre0: Complex(1, 0), centre1: Complex(-1, 0), threshold: 1,
                                 weights: .boxcar(durationNs: 100, segmentNs: 10))
    #expect(d.bit(Complex(0.9, 0.5)) == 0 && d.bit(Complex(-0.2, -3)) == 1)
    #expect(abs(d.projection(Complex(-1, 0)) - 2) < 1e-15)
}

@Test func rawTracesAreCappedAndAdcClips() throws {
    let signal = FeedlineSignal(feedline: FeedlineID(1), sampleRateGSps: 1,
                                samples: Array(repeating: Complex(1.5, -0.25), count: 300))
    var options = ReadoutOptions()
    options.rawTraces = true
    options.maxRawTraceSamples = 100
    let q = QubitIndex(6)
    let weights = IntegrationWeights.boxcar(durationNs: 200, segmentNs: 10)
    let chain = ReadoutChain(options: options, discriminators: [q: ReadoutDiscriminator(
        centre0: .zero, centre1: Complex(1, 0), threshold: 0.5, weights: weights)])
    let digitized = try chain.digitize(signal)
    #expect(digitized.clipped == 300 && digitized.samples[0].real == 2047.0 / 2048)
    let short = AcquisitionWindow(qubit: q, feedline: FeedlineID(1), startNs: 0, durationNs: 100, weights: "calibrated",
                                  frequencyGHz: 0, phaseAtStartRad: 0)
    #expect(try chain.acquire(signal, windows: [short]).first?.rawTrace?.count == 100)
    let long = AcquisitionWindow(qubit: q, feedline: FeedlineID(1), startNs: 0, durationNs: 200, weights: "calibrated",
                                 frequencyGHz: 0, phaseAtStartRad: 0)
    #expect(throws: FirmwareError.self) { try chain.acquire(signal, windows: [long]) }
}

@Test func readoutThroughTheExecutorAssignsBitsWithTheCalibration() throws {
    // The nominal snapshot: centres +1 (|0⟩) and −1 (|1⟩), threshold 1, boxcar weights summing to 1.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let spec = try DeviceSpec.load(path: root.appendingPathComponent("calibration/device.yaml").path)
    let snapshot = try CalibrationSnapshot.nominal(spec: spec)
    let feedline = FeedlineID(4)
    let qubits = wiring.resonators(on: feedline)
    let frequencies = qubits.map { snapshot.value(.readoutFrequency, $0) }
    var config = FirmwareConfiguration(wiring: wiring)
    config.setReadoutIntermediateFrequencies(from: snapshot, loGHz: [feedline: frequencies.reduce(0, +) / 6])
    // Tone amplitude ±0.15 (six tones stay under full scale) → projections 0.85 and 1.15 about the threshold 1.
    let pattern = [0, 1, 1, 0, 1, 0]
    let durationNs = snapshot.value(.readoutDuration, qubits[0])
    var table = WaveformTable()
    var programs = [ChannelProgram]()
    for (k, q) in qubits.enumerated() {
        let amp = Complex<Double>(pattern[k] == 1 ? -0.15 : 0.15, 0)
        table.add("head\(k)", samples: Array(repeating: amp, count: 400))
        table.add("body\(k)", samples: Array(repeating: amp, count: Int(2 * durationNs) + 400))
        programs.append(ChannelProgram(channel: wiring.readoutChannel(q), instructions: [
            .play("head\(k)"), .acquire(ns: durationNs, weights: "calibrated"), .play("body\(k)"),
        ]))
    }
    let result = try SequencerExecutor(configuration: config).run(programs, waveforms: table)
    let signal = FeedlineSignal(feedline: feedline, sampleRateGSps: result.sampleRateGSps,
                                samples: result.output(wiring.line(of: feedline)))
    var discriminators = [QubitIndex: ReadoutDiscriminator]()
    for q in qubits { discriminators[q] = ReadoutDiscriminator(snapshot: snapshot, qubit: q) }
    let readout = try ReadoutChain(discriminators: discriminators).acquire(signal, windows: result.acquisitions)
    #expect(readout.map(\.window.qubit) == qubits)
    #expect(readout.map(\.bit) == pattern)
}
