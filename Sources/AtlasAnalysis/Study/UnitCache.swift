import AtlasModels
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

    /// The cached result and its bytes (the results file's exact content), nil on a miss.
    public func load(_ key: String) -> StoredResult? {
        try? ResultsStore.read(url(for: key))
    }

    /// `load` of each key, the files read and decoded on all cores (`ParallelMap`; a no-change
    /// build spends most of its time here and in the render).
    public func load(_ keys: [String]) -> [StoredResult?] {
        ParallelMap.run(keys.count) { load(keys[$0]) }
    }

    /// Stores `result` under `key`; returns it with its canonical bytes.
    @discardableResult
    public func store(_ result: RunResult, key: String) throws -> StoredResult {
        let stored = try StoredResult(encoding: result)
        try AtomicFile.write(stored.bytes, to: url(for: key))
        return stored
    }

    /// Every key held, sorted.
    public func keys() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }
}
