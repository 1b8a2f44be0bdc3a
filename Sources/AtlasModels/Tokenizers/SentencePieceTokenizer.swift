/// SentencePiece BPE exactly as llama.cpp runs it for `tokenizer.ggml.model = llama` (Gemma,
/// Llama 2, Mistral): special tokens are cut out whole, spaces become "▁", the characters of each
/// piece of text are merged pairwise, highest score of the merged token first, and what is left
/// that is no token is spelled in byte tokens `<0xNN>`.
///
/// Built from plain arrays, so it does not depend on a file format; see `fromGGUFMetadata`.
public struct SentencePieceTokenizer: Tokenizer {
    /// GGUF token types (llama.cpp `LLAMA_TOKEN_TYPE_*`); values outside 1…6 read as `undefined`.
    public enum TokenType: Int32, Sendable {
        case undefined = 0, normal, unknown, control, userDefined, unused, byte
    }

    /// Field names used in errors, so they name the field of the source file.
    typealias FieldNames = TokenizerFieldNames

    /// Where the vocabulary came from (a file path), for errors and reports.
    public let source: String
    /// GGUF `add_space_prefix`: a space is put before each piece of text that starts the input or
    /// follows a special token.
    public let addSpacePrefix: Bool
    /// llama.cpp `parse_special`: with true (this project's convention, as for byte-level BPE),
    /// control, user-defined and unknown tokens written in the text are matched whole; with
    /// false only user-defined ones are.
    public let parseSpecial: Bool
    /// The id given to a byte that has neither a `<0xNN>` token nor a one-byte token.
    public let unknownTokenID: Int32

    private let tokens: [String]
    private let types: [TokenType]
    /// Each token's bytes when decoded (llama.cpp `token_to_piece` with `special = true`).
    private let pieces: [[UInt8]]
    let vocabulary: ByteTrie
    /// Per token, its score as a key that orders like the score, highest first (see `scoreKey`).
    let scoreKeys: [UInt32]
    /// Per byte value, the id it is spelled with when it is no token of its own.
    let byteTokens: [Int32]
    private let specials: LongestFirstSpecialTokenSplitter

    /// - Parameters:
    ///   - tokens: the vocabulary, index = id, spaces spelled "▁" (`"▁the"`, `"<0x0A>"`).
    ///   - scores: one per token; a merge into a higher-scored token is made first.
    ///   - tokenTypes: GGUF token types, one per token.
    ///   - unknownTokenID: for a byte with no byte token.
    ///   - source: the file the arrays came from, named in errors.
    public init(tokens: [String], scores: [Float], tokenTypes: [Int32], unknownTokenID: Int32 = 0,
                addSpacePrefix: Bool, parseSpecial: Bool = true, source: String) throws {
        try self.init(tokens: tokens, scores: scores, tokenTypes: tokenTypes, unknownTokenID: unknownTokenID,
                      addSpacePrefix: addSpacePrefix, parseSpecial: parseSpecial, source: source,
                      fields: FieldNames())
    }

    init(tokens rawTokens: [String], scores: [Float], tokenTypes: [Int32], unknownTokenID: Int32,
         addSpacePrefix: Bool, parseSpecial: Bool, source: String, fields: FieldNames) throws {
        let n = rawTokens.count
        guard n > 0, n < Int(Int32.max) else {
            throw FormatError(file: source, field: fields.tokens, found: "\(n) tokens", expected: "1 to 2^31 − 1 tokens")
        }
        for (field, count) in [(fields.scores, scores.count), (fields.tokenTypes, tokenTypes.count)] where count != n {
            throw FormatError(file: source, field: field, found: "\(count) entries", expected: "\(n), one per token")
        }
        if let i = scores.firstIndex(where: \.isNaN) {
            throw FormatError(file: source, field: "\(fields.scores)[\(i)]", found: "NaN", expected: "a number")
        }
        guard unknownTokenID >= 0 && Int(unknownTokenID) < n else {
            throw FormatError(file: source, field: fields.unknownTokenID, found: "\(unknownTokenID)",
                              expected: "an id below \(n)")
        }
        // llama.cpp names an empty token "[EMPTY_<id>]" and refuses duplicate tokens.
        let tokens = rawTokens.enumerated().map { i, t in t.isEmpty ? "[EMPTY_\(i)]" : t }
        var trie = ByteTrie(reservingCapacity: tokens.reduce(0) { $0 + $1.utf8.count })
        for (i, t) in tokens.enumerated() {
            let stored = trie.insert(t.utf8, value: Int32(i))
            if stored != Int32(i) {
                throw FormatError(file: source, field: "\(fields.tokens)[\(i)]", found: "\"\(t)\", already token \(stored)",
                                  expected: "distinct tokens")
            }
        }
        self.source = source
        self.addSpacePrefix = addSpacePrefix
        self.parseSpecial = parseSpecial
        self.unknownTokenID = unknownTokenID
        self.tokens = tokens
        let types = tokenTypes.map { TokenType(rawValue: $0) ?? .undefined }
        self.types = types
        self.vocabulary = trie
        self.scoreKeys = scores.map(Self.scoreKey)
        self.byteTokens = (0..<256).map { b in
            trie.value(of: Array(Self.byteTokenText(UInt8(b)).utf8)) ?? trie.value(of: [UInt8(b)]) ?? unknownTokenID
        }
        self.pieces = zip(tokens, types).map(Self.piece)

        let matched: Set<TokenType> = parseSpecial ? [.control, .userDefined, .unknown] : [.userDefined]
        self.specials = LongestFirstSpecialTokenSplitter(tokens.indices.compactMap { i in
            matched.contains(types[i]) ? (bytes: Array(tokens[i].utf8), id: Int32(i)) : nil
        })
    }

