import AtlasResults
import Foundation

/// Builds the anatomy page model of one result. Pure: charts arrive already rendered, and
/// `place` turns each into a figure (the caller adds the image to the site and makes its URL).
enum AnatomyPageBuilder {
    /// Rows of the channel-outlier table beyond this are summarised (largest ratios are kept).
    static let channelOutlierLimit = 300
    /// Outlier channels listed per tap in the per-layer table.
    static let channelsPerTap = 8

    static func page(_ result: RunResult, anatomy a: AnatomyResult, chrome: PageChrome, charts: AnatomyCharts,
                     place: (ModelCharts.Placed) throws(SiteError) -> Figure) throws(SiteError) -> AnatomyPage {
        func figure(_ chart: ModelCharts.Placed?) throws(SiteError) -> Figure? {
            guard let chart else { return nil }
            return try place(chart)
        }
        let f = NumberFormat.significant
        let c = a.criteria
        let criteria = [
            Fact(term: "Massive activation", value: "|x| > \(NumberFormat.compact(c.massive.absolute)) and |x| > \(NumberFormat.compact(c.massive.relative)) × the median |x| of the window's matrix at that tap"),
            Fact(term: "LLM.int8 magnitude rule", value: "|x| ≥ \(NumberFormat.compact(c.int8Threshold)) (counted per tap)"),
            Fact(term: "Channel-wise outlier", value: "channel max |x| > k × the median channel max |x| of its tap, k = \(NumberFormat.compact(c.outlierFactor)); a token carries it when |x| > k × the median channel max |x| of its window"),
            Fact(term: "Kurtosis", value: c.kurtosis),
            Fact(term: "Median |x|", value: c.median),
            Fact(term: "Gamma attribution", value: c.gammaCause),
            Fact(term: "Outlier-triggering channels of W_q", value: c.queryTriggers),
            Fact(term: "Attention sinks", value: c.sinks),
            Fact(term: "Trace window", value: String(c.traceWindow)),
            Fact(term: "FFN family", value: a.ffnFamily),
        ]
        let dims = a.massiveDimensions
        var outliers = a.channelOutliers.sorted { ($0.ratio, -$0.block, -$0.channel) > ($1.ratio, -$1.block, -$1.channel) }
        let outlierTotal = outliers.count
        outliers = Array(outliers.prefix(channelOutlierLimit))
        outliers.sort { ($0.block, tapOrder($0.tap, a), $0.channel) < ($1.block, tapOrder($1.tap, a), $1.channel) }
        let chartNote = dims.count > AnatomyCharts.timelineLimit
            ? "The \(AnatomyCharts.timelineLimit) dimensions with the largest peaks are drawn; the table lists all \(dims.count)." : nil
        return try AnatomyPage(
            chrome: chrome, label: result.model.label, criteria: criteria,
            tapIndex: a.tapIndex.map { Fact(term: $0.tap, value: $0.yIndex ?? "attention") },
            massive: dims.map { d in
                MassiveDimRow(dim: String(d.dim), firstBlock: String(d.firstBlock),
                              firstTap: d.firstTap + (d.firstTapYIndex.map { " (\($0))" } ?? ""),
                              birthBlock: String(d.birthBlock), growth: "×" + f(d.growth, true),
                              birthTap: d.birthTap + (d.birthTapYIndex.map { " (\($0))" } ?? ""),
                              blocks: blockRanges(d.blocks), peak: f(d.peak, true), peakBlock: String(d.peakBlock),
                              hits: NumberFormat.integer(d.hitCount))
            },
            origins: dims.flatMap { d in
                (d.origin?.contributions ?? []).map { t in
                    let o = d.origin!
                    return OriginRow(dim: String(d.dim), block: String(o.block),
                                     inputTap: o.inputTap + (o.inputYIndex.map { " (\($0))" } ?? ""),
                                     position: String(o.position), token: ModelPageBuilder.displayToken(o.token),
                                     channel: String(t.channel), weightEntry: "[\(t.row), \(t.column)]", weight: f(t.weight, true),
                                     weightRatio: o.weightRMS > 0 ? f(abs(t.weight) / o.weightRMS, true) : "—",
                                     input: f(t.input, true), product: f(t.product, true),
                                     share: NumberFormat.percentShare(t.share), output: f(o.outputValue, true))
                }
            },
            carriers: dims.flatMap { d in
                d.tokens.map { t in
                    CarrierRow(dim: String(d.dim), token: ModelPageBuilder.displayToken(t.token), kind: t.kind,
                               count: NumberFormat.integer(t.count), positions: t.positions.map(String.init).joined(separator: ", "))
                }
            },
            timeline: figure(charts.timeline),
            timelineLegend: charts.timelineLegend, timelineNote: chartNote,
            sinkChart: figure(charts.sinks),
            sinkLegend: charts.sinkLegend,
            sinkNote: a.attentionSinks.map { s in
                let tokens = sinkPositionsText(s)
                return "Window \(s.window); sink positions: \(tokens)" + (s.fallback ? " (no massive token found: position 0 stands in)." : ".")
                    + (s.positions.contains { $0 < 0 } ? " Negative positions are the cached prefix (prefix-sink) the window attends to first." : "")
            },
            sinks: (a.attentionSinks?.layers ?? []).map { l in
                let best = l.heads.indices.max { (l.heads[$0], -$0) < (l.heads[$1], -$1) }
                return SinkRow(block: String(l.block), mean: f(l.mean, true), maxHead: best.map(String.init) ?? "—",
                               maxHeadMass: best.map { f(l.heads[$0], true) } ?? "—")
            },
            heatmap: figure(charts.heatmap),
            heatmapColorBar: figure(charts.colorBar),
            heatmapNote: a.heatmap.map { h in
                "Block \(h.block) output (\(h.tap)), window \(h.window), positions 0–\(h.values.count - 1); tokens: "
                    + h.tokens.prefix(8).enumerated().map { "\($0) \(ModelPageBuilder.displayToken($1))" }.joined(separator: " · ")
                    + (h.tokens.count > 8 ? " …" : "")
            },
            channelOutliers: outliers.map { o in
                ChannelOutlierRow(
                    block: String(o.block), tap: o.tap + (o.yIndex.map { " (\($0))" } ?? ""), channel: String(o.channel),
                    absmax: f(o.absmax, true), ratio: f(o.ratio, true), kurtosis: o.kurtosis.map { f($0, true) } ?? "—",
                    tokenFraction: o.tokenFraction.map(NumberFormat.percentShare) ?? "—", massive: o.massiveDimension ? "yes" : "",
                    gamma: o.gamma.map { f($0.gamma, true) } ?? "—", gammaRatio: o.gamma.map { f($0.gammaRatio, true) } ?? "—",
                    inputRatio: o.gamma.map { f($0.inputRatio, true) } ?? "—", rescaling: o.gamma.map { f($0.rescaling, true) } ?? "—",
                    cause: o.gamma?.cause ?? "—", queryShare: o.queryShare.map(NumberFormat.percentShare) ?? "—")
            },
            channelOutlierNote: outlierTotal > outliers.count
                ? "\(NumberFormat.integer(outlierTotal)) channel outliers; the \(outliers.count) with the largest ratios are listed."
                : "\(NumberFormat.integer(outlierTotal)) channel outliers.",
            triggers: a.queryTriggers.map { q in
                TriggerRow(block: String(q.block), uniform: NumberFormat.percentShare(q.uniformShare),
                           channels: q.channels.map { "\($0.channel): \(NumberFormat.percentShare($0.share)) (max |x| \(f($0.inputAbsmax, true)), ‖W_q col‖ \(f($0.columnNorm, true)))" }
                               .joined(separator: "; "))
            },
            taps: tapRows(result, anatomy: a),
            weights: a.weights.map { w in
                WeightRow(name: w.name, shape: "\(w.rows) × \(w.cols)", absmax: f(w.absmax, true),
                          absmaxAt: "[\(w.absmaxAt.map(String.init).joined(separator: ", "))]", rms: f(w.rms, true),
                          ratio: w.rms > 0 ? f(w.absmax / w.rms, true) : "—", kurtosis: w.kurtosis.map { f($0, true) } ?? "—")
            },
            norms: a.norms.map { n in
                NormRow(name: n.name, min: f(n.min, true), max: f(n.max, true), medianAbs: f(n.medianAbs, true),
                        maxRatio: f(n.maxRatio, true),
                        top: n.top.map { "\($0.channel): \(f($0.value, true))" }.joined(separator: ", "))
            },
            nonFinite: a.nonFinite.map { r in
                NonFiniteRow(block: String(r.block), tap: r.tap, count: NumberFormat.integer(r.count),
                             samples: r.samples.map { "\($0.value) at window \($0.window), position \($0.position), dim \($0.dim), token \(ModelPageBuilder.displayToken($0.token))" }
                                 .joined(separator: "; "))
            })
    }

