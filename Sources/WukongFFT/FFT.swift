// Convenience transforms over Swift arrays (fft, ifft) on cached plans, plus the naive O(N²)
// DFT they are tested against, and FFT-order frequency helpers.
import Foundation
import Numerics

/// The forward discrete Fourier transform X_k = Σ_n x_n · e^{−2πi·k·n/N}, unnormalised
/// (FFTW's `fftw_plan_dft_1d` with FFTW_FORWARD, via a cached `FFTPlan`).
///
/// Parseval: Σ|X_k|² = N · Σ|x_n|². An empty input returns an empty array.
/// - Complexity: O(N log N).
public func fft(_ x: [Complex<Double>]) -> [Complex<Double>] {
    guard !x.isEmpty else { return [] }
    return FFTPlan.shared(length: x.count, direction: .forward).execute(x)
}

/// The inverse transform x_n = (1/N) Σ_k X_k · e^{+2πi·k·n/N}, normalised so that
/// `ifft(fft(x)) == x` to rounding (FFTW's FFTW_BACKWARD plan, then a 1/N scale).
/// - Complexity: O(N log N).
public func ifft(_ spectrum: [Complex<Double>]) -> [Complex<Double>] {
    guard !spectrum.isEmpty else { return [] }
    let raw = FFTPlan.shared(length: spectrum.count, direction: .backward).execute(spectrum)
    let scale = 1.0 / Double(spectrum.count)
    return raw.map { $0.multiplied(by: scale) }
}

/// Forward FFT of real samples (the imaginary parts are zero); returns all N complex bins.
/// - Complexity: O(N log N).
public func fft(real x: [Double]) -> [Complex<Double>] {
    fft(x.map { Complex($0, 0) })
}

/// Reference DFT, evaluated directly: X_k = Σ_n x_n · e^{∓2πi·k·n/N} (− forward, + backward),
/// unnormalised. Twiddles use (k·n mod N) so the angle stays in [0, 2π) and accurate.
/// This is the slow, obviously correct version the FFT wrappers are tested against.
/// - Complexity: O(N²).
public func naiveDFT(_ x: [Complex<Double>], direction: FFTDirection = .forward) -> [Complex<Double>] {
    let n = x.count
    let sign: Double = direction == .forward ? -1 : 1
    var result = [Complex<Double>](repeating: .zero, count: n)
    for k in 0..<n {
        var sum = Complex<Double>.zero
        for j in 0..<n {
            let angle = sign * 2 * Double.pi * Double((k * j) % n) / Double(n)
            let twiddle = Complex<Double>(cos(angle), sin(angle))
            let term: Complex<Double> = x[j] * twiddle
            sum += term
        }
        result[k] = sum
    }
    return result
}

/// Frequency of each bin of an N-point transform in FFT order, in GHz:
/// f_k = k·fs/N for k < ⌈N/2⌉, and (k − N)·fs/N above (so the Nyquist bin of even N is −fs/2).
/// - Parameter sampleRateGHz: sample rate fs in GS/s (= 1/dt with dt in ns).
public func fftFrequenciesGHz(count: Int, sampleRateGHz: Double) -> [Double] {
    let half = (count + 1) / 2
    return (0..<count).map { k in
        let signedIndex = k < half ? k : k - count
        return Double(signedIndex) * sampleRateGHz / Double(count)
    }
}
