import AtlasResults

/// The charts of one anatomy page: the massive-dimension timeline (max |x| per block output,
/// one line per dimension, log y), the attention-sink chart (mass on the sink tokens per
/// layer: mean over heads and the largest head) and the token × channel heatmap slice.
struct AnatomyCharts: Sendable {
    var timeline: ModelCharts.Placed?
    var timelineLegend: [LegendEntry] = []
    var sinks: ModelCharts.Placed?
    var sinkLegend: [LegendEntry] = []
    var heatmap: ModelCharts.Placed?
    var colorBar: ModelCharts.Placed?

    var files: [ModelCharts.Placed] { [timeline, sinks, heatmap, colorBar].compactMap { $0 } }

    /// Lines drawn in the timeline (the palette has four colours): the largest peaks.
    static let timelineLimit = LineChart.palette.count

    static func make(for result: RunResult, anatomy: AnatomyResult, slug: String) throws(SiteError) -> AnatomyCharts {
        var charts = AnatomyCharts()
        let label = result.model.label
        do {
            let dims = timelineDimensions(anatomy)
            if !dims.isEmpty {
                let series = dims.enumerated().map { i, d in
                    LineSeries(name: "dim \(d.dim)", values: d.timeline, color: LineChart.palette[i])
                }
                charts.timeline = .init(
                    path: "images/\(slug)-anatomy-timeline.png",
                    image: try LineChart(series: series, yScale: .log).render(
                        alt: "Line chart of \(label): max |x| of each massive dimension (\(dims.map { String($0.dim) }.joined(separator: ", "))) at every block output, x: block, y: |x| on a log scale."))
                charts.timelineLegend = series.map { LegendEntry(name: $0.name, color: $0.color.cssHex) }
            }
            if let sinks = anatomy.attentionSinks, !sinks.layers.isEmpty {
                let series = [
                    LineSeries(name: "mean over heads", values: sinks.layers.map(\.mean), color: LineChart.palette[0]),
                    LineSeries(name: "largest head", values: sinks.layers.map { $0.heads.max() ?? 0 }, color: LineChart.palette[1]),
                ]
                charts.sinks = .init(
                    path: "images/\(slug)-anatomy-sinks.png",
                    image: try LineChart(series: series, yScale: .linear).render(
                        alt: "Line chart of \(label): attention probability mass on the sink tokens per layer (x: block), mean over heads and the largest head, linear y axis."))
                charts.sinkLegend = series.map { LegendEntry(name: $0.name, color: $0.color.cssHex) }
            }
            if let slice = anatomy.heatmap, !slice.values.isEmpty, let scale = LogColorScale(fitting: slice.values.joined()) {
                let heatmap = Heatmap(grid: slice.values, scale: scale)
                let range = "\(NumberFormat.compact(scale.lower)) to \(NumberFormat.compact(scale.upper))"
                var image = try heatmap.render(
                    alt: "Heatmap of \(label): |x| at the output of block \(slice.block) (\(slice.tap)), window \(slice.window), positions 0 to \(slice.values.count - 1) (rows) by the \(slice.channels.count) channels of largest max |x| (columns), log colour scale from \(range).")
                image.xTicks = allColumnTicks(slice.channels)
                charts.heatmap = .init(path: "images/\(slug)-anatomy-heatmap.png", image: image)
                charts.colorBar = .init(path: "images/\(slug)-anatomy-colorbar.png",
                                        image: try ColorBar(scale: scale).render(alt: "Colour scale: viridis, logarithmic, \(range)."))
            }
        } catch {
            throw .chart(name: "\(slug) anatomy: \(error.message)", detail: error.description)
        }
        return charts
    }

    /// Every column labelled with its channel (the slice has few columns).
    static func allColumnTicks(_ channels: [Int]) -> [AxisTick] {
        channels.enumerated().map { i, c in
            AxisTick(fraction: (Double(i) + 0.5) / Double(channels.count), value: Double(i), label: String(c))
        }
    }

    /// The massive dimensions drawn: the largest |peak| first, at most `timelineLimit`.
    static func timelineDimensions(_ anatomy: AnatomyResult) -> [MassiveDimension] {
        Array(anatomy.massiveDimensions.sorted { (abs($0.peak), -$0.dim) > (abs($1.peak), -$1.dim) }.prefix(timelineLimit))
    }
}