    /// Every observed (block, tap) with its statistics and outlier channels.
    static func tapRows(_ result: RunResult, anatomy a: AnatomyResult) -> [TapRow] {
        let f = NumberFormat.significant
        var outliers: [String: TapOutliers] = [:]
        for t in a.tapOutliers { outliers["\(t.block) \(t.tap)"] = t }
        return result.taps.map { t in
            let o = outliers["\(t.block) \(t.tap)"]
            let channels = o.map { o in
                o.channels.isEmpty ? "none" : o.channels.prefix(channelsPerTap).map(String.init).joined(separator: ", ")
                    + (o.channels.count > channelsPerTap ? " … (\(o.channels.count))" : "")
            } ?? "—"
            let median = f(t.medianAbs, true) + (t.medianExact == false ? " (est.)" : "")
            return TapRow(block: String(t.block), tap: t.tap + (t.yIndex.map { " (\($0))" } ?? ""), maxAbs: f(t.maxAbs, true),
                          medianAbs: median, ratio: t.medianAbs > 0 ? f(t.maxAbs / t.medianAbs, true) : "—",
                          massive: NumberFormat.integer(t.massiveCount), large: t.largeCount.map(NumberFormat.integer) ?? "—",
                          outlierChannels: channels, maxKurtosis: o?.maxKurtosis.map { f($0, true) } ?? "—",
                          nonFinite: NumberFormat.integer(t.nonFiniteCount))
        }
    }

    /// Sorted blocks as ranges: `1–4, 7`.
    static func blockRanges(_ blocks: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < blocks.count {
            var j = i
            while j + 1 < blocks.count && blocks[j + 1] == blocks[j] + 1 { j += 1 }
            parts.append(i == j ? String(blocks[i]) : "\(blocks[i])–\(blocks[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }

    private static func tapOrder(_ tap: String, _ a: AnatomyResult) -> Int {
        a.tapIndex.firstIndex { $0.tap == tap } ?? Int.max
    }

    /// The sink positions with their tokens, the first `limit` of them and how many there are
    /// (a Gemma window has hundreds of carriers).
    static func sinkPositionsText(_ s: SinkSummary, limit: Int = 8) -> String {
        let shown = zip(s.positions, s.tokens).prefix(limit).map { "\($0) (\(ModelPageBuilder.displayToken($1)))" }.joined(separator: ", ")
        return s.positions.count > limit ? shown + " … (\(NumberFormat.integer(s.positions.count)) positions)" : shown
    }
}

extension NumberFormat {
    /// A fraction as a percentage with 4 significant digits, e.g. `98.76 %`.
    static func percentShare(_ fraction: Double) -> String { significant(fraction * 100, keepZeros: true) + " %" }
}
