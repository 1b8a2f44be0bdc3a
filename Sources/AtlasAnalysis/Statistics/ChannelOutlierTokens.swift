import AtlasModels

/// Counts, per channel, the tokens that carry a channel-wise outlier in one window.
///
/// The window's reference is the median over channels of its per-channel max |x|
/// (`columnAbsmax`); a token (row) t carries channel c when |x[t, c]| > `factor` × that median.
/// Only channels whose own max |x| passes the bar are scanned, so the cost is proportional to
/// the number of outlier channels. Non-finite values never count.
enum ChannelOutlierTokens {
    /// The median of `values` (mean of the two middle ones for an even count); 0 when empty.
    static func median(_ values: [Float]) -> Double {
        guard !values.isEmpty else { return 0 }
        let v = values.sorted()
        let n = v.count
        return n % 2 == 1 ? Double(v[n / 2]) : (Double(v[n / 2 - 1]) + Double(v[n / 2])) / 2
    }

    /// Adds this window's outlier-token counts to `counts` (one per channel).
    static func count(_ m: Matrix, columnAbsmax: [Float], factor: Double, into counts: inout [Int]) {
        precondition(counts.count == m.cols && columnAbsmax.count == m.cols)
        let bar = factor * median(columnAbsmax)
        guard bar > 0, bar.isFinite else { return }
        let cols = m.cols
        m.data.withUnsafeBufferPointer { src in
            for c in 0..<cols where Double(columnAbsmax[c]) > bar {
                var n = 0
                for r in 0..<m.rows {
                    let v = src[r * cols + c]
                    if v.isFinite, Double(Swift.abs(v)) > bar { n += 1 }
                }
                counts[c] += n
            }
        }
    }
}
