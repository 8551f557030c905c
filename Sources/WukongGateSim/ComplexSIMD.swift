// Complex arithmetic on (re, im) pairs held in SIMD2<Double>: one complex multiply-add is two
// packed multiplies and two packed adds, about half the instructions of the scalar form.
import WukongCircuits

/// A complex matrix entry a prepared for packed multiplication: `re = (aᵣ, aᵣ)`, `im = (−aᵢ, aᵢ)`,
/// so that `a·x = re ⊙ x + im ⊙ swap(x)` for x = (xᵣ, xᵢ).
struct PackedComplex: Sendable {
    var re: SIMD2<Double>
    var im: SIMD2<Double>

    init(_ real: Double, _ imaginary: Double) {
        re = SIMD2(real, real)
        im = SIMD2(-imaginary, imaginary)
    }

    /// `self · x`, with `xs` = swap(x) precomputed by the caller.
    @inline(__always)
    func times(_ x: SIMD2<Double>, swapped xs: SIMD2<Double>) -> SIMD2<Double> {
        re * x + im * xs
    }
}

/// Swaps the lanes of a (re, im) pair.
@inline(__always)
func swapped(_ x: SIMD2<Double>) -> SIMD2<Double> { SIMD2(x.y, x.x) }

extension GateMatrix {
    /// Entries prepared for packed multiplication, row-major.
    var packed: [PackedComplex] { elements.map { PackedComplex($0.real, $0.imaginary) } }
}

/// Loads amplitude `i` (complex index) from interleaved storage.
@inline(__always)
func loadAmplitude(_ base: UnsafeMutableRawPointer, _ i: Int) -> SIMD2<Double> {
    base.load(fromByteOffset: 16 * i, as: SIMD2<Double>.self)
}

/// Stores amplitude `i` (complex index) into interleaved storage.
@inline(__always)
func storeAmplitude(_ base: UnsafeMutableRawPointer, _ i: Int, _ x: SIMD2<Double>) {
    base.storeBytes(of: x, toByteOffset: 16 * i, as: SIMD2<Double>.self)
}
