// The statements of `cal` blocks and `defcal` bodies: declarations (ports, frames, waveforms,
// values), frame operations, play, delay, barrier and the captures.
import Foundation
import Numerics
import WukongCircuits
import WukongDevice
import WukongPulses

extension OpenPulseTimelineBuilder {
    /// Runs the statements of `tokens`. Declarations go to `globals` in cal blocks, `locals` in defcals.
    /// Returns nothing; a defcal's `return capture_v0(…)` writes `returnBit`.
    func run(_ slice: ArraySlice<PulseToken>, locals: inout [String: Binding], inDefcal defcal: Defcal?, returnBit: Int?) throws {
        let endToken = slice.last.map { PulseToken(kind: .end, text: "", line: $0.line, column: $0.column + $0.text.count, start: $0.end, end: $0.end) }
            ?? PulseToken(kind: .end, text: "", line: 1, column: 1, start: 0, end: 0)
        var c = PulseTokenCursor(Array(slice) + [endToken], file: program.file)
        while !c.atEnd {
            try statement(&c, locals: &locals, defcal: defcal, returnBit: returnBit)
        }
    }

    func lookup(_ name: String, _ locals: [String: Binding]) -> Binding? {
        if let b = locals[name] { return b }
        if let b = globals[name] { return b }
        if frames[name] != nil || device.frame(named: name) != nil { return .frame(name) }
        if let p = device.port(named: name), globals[name] == nil { return .port(p) }
        return nil
    }

    func value(_ c: inout PulseTokenCursor, _ locals: [String: Binding]) throws -> PulseValue {
        try c.expression { t in
            switch self.lookup(t.text, locals) {
            case let .value(v)?: return v
            case .frame?, .port?, .result?: throw self.error("'\(t.text)' is not a value here", at: t)
            case nil: return nil
            }
        }
    }

    func number(_ c: inout PulseTokenCursor, _ locals: [String: Binding], _ what: String) throws -> Double {
        let at = c.peek
        switch try value(&c, locals) {
        case let .number(x): return x
        case let v: throw error("\(what) must be a real number, got \(v.typeName)", at: at)
        }
    }

    func duration(_ c: inout PulseTokenCursor, _ locals: [String: Binding], _ what: String) throws -> Double {
        let at = c.peek
        guard case let .duration(d) = try value(&c, locals) else {
            throw error("\(what) must be a duration (e.g. 100ns, 2us, 40dt)", at: at)
        }
        guard d >= 0 else { throw error("\(what) must not be negative (\(d) ns)", at: at) }
        let samples = d / OpenPulseDevice.dtNs
        guard abs(samples - samples.rounded()) < 1e-6 else {
            throw error("\(what) \(d) ns is not a whole number of 0.5-ns samples", at: at)
        }
        return samples.rounded() * OpenPulseDevice.dtNs
    }

    func frameName(_ c: inout PulseTokenCursor, _ locals: [String: Binding]) throws -> String {
        let t = try c.identifier("a frame")
        guard case let .frame(name)? = lookup(t.text, locals), frameState(name) != nil else {
            throw error("'\(t.text)' is not a frame (predefined frames: q<k>_drive, q<k>_readout, q<k>_flux, c<k>_flux; or newframe)", at: t)
        }
        return name
    }

    /// Skips a type designator like `[64]` or `[float[64]]`.
    func skipDesignator(_ c: inout PulseTokenCursor) throws {
        guard c.accept("[") else { return }
        var depth = 1
        while depth > 0 {
            let t = c.next()
            if t.kind == .end { throw error("unclosed '['", at: t) }
            if t.text == "[" { depth += 1 } else if t.text == "]" { depth -= 1 }
        }
    }

    func declare(_ name: PulseToken, _ binding: Binding, locals: inout [String: Binding], defcal: Defcal?) throws {
        guard locals[name.text] == nil, defcal != nil || globals[name.text] == nil, frames[name.text] == nil,
              device.frame(named: name.text) == nil else {
            throw error("'\(name.text)' is already declared", at: name)
        }
        if defcal != nil { locals[name.text] = binding } else { globals[name.text] = binding }
    }

