import AtlasResults
import Foundation

/// The run history: `<results>/history.jsonl`, one `HistoryEntry` per line (sorted keys),
/// append-only. JSON Lines rather than SQLite: no dependency, diffable, concatenation merges
/// two histories, and it survives CI artifact copies as an ordinary text file.
public enum HistoryFile {
    public static func url(in results: URL) -> URL { results.appendingPathComponent("history.jsonl") }

    static func line(_ entry: HistoryEntry) throws -> Data {
        try ResultsJSON.encode(entry, .line) + Data("\n".utf8)
    }

    /// Appends `entries` (creating the file and its folder when needed). The file is replaced
    /// whole (`AtomicFile`), never extended in place: a run killed while writing leaves the old
    /// history, not a half line that would make every later run fail to read it.
    public static func append(_ entries: [HistoryEntry], to url: URL) throws {
        let old = FileManager.default.contents(atPath: url.path) ?? Data()
        let separator = old.isEmpty || old.last == UInt8(ascii: "\n") ? Data() : Data("\n".utf8)
        try AtomicFile.write(old + separator + entries.map(line).reduce(Data(), +), to: url)
    }

    /// Every entry, in file order; none when the file does not exist. A bad line is an error
    /// naming the file and line.
    public static func read(_ url: URL) throws -> [HistoryEntry] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return try lines(data).enumerated().map { i, line in
            try ResultsJSON.decode(HistoryEntry.self, from: Data(line.utf8), file: "\(url.path):\(i + 1)", what: "a history entry")
        }
    }

    static func lines(_ data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// The run id when none is given: the SOURCE_DATE_EPOCH date, else `run-<n>` with n one
    /// more than the runs already in the file.
    public static func defaultRunID(history url: URL, sourceDate: String? = SourceDate.iso8601()) throws -> String {
        if let date = sourceDate { return date }
        return "run-\(Set(try read(url).map(\.run)).count + 1)"
    }

    /// Writes into `out` its own lines followed by every line of `sources` not yet present, in
    /// order. Returns the number of lines. Sources equal to `out` are read once.
    @discardableResult
    public static func union(_ sources: [URL], into out: URL) throws -> Int {
        var seen = Set<String>()
        var kept: [String] = []
        for url in [out] + sources.filter({ $0.standardizedFileURL != out.standardizedFileURL }) {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            _ = try read(url)  // validates every line
            for line in lines(data) where seen.insert(line).inserted { kept.append(line) }
        }
        guard !kept.isEmpty else { return 0 }
        try AtomicFile.write(Data(kept.map { $0 + "\n" }.joined().utf8), to: out)
        return kept.count
    }

    /// The entries of each model (results label), in file order: what the site shows beside
    /// each result.
    public static func byModel(_ entries: [HistoryEntry]) -> [String: [HistoryEntry]] {
        Dictionary(grouping: entries, by: \.model)
    }
}
