/// View models of `anatomy.mustache` (reflected by `TemplateTree`; every value is a display string).

/// The anatomy page of one model.
struct AnatomyPage: Sendable {
    var chrome: PageChrome
    var label: String
    var criteria: [Fact]
    var tapIndex: [Fact]
    var massive: [MassiveDimRow]
    var origins: [OriginRow]
    var carriers: [CarrierRow]
    var timeline: Figure?
    var timelineLegend: [LegendEntry]
    var timelineNote: String?
    var sinkChart: Figure?
    var sinkLegend: [LegendEntry]
    var sinkNote: String?
    var sinks: [SinkRow]
    var heatmap: Figure?
    var heatmapColorBar: Figure?
    var heatmapNote: String?
    var channelOutliers: [ChannelOutlierRow]
    var channelOutlierNote: String
    var triggers: [TriggerRow]
    var taps: [TapRow]
    var weights: [WeightRow]
    var norms: [NormRow]
    var nonFinite: [NonFiniteRow]
}

struct MassiveDimRow: Sendable {
    var dim: String
    var firstBlock: String
    var firstTap: String
    var birthBlock: String
    var growth: String
    var birthTap: String
    var blocks: String
    var peak: String
    var peakBlock: String
    var hits: String
}

/// One term of the down projection at the birth of a massive dimension.
struct OriginRow: Sendable {
    var dim: String
    var block: String
    var inputTap: String
    var position: String
    var token: String
    var channel: String
    var weightEntry: String
    var weight: String
    var weightRatio: String
    var input: String
    var product: String
    var share: String
    var output: String
}

struct CarrierRow: Sendable {
    var dim: String
    var token: String
    var kind: String
    var count: String
    var positions: String
}

struct SinkRow: Sendable {
    var block: String
    var mean: String
    var maxHead: String
    var maxHeadMass: String
}

struct ChannelOutlierRow: Sendable {
    var block: String
    var tap: String
    var channel: String
    var absmax: String
    var ratio: String
    var kurtosis: String
    var tokenFraction: String
    var massive: String
    var gamma: String
    var gammaRatio: String
    var inputRatio: String
    var rescaling: String
    var cause: String
    var queryShare: String
}

struct TriggerRow: Sendable {
    var block: String
    var uniform: String
    var channels: String
}

struct TapRow: Sendable {
    var block: String
    var tap: String
    var maxAbs: String
    var medianAbs: String
    var ratio: String
    var massive: String
    var large: String
    var outlierChannels: String
    var maxKurtosis: String
    var nonFinite: String
}

struct WeightRow: Sendable {
    var name: String
    var shape: String
    var absmax: String
    var absmaxAt: String
    var rms: String
    var ratio: String
    var kurtosis: String
}

struct NormRow: Sendable {
    var name: String
    var min: String
    var max: String
    var medianAbs: String
    var maxRatio: String
    var top: String
}

struct NonFiniteRow: Sendable {
    var block: String
    var tap: String
    var count: String
    var samples: String
}
