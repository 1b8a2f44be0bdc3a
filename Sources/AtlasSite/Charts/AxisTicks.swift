import AtlasResults
import Foundation

/// One tick of a chart axis. Charts draw only the tick mark; the label is HTML placed by CSS at
/// `fraction` of the image's width (x axis, from the left edge) or height (y axis, from the top
/// edge), so text stays crisp at any zoom, searchable and translatable, with no font in the PNG.
public struct AxisTick: Sendable, Equatable {
    /// Position as a fraction of the whole image dimension (x from the left, y from the top).
    public var fraction: Double
    public var value: Double
    /// The value formatted for display (`NumberFormat.compact`).
    public var label: String

    public init(fraction: Double, value: Double, label: String) {
        self.fraction = fraction
        self.value = value
        self.label = label
    }
}

/// Tick value selection ("nice" numbers). Pure computation.
public enum AxisTicks {
    /// About `count` values of the form {1, 2, 5} × 10^k covering [lower, upper], ascending; the
    /// first is ≤ lower and the last ≥ upper.
    public static func linear(lower: Double, upper: Double, count: Int = 5) -> [Double] {
        guard lower.isFinite, upper.isFinite else { return [] }
        var lo = min(lower, upper), hi = max(lower, upper)
        if lo == hi { lo -= lo == 0 ? 1 : abs(lo) / 2; hi += hi == 0 ? 1 : abs(hi) / 2 }
        let step = niceStep((hi - lo) / Double(max(1, count)))
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        return stride(from: first, through: last, by: 1).map { cleaned($0 * step) }
    }

    /// Powers of ten spanning [lower, upper] (both > 0): from 10^floor(log10 lower) to
    /// 10^ceil(log10 upper), thinned to every k-th decade when there are more than `maxCount`.
    public static func decades(lower: Double, upper: Double, maxCount: Int = 8) -> [Double] {
        guard lower > 0, upper > 0, lower.isFinite, upper.isFinite else { return [] }
        let lo = Int(log10(min(lower, upper)).rounded(.down))
        var hi = Int(log10(max(lower, upper)).rounded(.up))
        if hi == lo { hi += 1 }
        let span = hi - lo
        let step = max(1, Int((Double(span) / Double(max(1, maxCount - 1))).rounded(.up)))
        var exponents = Array(stride(from: lo, through: hi, by: step))
        if exponents.last! < hi { exponents.append(exponents.last! + step) }
        return exponents.map { pow(10, Double($0)) }
    }

    /// Integer ticks in 0..<count (e.g. layer indices): every index when count ≤ maxCount,
    /// else multiples of a nice step.
    public static func indices(count: Int, maxCount: Int = 12) -> [Int] {
        guard count > 0 else { return [] }
        if count <= maxCount { return Array(0..<count) }
        let step = Int(niceStep(Double(count - 1) / Double(maxCount - 1)).rounded(.up))
        return Array(stride(from: 0, to: count, by: max(1, step)))
    }

    /// The smallest {1, 2, 5} × 10^k ≥ rough.
    static func niceStep(_ rough: Double) -> Double {
        guard rough > 0, rough.isFinite else { return 1 }
        let magnitude = pow(10, log10(rough).rounded(.down))
        for factor in [1.0, 2, 5, 10] where factor * magnitude >= rough * (1 - 1e-9) {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// Removes floating-point dust such as 0.30000000000000004.
    static func cleaned(_ value: Double) -> Double {
        guard value != 0 else { return 0 }
        let digits = 12 - Int(log10(abs(value)).rounded(.down))
        let factor = pow(10, Double(min(max(digits, 0), 300)))
        return (value * factor).rounded() / factor
    }
}
