import AtlasResults

/// The baseline-versus-variants page of a model (`models/<slug>/comparison.html`, template
/// `comparison`): a finding per variant, variants × metrics, baseline | variant heatmaps of the
/// block outputs on one colour scale, and per-block charts. Only for results with variants;
/// the overview links to it and the index lists every variant with its finding.
struct ComparisonSitePage: ModelSitePage {
    static let pageName = "comparison"
    let name = ComparisonSitePage.pageName
    let title = "Mitigations"
    let templates = ["comparison", "figure"]

    func applies(to model: SiteModel) -> Bool { !(model.result.variants ?? []).isEmpty }

    func render(_ model: SiteModel, in context: SiteContext, into output: inout SiteOutput) throws(SiteError) {
        let path = model.pagePath(name)
        let charts = try ComparisonCharts.make(for: model, baseline: ComparisonPageBuilder.baselineProfile(model.result),
                                               variants: model.result.variants ?? [])
        func place(_ chart: ModelCharts.Placed) throws(SiteError) -> Figure {
            try context.figure(chart.image, at: chart.path, on: path, into: &output)
        }
        let title = "\(model.label): baseline and mitigated variants"
        let page = try ComparisonPageBuilder.page(model.result, chrome: context.chrome(for: path, title: title, model: model),
                                                  charts: charts, place: place)
        try output.add(page: context.render(page, template: "comparison", path: path, title: title))
    }
}
