// Spectrum: the discrete spectrum of sampled IQ data with frequencies in GHz, via WukongFFT.
import Numerics
import WukongFFT

/// The normalised DFT of N samples, c_k = (1/N)·Σ_n x_n e^{−2πi·k·n/N}, listed by ascending
/// frequency f_k in GHz (−fs/2 ≤ f < fs/2). A tone a·e^{2πi·f·t} at a bin frequency gives c = a·e^{iθ}
/// in that bin, where θ is the tone's phase at the first sample.
public struct Spectrum: Sendable, Equatable {
    /// Bin frequencies in GHz, ascending; spacing fs/N.
    public let frequenciesGHz: [Double]
    /// Normalised complex amplitudes c_k, aligned with `frequenciesGHz`.
    public let amplitudes: [Complex<Double>]

    /// The spectrum of `samples` taken at `sampleRateGHz` (FFT through WukongFFT).
    /// - Complexity: O(N log N).
    public init(samples: [Complex<Double>], sampleRateGHz: Double = defaultSampleRateGHz) {
        self.init(bins: fft(samples), sampleRateGHz: sampleRateGHz)
    }

    /// Builds the spectrum from unnormalised bins X_k in FFT order.
    init(bins: [Complex<Double>], sampleRateGHz: Double) {
        let n = bins.count
        let frequencies = fftFrequenciesGHz(count: n, sampleRateGHz: sampleRateGHz)
        let order = frequencies.indices.sorted { frequencies[$0] < frequencies[$1] }
        let scale = n > 0 ? 1 / Double(n) : 0
        frequenciesGHz = order.map { frequencies[$0] }
        amplitudes = order.map { bins[$0].multiplied(by: scale) }
    }

    /// |c_k| for each bin.
    public var magnitudes: [Double] { amplitudes.map(\.length) }

    /// Frequency in GHz of the bin of largest magnitude (nil when empty).
    public var peakFrequencyGHz: Double? {
        guard let index = amplitudes.indices.max(by: { amplitudes[$0].length < amplitudes[$1].length }) else { return nil }
        return frequenciesGHz[index]
    }
}
