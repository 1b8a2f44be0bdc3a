/// BPE with byte fallback, as Hugging Face `tokenizers` (0.23) runs a SentencePiece-style
/// tokenizer.json (Llama 2, Mistral, TinyLlama, Gemma):
///
/// 1. added tokens are cut out of the raw text whole (leftmost-longest), those marked
///    `normalized` out of each normalized piece;
/// 2. each piece in between is normalized (`Prepend`, `Replace`: so a legacy Llama `Prepend("▁")`
///    acts on every piece) and pre-tokenized (`Metaspace`, `Split`: Metaspace's `first` scheme
///    only on the piece at offset 0 of the input);
/// 3. each word starts as one symbol per Unicode character with its vocabulary id; a character
///    that is no token becomes its UTF-8 byte tokens `<0xNN>` if all of them exist, else the
///    unknown token (a run fused into one with `fuse_unk`), else nothing; `RankedMerges` merges.
///
/// As in HF `BPE::merge_word`, an unknown token waiting to be fused is put out before the next
/// character that is a token, but not before byte tokens: "X🚀Y" with X and Y unknown and 🚀 in
/// byte tokens gives the bytes of 🚀 and then one unknown token.
///
/// Built from plain values, so it does not depend on the file; see `TokenizerJSON`.
public struct ByteFallbackBPETokenizer: Tokenizer {
    /// A token of `added_tokens`.
    public struct AddedToken: Sendable, Equatable {
        public var content: String
        public var id: Int32
        /// Matched in the normalized text (against its normalized content), not the raw text.
        public var normalized: Bool
        /// Whitespace before / after the token is taken into it.
        public var lstrip: Bool
        public var rstrip: Bool

        public init(content: String, id: Int32, normalized: Bool = false, lstrip: Bool = false, rstrip: Bool = false) {
            self.content = content
            self.id = id
            self.normalized = normalized
            self.lstrip = lstrip
            self.rstrip = rstrip
        }
    }

    /// Field names used in errors, so they name the field of the source file.
    typealias FieldNames = TokenizerFieldNames

    /// Where the vocabulary came from (a file path), for errors and reports.
    public let source: String
    public let normalizer: [NormalizerStep]
    public let preTokenizer: [PreTokenizerStep]
    public let decoder: [DecoderStep]
    /// HF `fuse_unk`.
    public let fuseUnknown: Bool
    /// HF `ignore_merges`: a word that is itself a token is not merged.
    public let ignoreMerges: Bool
    public let unknownTokenID: Int32?

    /// Index = id: the model's token, or an added token's content; "" for unused ids.
    private let tokens: [String]
    /// The model vocabulary (not the added tokens) by UTF-8 bytes, as `BPE` looks words up.
    private let idOfToken: [[UInt8]: Int32]
    /// Per byte value, the id of `<0xNN>` in the model vocabulary, -1 where there is none.
    private let byteTokenIDs: [Int32]
    private let merges: RankedMerges
    private let rawAdded: AddedTokenSplitter
    private let normalizedAdded: AddedTokenSplitter
    private let cache = WordCache()

