import Foundation

/// `single-head.mustache`: the start of the single file, up to the first page section.
struct SingleFileHead: Sendable {
    var title: String
    /// `style.css`, inlined into `<style>`.
    var css: String
    var toc: [TOCEntry]
}

/// A table-of-contents entry of the single file: a site page, or a model with its pages.
struct TOCEntry: Sendable {
    var label: String
    var href: String
    var pages: [NavLink]
    /// Stored (the template engine reads stored properties only).
    var hasPages: Bool
}

/// `single-tail.mustache`: the end of the single file.
struct SingleFileTail: Sendable {
    var toolVersion: String
    var generatedAt: String?
    /// `sort-tables.js`, inlined into `<script>`, when the assets have it.
    var script: String?
}

/// Joins the pages of a single-file render into one HTML document: `single-head`, every page
/// section (each rendered by its own template in embedded mode), `single-tail`. Only rendered
/// template output is joined; no HTML is written here.
///
/// The stylesheet and the sorter go through the template engine like every other value, so they
/// must contain none of the characters it escapes (`< > & " '`); that is checked here, and the
/// assets are written without them (a test checks that too).
struct SingleFileDocument {
    static let templates = ["single-head", "single-tail"]
    static let escapedCharacters: Set<Character> = ["<", ">", "&", "\"", "'"]

    let templates: SiteTemplates
    let assets: [String: Data]

    func assemble(_ pages: [RenderedPage], context: SiteContext) throws(SiteError) -> Data {
        let head = SingleFileHead(title: "OutlierAtlas report", css: try inline("style.css")!, toc: toc(context))
        let tail = SingleFileTail(toolVersion: context.toolVersion, generatedAt: context.generatedAt,
                                  script: try inline("sort-tables.js"))
        var document = try templates.render(head, template: "single-head")
        for page in pages { document += page.html }
        document += try templates.render(tail, template: "single-tail")
        return Data(document.utf8)
    }

    /// The asset's text, or nil when it does not exist; throws when escaping would alter it.
    func inline(_ name: String) throws(SiteError) -> String? {
        guard let data = assets[name] else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        if let index = text.firstIndex(where: { Self.escapedCharacters.contains($0) }) {
            let line = text[..<index].filter { $0 == "\n" }.count + 1
            throw .unsafeInlineAsset(path: "assets/" + name, found: "'\(text[index])' in line \(line)",
                                     expected: "none of < > & \" ' in an asset that is inlined into the single file")
        }
        return text
    }

    func toc(_ context: SiteContext) -> [TOCEntry] {
        let linker = context.linker
        func entry(_ label: String, _ path: String) -> TOCEntry {
            TOCEntry(label: label, href: linker.href(to: path, from: ""), pages: [], hasPages: false)
        }
        var entries = [entry("Models", SiteContext.indexPath)]
        for model in context.models {
            let pages = context.modelPages.filter { $0.applies(to: model) }
            entries.append(TOCEntry(
                label: model.label, href: linker.href(to: model.pagePath("index"), from: ""),
                pages: pages.map { NavLink(label: $0.title, href: linker.href(to: model.pagePath($0.name), from: ""), current: nil) },
                hasPages: !pages.isEmpty))
        }
        entries.append(entry("Methods", SiteContext.methodsPath))
        entries.append(entry("Downloads", SiteContext.downloadsPath))
        return entries
    }
}
