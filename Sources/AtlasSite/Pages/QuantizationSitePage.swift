import AtlasResults

/// The simulated-quantization page of a model (`models/<slug>/quantization.html`, template
/// `quantization`): per scheme perplexity, KL and top-1 agreement against the float model,
/// local SQNR heatmaps on one colour scale, SQNR per block and the layers that lose most.
/// Only for results with at least one scheme; the index summarises all of them.
struct QuantizationSitePage: ModelSitePage {
    static let pageName = "quantization"
    let name = QuantizationSitePage.pageName
    let title = "Quantization"
    let templates = ["quantization", "figure"]

    func applies(to model: SiteModel) -> Bool { !(model.result.quantization ?? []).isEmpty }

    func render(_ model: SiteModel, in context: SiteContext, into output: inout SiteOutput) throws(SiteError) {
        let path = model.pagePath(name)
        let charts = try QuantizationCharts.make(for: model.result, slug: model.slug)
        func place(_ chart: ModelCharts.Placed) throws(SiteError) -> Figure {
            try context.figure(chart.image, at: chart.path, on: path, into: &output)
        }
        let title = "\(model.label): quantization"
        let page = try QuantizationPageBuilder.page(model.result, chrome: context.chrome(for: path, title: title, model: model),
                                                    charts: charts, place: place)
        try output.add(page: context.render(page, template: "quantization", path: path, title: title))
    }
}
