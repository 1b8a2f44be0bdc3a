import AtlasModels
import Foundation
import FuzzSupport

/// `config.json` for every Hugging Face family: the input is written as the config of a tmpfs
/// folder whose weights (and tokenizer, where the fixture has one) are links to that family's
/// tiny fixture, chosen by the first family name the input mentions (llama when none), and the
/// folder is opened as `analyze` opens it (`ModelLoader.load`).
@_cdecl("FuzzHFConfig_main")
public func main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv, fuzzHFConfig)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHFConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let config = Data(bytes: data, count: size)
    let text = String(decoding: config, as: UTF8.self)
    let family = HFFamilyFolders.all.first { text.contains("\"\($0.modelType)\"") } ?? HFFamilyFolders.all[0]
    Scratch.write(config, to: "hf/\(family.folder)/config.json")
    Contract.accept("hf-config") {
        let model = try ModelLoader.load(HFFamilyFolders.prepared[family.folder]!)
        TokenizerProbe.check(model.tokenizer, TokenizerProbe.sample, "hf-config")
    }
    return 0
}

/// The tiny fixture checkpoint of each family, linked into the scratch folder once.
enum HFFamilyFolders {
    static let all: [(modelType: String, folder: String, source: URL)] = [
        ("llama", "llama-tiny", FuzzPaths.sharedFixtures), ("qwen2", "qwen2-tiny", FuzzPaths.sharedFixtures),
        ("gpt2", "gpt2-tiny", FuzzPaths.sharedFixtures), ("opt", "opt-tiny", FuzzPaths.sharedFixtures),
        ("bert", "bert-tiny", FuzzPaths.sharedFixtures), ("gemma2", "gemma2-tiny", FuzzPaths.testFixtures),
        ("gemma3_text", "gemma3-tiny", FuzzPaths.testFixtures), ("phi3", "phi3-tiny", FuzzPaths.testFixtures),
        ("mistral", "llama-tiny", FuzzPaths.sharedFixtures),
    ]

    static let prepared: [String: URL] = Dictionary(all.map { family in
        (family.folder, Scratch.linkedFolder("hf/\(family.folder)", to: family.source.appendingPathComponent(family.folder),
                                             excluding: ["config.json"]))
    }, uniquingKeysWith: { a, _ in a })
}
