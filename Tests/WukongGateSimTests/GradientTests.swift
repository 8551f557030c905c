// Gradient properties: adjoint = parameter shift = central differences on random circuits over
// every parameterized gate, the derivative rules against the gate table, and the Pauli kernels.
import Numerics
import Testing
import WukongCircuits
import WukongGateSim
import WukongNumerics

@Suite struct GradientTests {
    @Test(arguments: [4, 5, 6])
    func adjointAgreesWithShiftAndDifferences(n: Int) throws {
        for trial in 0..<4 {
            let seed = UInt64(9000 + 10 * n + trial)
            var rng = SeededGenerator(seed: seed)
            let circuit = randomParameterizedCircuit(qubits: n, gates: 24 + 4 * n, &rng)
            let compiled = try CompiledCircuit(circuit, parameterOrder: testSymbols)
            let x = randomAngles(compiled.parameterCount, &rng)
            for terms in [1, 3, 6] {
                let h = randomPauliSum(qubits: n, terms: terms, &rng)
                let adjoint = compiled.gradient(of: h, at: x, method: .adjoint)
                let shift = compiled.gradient(of: h, at: x, method: .parameterShift)
                let difference = compiled.gradient(of: h, at: x, method: .centralDifference(step: differenceStep))
                let exact = try CircuitSimulator.finalState(circuit.bind(Dictionary(uniqueKeysWithValues: zip(testSymbols, x))),
                                                            fusionQubits: 0, execution: .serial).expectation(h)
                #expect(abs(adjoint.value - exact) < kernelTolerance, "seed \(seed)")
                #expect(abs(shift.value - exact) < kernelTolerance, "seed \(seed)")
                #expect(maxDifference(adjoint.gradient, shift.gradient) < gradientAgreementTolerance,
                        "seed \(seed), terms \(terms): \(adjoint.gradient) vs \(shift.gradient)")
                #expect(maxDifference(adjoint.gradient, difference.gradient) < differenceTolerance,
                        "seed \(seed), terms \(terms)")
            }
        }
    }

    @Test(arguments: HardwareEfficientAnsatz.Entangler.allCases)
    func ansatzGradientsAgree(entangler: HardwareEfficientAnsatz.Entangler) {
        let ansatz = HardwareEfficientAnsatz(qubits: 5, layers: 3, entangler: entangler)
        let compiled = ansatz.compiled()
        var rng = SeededGenerator(seed: 31)
        let x = randomAngles(compiled.parameterCount, &rng)
        let h = PauliSum((0..<5).map { (coefficient: 1.0, pauli: PauliString([(qubit: $0, pauli: .z)])) }
                         + [(coefficient: 0.5, pauli: PauliString("XXIYZ")!)])
        let adjoint = compiled.gradient(of: h, at: x)
        let shift = compiled.gradient(of: h, at: x, method: .parameterShift)
        let difference = compiled.gradient(of: h, at: x, method: .centralDifference(step: differenceStep))
        #expect(maxDifference(adjoint.gradient, shift.gradient) < gradientAgreementTolerance, "seed 31")
        #expect(maxDifference(adjoint.gradient, difference.gradient) < differenceTolerance, "seed 31")
    }

    @Test func ansatzShapeAndParameterOrder() {
        let ansatz = HardwareEfficientAnsatz(qubits: 4, layers: 3)
        #expect(ansatz.parameterCount == 2 * 4 * 3)
        #expect(ansatz.circuit.parameterNames == ansatz.parameterNames)
        let compiled = ansatz.compiled()
        #expect(compiled.operationCount == 3 * (2 * 4 + 3))
        #expect(compiled.parameterizedOperationCount == 24)
    }

    @Test func compiledStateMatchesSimulator() throws {
        for trial in 0..<6 {
            let seed = UInt64(4400 + trial)
            var rng = SeededGenerator(seed: seed)
            let circuit = randomParameterizedCircuit(qubits: 5, gates: 30, &rng)
            let compiled = try CompiledCircuit(circuit, parameterOrder: testSymbols)
            let x = randomAngles(testSymbols.count, &rng)
            let bound = circuit.bind(Dictionary(uniqueKeysWithValues: zip(testSymbols, x)))
            let expected = try CircuitSimulator.finalState(bound, fusionQubits: 0, execution: .serial)
            for fusion in [0, 2, 3] {
                let state = compiled.state(at: x, fusionQubits: fusion)
                #expect(maxDistance(state.amplitudes, expected.amplitudes) < kernelTolerance, "seed \(seed)")
            }
        }
    }

    @Test func unusedSymbolsHaveZeroGradientAndUnknownSymbolsThrow() throws {
        var circuit = Circuit(numQubits: 2)
        try circuit.append(.rx, [0], [.symbol("a")])
        try circuit.append(.cx, [0, 1])
        let compiled = try CompiledCircuit(circuit, parameterOrder: ["a", "unused"])
        let g = compiled.gradient(of: PauliSum([(1, PauliString("ZI")!)]), at: [0.4, 2])
        // CX copies qubit 0 onto qubit 1, so ⟨Z₁⟩ after RX(a) on qubit 0 then CX is cos a.
        #expect(abs(g.value - .cos(0.4)) < kernelTolerance)
        #expect(abs(g.gradient[0] + .sin(0.4)) < kernelTolerance)
        #expect(g.gradient[1] == 0)
        #expect(throws: GateSimulatorError.unboundParameter("a")) { try CompiledCircuit(circuit, parameterOrder: ["b"]) }
    }

    /// Every left generator in the rules reproduces the stencil derivative: ∂U/∂p = −i G U.
    @Test func generatorsMatchStencilDerivatives() throws {
        var rng = SeededGenerator(seed: 77)
        for gate in parameterizedTestGates {
            let p = randomAngles(gate.parameterCount, &rng)
            var circuit = Circuit(numQubits: gate.arity)
            let names = (0..<gate.parameterCount).map { "p\($0)" }
            try circuit.append(gate, Array(0..<gate.arity), names.map { .symbol($0) })
            let compiled = try CompiledCircuit(circuit, parameterOrder: names)
            // Check through the public gradient: with H = a random Pauli sum and a random input
            // state prepared by a fixed prefix, adjoint (generator or stencil) = parameter shift.
            var prepared = Circuit(numQubits: gate.arity)
            for q in 0..<gate.arity { try prepared.append(.u3, [q], [.constant(1.1 + Double(q)), .constant(0.3), .constant(-0.7)]) }
            if gate.arity == 2 { try prepared.append(.cx, [0, 1]) }
            try prepared.append(gate, Array(0..<gate.arity), names.map { .symbol($0) })
            let full = try CompiledCircuit(prepared, parameterOrder: names)
            let h = randomPauliSum(qubits: gate.arity, terms: 3, &rng)
            let adjoint = full.gradient(of: h, at: p)
            let shift = full.gradient(of: h, at: p, method: .parameterShift)
            #expect(maxDifference(adjoint.gradient, shift.gradient) < gradientAgreementTolerance, "\(gate), seed 77")
            #expect(compiled.parameterCount == gate.parameterCount)
        }
    }

    @Test func expressionDerivativesAreExact() throws {
        let a = ParameterExpression.symbol("a"), b = ParameterExpression.symbol("b")
        let expressions: [ParameterExpression] = [
            a * b + .apply(.sin, a), a / b, .combine(.power, a, .constant(3)), .combine(.power, b, a),
            .apply(.exp, -a), .apply(.ln, b), .apply(.sqrt, b), .apply(.atan, a * a),
            .apply(.tan, a), .apply(.cos, b - a), .apply(.asin, a / .constant(4)), .apply(.acos, a / .constant(4)),
        ]
        let index = ["a": 0, "b": 1]
        let x = [0.7, 1.9]
        for e in expressions {
            let c = try CompiledExpression(e, symbolIndex: index)
            #expect(abs(c.evaluate(x) - (try e.evaluate(["a": x[0], "b": x[1]]))) < 1e-15)
            for s in 0..<2 {
                // Five-point stencil of the expression alone: error ≲ h⁴|f⁽⁵⁾|/30 + ε/h ≈ 1e-11.
                let h = 1e-3
                func f(_ t: Double) -> Double { var y = x; y[s] += t; return c.evaluate(y) }
                let numeric = (8 * (f(h) - f(-h)) - (f(2 * h) - f(-2 * h))) / (12 * h)
                #expect(abs(c.dual(x, withRespectTo: s).derivative - numeric) < 1e-9, "\(e) d/dx\(s)")
            }
        }
    }

    @Test func pauliProductAndMatrixElementMatchDenseMatrices() {
        var rng = SeededGenerator(seed: 515)
        let n = 4
        for _ in 0..<6 {
            let h = randomPauliSum(qubits: n, terms: 3, &rng)
            let (ket, _) = randomPair(n, .serial, &rng)
            let (bra, _) = randomPair(n, .serial, &rng)
            let out = StateVector(qubitCount: n, options: .serial)
            out.setToProduct(of: h, with: ket)
            var dense = [Complex<Double>](repeating: .zero, count: 1 << n)
            for term in h.terms {
                let m = ReferenceStateVector.pauliMatrix(term.pauli, qubitCount: n)
                for r in 0..<(1 << n) {
                    for c in 0..<(1 << n) { dense[r] = dense[r] + m[r, c] * ket[c].multiplied(by: term.coefficient) }
                }
                let p = StateVector(amplitudes: (0..<(1 << n)).map { r in
                    (0..<(1 << n)).reduce(Complex<Double>.zero) { $0 + m[r, $1] * ket[$1] }
                }, options: .serial)
                #expect((bra.matrixElement(term.pauli, ket) - bra.inner(p)).length < kernelTolerance, "seed 515")
            }
            #expect(maxDistance(out.amplitudes, dense) < kernelTolerance, "seed 515")
        }
    }
}
