// The fast state vector: 2^n complex doubles stored as interleaved (re, im) Double pairs in one
// 64-byte-aligned buffer that the kernels walk with unsafe pointers. Kernels live in extensions.
import Foundation
import Numerics

/// An n-qubit pure state, `|ψ⟩ = Σᵢ ψᵢ |i⟩`, in complex double precision (n ≤ 30).
///
/// **Bit order.** Qubit 0 is the least significant bit of the basis index `i`, and the
/// rightmost character of a bitstring: X on qubit 0 of three qubits gives `|001⟩ = index 1`.
///
/// **Reference semantics.** This is a `final class` that owns its buffer (16·2ⁿ bytes, up to
/// 16 GiB), so assignment shares the state; kernels mutate in place. Call `copy()` for an
/// independent state. Not safe to mutate from two threads at once; each kernel itself may
/// use several threads (`options`).
///
/// Implementation goals, in order: 1. agree with `ReferenceStateVector` to 1e-12 and stay
/// unitary; 2. touch memory once per gate (the 32·2ⁿ-byte bound); 3. low per-gate overhead.
public final class StateVector: @unchecked Sendable {
    /// Largest supported register (2^30 amplitudes, 16 GiB).
    public static let maxQubitCount = 30

    /// Number of qubits n.
    public let qubitCount: Int
    /// Number of amplitudes, 2ⁿ.
    public let count: Int
    /// How kernels use threads.
    public var options: ExecutionOptions

    /// Interleaved storage: `data[2i]` = Re ψᵢ, `data[2i+1]` = Im ψᵢ.
    let data: UnsafeMutablePointer<Double>
    /// False for a chunk view that borrows another state's buffer (cache blocking).
    private let ownsBuffer: Bool
    /// True when the buffer came from `mmap` (large states) and is returned with `munmap`.
    private let mapped: Bool

    /// The state `|0…0⟩` on `qubitCount` qubits.
    /// - Complexity: O(2ⁿ).
    public init(qubitCount: Int, options: ExecutionOptions = ExecutionOptions()) {
        precondition((0...Self.maxQubitCount).contains(qubitCount),
                     "qubitCount must be in 0...\(Self.maxQubitCount), got \(qubitCount)")
        self.qubitCount = qubitCount
        self.count = 1 << qubitCount
        self.options = options
        // Large states take fresh (huge) pages that the kernel zeroes on first touch (ZeroedBuffer).
        let (raw, mapped) = ZeroedBuffer.allocate(bytes: 16 * count)
        self.data = raw.bindMemory(to: Double.self, capacity: 2 * count)
        self.mapped = mapped
        self.ownsBuffer = true
        data[0] = 1
    }

    /// A view of `2^qubitCount` amplitudes owned by someone else (a chunk of a larger state);
    /// the kernels run on it serially unless `options` say otherwise. The owner must outlive the view.
    init(borrowing base: UnsafeMutablePointer<Double>, qubitCount: Int, options: ExecutionOptions = .serial) {
        self.qubitCount = qubitCount
        self.count = 1 << qubitCount
        self.options = options
        self.data = base
        self.ownsBuffer = false
        self.mapped = false
    }

    /// A state with the given amplitudes (count must be a power of two); not normalised for you.
    /// - Complexity: O(2ⁿ).
    public convenience init(amplitudes: [Complex<Double>], options: ExecutionOptions = ExecutionOptions()) {
        let n = amplitudes.count.trailingZeroBitCount
        precondition(amplitudes.count == 1 << n, "amplitude count must be a power of two")
        self.init(qubitCount: n, options: options)
        for (i, z) in amplitudes.enumerated() {
            data[2 * i] = z.real
            data[2 * i + 1] = z.imaginary
        }
    }

    /// The computational basis state `|index⟩`.
    public convenience init(qubitCount: Int, basisState index: Int,
                            options: ExecutionOptions = ExecutionOptions()) {
        self.init(qubitCount: qubitCount, options: options)
        precondition((0..<count).contains(index), "basis index out of range")
        data[0] = 0
        data[2 * index] = 1
    }

