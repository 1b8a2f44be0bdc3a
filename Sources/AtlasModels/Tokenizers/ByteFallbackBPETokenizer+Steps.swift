/// The normalizers, pre-tokenizers and decoders of a SentencePiece-style tokenizer.json, each as
/// HF `tokenizers` (0.23) runs it on one piece of text. Patterns are literal strings (HF's
/// `{"String": …}` patterns), matched on Unicode scalars as HF matches them on UTF-8.
extension ByteFallbackBPETokenizer {
    /// HF `PrependScheme` of the Metaspace pre-tokenizer and decoder.
    public enum PrependScheme: String, Sendable, CaseIterable {
        /// "▁" before every piece that does not start with one.
        case always
        /// Only before the piece at offset 0 of the input (not after an added token).
        case first
        case never
    }

    /// HF `SplitDelimiterBehavior`, spelled as in tokenizer.json.
    public enum SplitBehavior: String, Sendable, CaseIterable {
        case removed = "Removed"
        case isolated = "Isolated"
        case mergedWithPrevious = "MergedWithPrevious"
        case mergedWithNext = "MergedWithNext"
        case contiguous = "Contiguous"
    }

    /// One normalizer; a `Sequence` is several in order.
    public enum NormalizerStep: Sendable, Equatable {
        /// HF `Prepend`: the string before a non-empty piece.
        case prepend(String)
        /// HF `Replace` with a literal pattern.
        case replace(String, with: String)
    }

    /// One pre-tokenizer; a `Sequence` is several in order.
    public enum PreTokenizerStep: Sendable, Equatable {
        /// HF `Metaspace`: spaces as `replacement`, the prepend scheme, then (with `split`) a
        /// split before every `replacement` (MergedWithNext).
        case metaspace(replacement: Unicode.Scalar, prependScheme: PrependScheme, split: Bool)
        /// HF `Split` on a literal pattern (invert false).
        case split(String, SplitBehavior)
    }

    /// One decoder; a `Sequence` is several in order.
    public enum DecoderStep: Sendable, Equatable {
        /// HF `Replace` with a literal pattern, in every token.
        case replace(String, with: String)
        /// HF `ByteFallback`: runs of `<0xNN>` tokens as the text of their bytes (U+FFFD per byte
        /// when they are no valid UTF-8).
        case byteFallback
        /// HF `Fuse`: all tokens as one.
        case fuse
        /// HF `Strip`: up to `start` leading and `stop` trailing `content` off every token.
        case strip(Unicode.Scalar, start: Int, stop: Int)
        /// HF `Metaspace` decoder: `replacement` as a space, dropped in the first token unless the
        /// scheme is `never`.
        case metaspace(replacement: Unicode.Scalar, prependScheme: PrependScheme)
    }

    /// A piece of pre-tokenized text, and whether it starts at offset 0 of the input.
    struct Piece {
        var scalars: [Unicode.Scalar]
        var atStart: Bool
    }
}

extension ByteFallbackBPETokenizer.NormalizerStep {
    func apply(_ s: [Unicode.Scalar]) -> [Unicode.Scalar] {
        switch self {
        case .prepend(let p):
            return s.isEmpty ? s : Array(p.unicodeScalars) + s
        case .replace(let pattern, let content):
            return LiteralPattern.replace(s, Array(pattern.unicodeScalars), with: Array(content.unicodeScalars))
        }
    }
}

extension ByteFallbackBPETokenizer.PreTokenizerStep {
    func apply(_ pieces: [ByteFallbackBPETokenizer.Piece]) -> [ByteFallbackBPETokenizer.Piece] {
        var out: [ByteFallbackBPETokenizer.Piece] = []
        out.reserveCapacity(pieces.count)
        for piece in pieces {
            switch self {
            case .metaspace(let rep, let scheme, let split):
                var s = LiteralPattern.replace(piece.scalars, [" "], with: [rep])
                let prepend: Bool
                switch scheme {
                case .always: prepend = s.first != rep
                case .first: prepend = s.first != rep && piece.atStart
                case .never: prepend = false
                }
                if prepend && !s.isEmpty { s.insert(rep, at: 0) }
                if split {
                    LiteralPattern.split(s, [rep], .mergedWithNext, atStart: piece.atStart, into: &out)
                } else if !s.isEmpty {
                    out.append(.init(scalars: s, atStart: piece.atStart))
                }
            case .split(let pattern, let behavior):
                LiteralPattern.split(piece.scalars, Array(pattern.unicodeScalars), behavior,
                                     atStart: piece.atStart, into: &out)
            }
        }
        return out
    }
}

