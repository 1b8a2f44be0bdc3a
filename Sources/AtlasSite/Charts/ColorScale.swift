import Foundation

/// Maps positive values to t ∈ [0, 1] on a log10 scale between `lower` and `upper`.
/// Values ≤ 0 (no magnitude) and values below `lower` map to 0, above `upper` to 1; NaN maps to nil
/// so a chart can paint it distinctly. Pure computation.
public struct LogColorScale: Sendable, Equatable {
    public let lower: Double
    public let upper: Double

    /// A scale from `lower` to `upper` (both > 0). If they are equal the scale spans one decade
    /// ending at `upper`, so a constant grid still gets a colour.
    public init(lower: Double, upper: Double) {
        precondition(lower > 0 && upper > 0, "log scale bounds must be positive")
        let lo = min(lower, upper), hi = max(lower, upper)
        self.lower = lo == hi ? hi / 10 : lo
        self.upper = hi
    }

    /// The scale spanning the smallest positive finite and the largest finite value, or nil when
    /// there is no positive finite value.
    public init?(fitting values: some Sequence<Float>) {
        var lo = Double.infinity, hi = 0.0
        for value in values where value.isFinite && value > 0 {
            lo = min(lo, Double(value))
            hi = max(hi, Double(value))
        }
        guard hi > 0 else { return nil }
        self.init(lower: lo, upper: hi)
    }

    /// t for `value`: 0 at `lower`, 1 at `upper`, linear in log10 between.
    public func fraction(_ value: Double) -> Double? {
        if value.isNaN { return nil }
        guard value > lower else { return 0 }
        guard value < upper else { return 1 }
        return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
    }

    /// The value at fraction t (inverse of `fraction`).
    public func value(at t: Double) -> Double {
        pow(10, log10(lower) + t * (log10(upper) - log10(lower)))
    }
}
