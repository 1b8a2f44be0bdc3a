import AtlasResults

/// The parity page of a model (`models/<slug>/parity.html`, template `parity`): each second
/// checkpoint run against it (`--against`), with the finding sentence, the end-to-end metrics,
/// SQNR per block, the block outputs' |Δ| heatmap, the taps that diverge most, the Linears'
/// weight SQNR and stored types, and the largest activations in both. Only for results with pairs.
struct ParitySitePage: ModelSitePage {
    let name = "parity"
    let title = "Parity"
    let templates = ["parity", "figure"]

    func applies(to model: SiteModel) -> Bool { !(model.result.pairs ?? []).isEmpty }

    func render(_ model: SiteModel, in context: SiteContext, into output: inout SiteOutput) throws(SiteError) {
        let path = model.pagePath(name)
        var charts: [ParityCharts] = []
        for (i, p) in (model.result.pairs ?? []).enumerated() { charts.append(try ParityCharts.make(p, index: i, model: model)) }
        func place(_ chart: ModelCharts.Placed) throws(SiteError) -> Figure {
            try context.figure(chart.image, at: chart.path, on: path, into: &output)
        }
        let title = "\(model.label): parity"
        let page = try ParityPageBuilder.page(model.result, chrome: context.chrome(for: path, title: title, model: model),
                                              charts: charts, place: place)
        try output.add(page: context.render(page, template: "parity", path: path, title: title))
    }
}
