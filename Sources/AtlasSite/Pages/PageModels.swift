/// View models handed to the Mustache templates (read by Mirror, so property names are the
/// template's variable names). Every value is already a display string formatted in Swift with
/// fixed rules, so the output is deterministic; the engine escapes every one of them.

/// What every page shares: used by `base.mustache`.
struct PageChrome: Sendable {
    var pageTitle: String
    /// Prefix from this page to the site root: "" for index.html, "../" for models/*.html.
    var root: String
    var toolVersion: String
    /// Shown only when some result carries `Provenance.generatedAt`.
    var generatedAt: String?
}

/// `index.mustache`.
struct IndexPage: Sendable {
    var chrome: PageChrome
    var models: [IndexRow]
    var modelCount: String
    /// Cross-model quantization summary, when some result has schemes.
    var quantization: QuantizationSummary?
}

/// One model in the index table.
struct IndexRow: Sendable {
    var label: String
    var href: String
    var architecture: String
    var blocks: String
    var hiddenSize: String
    var perplexityAll: String
    var perplexitySecondHalf: String
    var massiveCount: String
    var maxAbs: String
}

/// `model.mustache`.
struct ModelPage: Sendable {
    var chrome: PageChrome
    var label: String
    var architecture: [Fact]
    var provenance: [Fact]
    var perplexity: [Fact]
    var criterion: String
    var layers: [LayerRow]
    var heatmap: Figure?
    var colorBar: Figure?
    var lineChart: Figure?
    var legend: [LegendEntry]
    var massive: [MassiveRow]
    var massiveTotal: String
    /// Set when the massive table is cut short.
    var massiveTruncation: String?
    /// The anatomy page (relative to this page), when the result has an anatomy.
    var anatomyHref: String? = nil
    /// Link to the quantization page, when the result has schemes.
    var quantizationHref: String?
}

/// A term and its value, for `<dl>` lists.
struct Fact: Sendable {
    var term: String
    var value: String
}

/// One block in the per-layer table (the block output tap `ffn.resid`).
struct LayerRow: Sendable {
    var block: String
    var yIndex: String
    var maxAbs: String
    var medianAbs: String
    var ratio: String
    var massiveCount: String
    var topValue: String
    var topToken: String
    var topWindow: String
    var topPosition: String
    var topDim: String
}

/// One massive activation.
struct MassiveRow: Sendable {
    var layer: String
    var window: String
    var position: String
    var dim: String
    var value: String
    var token: String
}

/// An image with its size, alt text and CSS-positioned tick labels.
struct Figure: Sendable {
    var src: String
    var width: String
    var height: String
    var alt: String
    var xTicks: [TickLabel]
    var yTicks: [TickLabel]
}

/// A tick label and its CSS position (`left:` or `top:` percentage of the image box).
struct TickLabel: Sendable {
    var position: String
    var label: String
}

/// A legend entry: series name and its CSS colour (`#rrggbb`, produced by us).
struct LegendEntry: Sendable {
    var name: String
    var color: String
}
