import AtlasResults
import Foundation

/// The charts of a quantization page: per scheme a heatmap of local SQNR (blocks × Linear
/// types), all on one colour scale, and a line chart of SQNR per block.
struct QuantizationCharts: Sendable {
    var heatmaps: [(name: String, chart: ModelCharts.Placed)]
    var colorBar: ModelCharts.Placed?
    /// The shared colour scale's ends in dB.
    var range: (lower: Double, upper: Double)?
    var lineCharts: [(name: String, chart: ModelCharts.Placed)]
    var legend: [LegendEntry]

    var files: [ModelCharts.Placed] { heatmaps.map(\.chart) + [colorBar].compactMap { $0 } + lineCharts.map(\.chart) }

    /// Linear types in column order.
    static let linearOrder = ["q", "k", "v", "o", "gate", "up", "down"]

    /// The Linear types present in the results, in column order.
    static func columns(_ schemes: [SchemeResult]) -> [String] {
        let present = Set(schemes.flatMap { $0.layers.map(\.linear) })
        return linearOrder.filter(present.contains)
    }

    /// SQNR in dB is drawn through the log colour scale as the power ratio 10^(dB/10), which is
    /// linear in dB; tick labels are written in dB.
    static func ratio(_ db: Double) -> Float { Float(pow(10, db / 10)) }

    static func make(for result: RunResult, slug: String) throws(SiteError) -> QuantizationCharts {
        let schemes = result.quantization ?? []
        let label = result.model.label
        var charts = QuantizationCharts(heatmaps: [], colorBar: nil, range: nil, lineCharts: [], legend: [])
        let columns = columns(schemes)
        let locals = schemes.flatMap { $0.layers.compactMap(\.localSQNR) }.filter(\.isFinite)
        let blocks = result.model.blockCount
        do {
            if let lo = locals.min(), let hi = locals.max(), !columns.isEmpty {
                let lower = (lo / 5).rounded(.down) * 5, upper = max(lower + 5, (hi / 5).rounded(.up) * 5)
                let scale = LogColorScale(lower: Double(ratio(lower)), upper: Double(ratio(upper)))
                charts.range = (lower, upper)
                for (index, scheme) in schemes.enumerated() {
                    var grid = [[Float]](repeating: [Float](repeating: .nan, count: columns.count), count: blocks)
                    for layer in scheme.layers {
                        guard layer.block < blocks, let c = columns.firstIndex(of: layer.linear), let v = layer.localSQNR else { continue }
                        grid[layer.block][c] = ratio(v)
                    }
                    var image = try Heatmap(grid: grid, scale: scale, cellWidth: 40, cellHeight: max(4, min(16, 480 / max(1, blocks))))
                        .render(alt: "Heatmap of local SQNR of \(label) under \(scheme.name): \(blocks) blocks (rows, top = block 0) by Linear (columns \(columns.joined(separator: ", "))), colour from \(NumberFormat.compact(lower)) dB to \(NumberFormat.compact(upper)) dB; grey = not quantized.")
                    image.xTicks = columns.enumerated().map { i, name in
                        AxisTick(fraction: (Double(i) + 0.5) / Double(columns.count), value: Double(i), label: name)
                    }
                    charts.heatmaps.append((scheme.name, ModelCharts.Placed(path: "images/\(slug)/quantization-\(index)-local.png", image: image)))
                }
                var bar = try ColorBar(scale: scale).render(alt: "Colour scale: viridis, local SQNR from \(NumberFormat.compact(lower)) dB to \(NumberFormat.compact(upper)) dB.")
                let step = upper - lower > 40 ? 10.0 : 5.0
                bar.xTicks = stride(from: lower, through: upper, by: step).map { db in
                    AxisTick(fraction: scale.fraction(Double(ratio(db))) ?? 0, value: db, label: NumberFormat.compact(db))
                }
                charts.colorBar = ModelCharts.Placed(path: "images/\(slug)/quantization-colorbar.png", image: bar)
            }
            for (index, scheme) in schemes.enumerated() where !scheme.layers.isEmpty {
                var worstLocal = [Double](repeating: .nan, count: blocks), down = [Double](repeating: .nan, count: blocks)
                for layer in scheme.layers where layer.block < blocks {
                    if let v = layer.localSQNR, v.isFinite { worstLocal[layer.block] = worstLocal[layer.block].isNaN ? v : min(worstLocal[layer.block], v) }
                    if layer.linear == "down" { down[layer.block] = layer.accumulatedSQNR }
                }
                let series = [
                    LineSeries(name: "local SQNR, worst Linear of the block", values: worstLocal, color: LineChart.palette[0]),
                    LineSeries(name: "accumulated SQNR at the down projection", values: down, color: LineChart.palette[1]),
                ]
                let image = try LineChart(series: series, yScale: .linear).render(
                    alt: "Line chart of \(label) under \(scheme.name): SQNR in dB per block (x: block index), worst local SQNR and accumulated SQNR of the down projection.")
                charts.lineChart(scheme.name, ModelCharts.Placed(path: "images/\(slug)/quantization-\(index)-blocks.png", image: image))
                charts.legend = series.map { LegendEntry(name: $0.name, color: $0.color.cssHex) }
            }
        } catch {
            throw .chart(name: "\(slug) quantization: \(error.message)", detail: error.description)
        }
        return charts
    }

    mutating func lineChart(_ name: String, _ chart: ModelCharts.Placed) { lineCharts.append((name, chart)) }
}
