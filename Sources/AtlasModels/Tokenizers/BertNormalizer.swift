import Foundation

/// HF `BertNormalizer`: clean text (drop NUL, U+FFFD and C* characters except
/// tab/CR/LF; whitespace → space), pad CJK ideographs with spaces, strip accents
/// (NFD, drop Mn), lowercase — in that order.
public struct BertNormalizer: Sendable, Equatable {
    public var cleanText: Bool
    public var handleChineseChars: Bool
    /// `nil`: follow `lowercase`, as HF does.
    public var stripAccents: Bool?
    public var lowercase: Bool

    public init(cleanText: Bool = true, handleChineseChars: Bool = true, stripAccents: Bool? = nil,
                lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseChars = handleChineseChars
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// No normalization at all (tokenizer.json `"normalizer": null`).
    public static let identity = BertNormalizer(cleanText: false, handleChineseChars: false,
                                                stripAccents: false, lowercase: false)

    public func normalize(_ input: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var s = input
        if cleanText {
            s = s.compactMap { c in
                if c.value == 0 || c.value == 0xFFFD || Self.isControl(c) { return nil }
                return Self.isWhitespace(c) ? " " : c
            }
        }
        if handleChineseChars {
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(s.count)
            for c in s {
                if Self.isCJK(c) { out.append(" "); out.append(c); out.append(" ") } else { out.append(c) }
            }
            s = out
        }
        if stripAccents ?? lowercase {
            var v = String.UnicodeScalarView()
            v.append(contentsOf: s)
            s = String(v).decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { $0.properties.generalCategory != .nonspacingMark }
        }
        if lowercase {
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(s.count)
            for c in s {
                if c.value < 128 {
                    out.append(c.value >= 65 && c.value <= 90 ? Unicode.Scalar(c.value + 32)! : c)
                } else {
                    out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
                }
            }
            s = out
        }
        return s
    }

    /// Tab, LF and CR count as whitespace, not control (as in HF).
    static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        c == "\t" || c == "\n" || c == "\r" || c.properties.isWhitespace
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool {
        if c == "\t" || c == "\n" || c == "\r" { return false }
        switch c.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    static func isCJK(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }
}

/// HF `BertPreTokenizer`: split on whitespace (dropped) and around every punctuation
/// character (kept alone): Unicode P* plus ASCII 33–47, 58–64, 91–96, 123–126.
public enum BertPreTokenizer {
    public static func split(_ s: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var words: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        for i in s.indices {
            let c = s[i]
            if c.properties.isWhitespace {
                if start < i { words.append(s[start..<i]) }
                start = i + 1
            } else if isPunctuation(c) {
                if start < i { words.append(s[start..<i]) }
                words.append(s[i..<(i + 1)])
                start = i + 1
            }
        }
        if start < s.count { words.append(s[start..<s.count]) }
        return words
    }

    public static func isPunctuation(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        case 0..<128: return false
        default:
            switch c.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                 .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
            default: return false
            }
        }
    }
}
