import Foundation

/// Byte-level BPE (GPT-2, SmolLM2, Qwen2, Llama 3): text → UTF-8 bytes spelled in
/// GPT-2's byte alphabet → words by a `PreTokenizer` → merges applied by rank.
/// Control / special tokens are matched whole before pre-tokenization.
///
/// Built from plain arrays, so it does not depend on a file format; see
/// `TokenizerJSON` and `fromGGUFMetadata` for the loaders.
public struct ByteLevelBPETokenizer: Tokenizer {
    /// The normalization applied to ordinary text before pre-tokenization.
    public enum Normalization: Sendable, Equatable {
        case none
        /// Unicode NFC (Qwen2's tokenizer.json).
        case nfc
    }

    /// Field names used in errors, so they name the field of the source file.
    typealias FieldNames = TokenizerFieldNames

    public let preTokenizer: PreTokenizer
    /// Where the vocabulary came from (a file path), for errors and reports.
    public let source: String
    public let normalization: Normalization
    /// HF ByteLevel `add_prefix_space`: a space is put before text that does not start with one.
    public let addPrefixSpace: Bool
    /// HF BPE `ignore_merges`: a word that is itself a token is not merged (Llama 3).
    public let ignoreMerges: Bool

    private let tokens: [String]
    private let tokenBytes: [[UInt8]]
    private let idOfToken: [[UInt8]: Int32]
    private let byteIDs: [Int32]
    private let merges: RankedMerges
    private let specials: SpecialTokenMatcher
    private let specialIDs: Set<Int32>
    private let cache = WordCache()

    /// - Parameters:
    ///   - tokens: the vocabulary, index = id, in the byte-level spelling (`"Ġthe"`).
    ///   - merges: `"left right"` pairs, highest priority first.
    ///   - tokenTypes: GGUF token types (1 normal, 3 control, 4 user-defined); control
    ///     and user-defined tokens are matched whole in the text.
    ///   - specialTokens: further tokens to match whole (must be in `tokens`).
    ///   - source: the file the arrays came from, named in errors.
    public init(tokens: [String], merges: [String], tokenTypes: [Int32]?,
                specialTokens: [String] = [], preTokenizer: PreTokenizer, source: String) throws {
        try self.init(tokens: tokens, mergePairs: Self.parseMerges(merges, source: source, field: "merges"),
                      tokenTypes: tokenTypes, specialTokens: specialTokens, preTokenizer: preTokenizer,
                      source: source)
    }

    /// Splits `"left right"` merges at the first space after the first character.
    static func parseMerges(_ merges: [String], source: String, field: String) throws -> [(String, String)] {
        var pairs: [(String, String)] = []
        pairs.reserveCapacity(merges.count)
        for (i, m) in merges.enumerated() {
            guard let pair = splitMerge(m) else {
                throw FormatError(file: source, field: "\(field)[\(i)]", found: "\"\(m)\"",
                                  expected: "two tokens separated by a space")
            }
            pairs.append(pair)
        }
        return pairs
    }

    /// `"left right"` split at the first space after the first character (as llama.cpp does).
    static func splitMerge(_ m: String) -> (String, String)? {
        let u = m.unicodeScalars
        guard let space = u.dropFirst().firstIndex(of: " ") else { return nil }
        return (String(u[..<space]), String(u[u.index(after: space)...]))
    }

