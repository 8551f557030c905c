// Properties of the benchmark circuit generators: the QFT is the DFT, GHZ gives the GHZ state,
// seeded circuits are reproducible, and specs parse and export.
import Foundation
import Numerics
import Testing
import WukongCircuits
import WukongGateSim

@Suite struct GateBenchmarkTests {
    /// Column x of the QFT unitary is the final state from |x⟩; it must be F[y][x] = ω^{xy}/√N,
    /// ω = e^{2πi/N}, with x and y read qubit-0-least-significant. Each amplitude passes through
    /// n(n+1)/2 + ⌊n/2⌋ ≈ 7 gates at n = 3, so `kernelTolerance` applies.
    @Test func qftMatrixEqualsTheDFTMatrix() throws {
        let n = 3, dim = 1 << n
        let qft = GateBenchmarks.qft(qubits: n)
        #expect(qft.instructions.count == n * (n + 1) / 2 + n / 2)
        for x in 0..<dim {
            var prep = Circuit(numQubits: n)
            for q in 0..<n where (x >> q) & 1 == 1 { try prep.append(.x, [q]) }
            for i in qft.instructions { try prep.append(i) }
            let state = try CircuitSimulator.finalState(prep, execution: .serial)
            for y in 0..<dim {
                let angle = 2 * Double.pi * Double(x * y) / Double(dim)
                let r = 1 / Double(dim).squareRoot()
                let expected = Complex(r * Double.cos(angle), r * Double.sin(angle))
                #expect((state[y] - expected).length < kernelTolerance, "F[\(y)][\(x)]")
            }
        }
    }

    @Test(arguments: [1, 2, 5, 9])
    func ghzGivesTheGHZState(n: Int) throws {
        let state = try CircuitSimulator.finalState(GateBenchmarks.ghz(qubits: n), execution: .serial)
        let r = 1 / Double(2).squareRoot()
        for i in 0..<(1 << n) {
            let expected = (i == 0 || i == (1 << n) - 1) ? r : 0
            #expect((state[i] - Complex(expected, 0)).length < kernelTolerance, "amplitude \(i)")
        }
    }

