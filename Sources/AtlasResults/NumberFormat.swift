import Foundation

/// Fixed, locale-independent number formatting for pages and tick labels, so equal inputs give
/// equal bytes on every machine. Integer arithmetic only after one rounding step.
public enum NumberFormat {
    /// `value` to 4 significant digits. Plain notation for 1e-3 ≤ |x| < 1e6, otherwise
    /// `d.ddde±x`. `keepZeros: false` strips trailing fractional zeros (for tick labels).
    /// Non-finite values print as `NaN`, `inf`, `-inf`.
    public static func significant(_ value: Double, keepZeros: Bool = true) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let sign = value < 0 ? "-" : ""
        let magnitude = abs(value)
        var exponent = Int(log10(magnitude).rounded(.down))
        var mantissa = Int((magnitude / pow(10, Double(exponent - 3))).rounded())
        if mantissa >= 10_000 { mantissa /= 10; exponent += 1 }
        if mantissa < 1_000 { mantissa *= 10; exponent -= 1 } // log10 rounding at a power of ten
        let digits = String(mantissa)
        var text: String
        if exponent >= -3 && exponent < 6 {
            if exponent >= 3 {
                text = digits + String(repeating: "0", count: exponent - 3)
            } else if exponent >= 0 {
                let split = digits.index(digits.startIndex, offsetBy: exponent + 1)
                text = digits[..<split] + "." + digits[split...]
            } else {
                text = "0." + String(repeating: "0", count: -exponent - 1) + digits
            }
        } else {
            text = String(digits.prefix(1)) + "." + String(digits.dropFirst())
            if !keepZeros { text = stripZeros(text) }
            return sign + text + "e" + (exponent < 0 ? "-" : "+") + String(abs(exponent))
        }
        if !keepZeros { text = stripZeros(text) }
        return sign + text
    }

    /// Tick-label form: 4 significant digits without trailing zeros.
    public static func compact(_ value: Double) -> String { significant(value, keepZeros: false) }

    /// A fraction in [0, 1] as a CSS percentage with 3 decimals, e.g. `12.500%`.
    public static func percent(_ fraction: Double) -> String {
        let thousandths = Int((fraction * 100_000).rounded())
        let sign = thousandths < 0 ? "-" : ""
        let whole = abs(thousandths) / 1000, part = abs(thousandths) % 1000
        let partText = String(part)
        return sign + String(whole) + "." + String(repeating: "0", count: 3 - partText.count) + partText + "%"
    }

    /// Thousands-grouped integer, e.g. `134,515,008`.
    public static func integer(_ value: Int) -> String {
        let digits = String(abs(value))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    private static func stripZeros(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = Substring(text)
        while result.hasSuffix("0") { result = result.dropLast() }
        if result.hasSuffix(".") { result = result.dropLast() }
        return String(result)
    }
}
