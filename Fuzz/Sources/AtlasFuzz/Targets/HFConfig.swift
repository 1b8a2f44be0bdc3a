import AtlasModels
import Foundation

/// `config.json` for every Hugging Face family: the input is written as the config of a tmpfs
/// folder whose weights (and tokenizer, where the fixture has one) are links to that family's
/// tiny fixture, chosen by the first family name the input mentions (llama when none), and the
/// folder is opened as `analyze` opens it (`ModelLoader.load`).
enum HFConfigTarget: FuzzTarget {
    static let name = "hf-config"

    static let families: [(modelType: String, folder: String, source: URL)] = [
        ("llama", "llama-tiny", FuzzPaths.sharedFixtures), ("qwen2", "qwen2-tiny", FuzzPaths.sharedFixtures),
        ("gpt2", "gpt2-tiny", FuzzPaths.sharedFixtures), ("opt", "opt-tiny", FuzzPaths.sharedFixtures),
        ("bert", "bert-tiny", FuzzPaths.sharedFixtures), ("gemma2", "gemma2-tiny", FuzzPaths.testFixtures),
        ("gemma3_text", "gemma3-tiny", FuzzPaths.testFixtures), ("phi3", "phi3-tiny", FuzzPaths.testFixtures),
        ("mistral", "llama-tiny", FuzzPaths.sharedFixtures),
    ]

    /// Each family's folder in the scratch space, linked once.
    static let folders: [String: URL] = Dictionary(families.map { family in
        (family.folder, Scratch.linkedFolder("hf/\(family.folder)", to: family.source.appendingPathComponent(family.folder),
                                             excluding: ["config.json"]))
    }, uniquingKeysWith: { a, _ in a })

    static func test(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        let family = families.first { text.contains("\"\($0.modelType)\"") } ?? families[0]
        let folder = folders[family.folder]!
        Scratch.write(bytes, to: "hf/\(family.folder)/config.json")
        Contract.accept(name) {
            let model = try ModelLoader.load(folder)
            TokenizerProbe.check(model.tokenizer, TokenizerProbe.sample, name)
        }
    }
}
