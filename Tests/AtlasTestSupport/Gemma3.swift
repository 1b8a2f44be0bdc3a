import AtlasModels
import Foundation

/// The real Gemma-3-270m (Q4_K_M GGUF), loaded once per test process, and the token ids of the
/// reference sequences (scripts/reference/gemma3-270m-ids.json: BOS + a WikiText passage split
/// into vocabulary pieces). A missing model fails the tests that ask for it with the fix.
public enum Gemma3 {
    private static let result: Result<LlamaModel, SmolLM2.Unavailable> = {
        do { return .success(try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.gemma3))) } catch {
            return .failure(SmolLM2.Unavailable(description: "Gemma-3-270m not loadable (run scripts/fetch-models): \(error)"))
        }
    }()

    public static var model: LlamaModel { get throws { try result.get() } }

    /// The reference sequences: 33 tokens, and 520 (longer than the 512-token local window).
    public static func sequences() throws -> [[Int32]] {
        try JSONDecoder().decode([[Int32]].self, from: Data(contentsOf: Fixtures.repoRoot.appendingPathComponent("scripts/reference/gemma3-270m-ids.json")))
    }
}
