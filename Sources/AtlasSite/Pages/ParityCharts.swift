import AtlasResults

/// The images of the parity page, per pair: SQNR per block (block output and the worst tap of
/// the block), each block's KL contribution (logit lens), and the block outputs' per-channel
/// max |Δ| heatmap with its colour bar.
struct ParityCharts {
    var lineChart: ModelCharts.Placed?
    var klChart: ModelCharts.Placed?
    var heatmap: ModelCharts.Placed?
    var colorBar: ModelCharts.Placed?
    var legend: [LegendEntry] = []

    static func make(_ p: PairResult, index: Int, model: SiteModel) throws(SiteError) -> ParityCharts {
        var charts = ParityCharts()
        let blocks = model.result.model.blockCount
        do {
            var output = [Double](repeating: .nan, count: blocks), worst = output
            for t in p.taps where t.block >= 0 && t.block < blocks {
                if t.tap == p.blockOutputs.first?.tap { output[t.block] = t.sqnrDB }
                worst[t.block] = worst[t.block].isNaN ? t.sqnrDB : min(worst[t.block], t.sqnrDB)
            }
            let series = [
                LineSeries(name: "SQNR at the block output", values: output, color: LineChart.palette[0]),
                LineSeries(name: "SQNR at the worst tap of the block", values: worst, color: LineChart.palette[1]),
            ]
            if series.contains(where: { $0.values.contains { $0.isFinite } }) {
                let image = try LineChart(series: series, yScale: .linear).render(
                    alt: "Line chart of \(p.label) against \(model.label): SQNR in dB (y) per block (x), at the block output and at the block's worst tap.")
                charts.lineChart = ModelCharts.Placed(path: model.imagePath("parity-\(index)-blocks"), image: image)
                charts.legend = series.map { LegendEntry(name: $0.name, color: $0.color.cssHex) }
            }
            let contributions = p.klContributions
            if !contributions.isEmpty {
                var values = [Double](repeating: .nan, count: blocks)
                for c in contributions where c.block >= 0 && c.block < blocks { values[c.block] = c.kl }
                let image = try BarChart(values: values, yScale: .linear, color: LineChart.palette[2]).render(
                    alt: "Bar chart of \(p.label) against \(model.label): each block's KL contribution in nats (y) per block (x), the growth of the logit-lens KL from the previous block's output; bars below 0 bring the two closer.")
                charts.klChart = ModelCharts.Placed(path: model.imagePath("parity-\(index)-kl"), image: image)
            }
            let grid = p.blockOutputs.map(\.channelMaxAbsDelta)
            if let scale = LogColorScale(fitting: grid.joined()) {
                let range = SharedScales.range(scale)
                let map = Heatmap(grid: grid, scale: scale)
                charts.heatmap = ModelCharts.Placed(path: model.imagePath("parity-\(index)-delta"), image: try map.render(
                    alt: "Heatmap of \(p.label) against \(model.label): per-channel max |b − a| at the block outputs, \(map.rowCount) blocks (rows, top = block 0) by \(map.columnCount) channels (columns), log colour scale from \(range)."))
                charts.colorBar = ModelCharts.Placed(path: model.imagePath("parity-\(index)-colorbar"),
                                                     image: try ColorBar(scale: scale).render(alt: "Colour scale of the |Δ| heatmap: viridis, logarithmic, \(range)."))
            }
        } catch {
            throw .chart(name: "\(model.slug) parity: \(error.message)", detail: error.description)
        }
        return charts
    }
}