    @Test func brickworkIsDeterministicForASeed() throws {
        let a = GateBenchmarks.brickwork(qubits: 6, layers: 5, seed: 11)
        let b = GateBenchmarks.brickwork(qubits: 6, layers: 5, seed: 11)
        let c = GateBenchmarks.brickwork(qubits: 6, layers: 5, seed: 12)
        #expect(a == b)
        #expect(a != c)
        // Layer ℓ: 6 u3, then CZ on (0,1),(2,3),(4,5) for even ℓ and (1,2),(3,4) for odd ℓ.
        #expect(a.instructions.count == 5 * 6 + 3 * 3 + 2 * 2)
        #expect(try CircuitSimulator.finalState(a, execution: .serial).amplitudes
                == CircuitSimulator.finalState(b, execution: .serial).amplitudes)
    }

    @Test func randomCircuitsCoverTheWholeGateTable() throws {
        let pool = GateBenchmarks.randomGatePool
        let c = GateBenchmarks.randomCircuit(qubits: 4, gates: pool.count + 5, seed: 3)
        var used = Set<StandardGate>()
        for i in c.instructions { if case .gate(let g) = i.operation { used.insert(g.gate) } }
        #expect(used == Set(pool))
        #expect(c == GateBenchmarks.randomCircuit(qubits: 4, gates: pool.count + 5, seed: 3))
        let q2 = GateBenchmarks.randomCircuit(qubits: 4, gates: 60, seed: 3, pool: GateBenchmarks.qasm2GatePool)
        #expect(!CircuitExporter.qasm2Text(q2).contains("gate "), "qasm2-only pool needs no definitions")
    }

    /// The ansatz has 2nL parameters and its ⟨H⟩ is the same through export and re-parsing.
    @Test func ansatzExportRoundTripKeepsTheExpectation() throws {
        let spec = try #require(GateBenchmarks.Spec("ansatz:4x3"))
        let symbolic = GateBenchmarks.hardwareEfficientAnsatz(qubits: 4, layers: 3)
        #expect(symbolic.parameterNames.count == 2 * 4 * 3)
        let bound = spec.circuit(seed: 5)
        let reparsed = try ProgramReader.parse(try CircuitExporter.qasm2(bound))
        let h = GateBenchmarks.ansatzObservable(qubits: 4)
        let e1 = try CircuitSimulator.finalState(bound, execution: .serial).expectation(h)
        let e2 = try CircuitSimulator.finalState(reparsed, execution: .serial).expectation(h)
        #expect(abs(e1 - e2) < kernelTolerance)
    }

    @Test func specsParseAndPrint() {
        for text in ["qft:20", "ghz:26", "brickwork:24x20", "ansatz:12x8", "random:5x80", "randomq2:6x40"] {
            #expect(GateBenchmarks.Spec(text)?.description == text)
        }
        for bad in ["qft", "qft:0", "brickwork:24", "random:2x10", "foo:3"] { #expect(GateBenchmarks.Spec(bad) == nil, "\(bad)") }
    }

    /// The benchmark gradient (adjoint) equals central differences of ⟨H⟩ on the bound benchmark
    /// circuit, entry k against theta_k: this pins both the values and the parameter order that
    /// the Python side assumes (k-th rotation of the exported circuit = theta_k).
    @Test func ansatzGradientHookMatchesCentralDifferences() throws {
        let (n, layers, seed): (Int, Int, UInt64) = (4, 2, 7)
        let r = try #require(try GateBenchmarks.ansatzGradientResult(qubits: n, layers: layers, threads: 1,
                                                                     repetitions: 2, seed: seed))
        #expect(r.timing.wallSeconds.count == 2)
        #expect(r.gradient.count == 2 * n * layers)
        let symbolic = GateBenchmarks.hardwareEfficientAnsatz(qubits: n, layers: layers)
        let values = GateBenchmarks.ansatzParameters(qubits: n, layers: layers, seed: seed)
        let h = GateBenchmarks.ansatzObservable(qubits: n)
        func f(_ v: [String: Double]) throws -> Double {
            try CircuitSimulator.finalState(symbolic.bind(v), execution: .serial).expectation(h)
        }
        let spec = try #require(GateBenchmarks.Spec("ansatz:\(n)x\(layers)"))
        #expect(abs(r.value - (try CircuitSimulator.finalState(spec.circuit(seed: seed), execution: .serial).expectation(h))) < 1e-12)
        let step = 1e-5
        for k in 0..<(2 * n * layers) {
            let name = GateBenchmarks.ansatzParameterName(k)
            var plus = values, minus = values
            plus[name]! += step
            minus[name]! -= step
            let fd = (try f(plus) - f(minus)) / (2 * step)
            // Central difference error ≈ h²|f‴|/6 + ε|f|/h ≈ 1e-10 here.
            #expect(abs(fd - r.gradient[k]) < 1e-8, "theta_\(k): adjoint \(r.gradient[k]) vs central \(fd)")
        }
    }

    /// The noisy density-matrix benchmark (one fused superoperator per gate + channel) gives the
    /// same purity, ⟨Z₀⟩ and trace as `ReferenceDensityMatrix` applying each gate and then each
    /// depolarizing channel as explicit Σ K ρ K†, on 3 qubits × 3 layers with strong noise.
    @Test func noisyDensityMatrixHookMatchesTheReference() throws {
        let (n, layers, seed, p1, p2): (Int, Int, UInt64, Double, Double) = (3, 3, 9, 0.05, 0.2)
        let r = try #require(try GateBenchmarks.noisyDensityMatrix(qubits: n, layers: layers, threads: 1, repetitions: 2,
                                                                   seed: seed, p1: p1, p2: p2))
        var reference = ReferenceDensityMatrix(qubitCount: n)
        var gates = 0
        for instruction in GateBenchmarks.brickwork(qubits: n, layers: layers, seed: seed).instructions {
            guard case .gate(let g) = instruction.operation else { continue }
            reference.apply(try g.matrix(), on: g.operands)
            reference.apply(KrausChannel.depolarizing(g.operands.count == 1 ? p1 : p2, qubitCount: g.operands.count),
                            on: g.operands)
            gates += 1
        }
        let rho = reference.elements
        let purity = rho.joined().reduce(0) { $0 + $1.lengthSquared }
        let z0 = rho.indices.reduce(0) { $0 + ($1 & 1 == 0 ? 1 : -1) * rho[$1][$1].real }
        #expect(r.gateCount == gates)
        #expect(abs(r.purity - purity) < 1e-12, "purity \(r.purity) vs \(purity)")
        #expect(abs(r.expectationZ0 - z0) < 1e-12, "<Z0> \(r.expectationZ0) vs \(z0)")
        #expect(abs(r.trace - 1) < 1e-12)
        #expect(purity < 0.9, "the noise must be visible")
    }

    @Test func timingReportsEveryRepetition() throws {
        let r = try GateBenchmarks.run(.qft(qubits: 6), threads: 1, repetitions: 3)
        #expect(r.timing.wallSeconds.count == 3)
        #expect(r.timing.bestWallSeconds > 0)
        #expect(abs(r.norm - 1) < normTolerance)
    }
}

extension CircuitExporter {
    /// The OpenQASM 2 text, or the error's description (tests only).
    static func qasm2Text(_ c: Circuit) -> String { (try? qasm2(c)) ?? "export failed" }
}
