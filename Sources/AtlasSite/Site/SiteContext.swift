import AtlasResults
import Foundation

/// Everything a page builder needs besides its own model: the models in site order, the
/// templates, the linker of the current mode, the shared chart scales and the page registry
/// (for navigation). Pages go through it to render templates and to place images and
/// downloads, so the same builder serves the folder site and the single file.
struct SiteContext {
    /// Fixed site paths of the site-wide pages.
    static let indexPath = "index.html"
    static let methodsPath = "methods.html"
    static let downloadsPath = "downloads.html"
    static let stylesheetPath = "assets/style.css"
    static let scriptPath = "assets/sort-tables.js"

    let models: [SiteModel]
    let templates: SiteTemplates
    let linker: SiteLinker
    let scales: SharedScales
    let modelPages: [any ModelSitePage]
    /// Tool versions of all results, sorted and comma-separated.
    let toolVersion: String
    /// The latest `Provenance.generatedAt` of any result (the only timestamp on the site).
    let generatedAt: String?
    /// Whether the assets include the table sorter.
    let hasScript: Bool

    /// The chrome of the page at `path`: site navigation, and the model's page navigation when
    /// the page belongs to `model` (every registered model page that applies, in order).
    func chrome(for path: String, title: String, model: SiteModel? = nil) -> PageChrome {
        let site = [("Models", Self.indexPath), ("Methods", Self.methodsPath), ("Downloads", Self.downloadsPath)]
        let modelLinks: [(String, String)] = model.map { model in
            modelPages.filter { $0.applies(to: model) }.map { ($0.title, model.pagePath($0.name)) }
        } ?? []
        func links(_ list: [(String, String)]) -> [NavLink] {
            list.map { NavLink(label: $0.0, href: linker.href(to: $0.1, from: path), current: $0.1 == path ? "page" : nil) }
        }
        let embedded = linker.mode == .singleFile
        return PageChrome(
            pageTitle: title, embedded: embedded, anchor: SiteLinker.anchor(for: path),
            idPrefix: linker.idPrefix(for: path),
            stylesheet: embedded ? nil : linker.href(to: Self.stylesheetPath, from: path),
            script: embedded || !hasScript ? nil : linker.href(to: Self.scriptPath, from: path),
            siteNav: links(site), modelLabel: model?.label, modelNav: links(modelLinks),
            toolVersion: toolVersion, generatedAt: generatedAt)
    }

    /// Renders `page` (a page-model struct with a `chrome`) with `template` as the page at `path`.
    func render(_ page: Any, template: String, path: String, title: String) throws(SiteError) -> RenderedPage {
        RenderedPage(path: path, title: title, model: page, html: try templates.render(page, template: template))
    }

    /// The URL from the page at `page` to the site path `target`.
    func href(to target: String, fragment: String? = nil, from page: String) -> String {
        linker.href(to: target, fragment: fragment, from: page)
    }

    /// Adds `image` at site path `path` and returns its figure as seen from the page at `page`.
    func figure(_ image: ChartImage, at path: String, on page: String, into output: inout SiteOutput) throws(SiteError) -> Figure {
        try output.add(file: path, data: image.png)
        return Figure(
            src: linker.fileHref(to: path, data: image.png, mediaType: "image/png", from: page),
            width: String(image.width), height: String(image.height), alt: image.alt,
            xTicks: image.xTicks.map { TickLabel(position: NumberFormat.percent($0.fraction), label: $0.label) },
            yTicks: image.yTicks.map { TickLabel(position: NumberFormat.percent($0.fraction), label: $0.label) })
    }

    /// Adds a download at site path `path` and returns its URL as seen from the page at `page`.
    func download(_ data: Data, at path: String, on page: String, into output: inout SiteOutput) throws(SiteError) -> String {
        try output.add(file: path, data: data)
        return linker.fileHref(to: path, data: data, mediaType: SiteLinker.mediaType(of: path), from: page)
    }
}
