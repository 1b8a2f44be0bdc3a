import AtlasResults

/// The site's front page (`index.html`, template `index`): every model (each results file,
/// i.e. each model × variant) in one table with its perplexities, massive-activation count,
/// largest block output, quantization schemes and a sparkline of max |x| per layer. All
/// sparklines share one log y range so they can be compared row by row. Below it, when some
/// result simulated quantization, float perplexity and perplexity / KL per scheme and model;
/// when some result has mitigated variants, each variant with its finding.
struct IndexPageBuilder: SitePage {
    let templates = ["index", "figure"]
    let precedesModels = true

    func render(in context: SiteContext, into output: inout SiteOutput) throws(SiteError) {
        let path = SiteContext.indexPath
        var rows: [IndexRow] = []
        for model in context.models {
            let result = model.result
            var sparkline: Figure?
            if let placed = try ModelCharts.sparkline(for: model, scales: context.scales) {
                sparkline = try context.figure(placed.image, at: placed.path, on: path, into: &output)
            }
            let schemes = (result.quantization ?? []).map(\.name)
            rows.append(IndexRow(
                label: model.label, href: context.href(to: model.pagePath("index"), from: path),
                architecture: result.model.architecture, blocks: String(result.model.blockCount),
                hiddenSize: String(result.model.hiddenSize),
                perplexityAll: result.perplexity.map { NumberFormat.significant($0.allPositions) } ?? "—",
                perplexitySecondHalf: result.perplexity.map { NumberFormat.significant($0.secondHalf) } ?? "—",
                massiveCount: NumberFormat.integer(result.massiveActivations.count),
                maxAbs: ModelPageBuilder.maxAbs(of: result).map { NumberFormat.significant($0) } ?? "—",
                sparkline: sparkline, schemes: schemes.isEmpty ? "—" : schemes.joined(separator: ", "),
                layersHref: context.href(to: model.pagePath(LayerDetailPage.pageName), from: path)))
        }
        let range = context.scales.sparkline.map {
            let axis = ValueAxis(values: [], scale: .log, fixed: $0)
            return "\(NumberFormat.compact(axis.lower)) to \(NumberFormat.compact(axis.upper))"
        }
        let page = IndexPage(chrome: context.chrome(for: path, title: "Models"), models: rows,
                             modelCount: String(rows.count), sparklineRange: range,
                             quantization: QuantizationPageBuilder.summary(
                                context.models.map(\.result),
                                hrefs: context.models.map { context.href(to: $0.pagePath(QuantizationSitePage.pageName), from: path) }),
                             variants: ComparisonPageBuilder.summary(
                                context.models.map(\.result),
                                hrefs: context.models.map { context.href(to: $0.pagePath(ComparisonSitePage.pageName), from: path) }))
        try output.add(page: context.render(page, template: "index", path: path, title: "Models"))
    }
}
