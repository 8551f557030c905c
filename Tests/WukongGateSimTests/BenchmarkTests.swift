// Runs the kernel benchmark only when WUKONG_BENCH=1 (use a release build); otherwise a tiny
// smoke run checks that the benchmark code works and reports positive figures.
import Foundation
import Testing
import WukongGateSim

@Suite struct BenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["WUKONG_BENCH"] == "1"))
    func printKernelBenchmark() {
        var config = StateVectorBenchmark.Configuration()
        if let n = ProcessInfo.processInfo.environment["WUKONG_BENCH_QUBITS"].flatMap(Int.init) {
            config.qubitCount = n
        }
        let report = StateVectorBenchmark.run(config)
        print(report)
    }

    @Test func benchmarkSmokeRun() {
        var config = StateVectorBenchmark.Configuration()
        config.qubitCount = 8
        config.repetitions = 1
        config.brickworkLayers = 2
        config.bandwidthBufferMiB = 4
        config.threadCounts = [1]
        let report = StateVectorBenchmark.run(config)
        #expect(report.figures.allSatisfy { $0.wallMs > 0 })
        #expect(report.description.contains("brickwork fused"))
    }

    @Test func brickworkFusionKeepsTheState() {
        let ops = StateVectorBenchmark.brickwork(qubitCount: 6, layers: 3, seed: 4)
        let a = StateVector(qubitCount: 6, options: .serial), b = StateVector(qubitCount: 6, options: .serial)
        a.apply(ops)
        b.apply(GateFusion.fuse(ops, maxQubits: 4))
        #expect(maxDistance(a.amplitudes, b.amplitudes) < kernelTolerance, "seed 4")
    }
}
