/// The character classes the GPT-2 family of split regexes distinguishes:
/// `\p{L}`, `\p{N}`, `\s` (Unicode White_Space) and everything else.
enum ScalarClass: UInt8 {
    case letter, number, whitespace, other

    private static let ascii: [ScalarClass] = (0..<128).map { v in
        classify(Unicode.Scalar(UInt8(v)))
    }

    @inline(__always)
    static func of(_ s: Unicode.Scalar) -> ScalarClass {
        s.value < 128 ? ascii[Int(s.value)] : classify(s)
    }

    private static func classify(_ s: Unicode.Scalar) -> ScalarClass {
        let p = s.properties
        if p.isWhitespace { return .whitespace }
        switch p.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }

    static func classes(_ scalars: [Unicode.Scalar]) -> [ScalarClass] {
        scalars.map(of)
    }
}
