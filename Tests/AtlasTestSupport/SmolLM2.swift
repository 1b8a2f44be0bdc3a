import AtlasModels
import Foundation

/// The real SmolLM2 model, loaded once per test process (a few seconds in release).
public enum SmolLM2 {
    public static let loaded: LoadedModel = {
        do { return try ModelLoader.load(Fixtures.smolLM2) } catch {
            fatalError("SmolLM2 not loadable (run scripts/fetch-models): \(error)")
        }
    }()

    public static var model: LlamaModel { loaded.model as! LlamaModel }
}
