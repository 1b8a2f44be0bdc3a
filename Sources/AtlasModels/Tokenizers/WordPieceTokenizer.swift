import Foundation

/// WordPiece as BERT uses it: `BertNormalizer`, `BertPreTokenizer`, then greedy
/// longest-match-first subwords with a `##` continuation prefix; a word with no
/// split (or longer than `maxInputCharsPerWord` scalars) becomes `[UNK]`.
/// `encode` wraps the ids in `[CLS]` … `[SEP]`.
public struct WordPieceTokenizer: Tokenizer {
    public let normalizer: BertNormalizer
    public let continuingSubwordPrefix: String
    public let maxInputCharsPerWord: Int
    /// Where the vocabulary came from, for errors and reports.
    public let source: String
    /// Ids put before / after the text when special tokens are added (`[CLS]` / `[SEP]`).
    public let prefixIDs: [Int32]
    public let suffixIDs: [Int32]
    public let unknownID: Int32

    private let tokens: [String]
    private let idOfToken: [[UInt8]: Int32]
    private let specials: SpecialTokenMatcher
    private let specialIDs: Set<Int32>

    /// - Parameters:
    ///   - vocabulary: tokens, index = id (`vocab.txt` line order).
    ///   - classifierToken / separatorToken: added around the text by `encode`; nil: none.
    ///   - specialTokens: tokens matched whole in the raw text (never normalized or split).
    public init(vocabulary: [String], unknownToken: String = "[UNK]",
                classifierToken: String? = "[CLS]", separatorToken: String? = "[SEP]",
                continuingSubwordPrefix: String = "##", maxInputCharsPerWord: Int = 100,
                normalizer: BertNormalizer = BertNormalizer(),
                specialTokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
                source: String) throws {
        var idOfToken: [[UInt8]: Int32] = [:]
        idOfToken.reserveCapacity(vocabulary.count)
        // Later duplicates win, as in HF's vocab.txt reader.
        for (i, t) in vocabulary.enumerated() where !t.isEmpty { idOfToken[Array(t.utf8)] = Int32(i) }
        func id(_ t: String, _ field: String) throws -> Int32 {
            guard let id = idOfToken[Array(t.utf8)] else {
                throw FormatError(file: source, field: field, found: "\"\(t)\" (not in the vocabulary)",
                                  expected: "a token of the vocabulary")
            }
            return id
        }
        let unk = try id(unknownToken, "unk_token")
        let prefix = try classifierToken.map { [try id($0, "[CLS] token")] } ?? []
        let suffix = try separatorToken.map { [try id($0, "[SEP] token")] } ?? []
        try self.init(tokens: vocabulary, idOfToken: idOfToken, unknownID: unk, prefixIDs: prefix,
                      suffixIDs: suffix, continuingSubwordPrefix: continuingSubwordPrefix,
                      maxInputCharsPerWord: maxInputCharsPerWord, normalizer: normalizer,
                      specialTokens: specialTokens.filter { idOfToken[Array($0.utf8)] != nil },
                      source: source)
    }

    init(tokens: [String], idOfToken: [[UInt8]: Int32], unknownID: Int32, prefixIDs: [Int32],
         suffixIDs: [Int32], continuingSubwordPrefix: String, maxInputCharsPerWord: Int,
         normalizer: BertNormalizer, specialTokens: [String], source: String) throws {
        self.tokens = tokens
        self.idOfToken = idOfToken
        self.unknownID = unknownID
        self.prefixIDs = prefixIDs
        self.suffixIDs = suffixIDs
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.normalizer = normalizer
        self.source = source
        var pairs: [(text: String, id: Int32)] = []
        for t in specialTokens {
            guard let id = idOfToken[Array(t.utf8)] else {
                throw FormatError(file: source, field: "special tokens", found: "\"\(t)\" (not in the vocabulary)",
                                  expected: "a token of the vocabulary")
            }
            pairs.append((t, id))
        }
        self.specials = SpecialTokenMatcher(pairs)
        self.specialIDs = Set(pairs.map(\.id) + prefixIDs + suffixIDs)
    }

