import AtlasResults

/// The charts of one model's overview, each with its site path (`images/<slug>/…png`).
struct ModelCharts: Sendable {
    struct Placed: Sendable {
        var path: String
        var image: ChartImage
    }

    var heatmap: Placed?
    var lineChart: Placed?
    var bars: Placed?
    var barsScale: AxisScale = .linear
    var legend: [LegendEntry] = []

    /// Draws the block-output heatmap (layers × channels of per-channel max |x|, on the colour
    /// scale shared by every model), the per-layer max/median |x| line chart (log y) and the
    /// massive activations per layer (log y when the counts span more than two decades). Charts
    /// without data are left out.
    static func make(for model: SiteModel, scales: SharedScales) throws(SiteError) -> ModelCharts {
        let outputs = model.blockOutputs
        let label = model.label
        var charts = ModelCharts()
        let grid = outputs.map(\.channelAbsmax)
        do {
            if grid.contains(where: { !$0.isEmpty }), let scale = scales.blockOutput {
                let heatmap = Heatmap(grid: grid, scale: scale)
                charts.heatmap = Placed(
                    path: model.imagePath("block-output-heatmap"),
                    image: try heatmap.render(alt: "Heatmap of \(label): per-channel max |x| at the block outputs (ffn.resid), \(heatmap.rowCount) layers (rows, top = layer 0) by \(heatmap.columnCount) channels (columns), log colour scale from \(SharedScales.range(scale)), shared by all models."))
            }
            guard !outputs.isEmpty else { return charts }
            let series = [
                LineSeries(name: "max |x|", values: outputs.map(\.maxAbs), color: LineChart.palette[0]),
                LineSeries(name: "median |x|", values: outputs.map(\.medianAbs), color: LineChart.palette[1]),
            ]
            charts.lineChart = Placed(
                path: model.imagePath("layers"),
                image: try LineChart(series: series, yScale: .log).render(
                    alt: "Line chart of \(label): max |x| and median |x| of the block output per layer, log y axis."))
            charts.legend = series.map { LegendEntry(name: $0.name, color: $0.color.cssHex) }

            let counts = outputs.map { Double($0.massiveCount) }
            charts.barsScale = BarChart.scale(for: counts)
            let scaleName = charts.barsScale == .log ? "log" : "linear"
            charts.bars = Placed(
                path: model.imagePath("massive-per-layer"),
                image: try BarChart(values: counts, yScale: charts.barsScale, color: LineChart.palette[2]).render(
                    alt: "Bar chart of \(label): massive activations at each block output by layer, \(scaleName) y axis; \(NumberFormat.integer(outputs.map(\.massiveCount).reduce(0, +))) in total."))
        } catch {
            throw .chart(name: "\(model.slug): \(error.message)", detail: error.description)
        }
        return charts
    }

    /// The index sparkline: block-output max |x| per layer on the shared log y range.
    static func sparkline(for model: SiteModel, scales: SharedScales) throws(SiteError) -> Placed? {
        guard !model.blockOutputs.isEmpty else { return nil }
        let series = LineSeries(name: "max |x|", values: model.blockOutputs.map(\.maxAbs), color: LineChart.palette[0])
        let chart = LineChart.sparkline(series, yScale: .log, domain: scales.sparkline)
        do {
            return Placed(path: model.imagePath("sparkline"), image: try chart.render(
                alt: "Sparkline of \(model.label): block-output max |x| over \(model.blockOutputs.count) layers, log scale shared by all models."))
        } catch {
            throw .chart(name: "\(model.slug) sparkline", detail: error.description)
        }
    }
}
