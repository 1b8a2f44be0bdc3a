import AtlasResults
import AtlasModels
import Foundation

/// SHA-256 of large files, computed once and remembered by (path, size, mtime) in a small JSON
/// file (`<results>/.cache/file-hashes.json`), so a rerun with unchanged models hashes nothing.
/// A file whose size or mtime changed is hashed again; a missing or unreadable cache file just
/// starts empty (it is only a speed-up: the content hash, not the mtime, keys the results).
public final class FileHashCache {
    struct Entry: Codable, Equatable {
        var size: Int
        var mtime: Double
        var sha256: String
    }

    private let file: URL?
    private var entries: [String: Entry] = [:]
    private var dirty = false
    /// How many files were actually read and hashed (the rest came from the cache).
    public private(set) var hashedCount = 0

    /// - Parameter file: where the remembered hashes live; nil keeps them in memory only.
    public init(file: URL?) {
        self.file = file
        if let file, let data = try? Data(contentsOf: file),
           let decoded = try? ResultsJSON.decode([String: Entry].self, from: data) {
            entries = decoded
        }
    }

    /// The file's SHA-256 (lowercase hex), from the cache when its size and mtime are unchanged.
    /// A Hugging Face folder is hashed through its manifest every time (a folder's own mtime
    /// does not change when a file inside it is rewritten).
    public func sha256(_ url: URL) throws -> String {
        let path = url.standardizedFileURL.path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        if attributes[.type] as? FileAttributeType == .typeDirectory {
            hashedCount += 1
            return try FileHash.sha256(model: url)
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let mtime = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        if let e = entries[path], e.size == size, e.mtime == mtime { return e.sha256 }
        let hash = try FileHash.sha256(url: url)
        hashedCount += 1
        entries[path] = Entry(size: size, mtime: mtime, sha256: hash)
        dirty = true
        return hash
    }

    /// Writes the remembered hashes (atomically) when anything changed.
    public func save() throws {
        guard dirty, let file else { return }
        try AtomicFile.write(try ResultsJSON.encode(entries), to: file)
        dirty = false
    }
}
