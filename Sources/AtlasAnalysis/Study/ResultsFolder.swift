import AtlasResults
import Foundation

/// A results folder as the nightly tools see it: `<slug>.json` results at the top (what
/// `render` and `check` read), `.cache/` (unit cache, file hashes) and `history.jsonl` beside.
public enum ResultsFolder {
    /// The results files directly in `directory`, sorted by name.
    public static func files(in directory: URL) throws -> [URL] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ResultsError(file: directory.path, detail: "no such results folder")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// Every result in `directory`, keyed by file name without `.json`.
    public static func read(_ directory: URL) throws -> [String: RunResult] {
        var out: [String: RunResult] = [:]
        for url in try files(in: directory) {
            out[url.deletingPathExtension().lastPathComponent] = try ResultsStore.read(url).result
        }
        return out
    }

    /// Writes `results` (canonical bytes). With `removeStale`, results files of units no longer
    /// in the study are deleted, so the folder holds exactly this run's results.
    @discardableResult
    public static func write(_ results: [RunResult], to directory: URL, removeStale: Bool) throws -> [URL] {
        try write(encoded: results.map { (Slug.make($0.model.label), try ResultsCoding.encode($0)) },
                  to: directory, removeStale: removeStale)
    }

    /// Writes already encoded results as `<name>.json`; a file already holding the same bytes is
    /// left alone (a cached rerun rewrites nothing).
    @discardableResult
    public static func write(encoded: [(name: String, data: Data)], to directory: URL, removeStale: Bool) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let written = try encoded.map { name, data in
            let url = directory.appendingPathComponent(name + ".json")
            if FileManager.default.contents(atPath: url.path) != data { try AtomicFile.write(data, to: url) }
            return url
        }
        if removeStale {
            let keep = Set(written.map(\.lastPathComponent))
            for url in try files(in: directory) where !keep.contains(url.lastPathComponent) {
                try FileManager.default.removeItem(at: url)
            }
        }
        return written
    }
}
