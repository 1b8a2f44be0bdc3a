/// GPT-2's reversible mapping between the 256 byte values and printable Unicode
/// scalars (`" "` → `"Ġ"`, `"\n"` → `"Ċ"`), used by every byte-level BPE vocabulary.
public enum ByteLevelAlphabet {
    /// `scalar(for: byte)`: the printable scalar GPT-2 uses to spell `byte`.
    public static let byteToScalar: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The inverse of `byteToScalar`, indexed by scalar value (`-1`: not in the alphabet).
    static let scalarToByte: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        for (b, s) in byteToScalar.enumerated() { table[Int(s.value)] = Int16(b) }
        return table
    }()

    /// The byte-level spelling of `bytes` (e.g. UTF-8 of `" the"` → `"Ġthe"`).
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(byteToScalar[Int(b)]) }
        return String(s)
    }

    /// The bytes spelled by `token`, or nil if a scalar is outside the alphabet
    /// (e.g. a control token such as `<|im_start|>` is spelled literally instead).
    public static func decode(_ token: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.utf8.count)
        for s in token.unicodeScalars {
            guard s.value < scalarToByte.count else { return nil }
            let b = scalarToByte[Int(s.value)]
            guard b >= 0 else { return nil }
            out.append(UInt8(b))
        }
        return out
    }

    /// `bytes` as text for display: valid UTF-8 as is, otherwise each byte that is
    /// not printable ASCII as `<0xNN>`.
    static func displayText(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        var out = ""
        for b in bytes {
            if b >= 0x20 && b < 0x7F { out.unicodeScalars.append(Unicode.Scalar(b)) }
            else { out += "<0x" + String(b, radix: 16, uppercase: true).leftPadded(2) + ">" }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(_ n: Int) -> String {
        count >= n ? self : String(repeating: "0", count: n - count) + self
    }
}
