import AtlasModels
import Foundation

/// The real SmolLM2 model, loaded once per test process (a few seconds in release). When
/// `models/` is missing or unreadable, every test that asks for it fails with the reason
/// (and the fix) instead of the whole test process stopping.
public enum SmolLM2 {
    /// Why SmolLM2 cannot be used in this run.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    private static let result: Result<LoadedModel, Unavailable> = {
        do { return .success(try ModelLoader.load(Fixtures.smolLM2)) } catch {
            return .failure(Unavailable(description: "SmolLM2 not loadable (run scripts/fetch-models): \(error)"))
        }
    }()

    public static var loaded: LoadedModel { get throws { try result.get() } }

    public static var model: LlamaModel {
        get throws {
            guard let llama = try loaded.network as? LlamaModel else {
                throw Unavailable(description: "\(Fixtures.smolLM2.path) is not a LLaMA-family GGUF")
            }
            return llama
        }
    }
}
