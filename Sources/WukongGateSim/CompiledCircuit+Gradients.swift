// Gradients of ⟨ψ(x)|H|ψ(x)⟩ with respect to the parameter vector: the adjoint method (the fast
// one), the parameter-shift rule (what hardware can do), and central differences (the check).
import Foundation
import Numerics
import WukongCircuits

/// An expectation value with its gradient.
public struct ExpectationGradient: Sendable, Equatable {
    /// f(x) = ⟨ψ(x)|H|ψ(x)⟩.
    public let value: Double
    /// ∂f/∂x_s in parameter-vector order.
    public let gradient: [Double]

    public init(value: Double, gradient: [Double]) {
        self.value = value
        self.gradient = gradient
    }
}

/// How a gradient is computed.
public enum GradientMethod: Sendable, Hashable {
    /// Jones & Gacon, arXiv 2009.02823: one forward pass, one backward sweep, three states.
    case adjoint
    /// Shift rules per gate parameter (two-term where the generator has one eigenvalue gap,
    /// 2R-term otherwise; see `ParameterRule`), chained through the parameter expressions.
    case parameterShift
    /// [f(x + h eₛ) − f(x − h eₛ)] / 2h per parameter: error ≈ h²|f‴|/6 + ε|f|/h.
    case centralDifference(step: Double)
}

extension CompiledCircuit {
    /// f(x) = ⟨ψ(x)|H|ψ(x)⟩ and ∇f(x).
    ///
    /// For a vector-Jacobian product of several read-outs (∑ⱼ wⱼ ∂⟨Oⱼ⟩/∂x, what backpropagation
    /// needs), pass the single Pauli sum ∑ⱼ wⱼ Oⱼ: one call instead of one per read-out.
    /// - Complexity: adjoint O((3·gates + terms)·2ⁿ); parameter shift O(2R·(gate parameters)·
    ///   gates·2ⁿ); central difference O(2·parameters·gates·2ⁿ).
    public func gradient(of observable: PauliSum, at x: [Double], method: GradientMethod = .adjoint,
                         execution: ExecutionOptions = .serial) -> ExpectationGradient {
        checkParameters(x)
        switch method {
        case .adjoint: return adjointGradient(of: observable, at: x, execution: execution)
        case .parameterShift: return parameterShiftGradient(of: observable, at: x, execution: execution)
        case .centralDifference(let h): return centralDifferenceGradient(of: observable, at: x, step: h, execution: execution)
        }
    }

    /// The adjoint method. With φ_g the state after gate g and λ_g = U_{g+1}†…U_N† H φ_N:
    ///
    ///     ∂f/∂p_{g,j} = 2 Re ⟨λ_g| (∂U_g/∂p_j) |φ_{g−1}⟩.
    ///
    /// The sweep runs g = N…1 holding φ and λ, un-applying U_g from both. Gates with a left
    /// generator (∂U/∂p = −iGU, G = Σ aₖPₖ: rx, ry, rz, p, cp, crx…, rxx…) give
    /// `2 Σ aₖ Im⟨λ_g|Pₖ|φ_g⟩` without a third state; the others copy φ_{g−1} into a third state μ
    /// and apply the stencil derivative matrix (`GateDerivativeRules.derivativeMatrix`).
    /// - Complexity: O((3·gates + terms)·2ⁿ) time, three states of memory.
    func adjointGradient(of observable: PauliSum, at x: [Double], execution: ExecutionOptions) -> ExpectationGradient {
        let phi = StateVector(qubitCount: qubitCount, options: execution)
        let lambda = StateVector(qubitCount: qubitCount, options: execution)
        var mu: StateVector?
        return adjointGradient(of: observable, at: x, phi: phi, lambda: lambda, mu: &mu)
    }

    /// The adjoint method on caller-owned work states (batch workers reuse theirs); `phi` must
    /// hold |0…0⟩ on entry.
    func adjointGradient(of observable: PauliSum, at x: [Double], phi: StateVector, lambda: StateVector,
                         mu: inout StateVector?) -> ExpectationGradient {
        let values = operations.map { $0.isParameterized ? $0.values(x) : [] }
        let matrices = zip(operations, values).map { $0.0.matrix(values: $0.1) }
        for (op, m) in zip(operations, matrices) { phi.apply(m, on: op.operands) }
        let value = phi.expectation(observable)
        lambda.setToProduct(of: observable, with: phi)

        var gradient = [Double](repeating: 0, count: parameterCount)
        var gateGradient: [Double] = []
        for g in operations.indices.reversed() {
            let op = operations[g]
            let inverse = matrices[g].adjoint
            guard op.isParameterized else {
                phi.apply(inverse, on: op.operands)
                lambda.apply(inverse, on: op.operands)
                continue
            }
            let p = values[g]
            gateGradient = [Double](repeating: 0, count: p.count)
            // Left generators read φ_g (after the gate), before it is un-applied.
            for j in p.indices where !op.dependencies[j].isEmpty {
                guard let generator = op.rules[j].generator else { continue }
                for term in generator(p) {
                    let element = lambda.matrixElement(term.pauli(on: op.operands), phi)
                    gateGradient[j] += 2 * term.coefficient * element.imaginary
                }
            }
            phi.apply(inverse, on: op.operands)
            for j in p.indices where !op.dependencies[j].isEmpty && op.rules[j].generator == nil {
                let work = mu ?? StateVector(qubitCount: qubitCount, options: phi.options)
                mu = work
                work.copyAmplitudes(from: phi)
                work.apply(GateDerivativeRules.derivativeMatrix(op.gate!, p, j, controls: op.controlCount),
                           on: op.operands)
                gateGradient[j] = 2 * lambda.inner(work).real
            }
            lambda.apply(inverse, on: op.operands)
            accumulate(gateGradient, of: op, at: x, into: &gradient)
        }
        return ExpectationGradient(value: value, gradient: gradient)
    }

