import AtlasResults

/// Builds the quantization page of a model and the index's cross-model summary. Pure: charts
/// arrive already rendered, and `place` turns each into a figure (the caller adds the image to
/// the site and makes its URL).
enum QuantizationPageBuilder {
    /// Rows of the "layers that lose most" table per scheme.
    static let worstLayerCount = 8

    static func page(_ result: RunResult, chrome: PageChrome, charts: QuantizationCharts,
                     place: (ModelCharts.Placed) throws(SiteError) -> Figure) throws(SiteError) -> QuantizationPage {
        let schemes = result.quantization ?? []
        let floatPPL = schemes.compactMap(\.endToEnd).first?.floatPerplexity ?? result.perplexity
        let strides = Set(schemes.map(\.tokenStride)).sorted()
        var heatmaps: [SchemeHeatmap] = [], lineCharts: [SchemeLineChart] = []
        for (name, chart) in charts.heatmaps { heatmaps.append(SchemeHeatmap(name: name, figure: try place(chart))) }
        for (name, chart) in charts.lineCharts { lineCharts.append(SchemeLineChart(name: name, figure: try place(chart))) }
        var colorBar: Figure?
        if let bar = charts.colorBar { colorBar = try place(bar) }
        return QuantizationPage(
            chrome: chrome,
            label: result.model.label,
            floatPerplexity: floatPPL.map { "\(NumberFormat.significant($0.allPositions)) (all positions), \(NumberFormat.significant($0.secondHalf)) (second half)" } ?? "not measured",
            schemes: schemes.map(row),
            heatmaps: heatmaps,
            colorBar: colorBar,
            sqnrRange: charts.range.map { "\(NumberFormat.compact($0.lower)) dB to \(NumberFormat.compact($0.upper)) dB" } ?? "",
            lineCharts: lineCharts,
            hasLineCharts: !charts.lineCharts.isEmpty,
            legend: charts.legend,
            worstLayers: schemes.flatMap(worstLayers),
            worstLayerCount: String(worstLayerCount),
            tokenStrideNote: strides == [1] ? "every token" : "every \(strides.map(String.init).joined(separator: "/"))th token")
    }

    static func row(_ s: SchemeResult) -> SchemeRow {
        let e = s.endToEnd
        let change = e.map { ($0.perplexity.allPositions / $0.floatPerplexity.allPositions - 1) * 100 }
        return SchemeRow(
            name: s.name, description: s.description, windows: String(s.windowCount),
            perplexityAll: e.map { NumberFormat.significant($0.perplexity.allPositions) } ?? "—",
            perplexitySecondHalf: e.map { NumberFormat.significant($0.perplexity.secondHalf) } ?? "—",
            perplexityChange: change.map { ($0 >= 0 ? "+" : "") + NumberFormat.significant($0) + " %" } ?? "—",
            kl: e.map { NumberFormat.significant($0.klMean) } ?? "—",
            top1: e.map { NumberFormat.significant($0.top1Agreement * 100) + " %" } ?? "—",
            deltaP: e.map { NumberFormat.significant($0.meanAbsDeltaTrueTokenProbability) } ?? "—",
            worstLocal: s.layers.compactMap(\.localSQNR).min().map { NumberFormat.significant($0) + " dB" } ?? "—",
            worstWeight: s.weights.map(\.sqnr).min().map { NumberFormat.significant($0) + " dB" } ?? "—")
    }

    /// The quantized Linears with the lowest local SQNR (ties: block, then Linear order).
    static func worstLayers(_ s: SchemeResult) -> [WorstLayerRow] {
        let weights = Dictionary(s.weights.map { ($0.tensor, $0.sqnr) }, uniquingKeysWith: { a, _ in a })
        return s.layers.enumerated()
            .compactMap { i, l in l.localSQNR.map { (i, l, $0) } }
            .sorted { ($0.2, $0.0) < ($1.2, $1.0) }
            .prefix(worstLayerCount)
            .map { _, l, local in
                WorstLayerRow(scheme: s.name, block: String(l.block), linear: l.linear,
                              local: NumberFormat.significant(local) + " dB",
                              accumulated: NumberFormat.significant(l.accumulatedSQNR) + " dB",
                              weight: weights["blk.\(l.block).\(l.linear)"].map { NumberFormat.significant($0) + " dB" } ?? "—")
            }
    }

    /// The index table: every model with quantization results (each with the URL of its
    /// quantization page), one column per scheme name (in order of first appearance); nil when
    /// no result has any.
    static func summary(_ results: [RunResult], hrefs: [String]) -> QuantizationSummary? {
        var names: [String] = []
        for r in results { for s in r.quantization ?? [] where !names.contains(s.name) { names.append(s.name) } }
        guard !names.isEmpty else { return nil }
        let rows = zip(results, hrefs).compactMap { r, href -> QuantizationSummaryRow? in
            guard let schemes = r.quantization, !schemes.isEmpty else { return nil }
            let floatPPL = schemes.compactMap(\.endToEnd).first?.floatPerplexity.allPositions ?? r.perplexity?.allPositions
            return QuantizationSummaryRow(
                label: r.model.label, href: href,
                floatPerplexity: floatPPL.map { NumberFormat.significant($0) } ?? "—",
                cells: names.map { name in
                    guard let e = schemes.first(where: { $0.name == name })?.endToEnd else { return QuantizationSummaryCell(value: "—") }
                    return QuantizationSummaryCell(value: "\(NumberFormat.significant(e.perplexity.allPositions)) / \(NumberFormat.significant(e.klMean))")
                })
        }
        return QuantizationSummary(schemeNames: names.map(SchemeName.init), rows: rows)
    }
}
