import AtlasResults
import Foundation

/// One results file to publish: the decoded result and, when it was read from disk, the file's
/// exact bytes. The bytes are offered unchanged as the model's `results.json` download (and
/// spare re-encoding megabytes of per-channel statistics); without them the result is encoded
/// with `ResultsCoding`, which gives the same bytes for a file `ResultsStore` wrote.
public struct PublishedResult: Sendable {
    public var result: RunResult
    public var json: Data?

    public init(result: RunResult, json: Data? = nil) {
        self.result = result
        self.json = json
    }

    /// Reads and decodes a results file, keeping its bytes. Errors name the file.
    public static func read(_ url: URL) throws -> PublishedResult {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ResultsError(file: url.path, detail: "cannot be read (\(error.localizedDescription))")
        }
        return PublishedResult(result: try ResultsCoding.decode(data, file: url.path), json: data)
    }

    /// The bytes of the raw download.
    func rawJSON() throws(SiteError) -> Data {
        if let json { return json }
        do {
            return try ResultsCoding.encode(result)
        } catch {
            throw .encoding(name: "results of \(result.model.label)", detail: "\(error)")
        }
    }
}
