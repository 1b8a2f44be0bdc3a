/// View models of the quantization page (`quantization.mustache`) and of the index's
/// cross-model quantization summary. Every value is a display string.

/// `models/<slug>/quantization.html`.
struct QuantizationPage: Sendable {
    var chrome: PageChrome
    var label: String
    var floatPerplexity: String
    var schemes: [SchemeRow]
    var heatmaps: [SchemeHeatmap]
    var colorBar: Figure?
    var sqnrRange: String
    var lineCharts: [SchemeLineChart]
    var hasLineCharts: Bool
    var legend: [LegendEntry]
    var worstLayers: [WorstLayerRow]
    var worstLayerCount: String
    var tokenStrideNote: String
}

/// One scheme in the metrics table.
struct SchemeRow: Sendable {
    var name: String
    var description: String
    var windows: String
    var perplexityAll: String
    var perplexitySecondHalf: String
    var perplexityChange: String
    var kl: String
    var top1: String
    var deltaP: String
    var worstLocal: String
    var worstWeight: String
}

/// The local-SQNR heatmap of one scheme (blocks × Linear types).
struct SchemeHeatmap: Sendable {
    var name: String
    var figure: Figure
}

/// The SQNR-per-block chart of one scheme.
struct SchemeLineChart: Sendable {
    var name: String
    var figure: Figure
}

/// A Linear that loses much under a scheme.
struct WorstLayerRow: Sendable {
    var scheme: String
    var block: String
    var linear: String
    var local: String
    var accumulated: String
    var weight: String
}

/// The index's cross-model table: one column per scheme name seen in any result.
struct QuantizationSummary: Sendable {
    var schemeNames: [SchemeName]
    var rows: [QuantizationSummaryRow]
}

struct SchemeName: Sendable {
    var name: String
}

struct QuantizationSummaryRow: Sendable {
    var label: String
    var href: String
    var floatPerplexity: String
    var cells: [QuantizationSummaryCell]
}

/// "PPL / KL" of one model under one scheme, "—" when not evaluated.
struct QuantizationSummaryCell: Sendable {
    var value: String
}
