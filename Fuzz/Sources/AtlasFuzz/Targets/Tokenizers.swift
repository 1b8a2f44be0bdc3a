import AtlasModels
import Foundation

/// The tokenizers of the real models (when `models/` has them) and of the fixtures, each built
/// once, encoding the input bytes as text: GGUF byte-level BPE (SmolLM2), GGUF SentencePiece
/// (Gemma 3), tokenizer.json BPE, byte-fallback BPE (the spm-json layouts) and WordPiece
/// (MiniLM). Every id must be in range; byte-level BPE without normalization or prefix space must
/// decode back to the text, less the bytes its vocabulary has no token for (dropped, as HF does).
enum TokenizersTarget: FuzzTarget {
    static let name = "tokenizers"

    static func test(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        for (tokenizer, missing) in zip(FuzzedTokenizers.all, FuzzedTokenizers.missingBytes) {
            let ids = TokenizerProbe.check(tokenizer, text, name)
            if let bpe = tokenizer as? ByteLevelBPETokenizer, bpe.normalization == .none, !bpe.addPrefixSpace {
                let expected = String(decoding: text.utf8.filter { !missing.contains($0) }, as: UTF8.self)
                let back = tokenizer.decode(ids)
                Contract.require(back == expected, name,
                                 "\(tokenizer.name): decode(encode(\(text.debugDescription))) = \(back.debugDescription)")
            }
        }
    }
}

/// Every tokenizer the target feeds, loaded at start-up (a load failure is a setup error).
enum FuzzedTokenizers {
    static let all: [any Tokenizer] = {
        var out: [any Tokenizer] = []
        func add(_ what: String, _ load: () throws -> any Tokenizer) {
            do {
                let t = try load()
                FuzzPaths.note("tokenizers", "\(what): \(t.name)")
                out.append(t)
            } catch {
                fatalError("tokenizers: cannot load \(what): \(error)")
            }
        }
        for gguf in ["SmolLM2-135M-Instruct.Q4_1.gguf", "gemma-3-270m-q4_k_m.gguf"] {
            if let url = FuzzPaths.model(gguf) { add(gguf) { try GGUFTokenizerLoader.load(GGUFFile(url: url)) } }
        }
        let fixtureGGUF = FuzzPaths.sharedFixtures.appendingPathComponent("llama-tiny-gguf/llama-tiny.F32.gguf")
        add("llama-tiny GGUF") { try GGUFTokenizerLoader.load(GGUFFile(url: fixtureGGUF)) }
        add("llama-tiny tokenizer.json") {
            try TokenizerJSON.load(url: FuzzPaths.sharedFixtures.appendingPathComponent("llama-tiny/tokenizer.json"))
        }
        let spm = FuzzPaths.testFixtures.appendingPathComponent("spm-json")
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: spm.path)) ?? []).sorted() where name.hasSuffix(".tokenizer.json") {
            add(name) { try TokenizerJSON.load(url: spm.appendingPathComponent(name)) }
        }
        if let miniLM = FuzzPaths.model("all-MiniLM-L6-v2/tokenizer.json") {
            add("all-MiniLM-L6-v2") { try TokenizerJSON.load(url: miniLM) }
        }
        return out
    }()

    /// Per tokenizer, the bytes a byte-level vocabulary has no token for (empty for the others).
    static let missingBytes = all.map { ($0 as? ByteLevelBPETokenizer).map(bytesWithoutToken) ?? [] }

    /// The bytes a byte-level vocabulary has no single-byte token for.
    static func bytesWithoutToken(_ bpe: ByteLevelBPETokenizer) -> Set<UInt8> {
        Set((0...255).filter { bpe.tokenID(ByteLevelAlphabet.encode([UInt8($0)])) == nil }.map(UInt8.init))
    }
}