    // MARK: Statements

    func statement(_ c: inout PulseTokenCursor, locals: inout [String: Binding], defcal: Defcal?, returnBit: Int?) throws {
        let t = c.peek
        guard t.kind == .identifier else { throw error("expected a statement, found \(c.describe(t))", at: t) }
        switch t.text {
        case "extern":
            _ = c.next()
            let kind = try c.identifier("'port'")
            guard kind.text == "port" else { throw error("only ports can be extern here, found '\(kind.text)'", at: kind) }
            let name = try c.identifier("a port name")
            guard let p = device.port(named: name.text) else {
                throw error("unknown port '\(name.text)' (ports: xy<q>, z<q>, ro<q> per qubit, zc<c> per coupler)", at: name)
            }
            globals[name.text] = .port(p)
            try c.expect(";")
        case "port":
            throw error("ports are provided by the device: declare them with 'extern port NAME;'", at: t)
        case "frame":
            _ = c.next()
            let name = try c.identifier("a frame name")
            try c.expect("=")
            let call = try c.identifier("newframe(…)")
            guard call.text == "newframe" else { throw error("a frame is made with newframe(port, frequency, phase)", at: call) }
            guard defcal == nil else { throw error("newframe is only allowed in cal blocks, not in defcal bodies", at: call) }
            try c.expect("(")
            let pt = try c.identifier("a port")
            guard case let .port(port)? = lookup(pt.text, locals) else { throw error("'\(pt.text)' is not a port", at: pt) }
            try c.expect(",")
            let fAt = c.peek
            let hz = try number(&c, locals, "the frame frequency (Hz)")
            try c.expect(",")
            let phase = try number(&c, locals, "the frame phase (rad)")
            try c.expect(")")
            try c.expect(";")
            try checkFrequency(hz / 1e9, port: port, at: fAt)
            guard globals[name.text] == nil, frames[name.text] == nil, device.frame(named: name.text) == nil else {
                throw error("'\(name.text)' is already declared", at: name)
            }
            frames[name.text] = Frame(port: port, frequencyGHz: hz / 1e9, phaseRad: phase, clockNs: 0)
            globals[name.text] = .frame(name.text)
        case "waveform":
            _ = c.next()
            let name = try c.identifier("a waveform name")
            try c.expect("=")
            if c.peek.text.hasPrefix("capture_v") {
                try captureCall(&c, locals: &locals, target: name.text, declaredKind: "waveform", defcal: defcal, returnBit: nil)
                try declare(name, .result(name.text), locals: &locals, defcal: defcal)
            } else {
                let samples = try waveform(&c, locals)
                try declare(name, .value(.samples(samples)), locals: &locals, defcal: defcal)
            }
            try c.expect(";")
        case "const", "float", "angle", "duration", "complex", "int", "uint", "bool":
            _ = c.next()
            if t.text == "const" { _ = try c.identifier("a type") }
            try skipDesignator(&c)
            let name = try c.identifier("a name")
            if c.accept(";") {
                try declare(name, .value(.number(0)), locals: &locals, defcal: defcal)
                return
            }
            try c.expect("=")
            if c.peek.text.hasPrefix("capture_v") {
                try captureCall(&c, locals: &locals, target: name.text, declaredKind: t.text, defcal: defcal, returnBit: nil)
                try declare(name, .result(name.text), locals: &locals, defcal: defcal)
            } else {
                var v = try value(&c, locals)
                if t.text == "complex", case let .number(x) = v { v = .complex(Complex(x, 0)) }
                try declare(name, .value(v), locals: &locals, defcal: defcal)
            }
            try c.expect(";")
        case "bit":
            // Declared for the gate-level parser already (hoisted); an initializer is a capture.
            guard defcal == nil else { throw error("declare bit registers in cal blocks or at top level, not in defcal bodies", at: t) }
            _ = c.next()
            try skipDesignator(&c)
            let name = try c.identifier("a bit register name")
            if c.accept("=") {
                try captureCall(&c, locals: &locals, target: name.text, index: nil, nameToken: name, declaredKind: "bit", defcal: defcal, returnBit: nil)
            }
            try c.expect(";")
        case "play":
            _ = c.next()
            try c.expect("(")
            let fname = try frameName(&c, locals)
            try c.expect(",")
            let wAt = c.peek
            let samples = try waveform(&c, locals)
            try c.expect(")")
            try c.expect(";")
            try play(frame: fname, samples: samples, at: wAt)
        case "set_phase", "shift_phase", "set_frequency", "shift_frequency":
            _ = c.next()
            try c.expect("(")
            let fname = try frameName(&c, locals)
            try c.expect(",")
            let at = c.peek
            let x = try number(&c, locals, t.text.hasSuffix("phase") ? "the phase (rad)" : "the frequency (Hz)")
            try c.expect(")")
            try c.expect(";")
            var f = frames[fname]!
            switch t.text {
            case "set_phase": f.phaseRad = x
            case "shift_phase": f.phaseRad += x
            default:
                let new = t.text == "set_frequency" ? x / 1e9 : f.frequencyGHz + x / 1e9
                try checkFrequency(new, port: f.port, at: at)
                // Phase-continuous at the frame's time.
                f.phaseRad += 2 * .pi * (new - f.frequencyGHz) * f.clockNs
                f.frequencyGHz = new
            }
            frames[fname] = f
        case "delay":
            _ = c.next()
            try c.expect("[")
            let d = try duration(&c, locals, "the delay")
            try c.expect("]")
            let names = try targets(&c, locals)
            try c.expect(";")
            // Aligns the listed frames (all frames when none are listed), then advances them by d.
            let listed = names.isEmpty ? Array(frames.keys) : names
            let start = occupy(listed, durationNs: 0)
            for n in listed { frames[n]!.clockNs = start + d }
            if (frames.values.map(\.clockNs).max() ?? 0) > limits.maxDurationNs {
                throw error("the program runs past the limit of \(limits.maxDurationNs) ns", at: t)
            }
        case "barrier":
            _ = c.next()
            let names = try targets(&c, locals)
            try c.expect(";")
            _ = occupy(names.isEmpty ? Array(frames.keys) : names, durationNs: 0)
        case "return":
            _ = c.next()
            guard let defcal, defcal.returnsBit else { throw error("'return' is only allowed in a defcal declared '-> bit'", at: t) }
            guard c.peek.text == "capture_v0" || c.peek.text == "capture_v2" else {
                throw error("a measure defcal returns capture_v0(frame)", at: c.peek)
            }
            try captureCall(&c, locals: &locals, target: nil, returnClbit: returnBit, declaredKind: "bit", defcal: defcal, returnBit: returnBit)
            try c.expect(";")
        case let s where s.hasPrefix("capture_v"):
            try captureCall(&c, locals: &locals, target: nil, declaredKind: nil, defcal: defcal, returnBit: returnBit)
            try c.expect(";")
        default:
            // `name = capture…;` or `name[i] = capture…;`
            let name = c.next()
            var index: Int? = nil
            if c.accept("[") {
                let at = c.peek
                let x = try number(&c, locals, "the bit index")
                guard x >= 0, x == x.rounded() else { throw error("bit index must be a non-negative integer", at: at) }
                index = Int(x)
                try c.expect("]")
            }
            guard c.accept("="), c.peek.text.hasPrefix("capture_v") else {
                throw error("unknown statement '\(name.text)' (pulse statements: play, delay, barrier, set_phase, shift_phase, set_frequency, shift_frequency, capture_v0/v1/v3, frame, waveform, extern port)", at: name)
            }
            try captureCall(&c, locals: &locals, target: name.text, index: index, nameToken: name, declaredKind: nil, defcal: defcal, returnBit: returnBit)
            try c.expect(";")
        }
    }

