// The OpenQASM 3 + OpenPulse front end and its execution on the pulse path: errors with line and
// column, gate lines reproducing `PulseBackend`, defcal overrides, frame semantics (virtual Z,
// phase-continuous frequency changes → Ramsey fringes), coupler flux plays reproducing the CZ channel,
// and the IQ and raw-trace captures.
import Foundation
import Numerics
import Testing
import WukongCircuits
import WukongCompiler
import WukongDevice
import WukongEmulator
import WukongPulses
@testable import WukongRuntime

private func parseError(_ source: String) -> ParseError? {
    do {
        let p = try OpenPulseProgram.parse(source, file: "t.qasm")
        _ = try OpenPulseBackend.timeline(p, calibration: Fixtures.oracle)
        return nil
    } catch let e as ParseError {
        return e
    } catch {
        Issue.record("not a ParseError: \(error)")
        return nil
    }
}

/// A DRAG pulse with the oracle's calibrated shape on qubit q, as an OpenPulse template call.
private func dragCall(_ q: Int, fraction: Double) -> String {
    let c = Fixtures.oracle
    return "drag(\(c.value(.piAmplitude, q) * fraction), \(c.value(.rphiDuration, q))ns, \(c.value(.rphiSigma, q))ns, \(c.value(.dragBeta, q)))"
}

@Suite struct OpenPulseFrontEndTests {
    @Test func errorsNameTheProblemLineAndColumn() throws {
        let cases: [(String, String, Int, Int)] = [
            ("OPENQASM 3.0;\ncal {\n  play(q0_drvie, constant(0.1, 10ns));\n}\n", "'q0_drvie' is not a frame", 3, 8),
            ("OPENQASM 3.0;\ncal {\n  waveform w = constant(0.1, 60us);\n}\n", "exceed the limit of 100000", 3, 16),
            ("OPENQASM 3.0;\ncal {\n  waveform w = {0.5, 1.5};\n}\n", "magnitude 1.5", 3, 16),
            ("OPENQASM 3.0;\ncal {\n  extern port xy0;\n  frame f = newframe(xy0, 5.0, 0);\n}\n", "outside the band", 4, 27),
            ("OPENQASM 3.0;\ncal { waveform t = capture_v3(q0_readout, 20us); }\n", "limit of 8192", 2, 20),
            ("OPENQASM 3.0;\ncal { delay[0.3ns] q0_drive; }\n", "not a whole number of 0.5-ns samples", 2, 13),
            ("OPENQASM 3.0;\ncal { play(q0_drive, sine(0.1, 10ns)); }\n", "unknown waveform template 'sine'", 2, 22),
            ("OPENQASM 3.0;\ncal { bit[1] b; b[0] = capture_v0(q0_drive); }\n", "needs a readout frame", 2, 35),
            ("OPENQASM 3.0;\ndefcal x $0 {\n  extern port xy0;\n  frame f = newframe(xy0, 4.5e9, 0);\n}\n", "newframe is only allowed in cal blocks", 4, 13),
            ("OPENQASM 3.0;\ndefcalgrammar \"pulsy\";\n", "unsupported calibration grammar", 2, 15),
            ("OPENQASM 3.0;\ncal { play(q0_flux, constant(0.7, 10ns)); }\n", "|Φ| ≤ 0.5", 2, 21),
        ]
        for (source, message, line, column) in cases {
            let e = try #require(parseError(source), "no error for \(source)")
            #expect(e.message.contains(message), "\(e) should contain \(message)")
            #expect(e.location.line == line && e.location.column == column, "\(e) should be at \(line):\(column)")
        }
        // Gate-level errors keep their original positions (the pulse parts are blanked, not removed).
        let e = try #require(parseError("OPENQASM 3.0;\ninclude \"stdgates.inc\";\ncal {\n  bit[1] b;\n}\nh $0;\nfoo $1;\n"))
        #expect(e.location.line == 7 && e.message.contains("foo"), "\(e)")
    }

    @Test func captureLimitIsEnforced() throws {
        var limits = OpenPulseLimits()
        limits.maxCaptures = 3
        let p = try OpenPulseProgram.parse("OPENQASM 3.0;\ncal {\n bit[4] b;\n b[0] = capture_v0(q0_readout);\n b[1] = capture_v0(q0_readout);\n"
                                           + " b[2] = capture_v0(q0_readout);\n b[3] = capture_v0(q0_readout);\n}\n")
        #expect(throws: ParseError.self) { try OpenPulseBackend.timeline(p, calibration: Fixtures.oracle, limits: limits) }
        #expect(try OpenPulseBackend.timeline(p, calibration: Fixtures.oracle).events.count == 4)
    }

