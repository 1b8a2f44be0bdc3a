import Foundation

/// A result together with the exact bytes of its results file: what was read from disk, or
/// what was encoded once to be written. Everything downstream (results folder, cache, site
/// download) passes these bytes on instead of encoding the result again.
public struct StoredResult: Sendable {
    public var result: RunResult
    public var bytes: Data

    public init(result: RunResult, bytes: Data) {
        self.result = result
        self.bytes = bytes
    }

    /// Encodes `result` (`ResultsCoding`).
    public init(encoding result: RunResult) throws {
        self.init(result: result, bytes: try ResultsCoding.encode(result))
    }
}

/// Where results files live: `<dir>/<slug of the label>.json`, written atomically.
public enum ResultsStore {
    @discardableResult
    public static func write(_ result: RunResult, to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(Slug.make(result.model.label) + ".json")
        try AtomicFile.write(try ResultsCoding.encode(result), to: url)
        return url
    }

    /// Reads and decodes a results file, keeping its bytes. Errors name the file.
    public static func read(_ url: URL) throws -> StoredResult {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ResultsError(file: url.path, detail: "cannot be read (\(error.localizedDescription))")
        }
        return StoredResult(result: try ResultsCoding.decode(data, file: url.path), bytes: data)
    }
}
