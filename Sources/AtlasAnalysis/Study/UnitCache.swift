import AtlasResults
import Foundation

/// Content-addressed store of unit results: `<results>/.cache/units/<key>.json`, each the
/// unit's `RunResult` JSON (the same bytes as its results file). An unreadable or stale-schema
/// entry is a miss, never an error. Safe to delete at any time.
public struct UnitCache: Sendable {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    /// The cache of a results folder: `<results>/.cache/units`.
    public init(results: URL) {
        self.init(directory: results.appendingPathComponent(".cache/units"))
    }

    public func url(for key: String) -> URL { directory.appendingPathComponent(key + ".json") }

    public func load(_ key: String) -> RunResult? {
        let url = url(for: key)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? ResultsCoding.decode(data, file: url.path)
    }

    public func store(_ result: RunResult, key: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try ResultsCoding.encode(result).write(to: url(for: key), options: .atomic)
    }

    /// Every key held, sorted.
    public func keys() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }
}
