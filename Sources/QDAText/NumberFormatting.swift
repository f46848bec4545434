// The one way numbers are written in every table, report and export, so that the same
// number reads the same in each and the output is the same bytes on every machine (no
// locale, no Foundation formatter).

/// Formats a number for tables: integers plainly, fractions with two decimals.
package func formatNumber(_ value: Double?, decimals: Int = 2) -> String {
    guard let value else { return "" }
    if value == value.rounded(), abs(value) < 1e15, decimals == 0 { return String(Int(value)) }
    let scale = pow10(decimals)
    let scaled = (value * scale).rounded()
    let negative = scaled < 0
    let magnitude = Int(abs(scaled))
    let whole = magnitude / Int(scale)
    let fraction = magnitude % Int(scale)
    var text = String(whole)
    if decimals > 0 {
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: decimals - digits.count) + digits
    }
    return (negative && magnitude != 0 ? "-" : "") + text
}

private func pow10(_ n: Int) -> Double {
    (0..<n).reduce(1.0) { value, _ in value * 10 }
}
