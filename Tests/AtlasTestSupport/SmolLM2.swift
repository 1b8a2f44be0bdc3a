import AtlasModels
import Foundation

/// The real SmolLM2 model, loaded once per test process (a few seconds in release). When
/// `models/` is missing or unreadable, every test that asks for it fails with the reason
/// (and the fix) instead of the whole test process stopping.
public enum SmolLM2 {
    private static let result: Result<LoadedModel, ModelUnavailable> = {
        do { return .success(try ModelLoader.load(Fixtures.smolLM2)) } catch {
            return .failure(ModelUnavailable("SmolLM2 not loadable (run scripts/fetch-models): \(error)"))
        }
    }()

    public static var loaded: LoadedModel { get throws { try result.get() } }

    public static var model: LlamaModel {
        get throws {
            guard let llama = try loaded.network as? LlamaModel else {
                throw ModelUnavailable("\(Fixtures.smolLM2.path) is not a LLaMA-family GGUF")
            }
            return llama
        }
    }
}
