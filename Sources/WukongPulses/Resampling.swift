// FFT-based, band-limited resampling of IQ samples between sample rates, honouring the
// mid-sample time convention (t_k = (k + ½)·dt) at both rates.
import Numerics
import WukongFFT

/// Resamples N samples at `fromGHz` to M = N·to/from samples at `toGHz` by trigonometric
/// interpolation: the record is taken as one period of a band-limited signal, its spectrum is
/// zero-padded (up) or truncated (down), and each bin gets the phase e^{2πi·f·δ} with
/// δ = (dt_to − dt_from)/2, which moves the first sample from dt_from/2 to dt_to/2.
///
/// Bins at or beyond the new Nyquist frequency are dropped when downsampling; when upsampling
/// an even-N record, its Nyquist bin is split equally between ±fs/2 (the real-valued interpolant).
/// - Throws: `PulseError` if a rate is not positive or N·to/from is not a whole number.
/// - Complexity: O(N log N + M log M).
public func resampled(_ samples: [Complex<Double>], fromGHz: Double, toGHz: Double) throws(PulseError) -> [Complex<Double>] {
    try require(fromGHz > 0 && fromGHz.isFinite, "fromGHz", fromGHz, "must be finite and > 0")
    let n = samples.count
    guard n > 0 else { return [] }
    let m = try sampleCount(durationNs: Double(n) / fromGHz, sampleRateGHz: toGHz)
    if m == n { return samples }
    let source = fft(samples)
    let shiftNs = (1 / toGHz - 1 / fromGHz) / 2
    var target = [Complex<Double>](repeating: .zero, count: m)
    func place(_ value: Complex<Double>, signedBin s: Int) {
        let f = Double(s) * fromGHz / Double(n)
        let angle = 2 * Double.pi * f * shiftNs
        let rotated: Complex<Double> = value * Complex(.cos(angle), .sin(angle))
        target[(s % m + m) % m] += rotated
    }
    for k in 0..<n {
        let s = k < (n + 1) / 2 ? k : k - n
        let isSourceNyquist = n % 2 == 0 && s == -n / 2
        if isSourceNyquist && m > n {
            let half = source[k].multiplied(by: 0.5)
            place(half, signedBin: s)
            place(half, signedBin: -s)
        } else if 2 * abs(s) < m {
            place(source[k], signedBin: s)
        }
    }
    let scale = Double(m) / Double(n)
    return ifft(target).map { $0.multiplied(by: scale) }
}
