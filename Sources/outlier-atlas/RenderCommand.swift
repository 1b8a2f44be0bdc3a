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

    @Option(name: .long, help: "Output folder (replaced atomically).")
    var out: String = "site"

    func run() throws {
        let files = try ResultsFiles.expand(results)
        let loaded = try files.map { try ResultsStore.read($0) }
        // Folders' history.jsonl (written by `build`) feeds the site's trend charts.
        let history = try results.flatMap { try HistoryFile.read(HistoryFile.url(in: URL(fileURLWithPath: $0))) }
        try SitePublisher.publish(HistoryFile.attach(history, to: loaded), to: URL(fileURLWithPath: out))
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
enum SitePublisher {
    static func publish(_ results: [RunResult], to directory: URL) throws {
        let resources = try Resources.locate()
        let files = try SiteRenderer().render(results: results, templates: resources.templates, assets: resources.assets)
        try SiteWriter.write(files: files, to: directory)
        FileHandle.standardError.write(Data("site: \(directory.appendingPathComponent("index.html").path)\n".utf8))
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
