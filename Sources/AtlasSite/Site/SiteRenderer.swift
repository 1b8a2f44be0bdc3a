import AtlasResults
import Foundation

/// Renders results into the files of a static site, in memory: relative path → bytes
/// (`index.html`, `methods.html`, `downloads.html`, `models/<slug>/<page>.html`,
/// `images/…png`, `data/<slug>/…`, `assets/…`), or into one self-contained HTML file. Reads
/// only the templates and assets folders; writes nothing (see `SiteWriter`). Identical inputs
/// give identical bytes: models are sorted by label, numbers formatted with fixed rules, and no
/// clock is read (a time appears only if `Provenance.generatedAt` carries one).
///
/// Pages are registered below. A new page is a builder type conforming to `SitePage` (once per
/// site) or `ModelSitePage` (once per model, shown in the model navigation), plus its template;
/// adding it to one of the two lists is the only change here.
public struct SiteRenderer: Sendable {
    /// Site-wide pages.
    static let sitePages: [any SitePage] = [
        IndexPageBuilder(),
        MethodsPage(),
        DownloadsPage(),
    ]

    /// Pages of each model, in navigation order (the first is the model's overview, `index`).
    static let modelPages: [any ModelSitePage] = [
        ModelOverviewPage(),
        LayerDetailPage(),
        AnatomySitePage(),
        QuantizationSitePage(),
        ParitySitePage(),
        ComparisonSitePage(),
    ]

    /// Every template the registered pages and the single file need.
    static var requiredTemplates: [String] {
        var names = ["base"] + SingleFileDocument.templates
        for name in sitePages.flatMap(\.templates) + modelPages.flatMap(\.templates) where !names.contains(name) {
            names.append(name)
        }
        return names
    }

    public init() {}

    /// Loads `templates` (every `*.mustache`, fails fast on any problem) and every file under
    /// `assets` (must contain `style.css`), then renders the folder site.
    public func render(results: [RunResult], templates: URL, assets: URL) throws(SiteError) -> [String: Data] {
        try render(results: results, templates: try SiteTemplates(directory: templates), assets: try Self.loadAssets(from: assets))
    }

    /// Renders the folder site with already-loaded templates and assets (path under `assets/` → bytes).
    public func render(results: [RunResult], templates: SiteTemplates, assets: [String: Data]) throws(SiteError) -> [String: Data] {
        try render(try Self.published(results), templates: templates, assets: assets)
    }

    /// Renders the folder site from results files read with their bytes.
    public func render(_ results: [PublishedResult], templates: SiteTemplates, assets: [String: Data]) throws(SiteError) -> [String: Data] {
        let output = try build(try context(results: results, templates: templates, assets: assets, mode: .multiFile))
        var files = output.files
        for (path, data) in assets { files["assets/" + path] = data }
        for page in output.pages { files[page.path] = Data(page.html.utf8) }
        return files
    }

    /// Loads templates and assets, then renders the single self-contained HTML file.
    public func renderSingleFile(results: [RunResult], templates: URL, assets: URL) throws(SiteError) -> Data {
        try renderSingleFile(try Self.published(results), templates: try SiteTemplates(directory: templates),
                             assets: try Self.loadAssets(from: assets))
    }

    /// Renders the single file with already-loaded templates and assets.
    public func renderSingleFile(results: [RunResult], templates: SiteTemplates, assets: [String: Data]) throws(SiteError) -> Data {
        try renderSingleFile(try Self.published(results), templates: templates, assets: assets)
    }

    /// One HTML document holding every page as a section; images and tables as `data:` URIs,
    /// the stylesheet and the table sorter inlined. The raw results files are left out (they
    /// hold every per-channel statistic and would make the file tens of megabytes per model).
    public func renderSingleFile(_ results: [PublishedResult], templates: SiteTemplates, assets: [String: Data]) throws(SiteError) -> Data {
        let context = try context(results: results, templates: templates, assets: assets, mode: .singleFile)
        return try SingleFileDocument(templates: templates, assets: assets).assemble(try build(context).pages, context: context)
    }

    /// Every page of every kind, in single-file order: site pages that precede the models, each
    /// model's pages, the other site pages. The models' pages are rendered in parallel, each into
    /// its own output, and merged in model order, so the result does not depend on scheduling.
    func build(_ context: SiteContext) throws(SiteError) -> SiteOutput {
        var output = SiteOutput()
        for page in Self.sitePages where page.precedesModels { try page.render(in: context, into: &output) }
        let perModel = ParallelResults<SiteOutput>(count: context.models.count)
        DispatchQueue.concurrentPerform(iterations: context.models.count) { index in
            let model = context.models[index]
            perModel.set(index) { () throws(SiteError) -> SiteOutput in
                var own = SiteOutput()
                for page in Self.modelPages where page.applies(to: model) { try page.render(model, in: context, into: &own) }
                return own
            }
        }
        for own in try perModel.values() { try output.merge(own) }
        for page in Self.sitePages where !page.precedesModels { try page.render(in: context, into: &output) }
        return output
    }

    func context(results: [RunResult], templates: SiteTemplates, assets: [String: Data], mode: SiteMode) throws(SiteError) -> SiteContext {
        try context(results: try Self.published(results), templates: templates, assets: assets, mode: mode)
    }

    func context(results: [PublishedResult], templates: SiteTemplates, assets: [String: Data], mode: SiteMode) throws(SiteError) -> SiteContext {
        let sorted = Self.sortedForSite(results)
        let models = zip(sorted, Slug.unique(sorted.map(\.result.model.label))).map { SiteModel($0, slug: $1) }
        return SiteContext(
            models: models, templates: templates, linker: SiteLinker(mode: mode), scales: try SharedScales(models: models),
            modelPages: Self.modelPages,
            toolVersion: Set(sorted.map(\.result.provenance.toolVersion)).sorted().joined(separator: ", "),
            generatedAt: sorted.compactMap(\.result.provenance.generatedAt).max(),
            hasScript: assets["sort-tables.js"] != nil)
    }

    /// Results not read from disk, each encoded once.
    static func published(_ results: [RunResult]) throws(SiteError) -> [PublishedResult] {
        var out: [PublishedResult] = []
        for result in results { out.append(try PublishedResult(encoding: result)) }
        return out
    }

    /// Site order: by label, then model file and hash so equal labels still sort stably.
    static func sortedForSite(_ results: [PublishedResult]) -> [PublishedResult] {
        results.enumerated().sorted { a, b in
            let (ra, rb) = (a.element.result, b.element.result)
            let ka = (ra.model.label, ra.provenance.modelFile, ra.provenance.modelSHA256)
            let kb = (rb.model.label, rb.provenance.modelFile, rb.provenance.modelSHA256)
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    /// Every regular file under `folder`, by path relative to it; `style.css` is required.
    public static func loadAssets(from folder: URL) throws(SiteError) -> [String: Data] {
        let root = folder.standardizedFileURL.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw .assetUnreadable(path: root, detail: "folder cannot be listed")
        }
        var assets: [String: Data] = [:]
        for case let relative as String in enumerator {
            var isDirectory: ObjCBool = false
            let path = root + "/" + relative
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .assetUnreadable(path: path, detail: "cannot be read")
            }
            assets[relative] = data
        }
        guard assets["style.css"] != nil else {
            throw .assetUnreadable(path: root + "/style.css", detail: "missing")
        }
        return assets
    }
}