    init(tokens: [String], mergePairs: [(String, String)], tokenTypes: [Int32]?,
         specialTokens: [String], preTokenizer: PreTokenizer, source: String,
         normalization: Normalization = .none, addPrefixSpace: Bool = false, ignoreMerges: Bool = false,
         fields: FieldNames = FieldNames()) throws {
        self.preTokenizer = preTokenizer
        self.source = source
        self.normalization = normalization
        self.addPrefixSpace = addPrefixSpace
        self.ignoreMerges = ignoreMerges
        self.tokens = tokens
        guard tokens.count < Int(Int32.max) else {
            throw FormatError(file: source, field: fields.tokens, found: "\(tokens.count) tokens",
                              expected: "fewer than 2^31")
        }
        if let types = tokenTypes, types.count != tokens.count {
            throw FormatError(file: source, field: fields.tokenTypes, found: "\(types.count) entries",
                              expected: "\(tokens.count), one per token")
        }

        var idOfToken: [[UInt8]: Int32] = [:]
        idOfToken.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() where !t.isEmpty {
            let key = Array(t.utf8)
            if idOfToken[key] == nil { idOfToken[key] = Int32(i) }
        }

        var specialIDs = Set<Int32>()
        if let types = tokenTypes {
            for (i, ty) in types.enumerated() where ty == 3 || ty == 4 { specialIDs.insert(Int32(i)) }
        }
        for s in specialTokens {
            guard let id = idOfToken[Array(s.utf8)] else {
                throw FormatError(file: source, field: fields.specialTokens, found: "\"\(s)\"",
                                  expected: "a token of the vocabulary")
            }
            specialIDs.insert(id)
        }
        self.specialIDs = specialIDs
        self.specials = SpecialTokenMatcher(specialIDs.sorted().compactMap { id in
            tokens[Int(id)].isEmpty ? nil : (text: tokens[Int(id)], id: id)
        })

        // Real vocabularies may lack bytes that never occur in UTF-8 text (SmolLM2 has no
        // token for 0x04, 0xC0, 0xF5–0xFF, …): those bytes are dropped, as HF's BPE without
        // an unk token does. Without printable ASCII and space it is no byte-level vocabulary.
        var byteIDs = [Int32](repeating: -1, count: 256)
        for b in 0..<256 {
            let spelled = Array(String(ByteLevelAlphabet.byteToScalar[b]).utf8)
            if let id = idOfToken[spelled] {
                byteIDs[b] = id
            } else if b >= 0x20 && b <= 0x7E {
                throw FormatError(file: source, field: fields.tokens,
                                  found: "no token for byte 0x\(String(b, radix: 16)) (\"\(ByteLevelAlphabet.byteToScalar[b])\")",
                                  expected: "the tokens of GPT-2's byte-to-unicode alphabet (a byte-level BPE vocabulary)")
            }
        }
        self.byteIDs = byteIDs

        self.merges = try RankedMerges(mergePairs, idOf: { idOfToken[$0] }, duplicates: .firstWins,
                                       source: source, field: fields.merges)
        self.idOfToken = idOfToken

        self.tokenBytes = tokens.enumerated().map { i, t in
            specialIDs.contains(Int32(i)) ? Array(t.utf8) : (ByteLevelAlphabet.decode(t) ?? Array(t.utf8))
        }
    }

    // MARK: Tokenizer

    public var vocabularySize: Int { tokens.count }

    public var name: String { "byte-level BPE (\(preTokenizer.displayName) pre-tokenizer), \(tokens.count) tokens" }

    /// The id of a token given in its vocabulary spelling (`"Ġthe"`, `"<|im_end|>"`).
    public func tokenID(_ token: String) -> Int32? { idOfToken[Array(token.utf8)] }

    /// The token in its vocabulary spelling (`"Ġthe"`).
    public func token(_ id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }

    public func tokenText(_ id: Int32) -> String {
        guard id >= 0 && Int(id) < tokens.count else { return "<invalid id \(id)>" }
        return ByteLevelAlphabet.displayText(tokenBytes[Int(id)])
    }

    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids where id >= 0 && Int(id) < tokenBytes.count { bytes.append(contentsOf: tokenBytes[Int(id)]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func encode(_ text: String) -> [Int32] {
        let scalars = Array(text.unicodeScalars)
        var out: [Int32] = []
        out.reserveCapacity(scalars.count / 3 + 1)
        for piece in specials.split(scalars) {
            switch piece {
            case .special(let id): out.append(id)
            case .text(let r): encodeOrdinary(Array(scalars[r]), into: &out)
            }
        }
        return out
    }

    // MARK: encoding

    private func encodeOrdinary(_ input: [Unicode.Scalar], into out: inout [Int32]) {
        var scalars = input
        if normalization == .nfc {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: scalars)
            scalars = Array(String(v).precomposedStringWithCanonicalMapping.unicodeScalars)
        }
        if addPrefixSpace, let first = scalars.first, first != " " { scalars.insert(" ", at: 0) }
        var word: [UInt8] = []
        for r in preTokenizer.ranges(scalars) {
            word.removeAll(keepingCapacity: true)
            for s in scalars[r] { UTF8.encode(s) { word.append($0) } }
            if let ids = cache.get(word) {
                out.append(contentsOf: ids)
            } else {
                let ids = bpe(word)
                cache.set(word, ids)
                out.append(contentsOf: ids)
            }
        }
    }

    /// Merges one word, lowest rank first (leftmost among equal ranks): `RankedMerges`.
    func bpe(_ bytes: [UInt8]) -> [Int32] {
        if ignoreMerges {
            let spelled = Array(ByteLevelAlphabet.encode(bytes).utf8)
            if let id = idOfToken[spelled] { return [id] }
        }
        var ids = bytes.map { byteIDs[Int($0)] }
        if ids.contains(-1) { ids.removeAll { $0 < 0 } }  // also the empty word of dropped bytes
        return merges.apply(ids)
    }
}
