extension SentencePieceTokenizer {
    /// The tokenizer of a GGUF file with `tokenizer.ggml.model = llama`, from its metadata:
    /// `tokenizer.ggml.tokens`, `.scores` and `.token_type` (required, one entry per token),
    /// `.unknown_token_id` (default 0) and `.add_space_prefix` (default true), as llama.cpp reads them.
    ///
    /// - Parameter file: the file the metadata came from, named in errors.
    public static func fromGGUFMetadata(_ metadata: [String: GGUFValue], file: String,
                                        parseSpecial: Bool = true) throws -> SentencePieceTokenizer {
        let fields = FieldNames.gguf
        let reader = GGUFMetadataReader(metadata: metadata, file: file)
        let tokens = try reader.array(fields.tokens, "an array of strings") { $0.string }
        let scores = try reader.array(fields.scores, "an array of numbers") { $0.double.map(Float.init) }
        let types = try reader.array(fields.tokenTypes, "an array of integers") { $0.int.flatMap(Int32.init(exactly:)) }
        let unknown = try reader.optional(fields.unknownTokenID, "an integer") { $0.int.flatMap(Int32.init(exactly:)) } ?? 0
        let addSpacePrefix = try reader.optional("tokenizer.ggml.add_space_prefix", "a bool") { $0.bool } ?? true
        return try SentencePieceTokenizer(tokens: tokens, scores: scores, tokenTypes: types, unknownTokenID: unknown,
                                          addSpacePrefix: addSpacePrefix, parseSpecial: parseSpecial, source: file,
                                          fields: fields)
    }
}
