import Foundation

/// How a calibration file becomes the text that is tokenized (recorded in `Provenance.textMode`).
public enum TextMode: String, Codable, Sendable, CaseIterable {
    /// The file's bytes decoded as UTF-8, unchanged (no newline or BOM handling); invalid UTF-8
    /// is an error naming the file and byte offset.
    case raw
    /// The Hugging Face `wikitext-2-raw-v1` reading, then `"\n\n".join(dataset["text"])`: every
    /// line of the file is one row *including* its trailing "\n" (the last line has none when the
    /// file does not end with "\n"); a row that is only whitespace (Python `str.strip()` set:
    /// Unicode White_Space plus U+001C…U+001F) becomes ""; rows are joined with "\n\n".
    /// Lines are split at "\n" only: a "\r" stays in its line (Python's universal newlines would
    /// translate it; the canonical wiki.test.raw has none). On wiki.test.raw (4,358 lines) this
    /// gives 1,296,370 bytes starting "\n\n = Robert Boulter = \n\n\n\n\n Robert".
    case joined
}

/// Loading and preparing calibration text.
public enum CalibrationText {
    /// Reads `url` and prepares it by `mode`. Errors name the file.
    public static func load(_ url: URL, mode: TextMode) throws(CalibrationError) -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw .unreadable(file: url.path, reason: String(describing: error))
        }
        return try prepare([UInt8](data), mode: mode, file: url.path)
    }

    /// Decodes `bytes` (strict UTF-8) and prepares them by `mode`; `file` names them in errors.
    public static func prepare(_ bytes: [UInt8], mode: TextMode, file: String) throws(CalibrationError) -> String {
        if let offset = firstInvalidUTF8(bytes) { throw .invalidUTF8(file: file, offset: offset) }
        let text = String(decoding: bytes, as: UTF8.self)
        guard !isBlank(Substring(text)) else { throw .emptyText(file: file) }
        switch mode {
        case .raw: return text
        case .joined: return joined(text)
        }
    }

    /// The `joined` transformation of already-decoded text (see `TextMode.joined`).
    public static func joined(_ text: String) -> String {
        var rows: [Substring] = []
        var start = text.startIndex
        var i = text.startIndex
        let utf8 = text.utf8
        while i != utf8.endIndex {
            let next = utf8.index(after: i)
            if utf8[i] == UInt8(ascii: "\n") {
                rows.append(text[start..<next])
                start = next
            }
            i = next
        }
        if start != text.endIndex { rows.append(text[start...]) }
        return rows.map { isBlank($0) ? "" : $0 }.joined(separator: "\n\n")
    }

    /// True when `s` is empty or only whitespace as Python's `str.isspace` sees it.
    static func isBlank(_ s: Substring) -> Bool {
        s.unicodeScalars.allSatisfy { $0.properties.isWhitespace || (0x1C...0x1F).contains($0.value) }
    }

    /// Offset of the first byte of the first ill-formed UTF-8 sequence (overlong forms,
    /// surrogates, code points above U+10FFFF and truncated sequences are ill-formed), or nil.
    public static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let len: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF  // allowed range of the second byte
            switch c {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; hi = 0x8F
            default: return i
            }
            guard i + len <= n else { return i }
            guard b[i + 1] >= lo && b[i + 1] <= hi else { return i }
            for j in 2..<len where b[i + j] & 0xC0 != 0x80 { return i }
            i += len
        }
        return nil
    }
}
