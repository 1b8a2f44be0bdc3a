/// View models of the comparison page (`comparison.mustache`) and of the index's variants
/// section. Every value is a display string.

/// `models/<slug>/comparison.html`: the baseline against each mitigated variant.
struct ComparisonPage: Sendable {
    var chrome: PageChrome
    var label: String
    /// The outlier-channel rule and the kurtosis used, in words.
    var outlierRule: String
    var kurtosisRule: String
    var criterion: String
    var findings: [VariantFinding]
    /// Two headers per scheme (perplexity and KL, or mean and worst cosine for encoders).
    var schemeHeaders: [SchemeHeader]
    /// The baseline first, then every variant.
    var rows: [ComparisonRow]
    /// Attention on the sinks, when the baseline and some variant measured it.
    var sinkTable: SinkComparisonTable?
    var colorBar: Figure?
    var scaleRange: String
    var pairs: [HeatmapPair]
    var maxAbsChart: Figure?
    var massiveChart: Figure?
    var kurtosisChart: Figure?
    var legend: [LegendEntry]
}

/// One variant's headline: its finding sentence, exactness badge, spec and notes.
struct VariantFinding: Sendable {
    var name: String
    /// `exact` or `lossy` (also the badge's CSS class).
    var kind: String
    var spec: String
    var sentence: String
    var notes: [VariantNote]
    var hasNotes: Bool
}

struct VariantNote: Sendable {
    var text: String
}

struct SchemeHeader: Sendable {
    var title: String
}

/// The baseline or one variant in the metrics table.
struct ComparisonRow: Sendable {
    var name: String
    /// `baseline`, `exact` or `lossy`.
    var kind: String
    var spec: String
    var massive: String
    var maxAbs: String
    var outlierChannels: String
    var meanKurtosis: String
    var floatPerplexity: String
    var cells: [QuantizationSummaryCell]
}

/// Baseline | variant heatmaps of the block outputs' per-channel max |x|.
struct HeatmapPair: Sendable {
    var name: String
    var baseline: Figure
    /// Nil when the variant has no per-channel data (a results file without `profile`).
    var variant: Figure?
}

/// The index's variants section: every model with variants, one row per variant.
struct VariantsSummary: Sendable {
    var rows: [VariantsSummaryRow]
}

struct VariantsSummaryRow: Sendable {
    var label: String
    /// The model's comparison page.
    var href: String
    var name: String
    var kind: String
    var finding: String
}

/// The attention-sink table: one header per model (baseline, then each variant's spec), one
/// row per block with each model's mean attention mass on its sink positions.
struct SinkComparisonTable: Sendable {
    var headers: [SchemeHeader]
    var rows: [SinkComparisonRow]
    var note: String
}

/// One block of the attention-sink table: the mean over heads of the attention mass on the sink
/// positions, per model.
struct SinkComparisonRow: Sendable {
    var block: String
    var cells: [QuantizationSummaryCell]
}
