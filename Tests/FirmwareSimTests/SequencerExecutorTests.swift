// The wiring map and the sequencer executor alone: DAC bounds on the executor path, NCO phase
// continuity across frame updates, crosstalk levels, latency/skew, sync, loops, limits, flux distortion.
import Foundation
import Numerics
import Testing
import FirmwareSim
import WukongDevice
import WukongNumerics
import WukongPulses

private let wiring = WiringMap.wukong
/// Sample period at 2 GS/s, ns.
private let dt = 0.5

/// A configuration without crosstalk, so each test sees one effect.
private func quietConfiguration() -> FirmwareConfiguration {
    var config = FirmwareConfiguration(wiring: wiring)
    config.xyCrosstalk = .none
    config.fluxCrosstalk = .none
    return config
}

private func constant(_ ns: Double, _ amp: Double, angle: Double = 0) -> [Complex<Double>] {
    Array(repeating: Complex(amp * .cos(angle), amp * .sin(angle)), count: Int(ns / dt))
}

private func phaseStep(_ a: Complex<Double>, _ b: Complex<Double>) -> Double {
    let r = b * a.conjugate
    return Double.atan2(y: r.imaginary, x: r.real)
}

/// Difference of two angles wrapped to (−π, π].
private func angleDistance(_ a: Double, _ b: Double) -> Double {
    let d = (a - b).truncatingRemainder(dividingBy: 2 * .pi)
    return abs(d > .pi ? d - 2 * .pi : (d < -.pi ? d + 2 * .pi : d))
}

@Test func wiringMapLookupsRoundTrip() {
    #expect(wiring.channelCount == 342 && wiring.lineCount == 282 && wiring.feedlineCount == 12)
    for q in wiring.topology.qubits {
        #expect(wiring.role(of: wiring.driveChannel(q)) == .drive(q))
        #expect(wiring.role(of: wiring.fluxChannel(q)) == .qubitFlux(q))
        #expect(wiring.role(of: wiring.readoutChannel(q)) == .readoutTone(q))
        #expect(wiring.role(of: wiring.line(of: wiring.driveChannel(q))) == .xy(q))
        #expect(wiring.resonators(on: wiring.feedline(of: q)).contains(q))
        #expect(wiring.feedline(of: q).rawValue == q.rawValue / 6)
        #expect(wiring.channel(named: "xy\(q.rawValue)") == wiring.driveChannel(q))
    }
    for c in (0..<126).map(CouplerIndex.init) {
        let channel = wiring.fluxChannel(c)
        #expect(wiring.role(of: channel) == .couplerFlux(c))
        #expect(wiring.channels(on: wiring.line(of: channel)) == [channel])
    }
    let feed = wiring.line(of: FeedlineID(3))
    #expect(wiring.channels(on: feed) == (18..<24).map { wiring.readoutChannel(QubitIndex($0)) })
    #expect(WiringMap(topology: ChipTopology(rows: 3, cols: 2)).lineCount == 2 * 6 + 7 + 3)
}

@Test func executorDACErrorIsAtMostHalfAStep() throws {
    var rng = SeededGenerator(seed: 5)
    var table = WaveformTable()
    table.add("noise", samples: (0..<400).map { _ in Complex(1.8 * rng.uniform() - 0.9, 1.8 * rng.uniform() - 0.9).multiplied(by: 0.7) })
    var config = quietConfiguration()
    config.initialFrequencyGHz[wiring.driveChannel(QubitIndex(0)).rawValue] = 0.123
    let result = try SequencerExecutor(configuration: config)
        .run([ChannelProgram(channel: wiring.driveChannel(QubitIndex(0)), instructions: [.play("noise")])], waveforms: table)
    let line = try #require(result.lines[LineID(0)])
    let step = config.lines[0].awg.dacStep
    #expect(line.clippedValues == 0)
    for (d, o) in zip(line.digital, line.output) {
        // Both quadratures are rounded to the nearest code: |error| ≤ step/2, plus a rounding ulp.
        #expect(abs(o.real - d.real) <= step / 2 + 1e-15 && abs(o.imaginary - d.imaginary) <= step / 2 + 1e-15)
    }
}

