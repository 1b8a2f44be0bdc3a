import AtlasResults

/// A synthetic `AnatomyResult` for site tests: one massive dimension born in block 1's FFN,
/// gamma-made channel outliers, sinks, a heatmap slice; token strings can be hostile.
enum AnatomySample {
    static func anatomy(tokens: [String], layers: Int = 4, nonFinite: Bool = true) -> AnatomyResult {
        let criteria = AnatomyCriteria(
            massive: MassiveCriterion(), int8Threshold: 6, outlierFactor: 10, kurtosis: "Pearson",
            median: "exact for residual taps", gammaCause: "rule <gamma>", queryTriggers: "score & share",
            sinks: "mean mass", traceWindow: 0)
        let origin = OriginTrace(
            block: 1, inputTap: "ffn.down_in", inputYIndex: "y6", outputTap: "ffn.down_out", outputYIndex: "y7",
            window: 0, position: 0, token: tokens[0], outputValue: 193, weightRMS: 0.05,
            contributions: [
                WeightContribution(channel: 117, row: 7, column: 117, input: -0.125, weight: -1543.13, product: 192.9, share: 0.9995),
                WeightContribution(channel: 3, row: 7, column: 3, input: 0.5, weight: 0.2, product: 0.1, share: 0.0005),
            ])
        let dim = MassiveDimension(
            dim: 7, firstBlock: 1, firstTap: "ffn.down_out", firstTapYIndex: "y7", birthBlock: 1, growth: 386,
            birthTap: "ffn.down_out", birthTapYIndex: "y7", blocks: Array(1..<layers), peak: -193,
            peakBlock: 1, timeline: (0..<layers).map { $0 == 0 ? 0.5 : 193 }, hitCount: 2 * (layers - 1),
            tokens: tokens.prefix(3).enumerated().map { CarrierToken(token: $1, kind: $0 == 0 ? "first token" : "newline", count: 3 - $0, positions: [$0]) },
            origin: origin)
        let gamma = GammaEvidence(gamma: 19.7, gammaRatio: 20, inputTap: "ffn.in", inputRatio: 1.1, outputRatio: 18,
                                  rescaling: 16.4, cause: "gamma")
        let outliers = [3, 11].map { c in
            ChannelOutlier(block: 0, tap: "ffn.norm", yIndex: "y2", channel: c, absmax: 43, ratio: 18, kurtosis: 9.5,
                           tokenFraction: 0.25, massiveDimension: false, gamma: gamma, queryShare: nil)
        } + [ChannelOutlier(block: 1, tap: "attn.norm", yIndex: nil, channel: 7, absmax: 40, ratio: 30, kurtosis: nil,
                            tokenFraction: nil, massiveDimension: true, gamma: nil, queryShare: 0.4)]
        return AnatomyResult(
            criteria: criteria, ffnFamily: "gated",
            tapIndex: [TapIndexEntry(tap: "attn.out", yIndex: nil), TapIndexEntry(tap: "ffn.resid", yIndex: "y8")],
            tapOutliers: (0..<layers).map { TapOutliers(block: $0, tap: "ffn.resid", medianChannelAbsmax: 0.5, channels: $0 == 0 ? [] : [7], maxKurtosis: 40) },
            massiveDimensions: [dim], channelOutliers: outliers,
            queryTriggers: [QueryTriggers(block: 1, uniformShare: 1 / 64, channels: [QueryTrigger(channel: 7, inputAbsmax: 40, columnNorm: 1.2, share: 0.4)])],
            attentionSinks: SinkSummary(window: 0, positions: [0], tokens: [tokens[0]], fallback: false,
                                        layers: (0..<layers).map { SinkLayer(block: $0, heads: [0.2, 0.9], mean: 0.55) }),
            heatmap: HeatmapSlice(block: 1, tap: "ffn.resid", window: 0, positions: Array(0..<tokens.count), tokens: tokens,
                                  channels: [3, 7, 11], values: tokens.indices.map { r in [0.5, r == 0 ? 193 : 0.4, 1.5] }),
            weights: [WeightStatistic(name: "blk.1.ffn_down.weight", block: 1, rows: 64, cols: 160, absmax: 1543.13,
                                      absmaxAt: [7, 117], rms: 0.05, kurtosis: 9000)],
            norms: [NormStatistic(name: "blk.0.ffn_norm.weight", block: 0, count: 64, min: -1, max: 19.7, medianAbs: 1,
                                  maxRatio: 19.7, top: [ChannelValue(channel: 3, value: 19.7)])],
            nonFinite: nonFinite ? [NonFiniteReport(block: 2, tap: "ffn.resid", count: 1, samples: [
                LocatedActivation(window: 0, position: 1, dim: 3, value: "nan", token: tokens[1 % tokens.count])])] : [])
    }

    /// SampleResults' model with this anatomy attached.
    static func result(label: String, tokens: [String]) -> RunResult {
        var r = SampleResults.result(label: label, tokens: tokens)
        r.anatomy = anatomy(tokens: tokens)
        return r
    }
}
