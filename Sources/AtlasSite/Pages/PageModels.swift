/// View models handed to the Mustache templates (reflected by `TemplateTree`, so property names
/// are the template's variable names). Every value is already a display string formatted in Swift with
/// fixed rules, so the output is deterministic; the engine escapes every one of them.

/// What every page shares: used by `base.mustache`. Every URL in it is already made for the
/// page's mode by `SiteLinker`.
struct PageChrome: Sendable {
    var pageTitle: String
    /// True in the single file: the page is a `<section id="{{anchor}}">`, not a document.
    var embedded: Bool
    /// The section id of the page in the single file.
    var anchor: String
    /// Prefix of every element id on the page ("" in a folder site).
    var idPrefix: String
    /// URL of the stylesheet (folder site only; the single file inlines it).
    var stylesheet: String?
    /// URL of the table sorter (folder site only, when the assets have it).
    var script: String?
    var siteNav: [NavLink]
    /// The model this page belongs to, and its pages.
    var modelLabel: String?
    var modelNav: [NavLink]
    var toolVersion: String
    /// Shown only when some result carries `Provenance.generatedAt`.
    var generatedAt: String?
}

/// A navigation link; `current` is `page` (for `aria-current`) on the page itself.
struct NavLink: Sendable {
    var label: String
    var href: String
    var current: String?
}

/// `index.mustache`.
struct IndexPage: Sendable {
    var chrome: PageChrome
    var models: [IndexRow]
    var modelCount: String
    /// Where the sparklines' shared y range is described.
    var sparklineRange: String?
    /// Cross-model quantization summary, when some result has schemes.
    var quantization: QuantizationSummary?
    /// Every mitigated variant with its finding, when some result has variants.
    var variants: VariantsSummary?
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
    /// Max |x| of the block output per layer, on the y range shared by every row.
    var sparkline: Figure?
    /// Quantization schemes simulated for this model, comma-separated, or "—".
    var schemes: String
    var layersHref: String
}

/// `model.mustache`: a model's overview.
struct ModelPage: Sendable {
    var chrome: PageChrome
    var label: String
    var layersHref: String
    var downloadsHref: String
    var methodsHref: String
    /// The comparison page, when the result has mitigated variants.
    var comparisonHref: String?
    var architecture: [Fact]
    var provenance: [Fact]
    var perplexity: [Fact]
    var criterion: String
    var layers: [LayerRow]
    var heatmap: Figure?
    var colorBar: Figure?
    var lineChart: Figure?
    var legend: [LegendEntry]
    /// Massive activations per layer.
    var bars: Figure?
    var barsScale: String
    var massive: [MassiveRow]
    var massiveTotal: String
    /// Set when the massive table is cut short.
    var massiveTruncation: String?
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
