// Compiler equivalence (issue 5's check): random circuits keep their unitary through every pass and
// through the whole pipeline, up to the layout permutation and global phase.
import Testing
import WukongCircuits
@testable import WukongCompiler

@Test(arguments: 0..<24)
func compiledCircuitMatchesSource(seed: Int) throws {
    // Six logical qubits fill a 2 × 3 grid; every fourth seed leaves one physical qubit as an ancilla.
    let target = Fixtures.target(rows: 2, cols: 3)
    let logical = seed % 4 == 3 ? 5 : 6
    let circuit = try randomCircuit(qubits: logical, gates: 30, seed: UInt64(seed))
    let program = try Compiler.compile(circuit, target: target)
    let d = try routedDistance(program)
    #expect(d < equivalenceTolerance, "seed \(seed): distance \(d)")
    #expect(program.routed.instructions.allSatisfy(NativeGates.isNative), "seed \(seed)")
    for i in program.routed.instructions {
        if case .gate(let g) = i.operation, g.gate == .cz { #expect(target.areCoupled(g.qubits[0], g.qubits[1])) }
    }
}

@Test(arguments: [100, 101])
func compiledEightQubitCircuitMatchesSource(seed: Int) throws {
    let target = Fixtures.target(rows: 2, cols: 4)
    let circuit = try randomCircuit(qubits: 8, gates: 24, seed: UInt64(seed))
    let program = try Compiler.compile(circuit, target: target)
    let d = try routedDistance(program)
    #expect(d < equivalenceTolerance, "seed \(seed): distance \(d)")
}

@Test(arguments: 0..<6)
func eachPassKeepsTheUnitary(seed: Int) throws {
    let target = Fixtures.target(rows: 1, cols: 5)
    let circuit = try randomCircuit(qubits: 5, gates: 25, seed: UInt64(1000 + seed))
    let reference = try unitary(circuit)
    // Logical-qubit passes, each alone on the output of the previous.
    var current = circuit
    let passes: [any CompilerPass] = [UnrollPass(), BasisTranslationPass(), MergeSingleQubitPass(),
                                      CommuteVirtualZPass(dropBeforeMeasurement: false), InverseCancellationPass(),
                                      MergeSingleQubitPass()]
    for pass in passes {
        current = try run([pass], on: current, target: target)
        let d = try unitary(current).distanceUpToGlobalPhase(to: reference)
        #expect(d < equivalenceTolerance, "seed \(seed), pass \(pass.name): distance \(d)")
    }
    // Layout and routing keep it up to their permutations.
    var state = CompilationState(circuit: current)
    try LayoutPass(.sabre(iterations: 1)).run(&state, target: target)
    let laid = try unitary(state.circuit) * permutation(state.initialLayout!)
    #expect(laid.distanceUpToGlobalPhase(to: permutation(state.initialLayout!) * reference) < equivalenceTolerance)
    try RoutingPass().run(&state, target: target)
    let routed = try unitary(state.circuit) * permutation(state.initialLayout!)
    #expect(routed.distanceUpToGlobalPhase(to: permutation(state.finalLayout!) * reference) < equivalenceTolerance)
}
