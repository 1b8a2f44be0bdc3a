import Foundation

/// Exact percentiles with linear interpolation between order statistics (numpy's default
/// `linear` method): with the n values sorted ascending a₀ ≤ … ≤ aₙ₋₁ and h = p/100 · (n − 1),
/// the p-th percentile is a⌊h⌋ + (h − ⌊h⌋)(a⌊h⌋₊₁ − a⌊h⌋). Only the n − ⌊h⌋ largest values take
/// part, so a high percentile over many values needs only a few of them (`topCount`).
public enum Percentile {
    /// How many of the largest of n values decide the p-th percentile: n − ⌊p/100 · (n − 1)⌋.
    public static func topCount(n: Int, percentile p: Double) -> Int {
        n - Int((p / 100 * Double(n - 1)).rounded(.down))
    }

    /// The p-th percentile of n values given (at least) their `topCount` largest in descending order.
    public static func fromTop(_ top: [Float], n: Int, percentile p: Double) -> Float {
        let h = p / 100 * Double(n - 1)
        let low = Int(h.rounded(.down))
        let a = top[n - 1 - low]
        guard low + 1 < n else { return a }
        let b = top[n - 2 - low]
        return Float(Double(a) + (h - Double(low)) * (Double(b) - Double(a)))
    }

    /// The p-th percentile of `values` (non-empty).
    public static func of(_ values: [Float], percentile p: Double) -> Float {
        fromTop(values.sorted(by: >), n: values.count, percentile: p)
    }

    /// Merges `candidates` into `top` (descending, at most `limit` long), keeping the `limit`
    /// largest in descending order; only candidates above the smallest kept value matter once
    /// `top` is full.
    static func merge(_ candidates: [Float], into top: inout [Float], limit: Int) {
        let floor = top.count == limit ? top[limit - 1] : -Float.infinity
        let larger = candidates.filter { $0 > floor }
        guard !larger.isEmpty else { return }
        top = Array((top + larger).sorted(by: >).prefix(limit))
    }
}