    /// Chain rule: `gradient[s] += Σ_j ∂f/∂p_j · ∂p_j/∂x_s`; a bare symbol has ∂p/∂x = 1.
    func accumulate(_ gateGradient: [Double], of op: CompiledOperation, at x: [Double], into gradient: inout [Double]) {
        for (j, expression) in op.parameters.enumerated() {
            if case .symbol(let s) = expression {
                gradient[s] += gateGradient[j]
                continue
            }
            for s in op.dependencies[j] {
                gradient[s] += gateGradient[j] * expression.dual(x, withRespectTo: s).derivative
            }
        }
    }

    /// The parameter-shift rule per gate parameter p (others fixed), chained through the
    /// expressions. With f's frequencies in {ω, …, Rω} (`ParameterRule`) and g(u) = f(p + u/ω):
    ///
    ///     ∂f/∂p = ω Σ_{μ=1}^{2R} (−1)^{μ−1} / (4R sin²(x_μ/2)) · f(p + x_μ/ω),  x_μ = (2μ−1)π/(2R),
    ///
    /// (Wierichs, Izaac, Wang, Lin, Quantum 6, 677 (2022), eq. 22); for R = 1 this is
    /// [f(p + π/2) − f(p − π/2)]/2. Each evaluation is a full forward pass with one gate changed.
    /// - Complexity: O(2R · (gate parameters) · gates · 2ⁿ).
    func parameterShiftGradient(of observable: PauliSum, at x: [Double], execution: ExecutionOptions) -> ExpectationGradient {
        let values = operations.map { $0.isParameterized ? $0.values(x) : [] }
        var matrices = zip(operations, values).map { $0.0.matrix(values: $0.1) }
        let state = StateVector(qubitCount: qubitCount, options: execution)
        func evaluate() -> Double {
            state.resetToZeroState()
            for (op, m) in zip(operations, matrices) { state.apply(m, on: op.operands) }
            return state.expectation(observable)
        }
        let value = evaluate()
        var gradient = [Double](repeating: 0, count: parameterCount)
        for (g, op) in operations.enumerated() where op.isParameterized {
            let original = matrices[g]
            var gateGradient = [Double](repeating: 0, count: values[g].count)
            for j in values[g].indices where !op.dependencies[j].isEmpty {
                let rule = op.rules[j]
                let r = rule.frequencyCount
                var sum = 0.0
                for m in 1...(2 * r) {
                    let xm = Double(2 * m - 1) * .pi / Double(2 * r)
                    let sine = Foundation.sin(xm / 2)
                    let weight = (m % 2 == 1 ? 1.0 : -1.0) / (4 * Double(r) * sine * sine)
                    var shifted = values[g]
                    shifted[j] += xm / rule.frequencyUnit
                    matrices[g] = op.matrix(values: shifted)
                    sum += weight * evaluate()
                }
                gateGradient[j] = rule.frequencyUnit * sum
            }
            matrices[g] = original
            accumulate(gateGradient, of: op, at: x, into: &gradient)
        }
        return ExpectationGradient(value: value, gradient: gradient)
    }

    /// Central differences of the whole circuit in each parameter (the independent check).
    /// - Complexity: O(2 · parameters · gates · 2ⁿ).
    func centralDifferenceGradient(of observable: PauliSum, at x: [Double], step h: Double,
                                   execution: ExecutionOptions) -> ExpectationGradient {
        precondition(h > 0, "the step must be positive")
        let f = { (y: [Double]) in self.expectation(of: observable, at: y, execution: execution, fusionQubits: 0) }
        let gradient = x.indices.map { s -> Double in
            var plus = x, minus = x
            plus[s] += h
            minus[s] -= h
            return (f(plus) - f(minus)) / (2 * h)
        }
        return ExpectationGradient(value: f(x), gradient: gradient)
    }
}
