// Routing and layout: only enabled couplers carry CZ, disabled ones are avoided, and programs on
// physical qubits keep their placement.
import Testing
import WukongCircuits
import WukongDevice
@testable import WukongCompiler

/// CZ gates of a circuit as coupler ids.
private func czCouplers(_ circuit: Circuit, _ target: CompilerTarget) -> [Int?] {
    circuit.instructions.compactMap { i -> Int?? in
        guard case .gate(let g) = i.operation, g.gate == .cz else { return nil }
        return .some(target.topology.coupler(between: QubitIndex(g.qubits[0]), QubitIndex(g.qubits[1]))?.rawValue)
    }
}

@Test(arguments: 0..<8)
func routingOnlyUsesEnabledCouplers(seed: Int) throws {
    let target = Fixtures.target(rows: 2, cols: 3)
    let program = try Compiler.compile(try randomCircuit(qubits: 6, gates: 30, seed: UInt64(200 + seed)), target: target)
    for c in czCouplers(program.routed, target) {
        #expect(c != nil && target.couplerEnabled[c!], "seed \(seed): CZ off an enabled coupler")
    }
}

@Test(arguments: 0..<8)
func disabledCouplersAreAvoided(seed: Int) throws {
    // 2 × 3 grid: horizontal couplers 0–3, vertical 4–6. Disable the middle rung (q1–q4) and q0–q1;
    // the graph stays connected (a path 0–3–4–5–2–1).
    let disabled = [0, 5]
    let target = Fixtures.target(rows: 2, cols: 3, disabled: disabled)
    #expect(!target.areCoupled(1, 4) && !target.areCoupled(0, 1))
    let circuit = try randomCircuit(qubits: 6, gates: 24, seed: UInt64(300 + seed))
    let program = try Compiler.compile(circuit, target: target)
    let used = czCouplers(program.routed, target)
    #expect(used.allSatisfy { $0 != nil && !disabled.contains($0!) }, "seed \(seed): used \(used)")
    let d = try routedDistance(program)
    #expect(d < equivalenceTolerance, "seed \(seed): distance \(d)")
}

@Test func disconnectedTargetsAreRejected() throws {
    // 1 × 4 line with its middle coupler off: qubits {0, 1} and {2, 3} cannot interact.
    let target = Fixtures.target(rows: 1, cols: 4, disabled: [1])
    var circuit = Circuit(numQubits: 4)
    try circuit.append(.cz, [0, 3])
    #expect(throws: CompilerError.self) { try Compiler.compile(circuit, target: target, options: CompileOptions(layout: .trivial)) }
}

@Test func physicalQubitsKeepTheirPlacement() throws {
    let source = """
        OPENQASM 3;
        include "stdgates.inc";
        bit[2] c;
        h $7;
        cx $7, $13;
        c[0] = measure $7;
        c[1] = measure $13;
        """
    let circuit = try ProgramReader.parse(source)
    let target = CompilerTarget(calibration: Fixtures.wukongSnapshot)
    let program = try Compiler.compile(circuit, target: target)
    #expect(Array(program.initialLayout.logicalToPhysical[7...13]) == Array(7...13))
    #expect(program.swapCount == 0)
    let touched = Set(program.routed.instructions.flatMap { $0.operation.qubits })
    #expect(touched == [7, 13])
    let text = try CircuitExporter.qasm3(program.routed)
    #expect(text.contains("$13"))
}

@Test func wukongLayoutUsesAConnectedRegion() throws {
    let target = CompilerTarget(calibration: Fixtures.wukongSnapshot)
    var circuit = Circuit(numQubits: 5, numClbits: 5)
    try circuit.append(.h, [0])
    for q in 1..<5 { try circuit.append(.cx, [0, q]) }
    for q in 0..<5 { try circuit.measure(q, q) }
    let program = try Compiler.compile(circuit, target: target)
    #expect(program.routed.numQubits == 72)
    #expect(program.stats.counts["cz"] == 4 + 3 * program.swapCount || program.stats.counts["cz", default: 0] <= 4 + 3 * program.swapCount)
    for c in czCouplers(program.routed, target) { #expect(c != nil && target.couplerEnabled[c!]) }
}

/// The full-chip nominal snapshot with qubits `qubits` and couplers `couplers` marked as calibrated
/// (values unchanged, sources from an experiment).
private func partlyCalibrated(qubits: [Int], couplers: [Int]) throws -> CompilerTarget {
    let nominal = Fixtures.wukongSnapshot
    var updates: [CalibrationUpdate] = []
    for q in qubits {
        for key in [CalibrationFieldKey.piAmplitude, .driveFrequency] {
            updates.append(CalibrationUpdate(key, element: q, value: nominal.value(key, q), source: "rabi test"))
        }
    }
    for c in couplers {
        updates.append(CalibrationUpdate(.czCouplerAmplitude, element: c, value: nominal.value(.czCouplerAmplitude, c),
                                         source: "cz_phase test"))
    }
    return CompilerTarget(calibration: try nominal.updating(updates, note: "partly calibrated"))
}

@Test func layoutPrefersCalibratedQubitsAndCouplers() throws {
    // Row 0 (q0–q4, horizontal couplers 0–3) calibrated. On the nominal chip the densest 5-qubit region is
    // a 2×2 block plus one ([0, 1, 2, 6, 7] in the lab), which would put a GHZ chain on uncalibrated qubits.
    var ghz = Circuit(numQubits: 5, numClbits: 5)
    try ghz.append(.h, [0])
    for k in 0..<4 { try ghz.append(.cx, [k, k + 1]) }
    let target = try partlyCalibrated(qubits: Array(0...4), couplers: Array(0...3))
    #expect(target.qubitCalibrated.filter { $0 }.count == 5 && target.couplerCalibrated.filter { $0 }.count == 4)
    let program = try Compiler.compile(ghz, target: target)
    #expect(Set(program.initialLayout.logicalToPhysical) == Set(0...4), "\(program.initialLayout.logicalToPhysical)")
    for c in czCouplers(program.routed, target) { #expect(c.map { (0...3).contains($0) } == true, "CZ on coupler \(String(describing: c))") }
    // Without calibrated elements the plain densest region is kept (it is not the row).
    let plain = try Compiler.compile(ghz, target: CompilerTarget(calibration: Fixtures.wukongSnapshot))
    #expect(Set(plain.initialLayout.logicalToPhysical) != Set(0...4))
    // Too few calibrated qubits for the program: fall back to the whole chip, preferring calibrated ones.
    let small = try partlyCalibrated(qubits: [0, 1], couplers: [0])
    let wide = try Compiler.compile(ghz, target: small)
    #expect(wide.initialLayout.logicalToPhysical.count == 5)
    #expect(Set(wide.initialLayout.logicalToPhysical).isSuperset(of: [0, 1]))
}
