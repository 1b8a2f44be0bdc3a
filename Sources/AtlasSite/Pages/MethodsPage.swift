import AtlasResults

/// `methods.mustache`.
struct MethodsPageModel: Sendable {
    var chrome: PageChrome
    var criteria: [String]
    var scorings: [ScoringRow]
    var provenance: [ProvenanceRow]
    var downloadsHref: String
}

/// Which logits rows each perplexity scoring uses for one window size.
struct ScoringRow: Sendable {
    var window: String
    var allRows: String
    var allCount: String
    var halfRows: String
    var halfCount: String
}

/// One model's provenance in the methods table.
struct ProvenanceRow: Sendable {
    var label: String
    var href: String
    var modelFile: String
    var modelSHA256: String
    var modelFormat: String
    var dataFile: String
    var dataSHA256: String
    var textMode: String
    var tokenizer: String
    var window: String
    var bos: String
    var criterion: String
    var toolVersion: String
}

/// `methods.html`: every definition, criterion and convention the numbers follow (the prose is
/// in the template), with the values the results actually used: the massive criteria, the
/// scored rows for each window size, and each model's provenance.
struct MethodsPage: SitePage {
    let templates = ["methods"]

    func render(in context: SiteContext, into output: inout SiteOutput) throws(SiteError) {
        let path = SiteContext.methodsPath
        let results = context.models.map(\.result)
        var criteria: [String] = []
        for result in results {
            let text = ModelPageBuilder.criterion(result.provenance.criterion)
            if !criteria.contains(text) { criteria.append(text) }
        }
        let windows = Set(results.map(\.provenance.windowSize)).sorted()
        let page = MethodsPageModel(
            chrome: context.chrome(for: path, title: "Methods"),
            criteria: criteria.isEmpty ? [ModelPageBuilder.criterion(MassiveCriterion())] : criteria,
            scorings: windows.map(Self.scoring),
            provenance: context.models.map { model in
                let p = model.result.provenance
                return ProvenanceRow(
                    label: model.label, href: context.href(to: model.pagePath("index"), from: path),
                    modelFile: p.modelFile, modelSHA256: p.modelSHA256, modelFormat: p.modelFormat,
                    dataFile: p.dataFile, dataSHA256: p.dataSHA256, textMode: p.textMode, tokenizer: p.tokenizer,
                    window: "\(p.windowCount) × \(p.windowSize)", bos: p.bos ? "yes" : "no",
                    criterion: ModelPageBuilder.criterion(p.criterion), toolVersion: p.toolVersion)
            },
            downloadsHref: context.href(to: SiteContext.downloadsPath, from: path))
        try output.add(page: context.render(page, template: "methods", path: path, title: "Methods"))
    }

    /// All positions: rows 0…T−2 (T−1 tokens); llama.cpp: rows T/2…T−2 (T − T/2 − 1 tokens).
    static func scoring(_ t: Int) -> ScoringRow {
        let first = t / 2
        return ScoringRow(window: String(t), allRows: t >= 2 ? "0…\(t - 2)" : "none", allCount: String(max(0, t - 1)),
                          halfRows: t - first - 1 > 0 ? "\(first)…\(t - 2)" : "none", halfCount: String(max(0, t - first - 1)))
    }
}