    func checkFrequency(_ ghz: Double, port: PulsePort, at t: PulseToken) throws {
        switch port.kind {
        case .flux:
            guard ghz == 0 else { throw error("flux port \(port.name) carries no carrier: its frames must stay at 0 Hz", at: t) }
        case .drive, .readout:
            guard ghz > 0.5 && ghz < 12 else {
                throw error("frequency \(ghz * 1e9) Hz is outside the band of port \(port.name) (0.5–12 GHz; frequencies are in Hz)", at: t)
            }
        }
    }

    /// Frames (or physical qubits, meaning all their frames) listed after delay/barrier.
    func targets(_ c: inout PulseTokenCursor, _ locals: [String: Binding]) throws -> [String] {
        var out: [String] = []
        while c.peek.kind == .identifier {
            let t = c.next()
            if t.text.hasPrefix("$") {
                guard let q = Int(t.text.dropFirst()), q >= 0, q < calibration.topology.qubitCount else {
                    throw error("bad physical qubit \(t.text)", at: t)
                }
                out += frameNames(qubit: q)
            } else if case let .frame(name)? = lookup(t.text, locals), frameState(name) != nil {
                out.append(name)
            } else {
                throw error("'\(t.text)' is not a frame or a physical qubit", at: t)
            }
            _ = c.accept(",")
        }
        return out
    }