    /// `score` as a key that sorts ascending as the score sorts descending (-0 as +0).
    static func scoreKey(_ score: Float) -> UInt32 {
        let bits = (score + 0).bitPattern
        let ascending = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        return ~ascending
    }

    /// `"<0x0A>"` for 10.
    static func byteTokenText(_ b: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "<0x\(hex[Int(b >> 4)])\(hex[Int(b & 15)])>"
    }

    /// What a token decodes to: normal tokens with "▁" as a space, byte tokens as their byte,
    /// control / unknown / user-defined tokens as written, unused and undefined ones as nothing.
    private static func piece(_ token: String, _ type: TokenType) -> [UInt8] {
        switch type {
        case .normal: return unescaped(Array(token.utf8))
        case .byte:
            let u = Array(token.utf8)
            if u.count == 6, let b = UInt8(String(decoding: u[3..<5], as: UTF8.self), radix: 16) { return [b] }
            return u
        case .control, .unknown, .userDefined: return Array(token.utf8)
        case .unused, .undefined: return []
        }
    }

    /// llama.cpp `llama_unescape_whitespace`: every "▁" (E2 96 81) as a space.
    static func unescaped(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0xE2) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x96 && bytes[i + 2] == 0x81 {
                out.append(0x20)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    // MARK: Tokenizer

    public var vocabularySize: Int { tokens.count }

    public var name: String { "SentencePiece BPE (llama.cpp SPM), \(tokens.count) tokens" }

    /// The id of a token given in its vocabulary spelling (`"▁the"`, `"<start_of_turn>"`).
    public func tokenID(_ token: String) -> Int32? { vocabulary.value(of: token.utf8) }

    /// The token in its vocabulary spelling (`"▁the"`).
    public func token(_ id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }

    /// The GGUF type of a token.
    public func tokenType(_ id: Int32) -> TokenType? {
        id >= 0 && Int(id) < types.count ? types[Int(id)] : nil
    }

    public func tokenText(_ id: Int32) -> String {
        guard id >= 0 && Int(id) < tokens.count else { return "<invalid id \(id)>" }
        let p = pieces[Int(id)]
        return p.isEmpty ? tokens[Int(id)] : ByteLevelAlphabet.displayText(p)
    }

    /// llama.cpp `detokenize` keeping special tokens: the pieces joined, less the one leading
    /// space `addSpacePrefix` put there.
    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for (k, id) in ids.enumerated() where id >= 0 && Int(id) < pieces.count {
            let p = pieces[Int(id)]
            bytes.append(contentsOf: addSpacePrefix && k == 0 && p.first == 0x20 ? p.dropFirst() : p[...])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func encode(_ text: String) -> [Int32] {
        let bytes = Array(text.utf8)
        var out: [Int32] = []
        out.reserveCapacity(bytes.count / 3 + 1)
        var afterSpecial = true
        for piece in specials.split(bytes) {
            switch piece {
            case .special(let id):
                out.append(id)
                afterSpecial = true
            case .text(let r):
                mergeCharacters(of: Self.escaped(bytes[r], spacePrefix: addSpacePrefix && afterSpecial), into: &out)
                afterSpecial = false
            }
        }
        return out
    }

    /// llama.cpp `llama_escape_whitespace`: every space as "▁" (U+2581), after an optional one.
    static func escaped(_ bytes: ArraySlice<UInt8>, spacePrefix: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 4 + 3)
        if spacePrefix { out.append(contentsOf: [0xE2, 0x96, 0x81]) }
        for b in bytes {
            if b == 0x20 { out.append(contentsOf: [0xE2, 0x96, 0x81]) } else { out.append(b) }
        }
        return out
    }
}
