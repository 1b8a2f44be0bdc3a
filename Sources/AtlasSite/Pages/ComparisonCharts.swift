import AtlasResults

/// The charts of a comparison page: the per-channel max |x| of the block outputs of the
/// baseline and of each variant as heatmaps on ONE log colour scale (fitted to all of them, so a
/// colour means the same magnitude in every image), its colour bar, and per-block line charts
/// of max |x| (log y), massive activations (linear y) and mean channel kurtosis (log y), one line
/// for the baseline and one per variant. Variants without a profile (older results) are left
/// out of the charts.
struct ComparisonCharts: Sendable {
    /// The baseline's heatmap, shown on the left of every pair.
    var baseline: ModelCharts.Placed?
    /// One per variant, in variant order (nil: no profile or no channel data).
    var variants: [ModelCharts.Placed?]
    var colorBar: ModelCharts.Placed?
    /// The colour scale every heatmap shares.
    var scale: LogColorScale?
    var maxAbs: ModelCharts.Placed?
    var massive: ModelCharts.Placed?
    var kurtosis: ModelCharts.Placed?
    var legend: [LegendEntry]

    /// Okabe–Ito colours: the line chart's four, then orange, sky blue and yellow; cycled.
    static let palette = LineChart.palette + [0xE69F00, 0x56B4E9, 0xF0E442].map(RGBColor.init(hex:))

    static func make(for model: SiteModel, baseline: OutlierProfile, variants: [VariantResult]) throws(SiteError) -> ComparisonCharts {
        let label = model.label
        var profiles: [(name: String, profile: OutlierProfile?)] = [(name: "baseline", profile: baseline)]
        for v in variants { profiles.append((name: v.name, profile: v.profile)) }
        let scale = LogColorScale(fitting: profiles.compactMap { $0.profile }.flatMap { $0.channelAbsmax.joined() })
        var charts = ComparisonCharts(variants: [], scale: scale, legend: [])
        do {
            if let scale {
                let range = SharedScales.range(scale)
                func heatmap(_ profile: OutlierProfile?, name: String, file: String) throws(PNGError) -> ModelCharts.Placed? {
                    guard let profile, profile.channelAbsmax.contains(where: { !$0.isEmpty }) else { return nil }
                    let map = Heatmap(grid: profile.channelAbsmax, scale: scale, targetWidth: 384, targetHeight: 240)
                    return ModelCharts.Placed(path: model.imagePath(file), image: try map.render(
                        alt: "Heatmap of \(label), \(name): per-channel max |x| at the block outputs, \(map.rowCount) blocks (rows, top = block 0) by \(map.columnCount) channels (columns), log colour scale from \(range), shared by the baseline and every variant."))
                }
                charts.baseline = try heatmap(baseline, name: "baseline", file: "comparison-baseline")
                for (i, v) in variants.enumerated() {
                    charts.variants.append(try heatmap(v.profile, name: "variant \(v.name)", file: "comparison-\(i)"))
                }
                let bar = try ColorBar(scale: scale).render(alt: "Colour scale of the comparison heatmaps: viridis, logarithmic, \(range).")
                charts.colorBar = ModelCharts.Placed(path: model.imagePath("comparison-colorbar"), image: bar)
            } else {
                charts.variants = variants.map { _ in nil }
            }
            let drawn = profiles.compactMap { p in p.profile.map { (p.name, $0) } }
            let series = { (values: (OutlierProfile) -> [Double]) in
                drawn.enumerated().map { i, p in LineSeries(name: p.0, values: values(p.1), color: palette[i % palette.count]) }
            }
            guard !baseline.blocks.isEmpty else { return charts }
            charts.legend = series { _ in [] }.map { LegendEntry(name: $0.name, color: $0.color.cssHex) }
            charts.maxAbs = ModelCharts.Placed(path: model.imagePath("comparison-max"), image: try LineChart(
                series: series { $0.maxAbs }, yScale: .log).render(
                alt: "Line chart of \(label): max |x| of the block output per block (x: block index; y: log scale), baseline and each variant."))
            charts.massive = ModelCharts.Placed(path: model.imagePath("comparison-massive"), image: try LineChart(
                series: series { $0.massiveCount.map(Double.init) }, yScale: .linear).render(
                alt: "Line chart of \(label): massive activations at each block output (x: block index; y: count, linear), baseline and each variant."))
            guard drawn.contains(where: { $0.1.meanKurtosis.contains { $0 != nil } }) else { return charts }
            charts.kurtosis = ModelCharts.Placed(path: model.imagePath("comparison-kurtosis"), image: try LineChart(
                series: series { $0.meanKurtosis.map { $0 ?? .nan } }, yScale: .log).render(
                alt: "Line chart of \(label): mean Pearson channel kurtosis of the block output per block (x: block index; y: log scale), baseline and each variant."))
        } catch {
            throw .chart(name: "\(model.slug) comparison: \(error.message)", detail: error.description)
        }
        return charts
    }
}