    /// A waveform: a declared name, a literal array or a template call; returns validated samples.
    func waveform(_ c: inout PulseTokenCursor, _ locals: [String: Binding]) throws -> [Complex<Double>] {
        let t = c.peek
        let samples: [Complex<Double>]
        if t.kind == .identifier && c.peek(1).text == "(" && lookup(t.text, locals) == nil {
            samples = try template(&c, locals)
        } else {
            guard case let .samples(s) = try value(&c, locals) else { throw error("expected a waveform", at: t) }
            samples = s
        }
        guard !samples.isEmpty else { throw error("empty waveform", at: t) }
        guard samples.count <= limits.maxSamplesPerWaveform else {
            throw error("waveform of \(samples.count) samples exceeds the limit of \(limits.maxSamplesPerWaveform)", at: t)
        }
        if let k = samples.firstIndex(where: { !($0.length <= 1 + 1e-9) }) {
            throw error("waveform sample \(k) has magnitude \(samples[k].length) > 1 (full scale)", at: t)
        }
        return samples.map { $0.length > 1 ? $0 / Complex($0.length, 0) : $0 }
    }

    func template(_ c: inout PulseTokenCursor, _ locals: [String: Binding]) throws -> [Complex<Double>] {
        let name = c.next()
        try c.expect("(")
        var args: [(PulseValue, PulseToken)] = []
        if !c.accept(")") {
            repeat {
                let at = c.peek
                args.append((try value(&c, locals), at))
            } while c.accept(",")
            try c.expect(")")
        }
        func amp(_ k: Int) throws -> Complex<Double> {
            switch args[k].0 {
            case let .number(x): return Complex(x, 0)
            case let .complex(z): return z
            default: throw error("argument \(k + 1) of \(name.text) must be an amplitude (number or complex)", at: args[k].1)
            }
        }
        func dur(_ k: Int) throws -> Double {
            guard case let .duration(d) = args[k].0, d > 0 else {
                throw error("argument \(k + 1) of \(name.text) must be a positive duration", at: args[k].1)
            }
            return d
        }
        func real(_ k: Int) throws -> Double {
            switch args[k].0 {
            case let .number(x): return x
            case let .duration(d): return d
            default: throw error("argument \(k + 1) of \(name.text) must be a real number", at: args[k].1)
            }
        }
        func flag(_ k: Int) throws -> Bool {
            guard case let .bool(b) = args[k].0 else { throw error("argument \(k + 1) of \(name.text) must be true or false", at: args[k].1) }
            return b
        }
        func arity(_ n: Int, _ signature: String) throws {
            guard args.count == n else { throw error("\(name.text) takes \(n) arguments: \(name.text)(\(signature)); got \(args.count)", at: name) }
        }
        let braket: Bool = if case .duration = args.first?.0 { true } else { false }
        let envelope: Envelope
        let length: Double
        do {
            switch (name.text, braket) {
            case ("gaussian", false):
                try arity(3, "amp, duration, sigma")
                let a = try amp(0); length = try dur(1)
                envelope = try Envelope.gaussian(durationNs: length, sigmaNs: try dur(2), amp: a.length, angle: a.phase)
            case ("gaussian", true):
                try arity(4, "length, sigma, amplitude, zero_at_edges")
                length = try dur(0)
                let a = try amp(2)
                envelope = try flag(3) ? try Envelope.liftedGaussian(durationNs: length, sigmaNs: try dur(1), amp: a.length, angle: a.phase)
                    : try Envelope.gaussian(durationNs: length, sigmaNs: try dur(1), amp: a.length, angle: a.phase)
            case ("drag", _):
                try arity(4, "amp, duration, sigma, beta")
                let a = try amp(0); length = try dur(1)
                envelope = try Envelope.drag(durationNs: length, sigmaNs: try dur(2), betaNs: try real(3), amp: a.length, angle: a.phase)
            case ("drag_gaussian", _):
                try arity(5, "length, sigma, beta, amplitude, zero_at_edges")
                length = try dur(0)
                guard try !flag(4) else { throw error("drag_gaussian with zero_at_edges = true is not supported", at: args[4].1) }
                let a = try amp(3)
                envelope = try Envelope.drag(durationNs: length, sigmaNs: try dur(1), betaNs: try real(2), amp: a.length, angle: a.phase)
            case ("constant", false):
                try arity(2, "amp, duration")
                let a = try amp(0); length = try dur(1)
                envelope = try Envelope.constant(durationNs: length, amp: a.length, angle: a.phase)
            case ("constant", true):
                try arity(2, "length, iq")
                length = try dur(0)
                let a = try amp(1)
                envelope = try Envelope.constant(durationNs: length, amp: a.length, angle: a.phase)
            case ("gaussian_square", _):
                try arity(4, "amp, duration, square_width, sigma")
                let a = try amp(0); length = try dur(1)
                let width = try real(2), sigma = try dur(3)
                guard width >= 0, width < length else { throw error("square_width must lie in [0, duration)", at: args[2].1) }
                envelope = try Envelope.flatTopErf(durationNs: length, riseNs: (length - width) / 2, edgeSigmaNs: sigma, amp: a.length, angle: a.phase)
            case ("erf_square", _):
                try arity(6, "length, width, sigma, off_center, amplitude, zero_at_edges")
                length = try dur(0)
                let width = try real(1), sigma = try dur(2)
                guard try real(3) == 0 else { throw error("erf_square with off_center ≠ 0 is not supported", at: args[3].1) }
                guard width >= 0, width < length else { throw error("width must lie in [0, length)", at: args[1].1) }
                let a = try amp(4)
                envelope = try Envelope.flatTopErf(durationNs: length, riseNs: (length - width) / 2, edgeSigmaNs: sigma, amp: a.length, angle: a.phase)
            default:
                throw error("unknown waveform template '\(name.text)' (gaussian, drag, drag_gaussian, constant, gaussian_square, erf_square, or a literal {…})", at: name)
            }
        } catch let e as PulseError {
            throw error("\(name.text): \(e)", at: name)
        }
        let n = length / OpenPulseDevice.dtNs
        guard abs(n - n.rounded()) < 1e-6 else { throw error("\(name.text): length \(length) ns is not a whole number of 0.5-ns samples", at: name) }
        guard n.rounded() <= Double(limits.maxSamplesPerWaveform) else {
            throw error("\(name.text): \(Int(n.rounded())) samples exceed the limit of \(limits.maxSamplesPerWaveform)", at: name)
        }
        do { return try envelope.samples(sampleRateGHz: PulseLowering.sampleRateGHz) }
        catch { throw self.error("\(name.text): \(error)", at: name) }
    }