@Test func ncoPhaseIsContinuousAcrossFrameUpdates() throws {
    let f1 = 0.11, f2 = -0.07, shift = 0.9, setTo = 2.1
    var table = WaveformTable()
    table.add("c", samples: constant(10, 0.4))
    let q = QubitIndex(0)
    var config = quietConfiguration()
    config.initialFrequencyGHz[wiring.driveChannel(q).rawValue] = f1
    let program = ChannelProgram(channel: wiring.driveChannel(q), instructions: [
        .play("c"), .setFrequency(ghz: f2), .play("c"), .shiftPhase(rad: shift), .play("c"),
        .shiftFrequency(ghz: f1 - f2), .play("c"), .setPhase(rad: setTo), .play("c"), .wait(ns: 7.5), .play("c"),
    ])
    let d = try SequencerExecutor(configuration: config).run([program], waveforms: table).lines[LineID(0)]!.digital
    // Phase steps between consecutive samples; boundaries after 20, 40, 60, 80, 100 samples.
    // Phase tolerance: atan2 of products of unit-modulus doubles, a few ulps of 2π.
    let tolerance = 1e-12
    let twoPiDt = 2 * Double.pi * dt
    for k in 1..<20 { #expect(angleDistance(phaseStep(d[k - 1], d[k]), twoPiDt * f1) < tolerance) }
    // Frequency change at t = 10 ns: half a sample at f1, half at f2.
    #expect(angleDistance(phaseStep(d[19], d[20]), twoPiDt / 2 * (f1 + f2)) < tolerance)
    for k in 21..<40 { #expect(angleDistance(phaseStep(d[k - 1], d[k]), twoPiDt * f2) < tolerance) }
    #expect(angleDistance(phaseStep(d[39], d[40]), twoPiDt * f2 + shift) < tolerance)
    #expect(angleDistance(phaseStep(d[59], d[60]), twoPiDt / 2 * (f2 + f1)) < tolerance)
    // set_phase at t = 40 ns: the next sample (t = 40.25 ns) has phase setTo + 2π f1·dt/2.
    let phase80 = Double.atan2(y: d[80].imaginary, x: d[80].real)
    #expect(angleDistance(phase80, setTo + twoPiDt / 2 * f1) < tolerance)
    // The 7.5 ns wait keeps the oscillator running: 16 sample periods between samples 99 and 115.
    let afterWait = d[100..<(d.count)].firstIndex { $0.length > 0 }!
    #expect(afterWait == 115)
    #expect(angleDistance(phaseStep(d[99], d[115]), 16 * twoPiDt * f1) < tolerance)
}

@Test func crosstalkAppearsOnNeighbourAtConfiguredLevel() throws {
    let source = QubitIndex(13)  // row 2, col 1: four neighbours
    var config = FirmwareConfiguration(wiring: wiring)
    config.initialFrequencyGHz[wiring.driveChannel(source).rawValue] = 0.2
    var table = WaveformTable()
    try table.add("x", envelope: .drag(durationNs: 30, sigmaNs: 7.5, betaNs: 0.4, amp: 0.8))
    let result = try SequencerExecutor(configuration: config)
        .run([ChannelProgram(channel: wiring.driveChannel(source), instructions: [.play("x")])], waveforms: table)
    let sourceLine = result.lines[wiring.line(of: wiring.driveChannel(source))]!
    let expectedRatio = 0.0316227766016838  // 10^(−30/20)
    let neighbours = wiring.topology.neighbours(of: source)
    #expect(neighbours.count == 4)
    for n in neighbours {
        let target = try #require(result.lines[wiring.line(of: wiring.driveChannel(n))])
        for k in sourceLine.digital.indices where sourceLine.digital[k].length > 1e-3 {
            let ratio = target.ideal[k].length / sourceLine.digital[k].length
            // Before the DAC the leak is one multiplication by the coefficient: 1e-9 relative is generous.
            #expect(abs(ratio - expectedRatio) <= 1e-9 * expectedRatio, "\(n) sample \(k)")
        }
    }
    // A qubit two steps away receives nothing.
    #expect(result.lines[wiring.line(of: wiring.driveChannel(QubitIndex(25)))] == nil)
}

@Test func latencyAndSkewShiftWaveformsByWholeSamples() throws {
    var config = quietConfiguration()
    config.lines[0].latencyNs = 10
    config.lines[0].skewNs = 1.5
    for line in [0, 1] { config.initialFrequencyGHz[line] = 0.05 }
    var table = WaveformTable()
    try table.add("g", envelope: .gaussian(durationNs: 20, sigmaNs: 5, amp: 0.5))
    let programs = [0, 1].map { ChannelProgram(channel: ChannelID($0), instructions: [.wait(ns: 2), .play("g")]) }
    let result = try SequencerExecutor(configuration: config).run(programs, waveforms: table)
    let delayed = result.lines[LineID(0)]!.digital, reference = result.lines[LineID(1)]!.digital
    let shift = 23  // (10 + 1.5) ns × 2 GS/s
    #expect(result.sampleCount == 4 + 40 + shift)
    for k in 0..<(result.sampleCount - shift) { #expect(delayed[k + shift] == reference[k]) }
    for k in 0..<shift { #expect(delayed[k] == .zero) }
    config.lines[0].skewNs = 0.3
    #expect(throws: FirmwareError.self) { try SequencerExecutor(configuration: config) }
}

@Test func syncAlignsChannels() throws {
    var table = WaveformTable()
    table.add("p", samples: constant(5, 0.3))
    let programs = [
        ChannelProgram(channel: ChannelID(0), instructions: [.play("p"), .sync(group: "a"), .play("p")]),
        ChannelProgram(channel: ChannelID(1), instructions: [.wait(ns: 50), .sync(group: "a"), .play("p")]),
        ChannelProgram(channel: ChannelID(2), instructions: [.wait(ns: 20), .sync(group: "a"), .play("p")]),
    ]
    let result = try SequencerExecutor(configuration: quietConfiguration()).run(programs, waveforms: table)
    for t in result.timelines {
        #expect(t.syncSamples == [100])
        #expect(t.pulses.last!.startSample == 100)
    }
    // Opposite orders of two groups can never complete.
    let crossed = [
        ChannelProgram(channel: ChannelID(0), instructions: [.sync(group: "a"), .sync(group: "b")]),
        ChannelProgram(channel: ChannelID(1), instructions: [.sync(group: "b"), .sync(group: "a")]),
    ]
    #expect(throws: FirmwareError.self) { try SequencerExecutor(configuration: quietConfiguration()).run(crossed, waveforms: table) }
}

@Test func loopsExpandCorrectly() throws {
    var table = WaveformTable()
    table.add("p", samples: constant(4, 0.3))
    let body: [SequencerInstruction] = [.play("p"), .wait(ns: 1)]
    let program = ChannelProgram(channel: ChannelID(0), instructions: [
        .loop(count: 3, body: body), .loop(count: 2, body: [.loop(count: 2, body: body)]), .loop(count: 0, body: body),
    ])
    let timeline = try SequencerExecutor(configuration: quietConfiguration())
        .run([program], waveforms: table).timelines[0]
    #expect(timeline.pulses.map(\.startSample) == (0..<7).map { $0 * 10 })
    #expect(timeline.endSample == 70)

    var executor = try SequencerExecutor(configuration: quietConfiguration())
    executor.options.limits.maxLoopCount = 10
    let tooMany = ChannelProgram(channel: ChannelID(3), instructions: [.wait(ns: 1), .loop(count: 11, body: body)])
    #expect(throws: FirmwareError.limitExceeded(channel: "xy3", index: "1", message: "loop count 11 > 10")) {
        try executor.run([tooMany], waveforms: table)
    }
    let unknown = ChannelProgram(channel: ChannelID(3), instructions: [.loop(count: 2, body: [.wait(ns: 1), .play("q")])])
    #expect(throws: FirmwareError.invalidInstruction(channel: "xy3", index: "0.1", message: "unknown waveform \"q\"")) {
        try executor.run([unknown], waveforms: table)
    }
    executor.options.limits.maxSamples = 100
    #expect(throws: FirmwareError.self) { try executor.run([ChannelProgram(channel: ChannelID(0), instructions: [.wait(ns: 60)])], waveforms: table) }
}

@Test func fluxDistortionThenPredistortionRoundTrips() throws {
    let distortion = try FluxDistortion(terms: [
        ExponentialSettlingTerm(amplitude: 0.08, timeConstantNs: 15),
        ExponentialSettlingTerm(amplitude: -0.04, timeConstantNs: 120),
    ])
    let channel = wiring.fluxChannel(QubitIndex(0))
    let line = wiring.line(of: channel)
    var config = quietConfiguration()
    config.lines[line.rawValue].distortion = distortion
    var table = WaveformTable()
    table.add("step", samples: constant(100, 0.5))
    var executor = try SequencerExecutor(configuration: config)
    executor.options.tailNs = 400
    let program = ChannelProgram(channel: channel, instructions: [.wait(ns: 10), .play("step")])
    let intended = ([Double](repeating: 0, count: 20) + [Double](repeating: 0.5, count: 200) + [Double](repeating: 0, count: 800))

    let uncorrected = try executor.run([program], waveforms: table).lines[line]!.output.map(\.real)
    let worst = zip(uncorrected, intended).map { abs($0 - $1) }.max()!
    #expect(worst > 0.01)  // the distortion is visible: the initial overshoot alone is 0.5·0.04

    config.lines[line.rawValue].predistortion = distortion
    executor = try SequencerExecutor(configuration: config, options: executor.options)
    let corrected = try executor.run([program], waveforms: table).lines[line]!.output.map(\.real)
    // The DAC error e (|e| ≤ step/2) passes through h with Σ|h| ≤ (1 + ΣA) + Σ|A|; the FFT
    // pre-distortion's wrapped residue is ≲ e^{−12} of the 0.5 amplitude.
    let step = config.lines[line.rawValue].awg.dacStep
    let tolerance = (1 + 0.04 + 0.12) * step / 2 + 0.5 * Double.exp(-12)
    for k in intended.indices { #expect(abs(corrected[k] - intended[k]) <= tolerance, "sample \(k)") }
}

@Test func jsonProgramsDecodeToTheSameInstructions() throws {
    let json = """
    {"waveforms": {"s": {"samples": [[0.5, 0], [0.5, 0.25]]}, "g": {"shape": "gaussian", "duration_ns": 10}},
     "initial_frequency_ghz": {"xy2": 0.05},
     "channels": {"xy2": [{"op": "set_frequency", "ghz": 0.1}, {"op": "loop", "count": 2,
                           "body": [{"op": "play", "waveform": "s"}, {"op": "sync", "group": "a"}]}],
                  "ro7": [{"op": "acquire", "ns": 100}]}}
    """
    let file = try FirmwareProgramFile(json: Data(json.utf8), wiring: wiring)
    #expect(file.initialFrequencyGHz == [wiring.driveChannel(QubitIndex(2)): 0.05])
    #expect(file.waveforms["s"] == [Complex(0.5, 0), Complex(0.5, 0.25)] && file.waveforms["g"]?.count == 20)
    let xy2 = try #require(file.programs.first { $0.channel == wiring.driveChannel(QubitIndex(2)) })
    #expect(xy2.instructions == [.setFrequency(ghz: 0.1), .loop(count: 2, body: [.play("s"), .sync(group: "a")])])
    let ro7 = try #require(file.programs.first { $0.channel == wiring.readoutChannel(QubitIndex(7)) })
    #expect(ro7.instructions == [.acquire(ns: 100, weights: "calibrated")])
    #expect(throws: FirmwareError.invalidInstruction(channel: "xy0", index: "0", message: "unknown op \"jump\"")) {
        try FirmwareProgramFile(json: Data(#"{"channels": {"xy0": [{"op": "jump"}]}}"#.utf8), wiring: wiring)
    }
}
