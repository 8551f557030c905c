// Batch properties: results in input order, equal to one-by-one evaluation, and bit-for-bit
// independent of the worker count; circuit batches reproduce single runs with the same seeds.
import Foundation
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct BatchTests {
    @Test func expectationBatchMatchesSingleCallsForAnyWorkerCount() {
        let compiled = HardwareEfficientAnsatz(qubits: 5, layers: 2).compiled()
        var rng = SeededGenerator(seed: 61)
        let sets = (0..<37).map { _ in randomAngles(compiled.parameterCount, &rng) }
        let observables = [randomPauliSum(qubits: 5, terms: 4, &rng), PauliSum([(1, PauliString("ZIIII")!)])]
        let one = compiled.expectations(of: observables, parameterSets: sets, options: BatchOptions(workerCount: 1))
        let three = compiled.expectations(of: observables, parameterSets: sets, options: BatchOptions(workerCount: 3))
        #expect(one == three, "seed 61")
        for (i, x) in sets.enumerated() {
            for (j, o) in observables.enumerated() {
                #expect(one[i][j] == compiled.expectation(of: o, at: x), "seed 61, item \(i)")
            }
        }
        #expect(compiled.expectations(of: observables[0], parameterSets: sets) == one.map { $0[0] })
        #expect(compiled.expectations(of: observables[0], parameterSets: []).isEmpty)
    }

    @Test func gradientBatchMatchesSingleCalls() throws {
        var rng = SeededGenerator(seed: 62)
        let circuit = randomParameterizedCircuit(qubits: 4, gates: 20, &rng)
        let compiled = try CompiledCircuit(circuit, parameterOrder: testSymbols)
        let h = randomPauliSum(qubits: 4, terms: 3, &rng)
        let sets = (0..<9).map { _ in randomAngles(compiled.parameterCount, &rng) }
        for method in [GradientMethod.adjoint, .parameterShift] {
            let serial = compiled.gradients(of: h, parameterSets: sets, method: method, options: BatchOptions(workerCount: 1))
            let parallel = compiled.gradients(of: h, parameterSets: sets, method: method, options: BatchOptions(workerCount: 2))
            #expect(serial == parallel, "seed 62, \(method)")
            for (i, x) in sets.enumerated() {
                #expect(serial[i] == compiled.gradient(of: h, at: x, method: method), "seed 62, item \(i)")
            }
        }
    }

    @Test func circuitBatchReproducesSingleRuns() throws {
        var items: [CircuitBatchItem] = []
        for k in 0..<12 {
            let ansatz = HardwareEfficientAnsatz(qubits: 3 + k % 3, layers: 1 + k % 2, entangler: k % 2 == 0 ? .cz : .cx)
            var rng = SeededGenerator(seed: UInt64(100 + k))
            let values = Dictionary(uniqueKeysWithValues: zip(ansatz.parameterNames, randomAngles(ansatz.parameterCount, &rng)))
            items.append(CircuitBatchItem(circuit: ansatz.circuit, parameters: values, seed: UInt64(k), shots: 200))
        }
        let results = try CircuitBatch.run(items, options: BatchOptions(workerCount: 2))
        #expect(results.count == items.count)
        for (item, result) in zip(items, results) {
            var options = GateRunOptions()
            options.shots = item.shots
            options.seed = item.seed
            options.parameters = item.parameters
            options.execution = .serial
            let single = try CircuitSimulator.run(item.circuit, options: options)
            #expect(single.counts == result.counts, "seed \(item.seed)")
            #expect(result.counts.values.reduce(0, +) == 200)
        }
    }

    @Test func circuitBatchThrowsTheFirstFailure() throws {
        let fine = CircuitBatchItem(circuit: Circuit(numQubits: 2), seed: 0, shots: 10)
        let unbound = CircuitBatchItem(circuit: HardwareEfficientAnsatz(qubits: 2, layers: 1).circuit, seed: 1)
        #expect(throws: GateSimulatorError.unboundParameter("theta_0000_00_0")) {
            try CircuitBatch.run([fine, unbound, unbound])
        }
        #expect(try CircuitBatch.run([fine, fine]).count == 2)
    }
}
