import AtlasResults

/// The outlier-anatomy page of a model (`models/<slug>/anatomy.html`, template `anatomy`):
/// where each massive dimension is born, the weights and tokens behind it, channel-wise
/// outliers, attention sinks and weight statistics. Only for results that carry `anatomy`.
struct AnatomySitePage: ModelSitePage {
    let name = "anatomy"
    let title = "Outlier anatomy"
    let templates = ["anatomy", "figure"]

    func applies(to model: SiteModel) -> Bool { model.result.anatomy != nil }

    func render(_ model: SiteModel, in context: SiteContext, into output: inout SiteOutput) throws(SiteError) {
        guard let anatomy = model.result.anatomy else { return }
        let path = model.pagePath(name)
        let charts = try AnatomyCharts.make(for: model.result, anatomy: anatomy, slug: model.slug)
        func place(_ chart: ModelCharts.Placed) throws(SiteError) -> Figure {
            try context.figure(chart.image, at: chart.path, on: path, into: &output)
        }
        let title = "\(model.label): outlier anatomy"
        let page = try AnatomyPageBuilder.page(model.result, anatomy: anatomy, chrome: context.chrome(for: path, title: title, model: model),
                                               charts: charts, place: place)
        try output.add(page: context.render(page, template: "anatomy", path: path, title: title))
    }
}
