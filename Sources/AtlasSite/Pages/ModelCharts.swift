import AtlasResults

/// The charts of one model page, each with its site path (`images/<slug>-…png`).
struct ModelCharts: Sendable {
    struct Placed: Sendable {
        var path: String
        var image: ChartImage
    }

    var heatmap: Placed?
    var colorBar: Placed?
    var lineChart: Placed?
    var legend: [LegendEntry]

    var files: [Placed] { [heatmap, colorBar, lineChart].compactMap { $0 } }

    /// Draws the block-output heatmap (layers × channels of per-channel max |x|, log colour) and
    /// the per-layer max/median |x| line chart (log y). Charts without data are left out.
    static func make(for result: RunResult, slug: String) throws(SiteError) -> ModelCharts {
        let outputs = ModelPageBuilder.blockOutputs(of: result)
        let label = result.model.label
        var charts = ModelCharts(heatmap: nil, colorBar: nil, lineChart: nil, legend: [])
        let grid = outputs.map(\.channelAbsmax)
        do {
            if grid.contains(where: { !$0.isEmpty }), let scale = LogColorScale(fitting: grid.joined()) {
                let heatmap = Heatmap(grid: grid, scale: scale)
                let range = "\(NumberFormat.compact(scale.lower)) to \(NumberFormat.compact(scale.upper))"
                charts.heatmap = Placed(
                    path: "images/\(slug)-resid-heatmap.png",
                    image: try heatmap.render(alt: "Heatmap of \(label): per-channel max |x| at the block outputs (ffn.resid), \(heatmap.rowCount) layers (rows, top = layer 0) by \(heatmap.columnCount) channels (columns), log colour scale from \(range)."))
                charts.colorBar = Placed(
                    path: "images/\(slug)-resid-colorbar.png",
                    image: try ColorBar(scale: scale).render(alt: "Colour scale: viridis, logarithmic, \(range)."))
            }
            if !outputs.isEmpty {
                let series = [
                    LineSeries(name: "max |x|", values: outputs.map(\.maxAbs), color: LineChart.palette[0]),
                    LineSeries(name: "median |x|", values: outputs.map(\.medianAbs), color: LineChart.palette[1]),
                ]
                let chart = LineChart(series: series, yScale: .log)
                charts.lineChart = Placed(
                    path: "images/\(slug)-layers.png",
                    image: try chart.render(alt: "Line chart of \(label): max |x| and median |x| of the block output per layer, log y axis."))
                charts.legend = series.map { LegendEntry(name: $0.name, color: $0.color.cssHex) }
            }
        } catch {
            throw .chart(name: "\(slug): \(error.message)", detail: error.description)
        }
        return charts
    }
}
