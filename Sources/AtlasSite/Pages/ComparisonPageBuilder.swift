import AtlasResults

/// Builds the comparison page of a model with mitigated variants and the index's variants
/// section. Pure: charts arrive already rendered, and `place` turns each into a figure.
enum ComparisonPageBuilder {
    static let kurtosisRule = "mean over the hidden channels of each block output of the Pearson kurtosis m₄ / m₂² of the channel over all tokens (population moments; 3 for a Gaussian, not 0); the model figure is the mean over every channel of every block output"

    /// The baseline's profile, with the outlier factor its variants were measured with (the
    /// anatomy's when no variant says, else the analysis default).
    static func baselineProfile(_ result: RunResult) -> OutlierProfile {
        let factor = (result.variants ?? []).compactMap(\.profile).first?.outlierFactor
            ?? result.anatomy?.criteria.outlierFactor ?? OutlierProfile.defaultOutlierFactor
        return OutlierProfile.make(from: result, outlierFactor: factor)
    }

    /// The finding sentence of each variant of `result`, in variant order.
    static func findings(_ result: RunResult) -> [String] {
        (result.variants ?? []).map { $0.finding(against: result) }
    }

    static func page(_ result: RunResult, chrome: PageChrome, charts: ComparisonCharts,
                     place: (ModelCharts.Placed) throws(SiteError) -> Figure) throws(SiteError) -> ComparisonPage {
        let variants = result.variants ?? []
        let baseline = baselineProfile(result)
        let columns = schemeColumns(result)
        var pairs: [HeatmapPair] = []
        if let left = charts.baseline {
            for (v, chart) in zip(variants, charts.variants) {
                var right: Figure?
                if let chart { right = try place(chart) }
                pairs.append(HeatmapPair(name: v.name, baseline: try place(left), variant: right))
            }
        }
        func placeIfAny(_ chart: ModelCharts.Placed?) throws(SiteError) -> Figure? {
            guard let chart else { return nil }
            return try place(chart)
        }
        let baselineRow = ComparisonRow(
            name: "baseline", kind: "baseline", spec: "—", massive: NumberFormat.integer(result.massiveActivations.count),
            maxAbs: baseline.maxAbs.max().map { NumberFormat.significant($0) } ?? "—",
            outlierChannels: NumberFormat.integer(baseline.distinctOutlierChannels),
            meanKurtosis: number(baseline.modelMeanKurtosis), floatPerplexity: number(result.perplexity?.allPositions),
            cells: cells(result.quantization, columns))
        let rows = variants.map { v in
            ComparisonRow(name: v.name, kind: kind(v), spec: v.spec,
                          massive: NumberFormat.integer(v.massiveActivationCount), maxAbs: NumberFormat.significant(v.maxAbs),
                          outlierChannels: NumberFormat.integer(v.outlierChannelCount),
                          meanKurtosis: number(v.profile?.modelMeanKurtosis), floatPerplexity: number(v.perplexity?.allPositions),
                          cells: cells(v.quantization, columns))
        }
        return ComparisonPage(
            chrome: chrome, label: result.model.label,
            outlierRule: "a channel of a block output is an outlier when its max |x| exceeds \(NumberFormat.compact(baseline.outlierFactor)) × the median channel max |x| of that output; the count is of distinct channels over all blocks",
            kurtosisRule: kurtosisRule, criterion: ModelPageBuilder.criterion(result.provenance.criterion),
            findings: zip(variants, findings(result)).map { v, sentence in
                VariantFinding(name: v.name, kind: kind(v), spec: v.spec, sentence: sentence,
                               notes: v.notes.map(VariantNote.init), hasNotes: !v.notes.isEmpty)
            },
            schemeHeaders: columns.flatMap { c in
                c.encoder ? [SchemeHeader(title: "\(c.name) mean cosine"), SchemeHeader(title: "\(c.name) worst cosine")]
                    : [SchemeHeader(title: "\(c.name) perplexity"), SchemeHeader(title: "\(c.name) KL")]
            },
            rows: [baselineRow] + rows,
            sinkTable: sinkTable(result),
            colorBar: try placeIfAny(charts.colorBar), scaleRange: charts.scale.map(SharedScales.range) ?? "",
            pairs: pairs, maxAbsChart: try placeIfAny(charts.maxAbs), massiveChart: try placeIfAny(charts.massive),
            kurtosisChart: try placeIfAny(charts.kurtosis), legend: charts.legend)
    }

