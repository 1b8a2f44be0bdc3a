import AtlasResults

/// Builds the parity page of a model from its `pairs`. Pure: charts arrive rendered and `place`
/// turns each into a figure.
enum ParityPageBuilder {
    /// Rows of the "taps that diverge most" table per pair.
    static let worstTapCount = 12

    static func page(_ result: RunResult, chrome: PageChrome, charts: [ParityCharts],
                     place: (ModelCharts.Placed) throws(SiteError) -> Figure) throws(SiteError) -> ParityPage {
        var sections: [PairSection] = []
        for (i, p) in (result.pairs ?? []).enumerated() {
            let c = i < charts.count ? charts[i] : ParityCharts()
            let e = p.endToEnd
            func ppl(_ r: PerplexityResult?) -> String { r.map { NumberFormat.significant($0.allPositions) } ?? "—" }
            sections.append(PairSection(
                id: "pair-\(i)", label: p.label, file: p.file, format: p.format, finding: PairFinding.sentence(p),
                windows: String(p.windowCount),
                strideNote: p.tokenStride == 1 ? "every token" : "every \(p.tokenStride)th token (block outputs: every token)",
                perplexityA: ppl(e?.floatPerplexity), perplexityB: ppl(e?.perplexity),
                kl: e.map { NumberFormat.significant($0.klMean) } ?? "—",
                top1: e.map { NumberFormat.significant($0.top1Agreement * 100) + " %" } ?? "—",
                deltaP: e.map { NumberFormat.significant($0.meanAbsDeltaTrueTokenProbability) } ?? "—",
                notes: p.notes,
                lineChart: try c.lineChart.map(place), legend: c.legend,
                klChart: try c.klChart.map(place), klFinding: PairFinding.klSentence(p),
                heatmap: try c.heatmap.map(place), colorBar: try c.colorBar.map(place),
                taps: p.taps.enumerated().sorted { ($0.element.sqnrDB, $0.offset) < ($1.element.sqnrDB, $1.offset) }
                    .prefix(worstTapCount).map { tapRow($0.element) },
                linears: p.linears.map { l in
                    PairLinearRow(block: String(l.block), linear: l.linear, typeA: l.typeA, typeB: l.typeB, sqnr: db(l.weightSQNR))
                },
                massive: p.massive.compactMap(massiveRow)))
        }
        return ParityPage(chrome: chrome, label: result.model.label, pairs: sections)
    }

    static func db(_ v: Double) -> String { v == .infinity ? "exact" : NumberFormat.significant(v) + " dB" }

    static func tapRow(_ t: TapParity) -> PairTapRow {
        PairTapRow(block: String(t.block), tap: t.tap, sqnr: db(t.sqnrDB), cosine: NumberFormat.significant(t.meanCosine),
                   maxDelta: NumberFormat.significant(t.maxAbsDelta), maxAbs: NumberFormat.significant(t.maxAbs))
    }

    static func massiveRow(_ m: MassiveParity) -> PairMassiveRow? {
        guard let top = m.reference.first, let b = m.atReference.first else { return nil }
        return PairMassiveRow(block: String(m.block), place: "window \(top.window), position \(top.position) (\(top.token)), dim \(top.dim)",
                              a: NumberFormat.significant(top.value), b: NumberFormat.significant(b),
                              change: m.topChange.map { ($0 >= 0 ? "+" : "") + NumberFormat.significant($0 * 100) + " %" } ?? "—",
                              keptDims: "\(m.keptDims) of \(Set(m.reference.map(\.dim)).count)")
    }
}