    @Test func framesClocksAndBitsFollowOpenPulse() throws {
        let p = try OpenPulseProgram.parse("""
            OPENQASM 3.0;
            defcalgrammar "openpulse";
            cal {
                extern port xy1;
                frame f = newframe(xy1, 4.6e9, 0.25);
                bit[2] psb;
                waveform w = constant(0.2, 20ns);
                play(f, w);
                shift_phase(f, 0.5);
                delay[10ns] f;
                play(f, w);
                barrier f, q1_readout;
                psb[1] = capture_v0(q1_readout);
            }
            """)
        let tl = try OpenPulseBackend.timeline(p, calibration: Fixtures.oracle)
        #expect(tl.clbitCount == 2)
        #expect(tl.events.count == 3)
        guard case let .play(port, f, phase, samples) = tl.events[1].kind else { Issue.record("not a play"); return }
        #expect(port.name == "xy1" && abs(f - 4.6) < 1e-12 && abs(phase - 0.75) < 1e-12 && samples.count == 40)
        #expect(tl.events[1].startNs == 30)
        guard case let .capture(q, .bit(clbit), _) = tl.events[2].kind else { Issue.record("not a capture"); return }
        #expect(q == 1 && clbit == 1 && tl.events[2].startNs == 50)
    }
}

@Suite struct OpenPulseExecutionTests {
    @Test func gateLinesReproduceThePulseBackend() throws {
        let body = "bit[3] c;\nh $0;\ncx $0, $1;\nrz(0.3) $1;\nsx $2;\ncz $1, $2;\nc[0] = measure $0;\nc[1] = measure $1;\nc[2] = measure $2;\n"
        let circuit = try OpenQASMParser.parse("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n" + body)
        let program = try OpenPulseProgram.parse("OPENQASM 3.0;\ndefcalgrammar \"openpulse\";\ninclude \"stdgates.inc\";\n" + body)
        let channels = ClusterChannels(device: Fixtures.device)
        let direct = try PulseBackend.exactDistribution(circuit, calibration: CZFixture.snapshot, device: Fixtures.device, channels: channels)
        let viaOpenPulse = try OpenPulseBackend.exactDistribution(program, calibration: CZFixture.snapshot, device: Fixtures.device,
                                                                 channels: channels)
        #expect(Fixtures.totalVariation(direct, viaOpenPulse) < 1e-9, "\(direct) vs \(viaOpenPulse)")
    }

    @Test func defcalOverridesTheCalibratedGate() throws {
        // x on $0 redefined as a π/2 pulse: P(1) ≈ ½ instead of ≈ 1; x on $1 keeps the calibrated rule.
        let program = try OpenPulseProgram.parse("""
            OPENQASM 3.0;
            defcalgrammar "openpulse";
            include "stdgates.inc";
            defcal x $0 { play(q0_drive, \(dragCall(0, fraction: 0.5))); }
            bit[2] c;
            x $0;
            x $1;
            c[0] = measure $0;
            c[1] = measure $1;
            """)
        let p = try OpenPulseBackend.exactDistribution(program, calibration: Fixtures.oracle, device: Fixtures.device)
        let p0 = (p["01", default: 0] + p["11", default: 0]), p1 = p["10", default: 0] + p["11", default: 0]
        #expect(abs(p0 - 0.5) < 2e-3, "\(p)")
        #expect(p1 > 0.998, "\(p)")
    }

    @Test func measureDefcalAndCustomGate() throws {
        let program = try OpenPulseProgram.parse("""
            OPENQASM 3.0;
            defcalgrammar "openpulse";
            defcal flip $2 { play(q2_drive, \(dragCall(2, fraction: 1))); }
            defcal measure $2 -> bit { return capture_v0(q2_readout); }
            bit[1] c;
            flip $2;
            c[0] = measure $2;
            """)
        let p = try OpenPulseBackend.exactDistribution(program, calibration: Fixtures.oracle, device: Fixtures.device)
        #expect(p["1", default: 0] > 0.999, "\(p)")
        // A custom gate without a defcal on those qubits is an error.
        let bad = try OpenPulseProgram.parse("OPENQASM 3.0;\ndefcal flip $2 { }\nflip $3;\n")
        #expect(throws: ParseError.self) { try OpenPulseBackend.timeline(bad, calibration: Fixtures.oracle) }
    }

