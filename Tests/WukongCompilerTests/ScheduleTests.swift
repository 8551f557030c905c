// Scheduling: durations come from calibration, no qubit is double-booked, CZ holds both qubits,
// dependencies are kept, and the virtual-Z frames reproduce the native circuit.
import Testing
import Numerics
import WukongCircuits
import WukongDevice
@testable import WukongCompiler

/// Checks that per-qubit intervals do not overlap and follow program order.
private func checkNoDoubleBooking(_ schedule: ScheduledProgram, qubits: Int) {
    var last = [(end: Double, index: Int)](repeating: (0, -1), count: qubits)
    for t in schedule.instructions.sorted(by: { $0.circuitIndex < $1.circuitIndex }) {
        for q in t.operation.qubits {
            #expect(t.startNs >= last[q].end - 1e-9, "qubit \(q) double-booked at \(t.startNs) ns: \(t.operation)")
            #expect(t.circuitIndex >= last[q].index)
            last[q] = (max(last[q].end, t.endNs), t.circuitIndex)
        }
    }
}

@Test(arguments: [SchedulingPolicy.asap, .alap])
func scheduleRespectsDependenciesAndDurations(policy: SchedulingPolicy) throws {
    let snapshot = Fixtures.wukongSnapshot
    let target = CompilerTarget(calibration: snapshot)
    var circuit = try randomCircuit(qubits: 6, gates: 40, seed: 77)
    circuit.numClbits = 6
    circuit.classicalRegisters = [Register(name: "c", start: 0, size: 6)]
    for q in 0..<6 { try circuit.measure(q, q) }
    let program = try Compiler.compile(circuit, target: target,
                                       options: CompileOptions(scheduling: SchedulingOptions(policy: policy)))
    let s = program.schedule
    checkNoDoubleBooking(s, qubits: 72)
    for t in s.instructions {
        switch t.operation {
        case .rphi(let q, _, _, _): #expect(t.durationNs == snapshot.value(.rphiDuration, q))
        case .cz(let c, let qs):
            #expect(t.durationNs == snapshot.value(.czDuration, c))
            #expect(qs.count == 2 && target.areCoupled(qs[0], qs[1]))
        case .measure(let q, _): #expect(t.durationNs == snapshot.value(.readoutDuration, q))
        case .frameShift, .barrier: #expect(t.durationNs == 0)
        case .reset: break
        }
    }
    #expect(s.instructions.map(\.endNs).max() == s.durationNs)
    // ASAP and ALAP have the same critical path.
    let other = try Scheduler.schedule(program.routed, target: target,
                                       options: SchedulingOptions(policy: policy == .asap ? .alap : .asap))
    #expect(abs(other.durationNs - s.durationNs) < 1e-9)
    #expect(zip(s.instructions, s.instructions.dropFirst()).allSatisfy { $0.startNs <= $1.startNs })
}

@Test func conditionedOperationsWaitForTheirMeasurement() throws {
    let target = Fixtures.target(rows: 1, cols: 3)
    var circuit = Circuit(numQubits: 2, numClbits: 1)
    try circuit.append(.x, [0])
    try circuit.measure(0, 0)
    try circuit.append(.x, [1], condition: ClassicalCondition(clbits: 0..<1, value: 1))
    let program = try Compiler.compile(circuit, target: target, options: CompileOptions(layout: .trivial))
    let measureEnd = program.schedule.instructions.first { if case .measure = $0.operation { return true }; return false }!.endNs
    let conditioned = program.schedule.instructions.filter { $0.condition != nil }
    #expect(!conditioned.isEmpty)
    #expect(conditioned.allSatisfy { $0.startNs >= measureEnd })
}

@Test(arguments: 0..<4)
func virtualZFramesReproduceTheUnitary(seed: Int) throws {
    // A snapshot with non-zero CZ corrections on every coupler of a 2 × 3 grid.
    var spec = Fixtures.spec
    spec.rows = 2; spec.cols = 3
    let nominal = try CalibrationSnapshot.nominal(spec: spec)
    let updates = (0..<nominal.topology.couplerCount).map {
        CalibrationUpdate(.czVirtualZ, element: $0, real: [0.3 + 0.1 * Double($0), -0.7 + 0.05 * Double($0)],
                          imag: nil, source: "test")
    }
    let target = CompilerTarget(calibration: try nominal.updating(updates, note: "test corrections"))
    let program = try Compiler.compile(try randomCircuit(qubits: 6, gates: 25, seed: UInt64(500 + seed)), target: target)
    // Rebuild the physical program: pulses as played (RPhi at drive phase, the raw CZ pulse
    // CZ·(RZ(−φ_low) ⊗ RZ(−φ_high))), then the residual Z the frames leave on each qubit.
    var played = Circuit(quantumRegisters: [], classicalRegisters: [], numQubits: 6, numClbits: 0)
    for t in program.schedule.instructions.sorted(by: { $0.circuitIndex < $1.circuitIndex }) {
        switch t.operation {
        case .rphi(let q, let theta, _, let phase): try played.append(.rphi, [q], [.constant(theta), .constant(phase)])
        case .cz(let c, let qs):
            try played.append(.cz, qs)
            let corrections = target.czVirtualZ[c]
            try played.append(.rz, [qs[0]], [.constant(-corrections[0])])
            try played.append(.rz, [qs[1]], [.constant(-corrections[1])])
        default: break
        }
    }
    for q in 0..<6 { try played.append(.rz, [q], [.constant(program.schedule.residualZ[q])]) }
    let d = try unitary(played).distanceUpToGlobalPhase(to: try unitary(program.routed))
    #expect(d < equivalenceTolerance, "seed \(seed): distance \(d)")
}
