/// Decides which quantization-scheme and mitigation names a study may use. Injectable: the
/// default checks only the syntax; the real scheme parser and mitigation registry plug in here.
/// Each check returns nil when the name is accepted, else a description of what was expected.
public struct StudyVocabulary: Sendable {
    public var checkScheme: @Sendable (String) -> String?
    public var checkMitigation: @Sendable (String) -> String?

    public init(checkScheme: @escaping @Sendable (String) -> String?,
                checkMitigation: @escaping @Sendable (String) -> String?) {
        self.checkScheme = checkScheme
        self.checkMitigation = checkMitigation
    }

    /// Syntax only: schemes `W<bits>A<bits>[-g<group>][-static]` (bits 1…16) or a GGML type name
    /// such as `Q4_K`, `Q8_0`; mitigations `name[:key=value,…]` with lowercase names (a value may
    /// be a list of numbers continued after commas: `tokens=1,2`).
    public static let syntactic = StudyVocabulary(checkScheme: schemeSyntax, checkMitigation: mitigationSyntax)

    static let schemeExpected = "a scheme like W8A8, W4A16-g128 or a GGML type like Q4_K"

    static func schemeSyntax(_ name: String) -> String? {
        let ggml = ["Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K",
                    "IQ4_NL", "IQ4_XS", "F16", "BF16"]
        if ggml.contains(name) { return nil }
        var rest = name.hasSuffix("-static") ? Substring(name.dropLast("-static".count)) : Substring(name)
        func bits(after prefix: Character) -> Int? {
            guard rest.first == prefix else { return nil }
            rest = rest.dropFirst()
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(digits.count)
            guard let n = Int(digits), (1...16).contains(n) else { return nil }
            return n
        }
        guard bits(after: "W") != nil, bits(after: "A") != nil else { return schemeExpected }
        if rest.isEmpty { return nil }
        guard rest.hasPrefix("-g"), let group = Int(rest.dropFirst(2)), group >= 1 else { return schemeExpected }
        return nil
    }

    static func mitigationSyntax(_ spec: String) -> String? {
        let expected = "a mitigation like rotation or smoothquant:alpha=0.5 (name[:key=value,…])"
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let isName: (Substring) -> Bool = { s in
            !s.isEmpty && s.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" || $0 == "-" }
        }
        guard let name = parts.first, isName(name) else { return expected }
        guard parts.count == 2 else { return nil }
        for (i, pair) in parts[1].split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            if i > 0, !pair.isEmpty, pair.allSatisfy({ $0.isASCII && $0.isNumber }) { continue }
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, isName(kv[0]), !kv[1].isEmpty else { return expected }
        }
        return nil
    }
}
