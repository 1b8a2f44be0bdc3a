import AtlasResults
import Foundation

/// Turns results into the files of a static site, in memory: relative path → bytes
/// (`index.html`, `models/<slug>.html`, `images/<slug>-*.png`, `assets/…`). Reads only the
/// templates and assets folders; writes nothing (see `SiteWriter`). Identical inputs give
/// identical bytes: models are sorted by label, numbers formatted with fixed rules, and no
/// clock is read (a time appears only if `Provenance.generatedAt` carries one).
public struct SiteRenderer: Sendable {
    public init() {}

    /// Loads `templates` (every `*.mustache`, fails fast on any problem) and every file under
    /// `assets` (must contain `style.css`), then renders.
    public func render(results: [RunResult], templates: URL, assets: URL) throws(SiteError) -> [String: Data] {
        let library = try SiteTemplates(directory: templates)
        let assetFiles = try Self.loadAssets(from: assets)
        return try render(results: results, templates: library, assets: assetFiles)
    }

    /// Renders with already-loaded templates and assets (asset path relative to `assets/` → bytes).
    public func render(results: [RunResult], templates: SiteTemplates, assets: [String: Data]) throws(SiteError) -> [String: Data] {
        var files: [String: Data] = [:]
        for (path, data) in assets { files["assets/" + path] = data }

        let sorted = Self.sortedForSite(results)
        let slugs = Slug.unique(sorted.map(\.model.label))
        for (result, slug) in zip(sorted, slugs) {
            let charts = try ModelCharts.make(for: result, slug: slug)
            for chart in charts.files { files[chart.path] = chart.image.png }
            var page = ModelPageBuilder.modelPage(result, charts: charts)
            if let anatomy = result.anatomy {
                files.merge(try AnatomyPageBuilder.files(result, anatomy: anatomy, slug: slug, templates: templates)) { $1 }
                page.anatomyHref = "\(slug)-anatomy.html"
            }
            if let schemes = result.quantization, !schemes.isEmpty {
                let quantCharts = try QuantizationCharts.make(for: result, slug: slug)
                for chart in quantCharts.files { files[chart.path] = chart.image.png }
                let quantPage = QuantizationPageBuilder.page(result, slug: slug, charts: quantCharts)
                files[QuantizationPageBuilder.href(slug: slug)] = Data(try templates.render(quantPage, template: "quantization").utf8)
                page.quantizationHref = "../" + QuantizationPageBuilder.href(slug: slug)
            }
            files["models/\(slug).html"] = Data(try templates.render(page, template: "model").utf8)
        }

        let generatedAt = sorted.compactMap(\.provenance.generatedAt).max()
        let versions = Set(sorted.map(\.provenance.toolVersion)).sorted().joined(separator: ", ")
        let index = IndexPage(
            chrome: PageChrome(pageTitle: "Models", root: "", toolVersion: versions, generatedAt: generatedAt),
            models: zip(sorted, slugs).map { ModelPageBuilder.indexRow($0, slug: $1) },
            modelCount: String(sorted.count),
            quantization: QuantizationPageBuilder.summary(sorted, slugs: slugs))
        files["index.html"] = Data(try templates.render(index, template: "index").utf8)
        return files
    }

    /// Site order: by label, then model file and hash so equal labels still sort stably.
    static func sortedForSite(_ results: [RunResult]) -> [RunResult] {
        results.enumerated().sorted { a, b in
            let ka = (a.element.model.label, a.element.provenance.modelFile, a.element.provenance.modelSHA256)
            let kb = (b.element.model.label, b.element.provenance.modelFile, b.element.provenance.modelSHA256)
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