    /// Reads a BERT `vocab.txt` (one token per line, id = line number; trailing
    /// whitespace trimmed) with BERT-uncased settings.
    public static func fromVocabTxt(url: URL, normalizer: BertNormalizer = BertNormalizer()) throws -> WordPieceTokenizer {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FormatError(file: url.path, field: "(file)", found: "unreadable (\(error.localizedDescription))",
                              expected: "a readable vocab.txt")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FormatError(file: url.path, field: "(file)", found: "bytes that are not UTF-8",
                              expected: "a UTF-8 vocab.txt, one token per line")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var s = Substring(line)
            while let last = s.unicodeScalars.last, last.properties.isWhitespace { s = s.dropLast() }
            return String(s)
        }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else {
            throw FormatError(file: url.path, field: "(file)", found: "no tokens", expected: "one token per line")
        }
        return try WordPieceTokenizer(vocabulary: lines, normalizer: normalizer, source: url.path)
    }

    // MARK: Tokenizer

    public var vocabularySize: Int { tokens.count }

    public var name: String {
        let kind = normalizer.lowercase ? "BERT uncased" : "BERT"
        return "WordPiece (\(kind)), \(tokens.count) tokens"
    }

    public func tokenID(_ token: String) -> Int32? { idOfToken[Array(token.utf8)] }

    public func tokenText(_ id: Int32) -> String {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : "<invalid id \(id)>"
    }

    public func encode(_ text: String) -> [Int32] { encode(text, addSpecialTokens: true) }

    public func encode(_ text: String, addSpecialTokens: Bool) -> [Int32] {
        let scalars = Array(text.unicodeScalars)
        var out: [Int32] = addSpecialTokens ? prefixIDs : []
        for piece in specials.split(scalars) {
            switch piece {
            case .special(let id): out.append(id)
            case .text(let r):
                let normalized = normalizer.normalize(Array(scalars[r]))
                for word in BertPreTokenizer.split(normalized) { wordPiece(word, into: &out) }
            }
        }
        if addSpecialTokens { out.append(contentsOf: suffixIDs) }
        return out
    }

    private func wordPiece(_ word: ArraySlice<Unicode.Scalar>, into out: inout [Int32]) {
        let chars = Array(word)
        let n = chars.count
        if n > maxInputCharsPerWord { out.append(unknownID); return }
        let prefix = Array(continuingSubwordPrefix.utf8)
        var pieces: [Int32] = []
        var start = 0
        var key: [UInt8] = []
        while start < n {
            var end = n
            var found: Int32? = nil
            while start < end {
                key.removeAll(keepingCapacity: true)
                if start > 0 { key.append(contentsOf: prefix) }
                for c in chars[start..<end] { UTF8.encode(c) { key.append($0) } }
                if let id = idOfToken[key] { found = id; break }
                end -= 1
            }
            guard let id = found else { out.append(unknownID); return }
            pieces.append(id)
            start = end
        }
        out.append(contentsOf: pieces)
    }

    /// HF WordPiece decoding: special tokens skipped, `##` pieces glued, other tokens
    /// joined by spaces, then HF's cleanup of spaces before punctuation and contractions.
    /// Lossy (BERT lowercases and strips accents).
    public func decode(_ ids: [Int32]) -> String {
        var out = ""
        var first = true
        for id in ids where id >= 0 && Int(id) < tokens.count && !specialIDs.contains(id) {
            let t = tokens[Int(id)]
            if !first, t.hasPrefix(continuingSubwordPrefix) {
                out += t.dropFirst(continuingSubwordPrefix.count)
            } else {
                if !first { out += " " }
                out += t
            }
            first = false
        }
        for (a, b) in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                       (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")] {
            out = out.replacingOccurrences(of: a, with: b)
        }
        return out
    }
}
