// FFTPlan: a safe owner of one FFTW complex-to-complex plan of a fixed length and direction.
// All FFTW calls of this target live in this file; no C type leaves it.
import CFFTW
import Numerics
import Synchronization

/// The sign of the exponent in a discrete Fourier transform.
public enum FFTDirection: Sendable, Hashable {
    /// X_k = Σ_n x_n · e^{−2πi·k·n/N} (FFTW_FORWARD).
    case forward
    /// x_n = Σ_k X_k · e^{+2πi·k·n/N} (FFTW_BACKWARD), unnormalised.
    case backward

    var fftwSign: Int32 { self == .forward ? FFTW_FORWARD : FFTW_BACKWARD }
}

/// FFTW's planner (and `fftw_destroy_plan`) is not thread-safe, so every plan creation and
/// destruction in the process goes through this one lock. Execution needs no lock.
let fftwPlannerLock = Mutex<Void>(())

/// Byte alignment of the buffers handed to FFTW. FFTW's SIMD codelets need at most 32 bytes
/// (AVX); 64 also keeps a buffer on its own cache line.
private let fftwBufferAlignment = 64

/// Carries a plan out of the planner lock's closure; the plan is used by one owner afterwards.
private struct PlanBox: @unchecked Sendable {
    let plan: OpaquePointer?
}

/// A complex-to-complex FFTW plan of one length and direction, planned with FFTW_ESTIMATE.
///
/// The plan is made once (under the global planner lock) on two private aligned buffers and is
/// then executed with `fftw_execute_dft` on fresh aligned scratch buffers per call, which FFTW
/// documents as thread-safe. One `FFTPlan` may therefore be shared and executed from many tasks
/// at once, which is why it is `@unchecked Sendable`: its only mutable state is FFTW's own.
///
/// The transform is unnormalised in both directions (as FFTW's is):
/// forward X_k = Σ_n x_n e^{−2πi kn/N}, backward x_n = Σ_k X_k e^{+2πi kn/N}.
public final class FFTPlan: @unchecked Sendable {
    /// Number of complex points N.
    public let length: Int
    /// Sign of the exponent.
    public let direction: FFTDirection

    private let plan: OpaquePointer
    private let planInput: UnsafeMutableRawPointer
    private let planOutput: UnsafeMutableRawPointer

    /// Plans a transform of `length` points (`fftw_plan_dft_1d` with FFTW_ESTIMATE).
    /// - Precondition: `length > 0`.
    /// - Complexity: FFTW_ESTIMATE planning is cheap (microseconds) and does not touch the data.
    public init(length: Int, direction: FFTDirection) {
        precondition(length > 0, "FFTPlan length must be positive, got \(length)")
        self.length = length
        self.direction = direction
        let bytes = length * MemoryLayout<Complex<Double>>.stride
        planInput = .allocate(byteCount: bytes, alignment: fftwBufferAlignment)
        planOutput = .allocate(byteCount: bytes, alignment: fftwBufferAlignment)
        planInput.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        planOutput.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        let input = planInput.bindMemory(to: fftw_complex.self, capacity: length)
        let output = planOutput.bindMemory(to: fftw_complex.self, capacity: length)
        let sign = direction.fftwSign
        // `withLock` returns a `sending` value and OpaquePointer is not Sendable, hence the box.
        let made = fftwPlannerLock.withLock { _ in
            PlanBox(plan: fftw_plan_dft_1d(Int32(length), input, output, sign, FFTW_ESTIMATE))
        }.plan
        guard let made else { fatalError("fftw_plan_dft_1d failed for length \(length)") }
        plan = made
    }

    deinit {
        let plan = self.plan
        fftwPlannerLock.withLock { _ in fftw_destroy_plan(plan) }
        planInput.deallocate()
        planOutput.deallocate()
    }

    /// Transforms `input` (`fftw_execute_dft` on aligned scratch copies); thread-safe.
    /// - Precondition: `input.count == length`.
    /// - Complexity: O(N log N).
    public func execute(_ input: [Complex<Double>]) -> [Complex<Double>] {
        precondition(input.count == length, "FFTPlan of length \(length) given \(input.count) points")
        let bytes = length * MemoryLayout<Complex<Double>>.stride
        let inRaw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: fftwBufferAlignment)
        let outRaw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: fftwBufferAlignment)
        defer {
            inRaw.deallocate()
            outRaw.deallocate()
        }
        // Complex<Double> is laid out as (real, imaginary), exactly like fftw_complex = double[2].
        let inComplex = inRaw.bindMemory(to: Complex<Double>.self, capacity: length)
        input.withUnsafeBufferPointer { source in
            inComplex.initialize(from: source.baseAddress!, count: length)
        }
        let inC = inRaw.bindMemory(to: fftw_complex.self, capacity: length)
        let outC = outRaw.bindMemory(to: fftw_complex.self, capacity: length)
        fftw_execute_dft(plan, inC, outC)
        let outComplex = outRaw.bindMemory(to: Complex<Double>.self, capacity: length)
        return Array(UnsafeBufferPointer(start: outComplex, count: length))
    }
}