    @Test func shiftPhaseIsAVirtualZ() throws {
        // X/2 · Z(π) · X/2 = identity up to phase: P(1) ≈ 0; without the shift P(1) ≈ 1.
        func p1(_ shift: String) throws -> Double {
            let program = try OpenPulseProgram.parse("""
                OPENQASM 3.0;
                cal {
                    bit[1] b;
                    waveform h = \(dragCall(0, fraction: 0.5));
                    play(q0_drive, h);
                    \(shift)
                    play(q0_drive, h);
                    b[0] = capture_v0(q0_readout);
                }
                """)
            return try OpenPulseBackend.exactDistribution(program, calibration: Fixtures.oracle, device: Fixtures.device)["1", default: 0]
        }
        #expect(try p1("shift_phase(q0_drive, pi);") < 2e-3)
        #expect(try p1("") > 0.998)
    }

    @Test(arguments: [20.0, 50.0, 80.0, 130.0])
    func detunedFrameGivesRamseyFringes(delayNs: Double) throws {
        // X/2, the frame retuned by δ for T (phase-continuous), back, X/2: the second pulse's phase is
        // −2πδT relative to the first, so P(1) = (1 + cos 2πδT)/2 for ideal pulses.
        let delta = 0.005   // GHz
        func p1(_ middle: String) throws -> Double {
            let program = try OpenPulseProgram.parse("""
                OPENQASM 3.0;
                cal {
                    bit[1] b;
                    waveform h = \(dragCall(3, fraction: 0.5));
                    play(q3_drive, h);
                    \(middle)
                    play(q3_drive, h);
                    b[0] = capture_v0(q3_readout);
                }
                """)
            return try OpenPulseBackend.exactDistribution(program, calibration: Fixtures.oracle, device: Fixtures.device)["1", default: 0]
        }
        let retuned = try p1("shift_frequency(q3_drive, \(delta * 1e9)); delay[\(delayNs)ns] q3_drive; shift_frequency(q3_drive, \(-delta * 1e9));")
        // The frame bookkeeping is exactly a virtual Z of −2πδT on the second pulse.
        let shifted = try p1("delay[\(delayNs)ns] q3_drive; shift_phase(q3_drive, \(-2 * .pi * delta * delayNs));")
        #expect(abs(retuned - shifted) < 1e-9, "T = \(delayNs) ns: \(retuned) vs \(shifted)")
        // Against ideal pulses: the X/2 pulses carry a ~0.02-rad phase error (the 3rd level's AC Stark
        // shift), worth ≤ 0.01 in P(1) at mid-fringe.
        let expected = (1 + Double.cos(2 * .pi * delta * delayNs)) / 2
        #expect(abs(retuned - expected) < 0.015, "T = \(delayNs) ns: P(1) = \(retuned), expected \(expected)")
    }

