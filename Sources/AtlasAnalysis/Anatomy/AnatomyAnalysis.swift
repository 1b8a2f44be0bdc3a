import AtlasModels
import AtlasResults

/// Turns the statistics of a finished run into an `AnatomyResult`: one extra forward pass over
/// the trace window (the window with the most block-output massive activations) records the
/// down-projection inputs at the carrying positions, the attention mass on them and a
/// token × channel slice; the detectors then read the mergeable statistics and the weights.
public enum AnatomyAnalysis {
    /// Positions shown in the heatmap slice.
    public static let heatmapPositions = 64
    /// Channels shown in the heatmap slice (those of largest max |x|).
    public static let heatmapChannels = 16

    public static func make(model: any DecoderModel, windows: [[Int32]], statistics: StatisticsObserver,
                            tokenText: @escaping (Int32) -> String) -> AnatomyResult {
        let state = statistics.state
        let accumulators = state.accumulators
        let family = model.ffnFamily
        let weights: (any BlockModel)? = model
        let origin = MassiveOrigin(accumulators: accumulators, family: family, blockCount: model.blockCount, tokenText: tokenText)
        let traceWindow = windows.isEmpty ? 0 : min(origin.traceWindow(), windows.count - 1)
        let tokens = windows.isEmpty ? [] : windows[traceWindow]
        let carriers = origin.carrierPositions(window: traceWindow)
        let sinkPositions = SinkMeasurement.positions(prefixCount: model.kvPrefix?.count ?? 0, carriers: carriers)
        let heatmapRequest = heatmapRequest(accumulators, rows: tokens.count)
        let recorder = TraceRecorder(positions: carriers, sinkPositions: tokens.isEmpty ? [] : sinkPositions,
                                     heatmap: heatmapRequest, tokens: tokens.count)
        if !tokens.isEmpty { _ = model.forward(tokens: tokens, observer: recorder) }

        let dims = origin.dimensions(traceWindow: traceWindow, downIn: recorder.downIn, weights: weights)
        let channels = ChannelOutlierAnalysis(accumulators: accumulators, family: family, factor: state.outlierFactor,
                                              massiveDims: Set(dims.map(\.dim)), weights: weights)
        let shares = channels.queryShares()
        var weightStats: [WeightStatistic] = [], normStats: [NormStatistic] = []
        if let weights { (weightStats, normStats) = WeightStatistics.all(weights) }

        let sinks = SinkMeasurement.summary(recorder.sinkMass, window: traceWindow, positions: sinkPositions, tokens: tokens,
                                            prefix: model.kvPrefix, fallback: carriers.isEmpty && model.kvPrefix == nil,
                                            tokenText: tokenText)
        let heatmap = heatmapRequest.flatMap { h in
            recorder.heatmapValues.map { values in
                HeatmapSlice(block: h.block, tap: h.tap.rawValue, window: traceWindow, positions: Array(0..<values.count),
                             tokens: (0..<values.count).map { tokenText(tokens[$0]) }, channels: h.channels, values: values)
            }
        }
        let criteria = AnatomyCriteria(
            massive: state.criterion, int8Threshold: Double(ChannelMoments().largeThreshold), outlierFactor: state.outlierFactor,
            kurtosis: "Pearson kurtosis m4 / m2² (population moments; a Gaussian gives 3, not 0)",
            median: "exact per-window median |x| for \(StatisticsObserver.exactMedianTaps.map(\.rawValue).sorted().joined(separator: ", ")); elsewhere estimated from the window's counts of |x| per 2⁻⁷-relative cell (top 16 bits), interpolated by rank (within 0.8 %); attention probabilities get no median, histogram or massive detection (they are at most 1), only moments and top-k",
            gammaCause: ChannelOutlierAnalysis.gammaRule, queryTriggers: ChannelOutlierAnalysis.triggerRule,
            sinks: "per block and head, the mean over all query positions of the attention probability on the positions carrying a block-output massive activation in the trace window (position 0 when there is none)",
            traceWindow: traceWindow)
        let observed = Set(accumulators.keys.map(\.tap)).sorted()
        return AnatomyResult(
            criteria: criteria, ffnFamily: family.rawValue,
            tapIndex: observed.map { TapIndexEntry(tap: $0.rawValue, yIndex: family.yIndex($0)) },
            tapOutliers: channels.tapOutliers(), massiveDimensions: dims,
            channelOutliers: channels.channelOutliers(queryShares: shares), queryTriggers: channels.queryTriggers(shares),
            attentionSinks: sinks, heatmap: heatmap, weights: weightStats, norms: normStats,
            nonFinite: nonFiniteReports(accumulators, tokenText: tokenText))
    }

    /// The block output holding the largest |x|, its first positions and largest channels.
    static func heatmapRequest(_ accumulators: [TapKey: TapAccumulator], rows: Int) -> TraceRecorder.HeatmapRequest? {
        let outputs = accumulators.filter { $0.key.tap == .ffnResid && $0.value.moments.channels > 0 }
        guard rows > 0, let best = outputs.max(by: { ($0.value.moments.maxAbs, $1.key.block) < ($1.value.moments.maxAbs, $0.key.block) })
        else { return nil }
        let absmax = best.value.moments.absmax
        let top = absmax.indices.sorted { (absmax[$0], -$0) > (absmax[$1], -$1) }.prefix(heatmapChannels).sorted()
        return .init(block: best.key.block, tap: .ffnResid, rows: min(rows, heatmapPositions), channels: top)
    }

    static func nonFiniteReports(_ accumulators: [TapKey: TapAccumulator], tokenText: (Int32) -> String) -> [NonFiniteReport] {
        accumulators.keys.sorted().compactMap { key in
            let acc = accumulators[key]!
            guard acc.nonFiniteCount > 0 else { return nil }
            return NonFiniteReport(block: key.block, tap: key.tap.rawValue, count: acc.nonFiniteCount,
                                   samples: acc.nonFiniteSamples.map {
                LocatedActivation(window: $0.window, position: $0.position, dim: $0.dim, value: $0.value.rawValue,
                                  token: $0.token >= 0 ? tokenText($0.token) : "")
            })
        }
    }
}
