/// The names of the fields a tokenizer was built from, so that errors name the field of the
/// source file (`tokenizer.ggml.tokens` in GGUF, `model.vocab` in tokenizer.json).
struct TokenizerFieldNames {
    var tokens = "tokens"
    var merges = "merges"
    var scores = "scores"
    var tokenTypes = "tokenTypes"
    var specialTokens = "specialTokens"
    var unknownTokenID = "unknownTokenID"

    /// The `tokenizer.ggml.*` keys of a GGUF file.
    static let gguf = TokenizerFieldNames(
        tokens: "tokenizer.ggml.tokens", merges: "tokenizer.ggml.merges", scores: "tokenizer.ggml.scores",
        tokenTypes: "tokenizer.ggml.token_type", unknownTokenID: "tokenizer.ggml.unknown_token_id")
}
