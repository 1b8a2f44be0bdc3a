import AtlasResults

/// A model's overview (`models/<slug>/index.html`, template `model`): architecture,
/// perplexity, provenance, the block output per layer as a table and three charts, and the
/// massive activations.
struct ModelOverviewPage: ModelSitePage {
    let name = "index"
    let title = "Overview"
    let templates = ["model", "figure"]

    func applies(to model: SiteModel) -> Bool { true }

    func render(_ model: SiteModel, in context: SiteContext, into output: inout SiteOutput) throws(SiteError) {
        let path = model.pagePath(name)
        let charts = try ModelCharts.make(for: model, scales: context.scales)
        func place(_ chart: ModelCharts.Placed?) throws(SiteError) -> Figure? {
            guard let chart else { return nil }
            return try context.figure(chart.image, at: chart.path, on: path, into: &output)
        }
        var colorBar: Figure?
        if charts.heatmap != nil, let bar = context.scales.blockOutputBar {
            colorBar = try context.figure(bar, at: SharedScales.blockOutputBarPath, on: path, into: &output)
        }
        let result = model.result
        let massive = ModelPageBuilder.massiveRows(result)
        let page = ModelPage(
            chrome: context.chrome(for: path, title: model.label, model: model),
            label: model.label,
            layersHref: context.href(to: model.pagePath(LayerDetailPage.pageName), from: path),
            downloadsHref: context.href(to: SiteContext.downloadsPath, fragment: "model-" + model.slug, from: path),
            methodsHref: context.href(to: SiteContext.methodsPath, from: path),
            comparisonHref: ComparisonSitePage().applies(to: model)
                ? context.href(to: model.pagePath(ComparisonSitePage.pageName), from: path) : nil,
            architecture: ModelPageBuilder.architectureFacts(result.model),
            provenance: ModelPageBuilder.provenanceFacts(result.provenance),
            perplexity: ModelPageBuilder.perplexityFacts(result.perplexity),
            criterion: ModelPageBuilder.criterion(result.provenance.criterion),
            layers: model.blockOutputs.map(ModelPageBuilder.layerRow),
            heatmap: try place(charts.heatmap), colorBar: colorBar,
            lineChart: try place(charts.lineChart), legend: charts.legend,
            bars: try place(charts.bars), barsScale: charts.barsScale == .log ? "log scale" : "linear scale",
            massive: massive.rows,
            massiveTotal: NumberFormat.integer(massive.total),
            massiveTruncation: massive.total > massive.rows.count
                ? "Showing the first \(massive.rows.count) of \(NumberFormat.integer(massive.total)) (by layer, window, position); the downloads have all of them." : nil)
        try output.add(page: context.render(page, template: "model", path: path, title: model.label))
    }
}
