import AtlasResults
import Foundation

/// Combines the results folders of shards into one folder equal to an unsharded run: the
/// results files (byte-identical, canonical encoding), the unit caches (union) and the
/// histories (union, in order, without repeated lines). Window-split shards' partial states
/// (`.partial/`) are merged into whole results through the mergeable statistics.
public enum ResultsMerge {
    /// What a merge produced.
    public struct Summary: Sendable {
        public var results: [URL]
        public var cacheEntries: Int
        public var historyLines: Int
    }

    public static func merge(_ shards: [URL], into out: URL) throws -> Summary {
        var byName: [String: (RunResult, from: URL)] = [:]
        for dir in shards {
            for (name, result) in try ResultsFolder.read(dir) {
                if let (other, from) = byName[name], other != result {
                    throw ResultsError(file: dir.appendingPathComponent(name + ".json").path,
                                       detail: "differs from the same results file in \(from.path); expected shards of one study")
                }
                byName[name] = (result, dir)
            }
        }
        for (name, result) in try PartialRun.mergeFolders(shards) {
            guard byName[name] == nil else {
                throw ResultsError(file: name + ".json", detail: "present both whole and as window partials; expected one kind of shard")
            }
            byName[name] = (result, out)
        }
        guard !byName.isEmpty else {
            throw ResultsError(file: shards.map(\.path).joined(separator: ", "), detail: "no results (*.json) to merge")
        }
        let results = try byName.keys.sorted().map { try ResultsStore.write(byName[$0]!.0, to: out) }
        let outCache = UnitCache(results: out)
        var cached = 0
        for dir in shards where dir.standardizedFileURL != out.standardizedFileURL {
            let cache = UnitCache(results: dir)
            for key in cache.keys() {
                let target = outCache.url(for: key)
                if !FileManager.default.fileExists(atPath: target.path) {
                    try FileManager.default.createDirectory(at: outCache.directory, withIntermediateDirectories: true)
                    try FileManager.default.copyItem(at: cache.url(for: key), to: target)
                }
                cached += 1
            }
        }
        let lines = try HistoryFile.union(shards.map(HistoryFile.url(in:)), into: HistoryFile.url(in: out))
        return Summary(results: results, cacheEntries: cached, historyLines: lines)
    }
}
