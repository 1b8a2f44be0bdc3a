import AtlasModels
import Foundation

/// Selects taps by name: an exact name (`attn.q`), a prefix wildcard (`ffn.*`, `attn.*`) or `*`
/// for every tap. Patterns are matched against `TapName.allCases`, so taps that other
/// architectures add are selectable the same way.
public struct TapPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    /// Checks the pattern: it must match at least one known tap.
    public init(_ text: String, field: String = "taps") throws(TapPatternError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        self.text = trimmed
        let valid = !trimmed.isEmpty && !trimmed.dropLast().contains("*") && TapName.allCases.contains { matches($0) }
        guard valid else {
            throw TapPatternError(field: field, found: text,
                                  expected: "'*', a prefix ending in '.*' or one of \(TapName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    public var description: String { text }

    public func matches(_ tap: TapName) -> Bool {
        if text == "*" { return true }
        if text.hasSuffix("*") { return tap.rawValue.hasPrefix(String(text.dropLast())) }
        return tap.rawValue == text
    }

    /// Every tap matched by any of `patterns` (comma-separated lists are split too).
    public static func select(_ patterns: [String], field: String = "taps") throws(TapPatternError) -> Set<TapName> {
        var taps = Set<TapName>()
        for list in patterns {
            let parts = list.split(separator: ",", omittingEmptySubsequences: false)
            for part in parts {
                let pattern = try TapPattern(String(part), field: field)
                taps.formUnion(TapName.allCases.filter(pattern.matches))
            }
        }
        return taps
    }
}

/// A tap pattern that matches nothing: names the field, what was found and what was expected.
public struct TapPatternError: Error, CustomStringConvertible, Sendable, Equatable {
    public var field: String
    public var found: String
    public var expected: String

    public var description: String { "\(field): found '\(found)', expected \(expected)" }
}