    @Test func detunedCarrierPhaseIsReferencedToProgramStart() throws {
        // The same pulse on a frame detuned by δ, started at t₀, equals one started at 0 with phase −2πδt₀
        // (both emulated through the cluster path: a check of the frame convention, not of the solver).
        let channels = ClusterChannels(device: Fixtures.device)
        let samples = try Envelope.drag(durationNs: 30, sigmaNs: 7.5, betaNs: 0, amp: 0.2).samples(sampleRateGHz: 2)
        let fRef = Fixtures.oracle.value(.driveFrequency, 4), delta = 0.003, t0 = 40.0
        let late = try channels.channel(forPlays: [ClusterPlay(port: .drive(4), frequencyGHz: fRef + delta, phaseRad: 0.2, startNs: t0, samples: samples)],
                                        referenceGHz: [4: fRef], maxElements: 3)
        let early = try channels.channel(forPlays: [ClusterPlay(port: .drive(4), frequencyGHz: fRef + delta, phaseRad: 0.2 - 2 * .pi * delta * t0,
                                                                startNs: 0, samples: samples)],
                                         referenceGHz: [4: fRef], maxElements: 3)
        for i in 0..<2 { for j in 0..<2 { #expect((late.matrix[i, j] - early.matrix[i, j]).length < 1e-9) } }
    }

    @Test func couplerFluxPlaysReproduceTheCZChannel() throws {
        // The calibrated CZ written as two flux plays (coupler + moving qubit) gives the CZ channel's block.
        let snapshot = CZFixture.snapshot
        let c = try #require(CZFixture.lock.withLock { CZFixture.report.keys.min() })
        let ends = snapshot.topology.endpoints(of: CouplerIndex(c))
        let pulse = CZFluxPulse(coupler: c, low: ends.low.rawValue, high: ends.high.rawValue,
                                movingQubit: Int(snapshot.value(.czMovingQubit, c)), durationNs: snapshot.value(.czDuration, c),
                                riseNs: snapshot.value(.czRamp, c), couplerFluxPhi0: snapshot.value(.czCouplerAmplitude, c),
                                qubitFluxPhi0: snapshot.value(.czQubitAmplitude, c))
        let channels = ClusterChannels(device: Fixtures.device)
        let direct = channels.channel(for: pulse)
        let seq = channels.emulatorPulse(pulse).sequence(sampleRateGHz: 2)
        guard case let .block(block) = seq.segments[0] else { Issue.record("no block"); return }
        let plays = block.fluxes.map { f in
            ClusterPlay(port: f.element == 2 ? .couplerFlux(c) : .flux(f.element == 0 ? pulse.low : pulse.high), frequencyGHz: 0,
                        phaseRad: 0, startNs: 100, samples: f.samplesPhi0.map { Complex($0, 0) })
        }
        let viaPlays = try channels.channel(forPlays: plays, referenceGHz: [:], maxElements: 3)
        #expect(viaPlays.qubits == direct.qubits)
        for i in 0..<4 { for j in 0..<4 { #expect((viaPlays.matrix[i, j] - direct.matrix[i, j]).length < 1e-9) } }
        #expect(abs(viaPlays.leakage - direct.leakage) < 1e-12)
    }

    @Test func iqAndRawTraceCapturesSeparateTheStates() throws {
        let program = try OpenPulseProgram.parse("""
            OPENQASM 3.0;
            cal {
                play(q1_drive, \(dragCall(1, fraction: 1)));
                complex[float[64]] one = capture_v1(q1_readout);
                complex[float[64]] zero = capture_v1(q0_readout);
                waveform t1 = capture_v3(q1_readout, 400ns);
                waveform t0 = capture_v3(q0_readout, 400ns);
            }
            """)
        let r = try OpenPulseBackend.run(program, calibration: Fixtures.oracle, device: Fixtures.device, shots: 400, seed: 3)
        #expect(r.iq.map(\.name) == ["one", "zero"] && r.iq.allSatisfy { $0.values.count == 400 })
        #expect(r.traces.map(\.name) == ["t1", "t0"] && r.traces.allSatisfy { $0.samples.count == 400 })
        // Each IQ cloud is centred on its clean point of the emulator's readout model (σ/√N).
        for (k, (q, level)) in [(1, 1), (0, 0)].enumerated() {
            let channel = ReadoutChannel(resonator: ReadoutResonator(Fixtures.device.qubit(QubitIndex(q))),
                                         acquisition: Acquisition(qubit: 0, startNs: 0, durationNs: Fixtures.oracle.value(.readoutDuration, q),
                                                                  toneFrequencyGHz: Fixtures.oracle.value(.readoutFrequency, q),
                                                                  toneSamples: [], toneStartNs: 0),
                                         sampleRateGHz: 2, options: ReadoutOptions())
            let values = r.iq[k].values
            let mean = values.reduce(Complex<Double>.zero, +).divided(by: Double(values.count))
            let clean = level == 1 ? channel.clean.excited : channel.clean.ground
            // T1 decay during readout pulls the |1⟩ cloud towards |0⟩; allow 10 % of the separation for it.
            let separation = (channel.clean.excited - channel.clean.ground).length
            #expect((mean - clean).length < 5 * channel.sigma / 20 + (level == 1 ? 0.1 * separation : 0),
                    "q\(q): mean \(mean) vs clean \(clean), σ \(channel.sigma)")
        }
        // The steady-state fields of |1⟩ and |0⟩ differ (dispersive shift); the ring-up starts at 0.
        let end1 = r.traces[0].samples.last!, end0 = r.traces[1].samples.last!
        #expect(r.traces[0].samples[0].length < 0.2 && end1.length > 0.1 && end0.length > 0.1)
        #expect((end1 - end0).length > 0.05, "\(end1) vs \(end0)")
    }

    @Test func gateOverlappingPlaysOnTheSameQubitIsRejected() throws {
        let program = try OpenPulseProgram.parse("""
            OPENQASM 3.0;
            include "stdgates.inc";
            cal { play(c0_flux, constant(0.01, 100ns)); }
            x $0;
            """)
        #expect(throws: PulseLoweringError.self) {
            try OpenPulseBackend.exactDistribution(program, calibration: Fixtures.oracle, device: Fixtures.device)
        }
    }
}
