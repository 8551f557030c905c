// Axis helpers for LinePlot: data ranges, "nice" tick positions (1, 2, 5 × 10^k), number
// formatting without Foundation, and XML escaping.

/// The data's [min, max], widened to a unit interval around a constant value and to [0, 1] when
/// there is no data, so the axis transform never divides by zero.
func paddedRange(_ values: [Double]) -> (lower: Double, upper: Double) {
    guard let low = values.min(), let high = values.max() else { return (0, 1) }
    if low == high { return (low - 0.5, high + 0.5) }
    return (low, high)
}

/// About five ticks covering [low, high] at a step of 1, 2 or 5 × 10^k, from the first multiple
/// of the step at or below `low` to the first at or above `high`.
func niceTicks(_ low: Double, _ high: Double, target: Int = 5) -> [Double] {
    let span = high - low
    guard span > 0, span.isFinite else { return [low] }
    let raw = span / Double(target)
    var magnitude = 1.0
    while magnitude > raw { magnitude /= 10 }
    while magnitude * 10 <= raw { magnitude *= 10 }
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
    let first = (low / step).rounded(.down)
    let last = (high / step).rounded(.up)
    return stride(from: first, through: last, by: 1).map { $0 * step }
}

/// A tick label: up to 4 significant decimals, no trailing zeros, "0" for values within rounding of 0.
func tickLabel(_ value: Double) -> String {
    let rounded = (value * 10_000).rounded() / 10_000
    if rounded == 0 { return "0" }
    if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
    var text = String(rounded)
    if text.contains("e") { return text }
    while text.hasSuffix("0") { text.removeLast() }
    return text
}

/// An SVG coordinate with two decimals.
func fmt(_ value: Double) -> String {
    let hundredths = (value * 100).rounded()
    let whole = Int(hundredths / 100)
    let fraction = Int(abs(hundredths).truncatingRemainder(dividingBy: 100))
    let sign = hundredths < 0 && whole == 0 ? "-" : ""
    return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
}

/// Escapes &, <, >, " and ' for XML text and attribute values.
func escapeXML(_ text: String) -> String {
    var out = ""
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(c)
        }
    }
    return out
}
