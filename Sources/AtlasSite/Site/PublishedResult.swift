import AtlasResults
import Foundation

/// One results file to publish: the result, the exact bytes of its results file (offered
/// unchanged as the model's `results.json` download) and the model's run history
/// (`history.jsonl` lines, oldest first), which is shown beside the result and never mixed
/// into its bytes.
public struct PublishedResult: Sendable {
    public var result: RunResult
    public var bytes: Data
    public var history: [HistoryEntry]

    public init(_ stored: StoredResult, history: [HistoryEntry] = []) {
        self.result = stored.result
        self.bytes = stored.bytes
        self.history = history
    }

    /// A result not read from disk, encoded once with `ResultsCoding`.
    public init(encoding result: RunResult, history: [HistoryEntry] = []) throws(SiteError) {
        do {
            self.init(try StoredResult(encoding: result), history: history)
        } catch {
            throw .encoding(name: "results of \(result.model.label)", detail: "\(error)")
        }
    }
}
