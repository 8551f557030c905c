// The density matrix: agreement with the dense reference on random noisy sequences, trace and
// positivity under noisy circuits, equality with |ψ⟩⟨ψ| when noise is off, and collapse.
import Foundation
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct DensityMatrixTests {
    @Test(arguments: [1, 2, 3, 4])
    func fastDensityMatrixEqualsReferenceOnRandomCircuits(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let n = 2 + Int(seed % 3)
        for execution in threadConfigurations {
            var local = rng
            let fast = DensityMatrix(qubitCount: n, options: execution)
            var reference = ReferenceDensityMatrix(qubitCount: n)
            for _ in 0..<25 {
                if local.uniform() < 0.5 {
                    let k = 1 + Int(local.uniform() * Double(min(n, 3)))
                    let qs = randomQubits(k, of: n, &local)
                    let u = randomUnitary(k, &local)
                    fast.apply(u, on: qs)
                    reference.apply(u, on: qs)
                } else {
                    let k = 1 + Int(local.uniform() * 2)
                    let qs = randomQubits(k, of: n, &local)
                    let ch = randomChannel(k, &local)
                    fast.apply(ch, on: qs)
                    reference.apply(ch, on: qs)
                }
            }
            #expect(maxDistance(fast.matrix, reference.elements) < kernelTolerance, "seed \(seed), n \(n)")
            #expect(abs(fast.trace - 1) < normTolerance, "seed \(seed)")
        }
        _ = rng.next()
    }

    @Test func unitaryActsOnRowsAndConjugateOnColumns() {
        // ρ = |ψ⟩⟨ψ| evolved by U must be |Uψ⟩⟨Uψ|; qubit order pinned by a CX whose control is qubit 1.
        let psi = StateVector(qubitCount: 2, basisState: 0b10)
        let rho = DensityMatrix(pure: psi)
        rho.apply(StandardGate.cx.matrix(), on: [1, 0])
        #expect((rho[0b11, 0b11] - .one).length < kernelTolerance)
        var rng = SeededGenerator(seed: 3)
        let phi = StateVector(amplitudes: randomAmplitudes(3, &rng))
        let sigma = DensityMatrix(pure: phi)
        let u = randomUnitary(2, &rng)
        phi.apply(u, on: [2, 0])
        sigma.apply(u, on: [2, 0])
        #expect(sigma.matrix.distance(to: DensityMatrix(pure: phi).matrix) < kernelTolerance)
    }

    /// A random circuit of table gates (1-, 2- and 3-qubit) on n qubits.
    static func randomCircuit(_ n: Int, gates: Int, _ rng: inout SeededGenerator) -> Circuit {
        var c = Circuit(numQubits: n)
        let pool: [StandardGate] = [.h, .x, .sx, .rx, .ry, .rz, .t, .s, .u3, .cx, .cz, .swap, .cp, .rzz, .iswap, .ccx]
        for _ in 0..<gates {
            let g = pool[Int(rng.uniform() * Double(pool.count))]
            guard g.arity <= n else { continue }
            let qs = randomQubits(g.arity, of: n, &rng)
            let ps = (0..<g.parameterCount).map { _ in ParameterExpression.constant(2 * .pi * rng.uniform()) }
            try! c.append(g, qs, ps)
        }
        return c
    }

    @Test(arguments: [21, 22, 23])
    func densityMatrixStaysTraceOneHermitianAndPositiveUnderNoise(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let n = 4
        let circuit = Self.randomCircuit(n, gates: 30, &rng)
        let model = GateNoiseModel(device: noisyChain(n))
        let rho = try NoisySimulator.finalDensityMatrix(circuit, noise: model)
        #expect(abs(rho.trace - 1) < normTolerance, "seed \(seed)")
        #expect(rho.hermiticityError < positivityTolerance, "seed \(seed)")
        #expect(isPositive(rho.matrix), "seed \(seed)")
        #expect(rho.purity < 1 - 1e-3, "noise must mix the state (seed \(seed))")
    }

    @Test func positivityCheckRejectsANegativeEigenvalue() {
        // The checker itself: eigenvalues 1.1 and −1e-9 (rotated off the diagonal) must fail.
        let c = 0.6, s = 0.8
        let (a, b) = (1.1, -1e-9)
        let m = GateMatrix([Complex(c * c * a + s * s * b), Complex(c * s * (a - b)),
                            Complex(c * s * (a - b)), Complex(s * s * a + c * c * b)])
        #expect(!isPositive(m))
        #expect(isPositive(GateMatrix([Complex(1), .zero, .zero, .zero])))
    }

    @Test(arguments: [31, 32])
    func densityMatrixWithNoiseOffEqualsPureState(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let n = 4
        let circuit = Self.randomCircuit(n, gates: 30, &rng)
        let psi = try CircuitSimulator.finalState(circuit)
        let pure = DensityMatrix(pure: psi).matrix
        // Noise off entirely, and noise on with ideal parameters (exercises scheduling and decomposition).
        var ideal = GateNoiseModel(device: .uniformChain(
            qubitCount: n, qubit: QubitNoiseParameters(t1Us: .infinity, t2Us: .infinity),
            coupler: CouplerNoiseParameters(czDurationNs: 40)))
        ideal.options.readout = false
        for model in [GateNoiseModel.noiseless(qubitCount: n), ideal] {
            let rho = try NoisySimulator.finalDensityMatrix(circuit, noise: model)
            #expect(rho.matrix.distance(to: pure) < kernelTolerance, "seed \(seed)")
        }
    }

    @Test func collapseProjectsAndRenormalises() {
        var rng = SeededGenerator(seed: 9)
        let rho = DensityMatrix(pure: StateVector(amplitudes: randomAmplitudes(3, &rng)))
        rho.apply(.thermalRelaxation(durationNs: 3000, t1Us: 5, t2Us: 4, excitedPopulation: 0.1), on: [1])
        let before = rho.matrix
        let p1 = rho.probabilityOfOne(1)
        let p = rho.collapse(1, to: 1)
        #expect(abs(p - p1) < kernelTolerance)
        for r in 0..<8 { for c in 0..<8 {
            let keep = (r >> 1) & 1 == 1 && (c >> 1) & 1 == 1
            let expected = keep ? before[r, c].divided(by: p1) : .zero
            #expect((rho[r, c] - expected).length < kernelTolerance)
        } }
        #expect(abs(rho.trace - 1) < normTolerance)
    }
}
