import Foundation

/// Where results files live: `<dir>/<slug of the label>.json`, written atomically.
public enum ResultsStore {
    @discardableResult
    public static func write(_ result: RunResult, to directory: URL) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(Slug.make(result.model.label) + ".json")
        try ResultsCoding.encode(result).write(to: url, options: .atomic)
        return url
    }

    public static func read(_ url: URL) throws -> RunResult {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ResultsError(file: url.path, detail: "cannot be read (\(error.localizedDescription))")
        }
        return try ResultsCoding.decode(data, file: url.path)
    }
}
