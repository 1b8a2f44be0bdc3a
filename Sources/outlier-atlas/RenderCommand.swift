import AtlasAnalysis
import AtlasResults
import AtlasSite
import ArgumentParser
import Foundation

/// `outlier-atlas render`: results JSON files → the static site. Never loads a model.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render results JSON files (or folders of them) into a static site.")

    @Argument(help: "Results files, or folders holding them.")
    var results: [String]

    @Option(name: .long, help: "Output folder, replaced atomically (default: site); with --single-file, the HTML file (default: atlas-report.html).")
    var out: String?

    @Flag(name: .long, help: "Write one self-contained HTML file (images and downloads as data URIs, CSS and script inline) instead of a folder.")
    var singleFile = false

    @Option(name: .long, help: .hidden)
    var killAt: String?

    func validate() throws {
        if let killAt, SiteWriter.Stage(rawValue: killAt) == nil {
            let stages = SiteWriter.Stage.allCases.map(\.rawValue).joined(separator: " or ")
            throw ValidationError("--kill-at: found \(killAt), expected \(stages)")
        }
    }

    func run() throws {
        let files = try ResultsFiles.expand(results)
        // Folders' history.jsonl (written by `build`) is published beside each model's results;
        // the results download is the file's own bytes.
        let history = HistoryFile.byModel(try results.flatMap { try HistoryFile.read(HistoryFile.url(in: URL(fileURLWithPath: $0))) })
        let loaded = try files.map { url in
            let stored = try ResultsStore.read(url)
            return PublishedResult(stored, history: history[stored.result.model.label] ?? [])
        }
        if singleFile {
            try SitePublisher.publishSingleFile(loaded, to: URL(fileURLWithPath: out ?? "atlas-report.html"))
        } else {
            try SitePublisher.publish(loaded, to: URL(fileURLWithPath: out ?? "site"), killAt: killAt.flatMap(SiteWriter.Stage.init(rawValue:)))
        }
    }
}

/// Expands arguments into results files: files as given, folders to their `*.json` (sorted).
enum ResultsFiles {
    static func expand(_ paths: [String]) throws -> [URL] {
        var out: [URL] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                throw ResultsError(file: p, detail: "no such file or folder")
            }
            if isDir.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: p).filter { $0.hasSuffix(".json") }.sorted()
                guard !names.isEmpty else { throw ResultsError(file: p, detail: "folder holds no results (*.json)") }
                out += names.map { URL(fileURLWithPath: p).appendingPathComponent($0) }
            } else {
                out.append(URL(fileURLWithPath: p))
            }
        }
        return out
    }
}

/// Renders results with the templates and assets of this installation and swaps the site in.
/// `killAt` makes the process kill itself with SIGKILL at that stage of the write (hidden
/// `--kill-at`, used by the test that a killed render leaves the previous site intact).
enum SitePublisher {
    static func publish(_ results: [PublishedResult], to directory: URL, killAt: SiteWriter.Stage? = nil) throws {
        let resources = try Resources.locate()
        let templates = try SiteTemplates(directory: resources.templates)
        let files = try SiteRenderer().render(results, templates: templates, assets: try SiteRenderer.loadAssets(from: resources.assets))
        try SiteWriter.write(files: files, to: directory) { stage in
            if stage == killAt { kill(getpid(), SIGKILL) }
        }
        FileHandle.standardError.write(Data("site: \(directory.appendingPathComponent("index.html").path)\n".utf8))
    }

    static func publishSingleFile(_ results: [PublishedResult], to file: URL) throws {
        let resources = try Resources.locate()
        let data = try SiteRenderer().renderSingleFile(results, templates: try SiteTemplates(directory: resources.templates),
                                                       assets: try SiteRenderer.loadAssets(from: resources.assets))
        try SiteWriter.write(file: data, to: file)
        FileHandle.standardError.write(Data("report: \(file.path)\n".utf8))
    }
}

/// Finds `templates/` and `assets/`: `$OUTLIER_ATLAS_HOME`, the current folder, or a folder
/// above the executable (the repository when run from `.build/`).
enum Resources {
    static func locate() throws -> (templates: URL, assets: URL) {
        var candidates: [URL] = []
        if let home = ProcessInfo.processInfo.environment["OUTLIER_ATLAS_HOME"] {
            candidates.append(URL(fileURLWithPath: home))
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir)
            dir = dir.deletingLastPathComponent()
        }
        for c in candidates {
            let t = c.appendingPathComponent("templates"), a = c.appendingPathComponent("assets")
            if FileManager.default.fileExists(atPath: t.appendingPathComponent("base.mustache").path),
               FileManager.default.fileExists(atPath: a.path) {
                return (t, a)
            }
        }
        throw ResultsError(file: "templates/", detail: "not found next to the executable or in the current folder; set OUTLIER_ATLAS_HOME to the repository")
    }
}
