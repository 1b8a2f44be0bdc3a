import Foundation

/// Carries a byte-level BPE tokenizer between the two formats, so an export is a complete model:
/// GGUF `tokenizer.ggml.*` → Hugging Face `tokenizer.json` + `tokenizer_config.json`, and
/// `tokenizer.json` → GGUF metadata. Both directions keep the ids our loaders (and the HF
/// `tokenizers` library) produce: the same vocabulary, merges in rank order, control tokens as
/// special added tokens, and the pre-tokenizer the source's loader uses.
public enum TokenizerExport {
    /// GGUF `tokenizer.ggml.pre` ↔ the pre-tokenizer our GGUF loader builds for it.
    static func preTokenizer(ggufPre pre: String) -> PreTokenizer? {
        ByteLevelBPETokenizer.supportedGGUFPreTokenizers[pre]
    }

    /// The HF `pre_tokenizer` object that splits as `pre` does.
    static func hfPreTokenizer(_ pre: PreTokenizer) -> [String: Any] {
        let byteLevel: (Bool) -> [String: Any] = { ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": $0] }
        switch pre {
        case .gpt2, .smollm: return byteLevel(true)
        case .smollmDigitsIsolated:
            return ["type": "Sequence", "pretokenizers": [["type": "Digits", "individual_digits": true], byteLevel(true)]]
        case .qwen2, .llama3:
            let regex = TokenizerJSON.knownSplitRegexes.first { $0.value == pre }!.key
            return ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": regex], "behavior": "Isolated", "invert": false], byteLevel(false)]]
        }
    }

    /// `tokenizer.json` and `tokenizer_config.json` for the GGUF file's tokenizer.
    public static func huggingFaceFiles(from file: GGUFFile, contextLength: Int) throws -> (tokenizer: Data, config: Data) {
        // Validates model, tokens, merges and pre; only byte-level BPE is carried over.
        guard try GGUFTokenizerLoader.load(file) is ByteLevelBPETokenizer else {
            throw FormatError(file: file.url.path, field: "tokenizer.ggml.model",
                              found: file.metadata["tokenizer.ggml.model"]?.string ?? "?",
                              expected: "gpt2 (byte-level BPE) for a tokenizer.json export")
        }
        let tokens = file.metadata["tokenizer.ggml.tokens"]!.strings!
        let merges = file.metadata["tokenizer.ggml.merges"]!.strings!
        let types = file.metadata["tokenizer.ggml.token_type"]?.ints ?? [Int](repeating: 1, count: tokens.count)
        let pre = preTokenizer(ggufPre: file.metadata["tokenizer.ggml.pre"]?.string ?? "gpt2")!
        var vocab: [String: Int] = [:]
        for (id, t) in tokens.enumerated() where !t.isEmpty && vocab[t] == nil { vocab[t] = id }
        let added: [[String: Any]] = tokens.indices.filter { types[$0] == 3 || types[$0] == 4 }.map { id in
            ["id": id, "content": tokens[id], "single_word": false, "lstrip": false, "rstrip": false,
             "normalized": false, "special": types[id] == 3]
        }
        let model: [String: Any] = [
            "type": "BPE", "dropout": NSNull(), "unk_token": NSNull(), "continuing_subword_prefix": NSNull(),
            "end_of_word_suffix": NSNull(), "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
            "vocab": vocab, "merges": merges]
        let root: [String: Any] = [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": added,
            "normalizer": NSNull(), "pre_tokenizer": hfPreTokenizer(pre), "post_processor": NSNull(),
            "decoder": ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true],
            "model": model]
        func name(_ key: String) -> Any {
            file.metadata[key]?.int.flatMap { tokens.indices.contains($0) ? tokens[$0] : nil } ?? NSNull()
        }
        var config: [String: Any] = [
            "tokenizer_class": "PreTrainedTokenizerFast", "bos_token": name("tokenizer.ggml.bos_token_id"),
            "eos_token": name("tokenizer.ggml.eos_token_id"), "unk_token": NSNull(),
            "add_bos_token": file.metadata["tokenizer.ggml.add_bos_token"]?.bool ?? false, "add_eos_token": false,
            "model_max_length": contextLength, "clean_up_tokenization_spaces": false]
        if let template = file.metadata["tokenizer.chat_template"]?.string { config["chat_template"] = template }
        return (try json(root), try json(config))
    }

    /// GGUF `tokenizer.ggml.*` metadata for a Hugging Face folder's `tokenizer.json`, with BOS/EOS
    /// ids from `bos`/`eos` and `add_bos_token` from tokenizer_config.json.
    public static func ggufMetadata(folder: URL, bos: Int?, eos: Int?) throws -> [(key: String, value: GGUFValue)] {
        let url = folder.appendingPathComponent("tokenizer.json")
        let path = url.path
        guard let tokenizer = try TokenizerJSON.load(url: url) as? ByteLevelBPETokenizer else {
            throw FormatError(file: path, field: "model.type", found: "not byte-level BPE", expected: "a byte-level BPE tokenizer (GGUF gpt2)")
        }
        let pre: String
        switch tokenizer.preTokenizer {
        case .gpt2: pre = "gpt-2"
        case .smollm: pre = "smollm"
        case .qwen2: pre = "qwen2"
        case .llama3: pre = "llama-bpe"
        case .smollmDigitsIsolated: pre = ""
        }
        guard !pre.isEmpty, tokenizer.normalization == .none, !tokenizer.addPrefixSpace, !tokenizer.ignoreMerges else {
            throw FormatError(file: path, field: "pre_tokenizer / normalizer / model.ignore_merges",
                              found: "\(tokenizer.preTokenizer.displayName), \(tokenizer.normalization), prefix space \(tokenizer.addPrefixSpace), ignore_merges \(tokenizer.ignoreMerges)",
                              expected: "a setting GGUF's gpt2 tokenizer reproduces (gpt-2, qwen2 or llama-bpe split, no normalizer, no prefix space)")
        }
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let r = TokenizerJSON.Reader(file: path)
        let model = try r.object(root["model"], "model")
        let (tokens, added) = try r.vocabulary(root, model)
        let merges = try r.mergePairs(model).map { "\($0.0) \($0.1)" }
        var types = [Int32](repeating: 1, count: tokens.count)
        for (_, id, special) in added { types[Int(id)] = special ? 3 : 4 }
        let config = try? JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("tokenizer_config.json"))) as? [String: Any]
        var out: [(key: String, value: GGUFValue)] = [
            ("tokenizer.ggml.model", .string("gpt2")), ("tokenizer.ggml.pre", .string(pre)),
            ("tokenizer.ggml.tokens", .array(elementType: .string, tokens.map { .string($0) })),
            ("tokenizer.ggml.token_type", .array(elementType: .int32, types.map { .int32($0) })),
            ("tokenizer.ggml.merges", .array(elementType: .string, merges.map { .string($0) })),
        ]
        if let bos { out.append(("tokenizer.ggml.bos_token_id", .uint32(UInt32(bos)))) }
        if let eos { out.append(("tokenizer.ggml.eos_token_id", .uint32(UInt32(eos)))) }
        out.append(("tokenizer.ggml.add_bos_token", .bool(config?["add_bos_token"] as? Bool ?? false)))
        return out
    }

    /// Deterministic JSON (sorted keys, slashes unescaped).
    static func json(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
    }
}
