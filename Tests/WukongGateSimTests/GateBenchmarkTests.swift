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