    func play(frame name: String, samples: [Complex<Double>], at t: PulseToken) throws {
        guard playCount < limits.maxPlays else { throw error("more than \(limits.maxPlays) plays", at: t) }
        playCount += 1
        let f = frames[name]!
        if f.port.kind == .flux, let k = samples.firstIndex(where: { abs($0.imaginary) > 1e-12 || abs($0.real) > 0.5 }) {
            throw error("flux waveform sample \(k) = \(samples[k]): flux plays are real offsets from idle in Φ0, |Φ| ≤ 0.5", at: t)
        }
        let duration = Double(samples.count) * OpenPulseDevice.dtNs
        let start = f.clockNs
        frames[name]!.clockNs = start + duration
        try emit(.play(port: f.port, frequencyGHz: f.frequencyGHz, phaseRad: f.phaseRad, samples: samples),
                 start: start, duration: duration, at: t)
    }

    /// `capture_v0(frame)`, `capture_v1(frame[, duration|waveform])`, `capture_v3(frame, duration)`.
    func captureCall(_ c: inout PulseTokenCursor, locals: inout [String: Binding], target: String?, index: Int? = nil,
                     nameToken: PulseToken? = nil, returnClbit: Int? = nil, declaredKind: String?, defcal: Defcal?, returnBit: Int?) throws {
        let call = c.next()
        let version = call.text
        guard ["capture_v0", "capture_v1", "capture_v2", "capture_v3"].contains(version) else {
            throw error("unknown capture '\(version)' (capture_v0 bit, capture_v1 IQ, capture_v3 raw trace)", at: call)
        }
        try c.expect("(")
        let fAt = c.peek
        let fname = try frameName(&c, locals)
        var durationNs: Double? = nil
        if c.accept(",") {
            let at = c.peek
            var probe = c
            let probed = try? value(&probe, locals)
            if c.peek.kind == .identifier && c.peek(1).text == "(" || { if case .samples? = probed { return true } else { return false } }() {
                durationNs = Double(try waveform(&c, locals).count) * OpenPulseDevice.dtNs
            } else {
                durationNs = try duration(&c, locals, "the capture duration")
            }
            guard durationNs! > 0 else { throw error("the capture duration must be positive", at: at) }
        }
        try c.expect(")")
        let f = frames[fname]!
        guard f.port.kind == .readout else { throw error("\(version) needs a readout frame (q<k>_readout or a frame on ro<k>), got \(fname) on \(f.port.name)", at: fAt) }
        let q = f.port.element
        let kind: CaptureKind
        switch version {
        case "capture_v0", "capture_v2":
            var clbit: Int? = returnClbit
            if let target {
                guard let r = program.circuit.classicalRegisters.first(where: { $0.name == target }) else {
                    throw error("'\(target)' is not a declared bit register", at: nameToken ?? call)
                }
                let k = index ?? 0
                guard k < r.size else { throw error("bit index \(k) is out of range for \(target)[\(r.size)]", at: nameToken ?? call) }
                guard index != nil || r.size == 1 else { throw error("assign the capture to one bit: \(target)[k]", at: nameToken ?? call) }
                clbit = r.start + k
            }
            kind = .bit(clbit: clbit)
        case "capture_v1":
            if let declaredKind, declaredKind != "complex" { throw error("capture_v1 returns complex (IQ), not \(declaredKind)", at: call) }
            kind = .iq(index: iqNames.count)
            if !dryRun { iqNames.append(target ?? "iq\(iqNames.count)") }
        default:
            if let declaredKind, declaredKind != "waveform" { throw error("capture_v3 returns a waveform (raw trace), not \(declaredKind)", at: call) }
            guard let d = durationNs else { throw error("capture_v3 needs a duration: capture_v3(frame, 1us)", at: call) }
            let samples = Int((d * OpenPulseDevice.adcRateGSps).rounded())
            guard samples <= limits.maxRawTraceSamples else {
                throw error("capture_v3 of \(samples) ADC samples exceeds the limit of \(limits.maxRawTraceSamples)", at: call)
            }
            kind = .trace(index: traceNames.count)
            if !dryRun { traceNames.append(target ?? "trace\(traceNames.count)") }
        }
        // A capture first aligns every frame of its qubit (program order = time order for that qubit's
        // readout, as Braket programs assume), then holds them for the window.
        try capture(qubit: q, frame: fname, kind: kind, durationNs: durationNs, names: Array(Set(frameNames(qubit: q) + [fname])), at: call)
    }
}
