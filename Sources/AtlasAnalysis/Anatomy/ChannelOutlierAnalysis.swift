import AtlasModels
import AtlasResults

/// Channel-wise outliers (DESIGN §4): a channel of a tap is an outlier when its max |x| exceeds
/// k × the median channel max |x| of that tap. For norm outputs, the norm's gamma is weighed
/// against the channel's size before the norm (the "rescaling variation"); for `attn.norm`, the
/// channel's share of the W_q trigger score is attached.
struct ChannelOutlierAnalysis {
    let accumulators: [TapKey: TapAccumulator]
    let family: FFNFamily
    let factor: Double
    let massiveDims: Set<Int>
    let weights: (any BlockModel)?
    /// Trigger channels listed per block.
    static let triggerCount = 4

    static let gammaRule = "after a norm, an outlier channel is attributed to gamma when it is not an outlier before the norm (input ratio < k) and |gamma| ≥ √k × the median |gamma|; to its input when the input ratio ≥ k; otherwise mixed. Ratios are max |x| over the median channel max |x| of the tap; rescaling = output ratio / input ratio"

    static let triggerRule = "score_j = max_t |x[t, j]| · ‖W_q[:, j]‖₂ with x the attn.norm output (W_q's input); share_j = score_j / Σ_j score_j: the channels whose share far exceeds 1/hidden dominate the query magnitude"

    private var keys: [TapKey] { accumulators.keys.filter { $0.tap != .attnProbs }.sorted() }

    private func medianAbsmax(_ acc: TapAccumulator) -> Double { ChannelOutlierTokens.median(acc.moments.absmax) }

    private func outlierChannels(_ acc: TapAccumulator) -> (median: Double, channels: [Int]) {
        let med = medianAbsmax(acc)
        let bar = factor * med
        guard bar > 0 else { return (med, []) }
        return (med, acc.moments.absmax.indices.filter { Double(acc.moments.absmax[$0]) > bar })
    }

    func tapOutliers() -> [TapOutliers] {
        keys.map { key in
            let acc = accumulators[key]!
            let (med, channels) = outlierChannels(acc)
            let kurt = acc.moments.kurtoses.filter(\.isFinite).max()
            return TapOutliers(block: key.block, tap: key.tap.rawValue, medianChannelAbsmax: med, channels: channels,
                               maxKurtosis: kurt)
        }
    }

    /// Per block: W_q trigger shares of every channel (empty without weights or `attn.norm`).
    func queryShares() -> [Int: [Double]] {
        guard let weights else { return [:] }
        var out: [Int: [Double]] = [:]
        for key in keys where key.tap == .attnNorm {
            let x = accumulators[key]!.moments.absmax
            let w = weights.queryProjection(block: key.block).weight
            guard w.cols == x.count else { continue }
            var norms = [Double](repeating: 0, count: w.cols)
            w.data.withUnsafeBufferPointer { p in
                for r in 0..<w.rows { for c in 0..<w.cols { let v = Double(p[r * w.cols + c]); norms[c] += v * v } }
            }
            let scores = (0..<w.cols).map { Double(x[$0]) * norms[$0].squareRoot() }
            let total = scores.reduce(0, +)
            out[key.block] = scores.map { total > 0 ? $0 / total : 0 }
        }
        return out
    }

    func queryTriggers(_ shares: [Int: [Double]]) -> [QueryTriggers] {
        shares.keys.sorted().map { block in
            let s = shares[block]!
            let x = accumulators[TapKey(block: block, tap: .attnNorm)]!.moments.absmax
            let w = weights!.queryProjection(block: block).weight
            let top = s.indices.sorted { (s[$0], -$0) > (s[$1], -$1) }.prefix(Self.triggerCount)
            return QueryTriggers(block: block, uniformShare: 1 / Double(s.count), channels: top.map { c in
                var n = 0.0
                for r in 0..<w.rows { n += Double(w[r, c]) * Double(w[r, c]) }
                return QueryTrigger(channel: c, inputAbsmax: Double(x[c]), columnNorm: n.squareRoot(), share: s[c])
            })
        }
    }

    func channelOutliers(queryShares: [Int: [Double]]) -> [ChannelOutlier] {
        var out: [ChannelOutlier] = []
        for key in keys {
            let acc = accumulators[key]!
            let (med, channels) = outlierChannels(acc)
            let residualWidth = acc.moments.channels == accumulators[TapKey(block: key.block, tap: .ffnResid)]?.moments.channels
            for c in channels {
                let absmax = Double(acc.moments.absmax[c])
                let k = acc.moments.kurtosis(c)
                let n = acc.moments.count[c]
                let fraction = acc.outlierTokens.isEmpty || n == 0 ? nil : Double(acc.outlierTokens[c]) / Double(n)
                out.append(ChannelOutlier(
                    block: key.block, tap: key.tap.rawValue, yIndex: family.yIndex(key.tap), channel: c,
                    absmax: absmax, ratio: absmax / med, kurtosis: k.isFinite ? k : nil, tokenFraction: fraction,
                    massiveDimension: residualWidth && massiveDims.contains(c),
                    gamma: gammaEvidence(key: key, channel: c, outputRatio: absmax / med),
                    queryShare: key.tap == .attnNorm ? queryShares[key.block]?[c] : nil))
            }
        }
        return out
    }

    private func gammaEvidence(key: TapKey, channel c: Int, outputRatio: Double) -> GammaEvidence? {
        guard let weights, let inputTap = weights.normInputTap(key.tap),
              let gamma = weights.normGamma(block: key.block, normTap: key.tap), c < gamma.count,
              let input = accumulators[TapKey(block: key.block, tap: inputTap)], c < input.moments.channels else { return nil }
        let gammaMedian = ChannelOutlierTokens.median(gamma.map { abs($0) })
        let inputMedian = medianAbsmax(input)
        let gammaRatio = gammaMedian > 0 ? Double(abs(gamma[c])) / gammaMedian : 0
        let inputRatio = inputMedian > 0 ? Double(input.moments.absmax[c]) / inputMedian : 0
        let cause: String
        if inputRatio >= factor { cause = "input" }
        else if gammaRatio >= factor.squareRoot() { cause = "gamma" }
        else { cause = "mixed" }
        return GammaEvidence(gamma: Double(gamma[c]), gammaRatio: gammaRatio, inputTap: inputTap.rawValue,
                             inputRatio: inputRatio, outputRatio: outputRatio,
                             rescaling: inputRatio > 0 ? outputRatio / inputRatio : 0, cause: cause)
    }
}
