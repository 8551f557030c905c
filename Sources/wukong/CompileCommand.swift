// `wukong compile`: run the gate compiler against a calibration snapshot and print the native
// circuit, the routed circuit (OpenQASM 3 on physical qubits `$k`) or the timed schedule.
import ArgumentParser
import Foundation
import WukongCircuits
import WukongCompiler
import WukongDevice

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile an OpenQASM 2/3 or OriginIR program to native gates, routed and scheduled on the chip.")

    enum Emit: String, ExpressibleByArgument, CaseIterable { case native, routed, schedule }
    enum LayoutChoice: String, ExpressibleByArgument, CaseIterable { case auto, trivial, dense, sabre }

    @Argument(help: "The program file (.qasm or OriginIR).") var file: String
    @Option(help: "What to print: native, routed or schedule.") var emit: Emit = .schedule
    @Option(help: "Calibration snapshot (default: $WUKONG_CALIBRATION, else calibration/nominal.h5).") var calibration: String?
    @Option(help: "Scheduling policy: asap or alap.") var policy: String = "asap"
    @Option(help: "Layout: auto (trivial for $k programs, else sabre), trivial, dense or sabre.") var layout: LayoutChoice = .auto
    @Option(help: "Bind a symbolic parameter, NAME=VALUE (repeatable).") var param: [String] = []
    @Flag(help: "Skip the optimization passes.") var noOptimize = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let path = calibration ?? ProcessInfo.processInfo.environment["WUKONG_CALIBRATION"] ?? "calibration/nominal.h5"
        let snapshot = reportingErrors { try CalibrationSnapshot.read(from: path) }
        let circuit = reportingErrors { try ProgramReader.read(path: file) }
        guard let policy = SchedulingPolicy(rawValue: policy.lowercased()) else { fail("--policy must be asap or alap") }
        var options = CompileOptions(optimize: !noOptimize, scheduling: SchedulingOptions(policy: policy))
        switch layout {
        case .auto: options.layout = nil
        case .trivial: options.layout = .trivial
        case .dense: options.layout = .dense
        case .sabre: options.layout = .sabre(iterations: 2)
        }
        for binding in param {
            let parts = binding.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]) else { fail("--param '\(binding)' is not NAME=VALUE") }
            options.parameters[parts[0]] = value
        }
        let target = CompilerTarget(calibration: snapshot)
        let program = reportingErrors { try Compiler.compile(circuit, target: target, options: options) }
        if json {
            let data = try JSONSerialization.data(withJSONObject: document(program), options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(text(program))
        }
    }

    /// Human-readable output: a summary, then one instruction per line.
    func text(_ p: CompiledProgram) -> String {
        var lines = [
            "// compiled for calibration \(p.calibrationID)",
            "// layout (logical -> physical): start \(p.initialLayout.logicalToPhysical), end \(p.finalLayout.logicalToPhysical)",
            "// \(p.stats.operationCount) operations, \(p.stats.twoQubitGateCount) CZ, depth \(p.stats.depth), "
                + "\(p.swapCount) SWAPs, duration \(format(p.durationNs)) ns",
        ]
        switch emit {
        case .native, .routed:
            let circuit = emit == .native ? p.native : p.routed
            lines.append(reportingErrors { try CircuitExporter.qasm3(circuit) })
        case .schedule:
            lines.append(String(format: "// %@ schedule: start_ns duration_ns operation", p.schedule.policy.rawValue))
            for t in p.schedule.instructions {
                let condition = t.condition.map { " if c[\($0.clbits.lowerBound)..<\($0.clbits.upperBound)] == \($0.value)" } ?? ""
                lines.append(String(format: "%10.1f %8.1f  ", t.startNs, t.durationNs) + describe(t.operation) + condition)
            }
            let residual = p.schedule.residualZ.enumerated().filter { abs($0.element) > 1e-12 }
            if !residual.isEmpty {
                lines.append("// residual virtual Z at the end: " + residual.map { "q\($0.offset): \(format($0.element))" }.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    func describe(_ op: ScheduledOperation) -> String {
        switch op {
        case .rphi(let q, let theta, let phi, let drive):
            return "rphi q\(q) theta=\(format(theta)) phi=\(format(phi)) drive_phase=\(format(drive))"
        case .frameShift(let q, let shift, let fromCZ): return "frame q\(q) += \(format(shift))" + (fromCZ ? " (cz correction)" : "")
        case .cz(let c, let qs): return "cz c\(c) q\(qs[0]) q\(qs[1])"
        case .measure(let q, let c): return "measure q\(q) -> c\(c)"
        case .reset(let q): return "reset q\(q)"
        case .barrier(let qs): return "barrier " + qs.map { "q\($0)" }.joined(separator: " ")
        }
    }

    func format(_ x: Double) -> String { String(format: "%.6g", x) }

    /// The JSON document: layout, stats, pass records, and the emitted form.
    func document(_ p: CompiledProgram) -> [String: Any] {
        var doc: [String: Any] = [
            "calibration": p.calibrationID,
            "initial_layout": p.initialLayout.logicalToPhysical,
            "final_layout": p.finalLayout.logicalToPhysical,
            "duration_ns": p.durationNs,
            "swaps": p.swapCount,
            "stats": ["counts": p.stats.counts, "operations": p.stats.operationCount,
                      "two_qubit_gates": p.stats.twoQubitGateCount, "depth": p.stats.depth],
            "passes": p.passes.map { ["pass": $0.pass, "elapsed_ms": $0.elapsedMs, "operations_before": $0.operationsBefore,
                                      "operations_after": $0.operationsAfter, "depth_after": $0.depthAfter] },
            "emit": emit.rawValue,
        ]
        switch emit {
        case .native, .routed:
            doc["qasm3"] = reportingErrors { try CircuitExporter.qasm3(emit == .native ? p.native : p.routed) }
        case .schedule:
            doc["policy"] = p.schedule.policy.rawValue
            doc["final_frames"] = p.schedule.finalFrames
            doc["instructions"] = p.schedule.instructions.map { t -> [String: Any] in
                var e: [String: Any] = ["start_ns": t.startNs, "duration_ns": t.durationNs]
                switch t.operation {
                case .rphi(let q, let theta, let phi, let drive):
                    e.merge(["op": "rphi", "qubits": [q], "theta": theta, "phi": phi, "drive_phase": drive]) { $1 }
                case .frameShift(let q, let shift, let fromCZ):
                    e.merge(["op": "frame_shift", "qubits": [q], "shift": shift, "cz_correction": fromCZ]) { $1 }
                case .cz(let c, let qs): e.merge(["op": "cz", "coupler": c, "qubits": qs]) { $1 }
                case .measure(let q, let c): e.merge(["op": "measure", "qubits": [q], "clbit": c]) { $1 }
                case .reset(let q): e.merge(["op": "reset", "qubits": [q]]) { $1 }
                case .barrier(let qs): e.merge(["op": "barrier", "qubits": qs]) { $1 }
                }
                if let c = t.condition {
                    e["condition"] = ["clbits": [c.clbits.lowerBound, c.clbits.upperBound], "value": c.value]
                }
                return e
            }
        }
        return doc
    }
}
