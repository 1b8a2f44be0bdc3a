/// Outlier anatomy of one model: not only *that* it has outliers but *where they come
/// from*. Massive dimensions with their origin (first block, first tap, the down-projection
/// weights that make the spike, carrying tokens, persistence), channel-wise outliers with the
/// norm's gamma and the query projection as evidence, attention sinks, weight and gamma
/// statistics, a token × channel slice for the 3-D view, and every non-finite value found.
/// Every rule used is written down in `criteria`, so the site can state it.
public struct AnatomyResult: Codable, Sendable, Equatable {
    public var criteria: AnatomyCriteria
    /// `gated` (SwiGLU: y1…y8) or `plain` (GELU: y1…y6).
    public var ffnFamily: String
    /// Every observed tap with the study's y-index (nil for attention taps), in block order.
    public var tapIndex: [TapIndexEntry]
    /// Per observed (block, tap): its channel outliers and the largest channel kurtosis.
    public var tapOutliers: [TapOutliers]
    public var massiveDimensions: [MassiveDimension]
    public var channelOutliers: [ChannelOutlier]
    /// Outlier-triggering channels of W_q, per block (see `AnatomyCriteria.queryTriggers`).
    public var queryTriggers: [QueryTriggers]
    public var attentionSinks: SinkSummary?
    public var heatmap: HeatmapSlice?
    public var weights: [WeightStatistic]
    public var norms: [NormStatistic]
    public var nonFinite: [NonFiniteReport]

    public init(criteria: AnatomyCriteria, ffnFamily: String, tapIndex: [TapIndexEntry], tapOutliers: [TapOutliers],
                massiveDimensions: [MassiveDimension], channelOutliers: [ChannelOutlier], queryTriggers: [QueryTriggers],
                attentionSinks: SinkSummary?, heatmap: HeatmapSlice?, weights: [WeightStatistic], norms: [NormStatistic],
                nonFinite: [NonFiniteReport]) {
        self.criteria = criteria
        self.ffnFamily = ffnFamily
        self.tapIndex = tapIndex
        self.tapOutliers = tapOutliers
        self.massiveDimensions = massiveDimensions
        self.channelOutliers = channelOutliers
        self.queryTriggers = queryTriggers
        self.attentionSinks = attentionSinks
        self.heatmap = heatmap
        self.weights = weights
        self.norms = norms
        self.nonFinite = nonFinite
    }
}

/// The rules behind every anatomy number, as numbers and as sentences for the site.
public struct AnatomyCriteria: Codable, Sendable, Equatable {
    /// Sun et al. 2024: |x| > absolute and > relative × median |x| of the window's matrix.
    public var massive: MassiveCriterion
    /// LLM.int8: a value is an outlier magnitude when |x| ≥ this (6).
    public var int8Threshold: Double
    /// k: a channel is an outlier when its max |x| > k × the median channel max |x| of its tap.
    public var outlierFactor: Double
    /// Which kurtosis is reported (Pearson m₄/m₂², 3 for a Gaussian).
    public var kurtosis: String
    /// How the per-window median |x| is obtained, and for which taps exactly.
    public var median: String
    /// How an outlier channel after a norm is attributed to gamma or to its input.
    public var gammaCause: String
    /// How the outlier-triggering channels of W_q are scored.
    public var queryTriggers: String
    /// How attention-sink mass is measured.
    public var sinks: String
    /// The window whose activations were traced (origin values, sinks, heatmap slice).
    public var traceWindow: Int

    public init(massive: MassiveCriterion, int8Threshold: Double, outlierFactor: Double, kurtosis: String,
                median: String, gammaCause: String, queryTriggers: String, sinks: String, traceWindow: Int) {
        self.massive = massive
        self.int8Threshold = int8Threshold
        self.outlierFactor = outlierFactor
        self.kurtosis = kurtosis
        self.median = median
        self.gammaCause = gammaCause
        self.queryTriggers = queryTriggers
        self.sinks = sinks
        self.traceWindow = traceWindow
    }
}

/// A tap name and its y-index in the model's FFN family.
public struct TapIndexEntry: Codable, Sendable, Equatable {
    public var tap: String
    public var yIndex: String?

    public init(tap: String, yIndex: String?) {
        self.tap = tap
        self.yIndex = yIndex
    }
}

/// The channel outliers of one (block, tap).
public struct TapOutliers: Codable, Sendable, Equatable {
    public var block: Int
    public var tap: String
    /// Median over channels of the per-channel max |x|.
    public var medianChannelAbsmax: Double
    /// Channels with max |x| > k × that median, ascending.
    public var channels: [Int]
    /// The largest finite per-channel Pearson kurtosis (nil when none is defined).
    public var maxKurtosis: Double?

    public init(block: Int, tap: String, medianChannelAbsmax: Double, channels: [Int], maxKurtosis: Double?) {
        self.block = block
        self.tap = tap
        self.medianChannelAbsmax = medianChannelAbsmax
        self.channels = channels
        self.maxKurtosis = maxKurtosis
    }
}