    /// The models with attention-sink figures: the baseline, then the variants that have them.
    static func sinkColumns(_ result: RunResult) -> [(title: String, sinks: SinkSummary)] {
        guard let base = result.anatomy?.attentionSinks else { return [] }
        return [("baseline", base)] + (result.variants ?? []).compactMap { v in v.attentionSinks.map { (v.spec, $0) } }
    }

    static func sinkTable(_ result: RunResult) -> SinkComparisonTable? {
        let columns = sinkColumns(result)
        guard columns.count > 1, let base = result.anatomy?.attentionSinks else { return nil }
        let blocks = Set(columns.flatMap { $0.sinks.layers.map(\.block) }).sorted()
        let tokens = AnatomyPageBuilder.sinkPositionsText(base)
        return SinkComparisonTable(
            headers: columns.map { SchemeHeader(title: $0.title) },
            rows: blocks.map { b in
                SinkComparisonRow(block: String(b), cells: columns.map { c in
                    QuantizationSummaryCell(value: number(c.sinks.layers.first { $0.block == b }?.mean))
                })
            },
            note: "Window \(base.window), the baseline's sink positions \(tokens); a variant that caches a prefix (prefix-sink) or an explicit bias (tma-removal bias=sink or bias=token) also counts the attention on those cached positions (negative positions).")
    }

    /// `exact` or `lossy`: the badge text and its CSS class.
    static func kind(_ v: VariantResult) -> String { v.exact ? "exact" : "lossy" }

    static func number(_ value: Double?) -> String { value.map { NumberFormat.significant($0) } ?? "—" }

    /// Scheme names of the baseline then of the variants, in order of first appearance; a
    /// scheme is an encoder's when it has embedding agreement and no end-to-end error.
    static func schemeColumns(_ result: RunResult) -> [(name: String, encoder: Bool)] {
        var columns: [(name: String, encoder: Bool)] = []
        for s in (result.quantization ?? []) + (result.variants ?? []).flatMap({ $0.quantization ?? [] })
        where !columns.contains(where: { $0.name == s.name }) {
            columns.append((s.name, s.endToEnd == nil && s.embedding != nil))
        }
        return columns
    }

    /// Two cells per column: perplexity and KL, or mean and worst cosine; "—" where missing.
    static func cells(_ schemes: [SchemeResult]?, _ columns: [(name: String, encoder: Bool)]) -> [QuantizationSummaryCell] {
        columns.flatMap { c -> [QuantizationSummaryCell] in
            let s = schemes?.first { $0.name == c.name }
            let values = c.encoder ? [s?.embedding?.meanCosine, s?.embedding?.worstCosine]
                : [s?.endToEnd?.perplexity.allPositions, s?.endToEnd?.klMean]
            return values.map { QuantizationSummaryCell(value: number($0)) }
        }
    }

    /// The index's section: one row per variant of every model that has variants (with the
    /// URL of its comparison page); nil when no model has any.
    static func summary(_ results: [RunResult], hrefs: [String]) -> VariantsSummary? {
        let rows = zip(results, hrefs).flatMap { r, href in
            zip(r.variants ?? [], findings(r)).map { v, finding in
                VariantsSummaryRow(label: r.model.label, href: href, name: v.name, kind: kind(v), finding: finding)
            }
        }
        return rows.isEmpty ? nil : VariantsSummary(rows: rows)
    }
}