    /// - Parameters:
    ///   - vocabulary: the model's tokens and ids (`model.vocab`).
    ///   - mergePairs: `(left, right)`, highest priority first.
    ///   - unknownToken: a token of `vocabulary`, or nil (unknown characters are then dropped).
    ///   - addedTokens: matched whole; an id of a token also in `vocabulary` is the vocabulary's.
    ///   - decoder: nil for a file without one: "▁" as a space, byte tokens as bytes, and one
    ///     leading space stripped when the normalizer or pre-tokenizer puts one there.
    init(vocabulary: [(String, Int32)], mergePairs: [(String, String)], unknownToken: String?,
         fuseUnknown: Bool, ignoreMerges: Bool, addedTokens: [AddedToken],
         normalizer: [NormalizerStep], preTokenizer: [PreTokenizerStep], decoder: [DecoderStep]?,
         source: String, fields: FieldNames) throws {
        var idOfToken: [[UInt8]: Int32] = [:]
        idOfToken.reserveCapacity(vocabulary.count)
        for (t, id) in vocabulary { idOfToken[Array(t.utf8)] = id }
        var added = addedTokens
        for i in added.indices {
            if let id = idOfToken[Array(added[i].content.utf8)] { added[i].id = id }
        }
        let count = (vocabulary.map { Int($0.1) } + added.map { Int($0.id) }).max().map { $0 + 1 } ?? 0
        guard count > 0, count < Int(Int32.max) else {
            throw FormatError(file: source, field: fields.tokens, found: "\(count) ids", expected: "1 to 2^31 − 1 ids")
        }
        var tokens = [String](repeating: "", count: count)
        for (t, id) in vocabulary { tokens[Int(id)] = t }
        for a in added where tokens[Int(a.id)].isEmpty { tokens[Int(a.id)] = a.content }

        if let unk = unknownToken {
            guard let id = idOfToken[Array(unk.utf8)] else {
                throw FormatError(file: source, field: fields.unknownTokenID, found: "\"\(unk)\"",
                                  expected: "a token of \(fields.tokens), or null")
            }
            self.unknownTokenID = id
        } else {
            self.unknownTokenID = nil
        }
        self.byteTokenIDs = (0..<256).map { idOfToken[Array(SentencePieceTokenizer.byteTokenText(UInt8($0)).utf8)] ?? -1 }
        self.merges = try RankedMerges(mergePairs, idOf: { idOfToken[$0] }, duplicates: .lastWins,
                                       source: source, field: fields.merges)
        self.rawAdded = AddedTokenSplitter(added.filter { !$0.normalized }.map {
            (text: $0.content, id: $0.id, lstrip: $0.lstrip, rstrip: $0.rstrip)
        })
        self.normalizedAdded = AddedTokenSplitter(added.filter(\.normalized).map { a in
            var s = Array(a.content.unicodeScalars)
            for step in normalizer { s = step.apply(s) }
            var v = String.UnicodeScalarView()
            v.append(contentsOf: s)
            return (text: String(v), id: a.id, lstrip: a.lstrip, rstrip: a.rstrip)
        })
        self.tokens = tokens
        self.idOfToken = idOfToken
        self.source = source
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.decoder = decoder ?? Self.defaultDecoder(normalizer: normalizer, preTokenizer: preTokenizer)
        self.fuseUnknown = fuseUnknown
        self.ignoreMerges = ignoreMerges
    }

    /// The decoder of a file without one (HF would join the tokens with spaces).
    static func defaultDecoder(normalizer: [NormalizerStep], preTokenizer: [PreTokenizerStep]) -> [DecoderStep] {
        let prepends = normalizer.contains { if case .prepend = $0 { true } else { false } }
            || preTokenizer.contains { if case .metaspace(_, let s, _) = $0 { s != .never } else { false } }
        return [.replace("▁", with: " "), .byteFallback, .fuse] + (prepends ? [.strip(" ", start: 1, stop: 0)] : [])
    }

    /// The byte of a token spelled `<0xNN>`, nil for any other token: HF `ByteFallback`'s test,
    /// `u8::from_str_radix` of the two characters, which also takes "+N".
    static func byteOfByteToken<C: Collection>(_ t: C) -> UInt8? where C.Element == Unicode.Scalar {
        guard t.count == 6 else { return nil }
        let a = Array(t)
        guard a[0] == "<", a[1] == "0", a[2] == "x", a[5] == ">", let lo = hexDigit(a[4]) else { return nil }
        if a[3] == "+" { return lo }
        guard let hi = hexDigit(a[3]) else { return nil }
        return hi << 4 | lo
    }

    private static func hexDigit(_ s: Unicode.Scalar) -> UInt8? {
        switch s.value {
        case 0x30...0x39: UInt8(s.value - 0x30)
        case 0x41...0x46: UInt8(s.value - 0x41 + 10)
        case 0x61...0x66: UInt8(s.value - 0x61 + 10)
        default: nil
        }
    }

    // MARK: Tokenizer

    public var vocabularySize: Int { tokens.count }

    public var name: String { "SentencePiece BPE (tokenizer.json, byte fallback), \(tokens.count) tokens" }

    /// The id of a token given in its vocabulary spelling (`"▁the"`, `"<0x0A>"`), or of an added token.
    public func tokenID(_ token: String) -> Int32? {
        if let id = idOfToken[Array(token.utf8)] { return id }
        return tokens.firstIndex { $0.utf8.elementsEqual(token.utf8) }.map { Int32($0) }
    }

