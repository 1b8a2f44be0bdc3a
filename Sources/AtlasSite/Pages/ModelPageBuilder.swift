import AtlasResults

/// Page-model pieces that several pages share (facts, table rows, token display). Pure.
enum ModelPageBuilder {
    /// The tap whose statistics the per-layer table, heatmap and line chart show.
    static let blockOutputTap = OutlierProfile.blockOutputTap
    /// Rows of the massive-activation table beyond this are summarised, not listed.
    static let massiveRowLimit = 500

    /// The block-output taps in block order (one per block; the first wins if repeated).
    static func blockOutputs(of result: RunResult) -> [TapSummary] { OutlierProfile.blockOutputs(of: result) }

    /// The largest block-output max |x|, or nil without block-output taps.
    static func maxAbs(of result: RunResult) -> Double? {
        blockOutputs(of: result).map(\.maxAbs).max()
    }

    /// The massive-activation criterion in words.
    static func criterion(_ c: MassiveCriterion) -> String {
        "|x| > \(NumberFormat.compact(c.absolute)) and |x| > \(NumberFormat.compact(c.relative)) × median |x| of the hidden state"
    }

    static func architectureFacts(_ m: ModelSummary) -> [Fact] {
        [
            Fact(term: "Architecture", value: m.architecture),
            Fact(term: "Blocks", value: String(m.blockCount)),
            Fact(term: "Hidden size", value: String(m.hiddenSize)),
            Fact(term: "FFN size", value: String(m.ffnSize)),
            Fact(term: "Attention heads (KV heads)", value: "\(m.headCount) (\(m.kvHeadCount))"),
            Fact(term: "Vocabulary", value: NumberFormat.integer(m.vocabSize)),
            Fact(term: "Parameters", value: NumberFormat.integer(m.parameterCount)),
        ]
    }

    static func provenanceFacts(_ p: Provenance) -> [Fact] {
        var facts = [
            Fact(term: "Model file", value: p.modelFile),
            Fact(term: "Model SHA-256", value: p.modelSHA256),
            Fact(term: "Model format", value: p.modelFormat),
            Fact(term: "Data file", value: p.dataFile),
            Fact(term: "Data SHA-256", value: p.dataSHA256),
            Fact(term: "Text mode", value: p.textMode),
            Fact(term: "Tokenizer", value: p.tokenizer),
            Fact(term: "BOS prepended", value: p.bos ? "yes" : "no"),
            Fact(term: "Window size (tokens)", value: String(p.windowSize)),
            Fact(term: "Windows", value: String(p.windowCount)),
            Fact(term: "Tool version", value: p.toolVersion),
        ]
        if let generatedAt = p.generatedAt { facts.append(Fact(term: "Generated at", value: generatedAt)) }
        return facts
    }

    static func perplexityFacts(_ ppl: PerplexityResult?) -> [Fact] {
        guard let ppl else { return [] }
        return [
            Fact(term: "all positions", value: "\(NumberFormat.significant(ppl.allPositions)) (\(NumberFormat.integer(ppl.scoredTokensAll)) tokens)"),
            Fact(term: "second half (llama.cpp)", value: "\(NumberFormat.significant(ppl.secondHalf)) (\(NumberFormat.integer(ppl.scoredTokensSecondHalf)) tokens)"),
        ]
    }

    static func massiveRows(_ result: RunResult) -> (rows: [MassiveRow], total: Int) {
        let massive = sortedMassive(result)
        let rows = massive.prefix(massiveRowLimit).map { a in
            MassiveRow(layer: a.layer.map(String.init) ?? "—", window: String(a.window), position: String(a.position),
                       dim: String(a.dim), value: NumberFormat.significant(a.value), token: displayToken(a.token))
        }
        return (Array(rows), massive.count)
    }

    /// Massive activations by layer, window, position, dim.
    static func sortedMassive(_ result: RunResult) -> [LocatedActivation<Double>] {
        result.massiveActivations.sorted(by: LocatedActivation.inPlaceOrder)
    }

    static func layerRow(_ tap: TapSummary) -> LayerRow {
        let top = tap.top.first
        let ratio = tap.medianAbs > 0 ? NumberFormat.significant(tap.maxAbs / tap.medianAbs) : "—"
        return LayerRow(
            block: String(tap.block), yIndex: tap.yIndex ?? "",
            maxAbs: NumberFormat.significant(tap.maxAbs), medianAbs: NumberFormat.significant(tap.medianAbs),
            ratio: ratio, massiveCount: NumberFormat.integer(tap.massiveCount),
            topValue: top.map { NumberFormat.significant($0.value) } ?? "—",
            topToken: top.map { displayToken($0.token) } ?? "", topWindow: top.map { String($0.window) } ?? "—",
            topPosition: top.map { String($0.position) } ?? "—", topDim: top.map { String($0.dim) } ?? "—")
    }

    /// A token as shown in a table cell: control characters (newlines, tabs, NUL, …), which
    /// HTML cannot show or even carry, become visible escapes (`\n`, `\t`, `\u{1}`); a
    /// backslash is doubled so the display stays unambiguous. Everything else is kept as is and
    /// left to the template engine to escape.
    static func displayToken(_ token: String) -> String {
        var text = ""
        for scalar in token.unicodeScalars {
            switch scalar {
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                text += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}
