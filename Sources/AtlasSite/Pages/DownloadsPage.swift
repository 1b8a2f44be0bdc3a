import AtlasResults
import Foundation

/// `downloads.mustache`.
struct DownloadsPageModel: Sendable {
    var chrome: PageChrome
    var groups: [DownloadGroup]
    var methodsHref: String
}

/// The downloads of one model.
struct DownloadGroup: Sendable {
    var id: String
    var label: String
    var href: String
    var files: [DownloadLink]
}

/// One downloadable file.
struct DownloadLink: Sendable {
    var name: String
    /// The file name a browser saves it as: `<slug>-<name>`.
    var downloadName: String
    var href: String
    var format: String
    var size: String
    var description: String
}

/// `downloads.html`: every table of every model as CSV and JSON (`data/<slug>/taps.csv`, …)
/// plus its run history when it has one and, in the folder site, the model's results file
/// (the bytes that were written). This page adds the data files to the
/// site; in the single file the tables become `data:` links and the raw file is left out.
struct DownloadsPage: SitePage {
    let templates = ["downloads"]

    func render(in context: SiteContext, into output: inout SiteOutput) throws(SiteError) {
        let path = SiteContext.downloadsPath
        var groups: [DownloadGroup] = []
        for model in context.models {
            let result = model.result
            let taps = DataTables.tapRecords(result)
            let massive = ModelPageBuilder.sortedMassive(result)
            var files: [(String, Data, String)] = [
                ("taps.csv", DataTables.csv(taps, columns: DataTables.tapColumns), "Every observed tap of every block (\(taps.count) rows)."),
                ("taps.json", try DataTables.json(taps), "The same rows as JSON."),
                ("massive.csv", DataTables.csv(massive, columns: DataTables.massiveColumns), "Every massive activation (\(massive.count) rows)."),
                ("massive.json", try DataTables.json(massive), "The same rows as JSON."),
            ]
            if !model.published.history.isEmpty {
                files.append(("history.json", try DataTables.json(model.published.history),
                              "This model's lines of the run history (\(model.published.history.count) runs, oldest first)."))
            }
            if context.linker.mode == .multiFile {
                files.append(("results.json", model.published.bytes,
                              "The complete results file (schema version \(result.schemaVersion)), including per-channel max |x| of every tap."))
            }
            var links: [DownloadLink] = []
            for (name, data, description) in files {
                let href = try context.download(data, at: model.dataPath(name), on: path, into: &output)
                links.append(DownloadLink(name: name, downloadName: "\(model.slug)-\(name)", href: href, format: name.hasSuffix(".csv") ? "CSV" : "JSON",
                                          size: NumberFormat.integer(data.count) + " bytes", description: description))
            }
            groups.append(DownloadGroup(id: context.linker.idPrefix(for: path) + "model-" + model.slug, label: model.label,
                                        href: context.href(to: model.pagePath("index"), from: path), files: links))
        }
        let page = DownloadsPageModel(chrome: context.chrome(for: path, title: "Downloads"), groups: groups,
                                      methodsHref: context.href(to: SiteContext.methodsPath, fragment: "csv", from: path))
        try output.add(page: context.render(page, template: "downloads", path: path, title: "Downloads"))
    }
}