    /// The token in its vocabulary spelling (`"▁the"`).
    public func token(_ id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }

    public func tokenText(_ id: Int32) -> String {
        guard id >= 0 && Int(id) < tokens.count else { return "<invalid id \(id)>" }
        let t = tokens[Int(id)]
        if let b = Self.byteOfByteToken(t.unicodeScalars) { return ByteLevelAlphabet.displayText([b]) }
        return ByteLevelAlphabet.displayText(SentencePieceTokenizer.unescaped(Array(t.utf8)))
    }

    /// HF `Tokenizer::decode` keeping special tokens: each id's token through the decoder steps.
    public func decode(_ ids: [Int32]) -> String {
        var parts: [[Unicode.Scalar]] = ids.compactMap { id in
            id >= 0 && Int(id) < tokens.count ? Array(tokens[Int(id)].unicodeScalars) : nil
        }
        for step in decoder { parts = step.apply(parts) }
        var v = String.UnicodeScalarView()
        for p in parts { v.append(contentsOf: p) }
        return String(v)
    }

    public func encode(_ text: String) -> [Int32] {
        let scalars = Array(text.unicodeScalars)
        var out: [Int32] = []
        out.reserveCapacity(scalars.count / 3 + 1)
        Self.split(scalars, at: rawAdded, into: &out) { r, out in
            encodePiece(Array(scalars[r]), atStart: r.lowerBound == 0, into: &out)
        }
        return out
    }

    // MARK: encoding

    /// Added tokens found by `splitter` go to `out` as they are; `text` encodes each range between.
    private static func split(_ scalars: [Unicode.Scalar], at splitter: AddedTokenSplitter, into out: inout [Int32],
                              text: (Range<Int>, inout [Int32]) -> Void) {
        for piece in splitter.split(scalars) {
            switch piece {
            case .special(let id): out.append(id)
            case .text(let r): text(r, &out)
            }
        }
    }

    /// One piece between raw-matched added tokens: normalized, cut at normalized added tokens,
    /// pre-tokenized and merged word by word.
    private func encodePiece(_ piece: [Unicode.Scalar], atStart: Bool, into out: inout [Int32]) {
        var normalized = piece
        for step in normalizer { normalized = step.apply(normalized) }
        Self.split(normalized, at: normalizedAdded, into: &out) { r, out in
            var words = [Piece(scalars: Array(normalized[r]), atStart: atStart && r.lowerBound == 0)]
            for step in preTokenizer { words = step.apply(words) }
            for w in words { encodeWord(w.scalars, into: &out) }
        }
    }

    private func encodeWord(_ word: [Unicode.Scalar], into out: inout [Int32]) {
        if word.isEmpty { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(word.count * 3)
        for s in word { UTF8.encode(s) { bytes.append($0) } }
        if ignoreMerges, let id = idOfToken[bytes] { out.append(id); return }
        if let ids = cache.get(bytes) { out.append(contentsOf: ids); return }
        let ids = merges.apply(symbols(word))
        // Without a pre-tokenizer a word is a whole piece of text: only short ones are kept (HF: < 256 bytes).
        if bytes.count < 256 { cache.set(bytes, ids) }
        out.append(contentsOf: ids)
    }

    /// HF `BPE::merge_word` before the merges: one id per character, byte tokens or the unknown
    /// token for characters that are no token.
    private func symbols(_ word: [Unicode.Scalar]) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(word.count)
        var pendingUnknown = false
        var char: [UInt8] = []
        for s in word {
            char.removeAll(keepingCapacity: true)
            UTF8.encode(s) { char.append($0) }
            if let id = idOfToken[char] {
                if pendingUnknown, let unk = unknownTokenID { ids.append(unk); pendingUnknown = false }
                ids.append(id)
            } else if char.allSatisfy({ byteTokenIDs[Int($0)] >= 0 }) {
                for b in char { ids.append(byteTokenIDs[Int(b)]) }
            } else if let unk = unknownTokenID {
                if pendingUnknown && !fuseUnknown { ids.append(unk) }
                pendingUnknown = true
            }
        }
        if pendingUnknown, let unk = unknownTokenID { ids.append(unk) }
        return ids
    }
}
