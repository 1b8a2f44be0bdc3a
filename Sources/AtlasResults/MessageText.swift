/// Text quoted from an input (a metadata key, a token, a field value, a file name) made safe for a
/// one-line message: control characters (C0, DEL, C1), line and paragraph separators and bidi
/// overrides become visible escapes (`\n`, `\t`, `\r`, `\0`, `\u{1B}`), so an error stays one line
/// and cannot rewrite the terminal. Printable text, backslashes included, is kept as is, so
/// escaping twice gives the same text as escaping once.
public enum MessageText {
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true          // C0, DEL, C1 controls
        case 0x2028, 0x2029: return true                    // line / paragraph separator
        case 0x202A...0x202E, 0x2066...0x2069: return true  // bidi embeddings, overrides, isolates
        default: return false
        }
    }
}
