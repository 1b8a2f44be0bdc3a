import AtlasModels
import AtlasResults

/// Per-tensor weight statistics (max |w| and where, RMS, Pearson kurtosis) and the distribution
/// of every norm's gamma. Sums in Double; pure.
public enum WeightStatistics {
    /// Statistics of one matrix.
    public static func tensor(_ w: NamedWeight) -> WeightStatistic {
        let m = w.matrix
        var s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
        var best: Float = -1, at = 0
        m.data.withUnsafeBufferPointer { p in
            for i in 0..<p.count {
                let v = p[i]
                let a = Swift.abs(v)
                if a > best { best = a; at = i }
                let x = Double(v), x2 = x * x
                s1 += x; s2 += x2; s3 += x2 * x; s4 += x2 * x2
            }
        }
        let n = Double(m.count)
        let cols = Swift.max(m.cols, 1)
        return WeightStatistic(name: w.name, block: w.block, rows: m.rows, cols: m.cols,
                               absmax: Double(Swift.max(best, 0)), absmaxAt: [at / cols, at % cols],
                               rms: n > 0 ? (s2 / n).squareRoot() : 0,
                               kurtosis: pearsonKurtosis(n: n, s1: s1, s2: s2, s3: s3, s4: s4))
    }

    /// Pearson kurtosis m₄ / m₂² from raw power sums; nil when empty or constant.
    static func pearsonKurtosis(n: Double, s1: Double, s2: Double, s3: Double, s4: Double) -> Double? {
        guard n > 0 else { return nil }
        let mu = s1 / n, e2 = s2 / n, e3 = s3 / n, e4 = s4 / n
        let m2 = e2 - mu * mu
        let m4 = e4 - 4 * mu * e3 + 6 * mu * mu * e2 - 3 * mu * mu * mu * mu
        guard m2 > 0 else { return nil }
        return Swift.max(0, m4) / (m2 * m2)
    }

    /// The gamma distribution of one norm; `top` lists the `topCount` largest |gamma|.
    public static func norm(_ n: NamedNorm, topCount: Int = 4) -> NormStatistic {
        let g = n.gamma
        let med = ChannelOutlierTokens.median(g.map { Swift.abs($0) })
        let order = g.indices.sorted { (Swift.abs(g[$0]), -$0) > (Swift.abs(g[$1]), -$1) }
        let maxAbs = Double(g.map { Swift.abs($0) }.max() ?? 0)
        return NormStatistic(name: n.name, block: n.block, count: g.count,
                             min: Double(g.min() ?? 0), max: Double(g.max() ?? 0), medianAbs: med,
                             maxRatio: med > 0 ? maxAbs / med : 0,
                             top: order.prefix(topCount).map { ChannelValue(channel: $0, value: Double(g[$0])) })
    }

    public static func all(_ weights: some BlockModel) -> (weights: [WeightStatistic], norms: [NormStatistic]) {
        (weights.namedWeights().map(tensor), weights.namedNorms().map { norm($0) })
    }
}
