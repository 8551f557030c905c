// Shared test fixtures: seeded random states and gates, the two thread configurations every
// kernel runs under, and the named tolerances with their derivations.
import Numerics
import WukongGateSim
import WukongCircuits
import WukongNumerics

/// Agreement between a fast kernel and the reference. Amplitudes are O(1); each output is a
/// sum of at most 2⁵ = 32 products, so rounding error is below about 2·32·ε·‖U‖·‖ψ‖ ≈ 1.4e-14
/// per gate; 1e-12 leaves a margin of ~70× for a few gates in sequence.
let kernelTolerance = 1e-12

/// Norm drift allowed after a sequence of up to ~100 unitary gates: ~100 · 1e-14.
let normTolerance = 1e-12

/// The two thread configurations every kernel test runs: one thread, and two threads with the
/// threshold at 0 so that even tiny states take the concurrent path.
let threadConfigurations: [ExecutionOptions] = [
    .serial,
    ExecutionOptions(threadCount: 2, parallelThresholdQubits: 0),
]

/// A standard normal variate by Box–Muller.
func gaussian(_ rng: inout SeededGenerator) -> Double {
    let u1 = 1 - rng.uniform()  // in (0, 1], so the log is finite
    let u2 = rng.uniform()
    return (-2 * .log(u1)).squareRoot() * .cos(2 * .pi * u2)
}

/// A complex normal variate.
func complexGaussian(_ rng: inout SeededGenerator) -> Complex<Double> {
    Complex(gaussian(&rng), gaussian(&rng))
}

/// A random normalised state on `n` qubits (Haar-distributed).
func randomAmplitudes(_ n: Int, _ rng: inout SeededGenerator) -> [Complex<Double>] {
    var a = (0..<(1 << n)).map { _ in complexGaussian(&rng) }
    let norm = a.reduce(0) { $0 + $1.lengthSquared }.squareRoot()
    a = a.map { Complex($0.real / norm, $0.imaginary / norm) }
    return a
}

/// A random complex matrix (not unitary): kernels are linear, so this tests every entry's role.
func randomMatrix(_ k: Int, _ rng: inout SeededGenerator) -> GateMatrix {
    GateMatrix((0..<(1 << (2 * k))).map { _ in complexGaussian(&rng) })
}

/// A random unitary on `k` qubits: Gram–Schmidt on the columns of a complex Gaussian matrix.
func randomUnitary(_ k: Int, _ rng: inout SeededGenerator) -> GateMatrix {
    let d = 1 << k
    return GateMatrix.orthonormalizing(columns: (0..<d).map { _ in (0..<d).map { _ in complexGaussian(&rng) } })
}

/// A random diagonal of unit-modulus phases.
func randomPhases(_ count: Int, _ rng: inout SeededGenerator) -> [Complex<Double>] {
    (0..<count).map { _ in
        let t = 2 * Double.pi * rng.uniform()
        return Complex(Double.cos(t), Double.sin(t))
    }
}

/// `k` distinct random qubits out of `n`, in random order.
func randomQubits(_ k: Int, of n: Int, _ rng: inout SeededGenerator) -> [Int] {
    Array(Array(0..<n).shuffled(using: &rng).prefix(k))
}

/// Largest entry-wise distance between the fast and reference amplitudes.
func maxDistance(_ fast: StateVector, _ reference: ReferenceStateVector) -> Double {
    zip(fast.amplitudes, reference.amplitudes).reduce(0) { max($0, ($1.0 - $1.1).length) }
}

/// Largest entry-wise distance between two amplitude arrays.
func maxDistance(_ a: [Complex<Double>], _ b: [Complex<Double>]) -> Double {
    zip(a, b).reduce(0) { max($0, ($1.0 - $1.1).length) }
}

/// A fast state and a reference state holding the same random amplitudes.
func randomPair(_ n: Int, _ options: ExecutionOptions, _ rng: inout SeededGenerator)
    -> (StateVector, ReferenceStateVector)
{
    let a = randomAmplitudes(n, &rng)
    return (StateVector(amplitudes: a, options: options), ReferenceStateVector(amplitudes: a))
}

/// Textbook gate matrices used by several tests.
enum Gates {
    static let o = Complex<Double>.zero, l = Complex<Double>.one
    static let x = GateMatrix([o, l, l, o])
    static let h: GateMatrix = {
        let s = Complex(1 / 2.0.squareRoot(), 0.0)
        return GateMatrix([s, s, s, -s])
    }()
    static let cx = GateMatrix([l, o, o, o, o, l, o, o, o, o, o, l, o, o, l, o])
    static let swap = GateMatrix([l, o, o, o, o, o, l, o, o, l, o, o, o, o, o, l])
}
