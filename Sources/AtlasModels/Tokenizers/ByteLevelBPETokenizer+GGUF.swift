extension ByteLevelBPETokenizer {
    /// The GGUF `tokenizer.ggml.pre` values this factory understands (llama.cpp names).
    public static let supportedGGUFPreTokenizers: [String: PreTokenizer] = [
        "gpt-2": .gpt2,
        "smollm": .smollm,
        "qwen2": .qwen2,
        "llama-bpe": .llama3,
    ]

    /// The tokenizer of a GGUF file with `tokenizer.ggml.model = gpt2`, from its metadata arrays
    /// `tokenizer.ggml.tokens`, `.merges`, `.token_type` and `.pre`.
    ///
    /// For `pre = smollm` this splits like transformers (plain GPT-2 regex, which the
    /// reference ids use); pass `isolateDigitsLikeLlamaCpp: true` for llama.cpp's variant.
    /// Control (3) and user-defined (4) tokens are matched whole in the text.
    public static func fromGGUFMetadata(tokens: [String], merges: [String], tokenTypes: [Int32],
                                        pre: String, file: String,
                                        isolateDigitsLikeLlamaCpp: Bool = false) throws -> ByteLevelBPETokenizer {
        guard var preTokenizer = supportedGGUFPreTokenizers[pre] else {
            throw FormatError(file: file, field: "tokenizer.ggml.pre", found: "\"\(pre)\"",
                              expected: "one of " + supportedGGUFPreTokenizers.keys.sorted().joined(separator: ", "))
        }
        if isolateDigitsLikeLlamaCpp && preTokenizer == .smollm { preTokenizer = .smollmDigitsIsolated }
        let fields = FieldNames.gguf
        return try ByteLevelBPETokenizer(
            tokens: tokens,
            mergePairs: parseMerges(merges, source: file, field: fields.merges),
            tokenTypes: tokenTypes, specialTokens: [], preTokenizer: preTokenizer, source: file,
            fields: fields)
    }
}
