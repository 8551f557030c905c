// Optimization: cancelling pairs disappear, RZ merges through CZ, and gate counts drop.
import Testing
import WukongCircuits
@testable import WukongCompiler

@Test func optimizationReducesGateCountsOnCancellingPairs() throws {
    let target = Fixtures.target(rows: 1, cols: 3)
    var circuit = Circuit(numQubits: 3)
    try circuit.append(.h, [0]); try circuit.append(.h, [0])
    try circuit.append(.cx, [0, 1]); try circuit.append(.cx, [0, 1])
    try circuit.append(.cz, [1, 2]); try circuit.append(.cz, [1, 2])
    try circuit.append(.rz, [2], [0.4]); try circuit.append(.cz, [1, 2]); try circuit.append(.rz, [2], [-0.4])
    try circuit.append(.cz, [1, 2])
    try circuit.append(.rphi, [1], [0.9, 0.2]); try circuit.append(.rphi, [1], [-0.9, 0.2])
    try circuit.append(.x, [2]); try circuit.append(.x, [2])
    let plain = try Compiler.compile(circuit, target: target, options: CompileOptions(layout: .trivial, optimize: false))
    let optimized = try Compiler.compile(circuit, target: target, options: CompileOptions(layout: .trivial))
    #expect(optimized.stats.operationCount == 0, "left \(optimized.routed.instructions)")
    #expect(plain.stats.operationCount > 10)
    #expect(try routedDistance(optimized) < equivalenceTolerance)
    #expect(try routedDistance(plain) < equivalenceTolerance)
}

@Test func virtualZCommutesThroughCZAndMerges() throws {
    var circuit = Circuit(numQubits: 2)
    try circuit.append(.rz, [0], [0.3])
    try circuit.append(.cz, [0, 1])
    try circuit.append(.rz, [0], [0.5])
    try circuit.append(.cz, [0, 1])
    try circuit.append(.rz, [0], [0.2])
    try circuit.append(.rphi, [0], [1.0, 0.0])
    let out = try run([CommuteVirtualZPass()], on: circuit)
    let rz = out.instructions.filter { if case .gate(let g) = $0.operation { return g.gate == .rz }; return false }
    #expect(rz.count == 1)
    #expect(try unitary(out).distanceUpToGlobalPhase(to: try unitary(circuit)) < equivalenceTolerance)
}

@Test(arguments: 0..<4)
func optimizationNeverIncreasesGateCounts(seed: Int) throws {
    // On one routed circuit (optimizing before routing changes SWAP choices, so compare after).
    let target = Fixtures.target(rows: 2, cols: 3)
    let circuit = try randomCircuit(qubits: 6, gates: 30, seed: UInt64(700 + seed))
    let plain = try Compiler.compile(circuit, target: target, options: CompileOptions(optimize: false))
    var state = CompilationState(circuit: plain.routed)
    state.initialLayout = plain.initialLayout
    state.finalLayout = plain.finalLayout
    _ = try PassManager(Compiler.optimizationPipeline(dropZBeforeMeasurement: true)).run(&state, target: target)
    let after = CircuitStats(state.circuit)
    #expect(after.twoQubitGateCount <= plain.stats.twoQubitGateCount)
    #expect(after.counts["rphi", default: 0] < plain.stats.counts["rphi", default: 0])
    let d = try unitary(state.circuit).distanceUpToGlobalPhase(to: try unitary(plain.routed))
    #expect(d < equivalenceTolerance, "seed \(seed): distance \(d)")
}
