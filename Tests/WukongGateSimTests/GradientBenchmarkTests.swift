// Gradient and batch timings, run only with WUKONG_BENCH set (use a release build): the 12-qubit ×
// 8-layer ansatz gradient (goal ≥ 60 gradients/s on one core, reference/gate-tools.md) and a
// 200-item batch of 8-qubit expectations.
import Foundation
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct GradientBenchmarkTests {
    /// Best-of-`repetitions` wall time of `body` in seconds.
    func bestTime(_ repetitions: Int, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9)
        }
        return best
    }

    /// Z on every qubit (6 of them) plus ZZ on the first 6 neighbouring pairs: 12 terms.
    func twelveTermSum(_ n: Int) -> PauliSum {
        let singles = (0..<6).map { (coefficient: 1.0 / Double($0 + 1), pauli: PauliString([(qubit: $0, pauli: .z)])) }
        let pairs = (0..<6).map { (coefficient: 0.5, pauli: PauliString([(qubit: $0, pauli: .z), (qubit: $0 + 1, pauli: .z)])) }
        return PauliSum(singles + pairs)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["WUKONG_BENCH"] != nil))
    func printGradientBenchmark() {
        var rng = SeededGenerator(seed: 2024)
        let ansatz = HardwareEfficientAnsatz(qubits: 12, layers: 8)
        let compiled = ansatz.compiled()
        let h = twelveTermSum(12)
        let x = randomAngles(compiled.parameterCount, &rng)
        print("gradient benchmark: 12 qubits × 8 layers, \(compiled.parameterCount) parameters, "
              + "\(compiled.operationCount) gates, 12-term Pauli sum")
        var sink = 0.0
        let forward = bestTime(20) { sink += compiled.expectation(of: h, at: x, fusionQubits: 0) }
        let fused = bestTime(20) { sink += compiled.expectation(of: h, at: x) }
        let adjoint = bestTime(20) { sink += compiled.gradient(of: h, at: x).gradient[0] }
        let shift = bestTime(1) { sink += compiled.gradient(of: h, at: x, method: .parameterShift).gradient[0] }
        print(String(format: "  expectation, no fusion      %8.3f ms", forward * 1e3))
        print(String(format: "  expectation, fusion 2       %8.3f ms", fused * 1e3))
        print(String(format: "  adjoint gradient, 1 thread  %8.3f ms  = %6.1f gradients/s (goal ≥ 60; qulacs backprop 63/s)",
                     adjoint * 1e3, 1 / adjoint))
        print(String(format: "  parameter-shift gradient    %8.3f ms  = %6.2f gradients/s", shift * 1e3, 1 / shift))

        let small = HardwareEfficientAnsatz(qubits: 8, layers: 8).compiled()
        let hs = twelveTermSum(8)
        let sets = (0..<200).map { _ in randomAngles(small.parameterCount, &rng) }
        print("batch benchmark: 200 parameter sets, 8 qubits × 8 layers, \(small.parameterCount) parameters")
        for workers in [1, 2] {
            let options = BatchOptions(workerCount: workers)
            let e = bestTime(5) { sink += small.expectations(of: hs, parameterSets: sets, options: options)[0] }
            let g = bestTime(3) { sink += small.gradients(of: hs, parameterSets: sets, options: options)[0].value }
            print(String(format: "  %d worker(s): expectations %7.2f ms (%6.1f µs/item), adjoint gradients %7.2f ms (%6.1f µs/item)",
                         workers, e * 1e3, e * 1e6 / 200, g * 1e3, g * 1e6 / 200))
        }
        // Where the per-gate time of small states goes: building a matrix vs applying it.
        let build = bestTime(3) { for k in 0..<10_000 { sink += StandardGate.ry.matrix([Double(k)]).elements[0].real } }
        let state = StateVector(qubitCount: 8, options: .serial)
        let ry = StandardGate.ry.matrix([0.3])
        let apply = bestTime(3) { for k in 0..<10_000 { state.apply(ry, on: [k & 7]) } }
        print(String(format: "  per gate: table matrix %.3f µs, 8-qubit apply %.3f µs", build * 100, apply * 100))
        #expect(sink.isFinite)
    }
}