extension ByteFallbackBPETokenizer.DecoderStep {
    func apply(_ tokens: [[Unicode.Scalar]]) -> [[Unicode.Scalar]] {
        switch self {
        case .replace(let pattern, let content):
            let p = Array(pattern.unicodeScalars), c = Array(content.unicodeScalars)
            return tokens.map { LiteralPattern.replace($0, p, with: c) }
        case .byteFallback:
            var out: [[Unicode.Scalar]] = []
            out.reserveCapacity(tokens.count)
            var run: [UInt8] = []
            func flush() {
                guard !run.isEmpty else { return }
                if let s = String(validating: run, as: UTF8.self) {
                    out.append(Array(s.unicodeScalars))
                } else {
                    out.append(contentsOf: repeatElement(["\u{FFFD}"], count: run.count))
                }
                run.removeAll()
            }
            for t in tokens {
                if let b = ByteFallbackBPETokenizer.byteOfByteToken(t) { run.append(b); continue }
                flush()
                out.append(t)
            }
            flush()
            return out
        case .fuse:
            return [tokens.flatMap { $0 }]
        case .strip(let content, let start, let stop):
            return tokens.map { t in
                var lo = 0, hi = t.count
                while lo < min(start, t.count) && t[lo] == content { lo += 1 }
                var cut = 0
                while cut < stop && hi > lo && t[hi - 1] == content { hi -= 1; cut += 1 }
                return Array(t[lo..<hi])
            }
        case .metaspace(let rep, let scheme):
            return tokens.enumerated().map { i, t in
                t.compactMap { c in c != rep ? c : (i == 0 && scheme != .never ? nil : " ") }
            }
        }
    }
}

/// HF's literal `String` patterns on Unicode scalars: non-overlapping occurrences, left to right.
enum LiteralPattern {
    /// `s` cut into (range, is a match) pieces covering all of it; an empty pattern matches nothing.
    static func pieces(_ s: [Unicode.Scalar], _ pattern: [Unicode.Scalar]) -> [(Range<Int>, Bool)] {
        guard let first = pattern.first, s.count >= pattern.count else { return s.isEmpty ? [] : [(0..<s.count, false)] }
        var out: [(Range<Int>, Bool)] = []
        var last = 0, i = 0
        while i + pattern.count <= s.count {
            if s[i] == first && s[i..<(i + pattern.count)].elementsEqual(pattern) {
                if last < i { out.append((last..<i, false)) }
                out.append((i..<(i + pattern.count), true))
                i += pattern.count
                last = i
            } else {
                i += 1
            }
        }
        if last < s.count { out.append((last..<s.count, false)) }
        return out
    }

    static func replace(_ s: [Unicode.Scalar], _ pattern: [Unicode.Scalar], with content: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard let first = pattern.first, s.contains(first) else { return s }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count + s.count / 4)
        for (r, isMatch) in pieces(s, pattern) {
            if isMatch { out.append(contentsOf: content) } else { out.append(contentsOf: s[r]) }
        }
        return out
    }

    /// HF `NormalizedString::split`: the pieces of `s` by `behavior`, empty ones dropped; only a
    /// piece at offset 0 of a piece `atStart` is at the start.
    static func split(_ s: [Unicode.Scalar], _ pattern: [Unicode.Scalar], _ behavior: ByteFallbackBPETokenizer.SplitBehavior,
                      atStart: Bool, into out: inout [ByteFallbackBPETokenizer.Piece]) {
        let matches = pieces(s, pattern)
        let kept: [Range<Int>]
        switch behavior {
        case .isolated: kept = matches.map(\.0)
        case .removed: kept = matches.filter { !$0.1 }.map(\.0)
        case .contiguous: kept = joined(matches) { isMatch, previousMatch in isMatch == previousMatch }
        case .mergedWithPrevious: kept = joined(matches) { isMatch, previousMatch in isMatch && !previousMatch }
        case .mergedWithNext: kept = joined(matches.reversed()) { isMatch, previousMatch in isMatch && !previousMatch }.reversed()
        }
        for r in kept where !r.isEmpty {
            out.append(.init(scalars: Array(s[r]), atStart: atStart && r.lowerBound == 0))
        }
    }

    /// HF's fold of the (range, is a match) pieces for the merging behaviours: a piece for which
    /// `joins(its isMatch, the previous piece's isMatch)` holds is joined to the one kept before it.
    private static func joined<S: Sequence>(_ matches: S, _ joins: (Bool, Bool) -> Bool) -> [Range<Int>]
    where S.Element == (Range<Int>, Bool) {
        var out: [Range<Int>] = []
        var previousMatch = false
        for (r, isMatch) in matches {
            if joins(isMatch, previousMatch), let last = out.last {
                out[out.count - 1] = min(last.lowerBound, r.lowerBound)..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
            previousMatch = isMatch
        }
        return out
    }
}
