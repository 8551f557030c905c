// Tests of IQ modulation, spectra, band-limiting and resampling, against closed forms and the
// direct references.
import Numerics
import Testing
import WukongFFT
@testable import WukongPulses

/// FFT paths of length ≤ 128 on O(1) data differ from exact by ~ε·log N per bin; the naive
/// references accumulate ~ε·N. 1e-11 bounds both with margin.
let signalTolerance = 1e-11

@Test(arguments: [0.1, -0.23, 0.31])
func toneSpectrumPeaksAtIntermediateFrequency(ifGHz: Double) throws {
    let count = 64, rate = 2.0
    let envelope = try Envelope.constant(durationNs: 32, amp: 0.5).samples()
    let modulated = NumericallyControlledOscillator(frequencyGHz: ifGHz).modulate(envelope, startTimeNs: 0)
    let spectrum = Spectrum(samples: modulated, sampleRateGHz: rate)
    let binWidthGHz = rate / Double(count)
    let nearest = spectrum.frequenciesGHz.min { abs($0 - ifGHz) < abs($1 - ifGHz) }!
    #expect(spectrum.peakFrequencyGHz == nearest)
    #expect(abs(nearest - ifGHz) <= binWidthGHz / 2)
    let reference = DirectReference.spectrum(modulated, sampleRateGHz: rate)
    #expect(reference.frequenciesGHz == spectrum.frequenciesGHz)
    #expect(maxDifference(reference.amplitudes, spectrum.amplitudes) < signalTolerance)
}

@Test func ncoPhaseIsContinuousAcrossFrequencyChange() {
    var nco = NumericallyControlledOscillator(frequencyGHz: 0.1, phaseRad: 0.3)
    let switchNs = 13.3
    let before = nco.phase(atNs: switchNs)
    nco.setFrequency(0.27, atNs: switchNs)
    #expect(abs(nco.phase(atNs: switchNs) - before) < 1e-12)
    // After the change the phase advances at the new rate from the phase reached at the switch.
    let later = switchNs + 1.7
    let expected = wrapPhase(before + 2 * .pi * 0.27 * 1.7)
    #expect(abs(nco.phase(atNs: later) - expected) < 1e-12)
    // Modulated samples straddling the switch step by exactly 2π·f·dt on each side.
    var first = NumericallyControlledOscillator(frequencyGHz: 0.1)
    let a = first.modulate([Complex<Double>](repeating: Complex(1, 0), count: 4), startTimeNs: 0)
    first.setFrequency(0.2, atNs: 2)
    let b = first.modulate([Complex<Double>](repeating: Complex(1, 0), count: 4), startTimeNs: 2)
    let boundary: Complex<Double> = b[0] * a[3].conjugate
    // From t = 1.75 (old f for 0.25 ns) to t = 2.25 (new f for 0.25 ns).
    let step = 2 * Double.pi * (0.1 * 0.25 + 0.2 * 0.25)
    #expect(abs(boundary.phase - step) < 1e-12)
    nco.shiftPhase(byRad: .pi)
    #expect(abs(wrapPhase(nco.phase(atNs: later) - expected) - .pi) < 1e-12)
}

@Test func bandLimitingInBandSignalChangesItBelow1e9() throws {
    // Tones on exact bins 3 and −5 of 64 at 2 GS/s: 0.09375 and −0.15625 GHz, inside both filters.
    let a = tone(frequencyGHz: 0.09375, count: 64, sampleRateGHz: 2)
    let b = tone(frequencyGHz: -0.15625, count: 64, sampleRateGHz: 2, amplitude: 0.3)
    let signal = zip(a, b).map { $0 + $1 }
    for filter in [try LowPassFilter(cutoffGHz: 0.2), try LowPassFilter(cutoffGHz: 0.3, rolloff: 0.3)] {
        let filtered = filter.apply(to: signal, sampleRateGHz: 2)
        #expect(maxDifference(filtered, signal) < 1e-9)
    }
}

@Test func bandLimitingRemovesOutOfBandToneAndMatchesReference() throws {
    let filter = try LowPassFilter(cutoffGHz: 0.25, rolloff: 0.5)
    let inBand = tone(frequencyGHz: 0.0625, count: 64, sampleRateGHz: 2)
    let outOfBand = tone(frequencyGHz: 0.5, count: 64, sampleRateGHz: 2)
    let mixed = zip(inBand, outOfBand).map { $0 + $1 }
    #expect(maxDifference(filter.apply(to: mixed, sampleRateGHz: 2), inBand) < 1e-9)
    let seed: UInt64 = 2024
    let noise = randomSignal(count: 48, seed: seed)
    let fast = filter.apply(to: noise, sampleRateGHz: 2)
    #expect(maxDifference(fast, DirectReference.lowPass(noise, filter: filter, sampleRateGHz: 2)) < signalTolerance, "seed \(seed)")
    #expect(filter.response(atGHz: 0.25) == 0.5)
    #expect(rejectedParameter { try LowPassFilter(cutoffGHz: 0) } == "cutoffGHz")
    #expect(rejectedParameter { try LowPassFilter(cutoffGHz: 1, rolloff: 2) } == "rolloff")
}

@Test(arguments: [3.0, 1.0, 2.5])
func resamplingBandLimitedTonePreservesIt(toGHz: Double) throws {
    // 0.125 GHz is bin 4 of 64 samples at 2 GS/s and lies below every target's Nyquist frequency.
    let source = tone(frequencyGHz: 0.125, count: 64, sampleRateGHz: 2)
    let result = try resampled(source, fromGHz: 2, toGHz: toGHz)
    let expected = tone(frequencyGHz: 0.125, count: Int(32 * toGHz), sampleRateGHz: toGHz)
    #expect(result.count == expected.count)
    #expect(maxDifference(result, expected) < signalTolerance)
}

@Test func resamplingMatchesTrigonometricInterpolationReference() throws {
    let seed: UInt64 = 77
    let source = randomSignal(count: 20, seed: seed)
    let result = try resampled(source, fromGHz: 2, toGHz: 3)
    let times = sampleTimesNs(count: 30, sampleRateGHz: 3)
    let reference = DirectReference.interpolate(source, sampleRateGHz: 2, atNs: times)
    #expect(maxDifference(result, reference) < signalTolerance, "seed \(seed)")
    // 20 samples span 10 ns, which is 11.5 samples at 1.15 GS/s.
    #expect(rejectedParameter { try resampled(source, fromGHz: 2, toGHz: 1.15) } == "durationNs")
}