    deinit {
        guard ownsBuffer else { return }
        ZeroedBuffer.release(UnsafeMutableRawPointer(data), bytes: 16 * count, mapped: mapped)
    }


    /// An independent copy with the same amplitudes and options.
    /// - Complexity: O(2ⁿ).
    public func copy() -> StateVector {
        let other = StateVector(qubitCount: qubitCount, options: options)
        other.data.update(from: data, count: 2 * count)
        return other
    }

    /// Amplitude ψᵢ of basis state `index`.
    public subscript(index: Int) -> Complex<Double> {
        get {
            precondition((0..<count).contains(index), "basis index out of range")
            return Complex(data[2 * index], data[2 * index + 1])
        }
        set {
            precondition((0..<count).contains(index), "basis index out of range")
            data[2 * index] = newValue.real
            data[2 * index + 1] = newValue.imaginary
        }
    }

    /// All amplitudes as an array.
    /// - Complexity: O(2ⁿ).
    public var amplitudes: [Complex<Double>] {
        (0..<count).map { Complex(data[2 * $0], data[2 * $0 + 1]) }
    }

    /// Threads the kernels use for this state.
    var threads: Int { options.threads(forQubits: qubitCount) }

    /// The squared norm `Σ|ψᵢ|²` (1 for a normalised state).
    /// - Complexity: O(2ⁿ), threaded.
    public var normSquared: Double {
        let p = SendablePointer(base: data)
        return parallelSum(count: count, threads: threads) { lo, hi in
            var s = 0.0
            for i in lo..<hi {
                let re = p.base[2 * i], im = p.base[2 * i + 1]
                s += re * re + im * im
            }
            return (s, 0)
        }.0
    }

    /// The norm `‖ψ‖`.
    public var norm: Double { normSquared.squareRoot() }

    /// Divides every amplitude by the norm.
    /// - Complexity: O(2ⁿ).
    public func normalize() {
        let n = norm
        precondition(n > 0, "cannot normalise the zero vector")
        scale(by: 1 / n)
    }

    /// Multiplies every amplitude by a real factor.
    func scale(by factor: Double) {
        let p = SendablePointer(base: data)
        parallelChunks(count: 2 * count, threads: threads) { lo, hi in
            for i in lo..<hi { p.base[i] *= factor }
        }
    }

    /// Probabilities `|ψᵢ|²` of every basis state.
    /// - Complexity: O(2ⁿ).
    public func probabilities() -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            let out = SendablePointer(base: buffer.baseAddress!)
            let p = SendablePointer(base: data)
            parallelChunks(count: count, threads: threads) { lo, hi in
                for i in lo..<hi {
                    let re = p.base[2 * i], im = p.base[2 * i + 1]
                    out.base[i] = re * re + im * im
                }
            }
            initialized = count
        }
    }

    /// The inner product `⟨self|other⟩ = Σ conj(selfᵢ)·otherᵢ`.
    /// - Complexity: O(2ⁿ).
    public func inner(_ other: StateVector) -> Complex<Double> {
        precondition(other.qubitCount == qubitCount, "qubit counts differ")
        let a = SendablePointer(base: data), b = SendablePointer(base: other.data)
        let (re, im) = parallelSum(count: count, threads: threads) { lo, hi in
            var re = 0.0, im = 0.0
            for i in lo..<hi {
                let ar = a.base[2 * i], ai = a.base[2 * i + 1]
                let br = b.base[2 * i], bi = b.base[2 * i + 1]
                re += ar * br + ai * bi
                im += ar * bi - ai * br
            }
            return (re, im)
        }
        return Complex(re, im)
    }

    /// The bitstring of basis index `index` on `qubitCount` qubits, qubit 0 rightmost.
    public static func bitstring(_ index: Int, qubitCount: Int) -> String {
        String((0..<qubitCount).reversed().map { (index >> $0) & 1 == 1 ? "1" : "0" })
    }
}
