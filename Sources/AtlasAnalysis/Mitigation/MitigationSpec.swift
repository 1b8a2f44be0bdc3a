import Foundation

/// A mitigation named on the command line or in a study file: `name[:key=value,…]`, e.g.
/// `smoothquant:alpha=0.5,windows=4`. Parsing checks every name, key and value, so a bad spec
/// fails before any model runs.
public struct MitigationSpec: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    /// Every parameter, defaults filled in.
    public var parameters: [String: String]

    public init(name: String, parameters: [String: String]) {
        self.name = name
        self.parameters = parameters
    }

    /// The canonical text: `name:key=value,…` in key order (defaults included).
    public var description: String {
        parameters.isEmpty ? name : name + ":" + parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: ",")
    }

    func double(_ key: String) -> Double { Double(parameters[key]!)! }
    func int(_ key: String) -> Int { Int(parameters[key]!)! }
}

/// A bad mitigation spec: which spec, which field, what was found, what was expected.
public struct MitigationError: Error, CustomStringConvertible, Sendable, Equatable {
    public var spec: String
    public var field: String
    public var found: String
    public var expected: String

    public init(spec: String, field: String, found: String, expected: String) {
        self.spec = spec
        self.field = field
        self.found = found
        self.expected = expected
    }

    public var description: String { "mitigation '\(spec)': \(field): found \(found), expected \(expected)" }
}

/// Parses `name[:key=value,…]` against the vocabulary of known mitigations.
public enum MitigationSpecParser {
    /// `positive(max)`: a number in (0, max].
    /// `tokenIDs`: "auto" or token ids separated by commas (the spec's own separator: an item
    /// without "=" continues the list of the key before it).
    enum Kind {
        case number(ClosedRange<Double>), positive(Double), integer(ClosedRange<Int>), choice([String]), tokenIDs
        /// "all" or one integer in the range.
        case allOrInteger(ClosedRange<Int>)
    }
    /// `defaultValue` nil: the key is absent unless given (and the canonical text leaves it out).
    struct Key { var kind: Kind; var defaultValue: String? }

    /// The mitigations and their keys with defaults.
    static let vocabulary: [String: [String: Key]] = [
        "smoothquant": ["alpha": Key(kind: .number(0...1), defaultValue: "0.5"),
                        "windows": Key(kind: .integer(1...10_000), defaultValue: "4")],
        "rotation": ["seed": Key(kind: .integer(0...Int(Int32.max)), defaultValue: "0")],
        "tma-removal": ["mode": Key(kind: .choice(["zero", "clamp", "mean"]), defaultValue: "mean"),
                        "block": Key(kind: .allOrInteger(0...100_000), defaultValue: nil),
                        "bias": Key(kind: .choice(["none", "sink", "token"]), defaultValue: nil),
                        "windows": Key(kind: .integer(1...10_000), defaultValue: "4")],
        "gamma-smoothing": ["mode": Key(kind: .choice(["lossy", "fold"]), defaultValue: "fold"),
                            "k": Key(kind: .number(1...1e9), defaultValue: "5")],
        "otc-tuning": ["k": Key(kind: .number(0...1e9), defaultValue: "3")],
        "clip": ["target": Key(kind: .choice(["activations", "weights"]), defaultValue: "activations"),
                 "percentile": Key(kind: .positive(100), defaultValue: "99.9"),
                 "windows": Key(kind: .integer(1...10_000), defaultValue: "4")],
        "int8-mixed": ["threshold": Key(kind: .positive(1e9), defaultValue: "6.0")],
        "prefix-sink": ["tokens": Key(kind: .tokenIDs, defaultValue: "auto"),
                        "windows": Key(kind: .integer(1...10_000), defaultValue: "4")],
    ]

    /// The names a spec may start with.
    public static var names: [String] { vocabulary.keys.sorted() }

    public static func parse(_ text: String) throws(MitigationError) -> MitigationSpec {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let (name, rest) = trimmed.firstIndex(of: ":").map { (String(trimmed[..<$0]), String(trimmed[trimmed.index(after: $0)...])) }
            ?? (trimmed, "")
        guard let keys = vocabulary[name] else {
            throw MitigationError(spec: text, field: "name", found: name.isEmpty ? "nothing" : "'\(name)'",
                                  expected: "one of " + names.joined(separator: ", "))
        }
        var parameters = keys.compactMapValues(\.defaultValue)
        var items: [String] = []
        for item in rest.split(separator: ",", omittingEmptySubsequences: false).map(String.init) where !rest.isEmpty {
            // An item without "=" continues a token-id list (`tokens=1,2`).
            if !item.contains("="), let last = items.last, let key = last.split(separator: "=").first.map(String.init),
               case .tokenIDs? = keys[key]?.kind {
                items[items.count - 1] += "," + item
            } else {
                items.append(item)
            }
        }
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let key = keys[parts[0]] else {
                throw MitigationError(spec: text, field: "key", found: "'\(item)'",
                                      expected: keys.isEmpty ? "no keys" : "key=value with key one of " + keys.keys.sorted().joined(separator: ", "))
            }
            try check(parts[1], key.kind, spec: text, field: parts[0])
            parameters[parts[0]] = parts[1]
        }
        return MitigationSpec(name: name, parameters: parameters)
    }

    static func check(_ value: String, _ kind: Kind, spec: String, field: String) throws(MitigationError) {
        switch kind {
        case .number(let range):
            guard let v = Double(value), range.contains(v) else {
                throw MitigationError(spec: spec, field: field, found: "'\(value)'", expected: "a number in \(range.lowerBound)…\(range.upperBound)")
            }
        case .positive(let max):
            guard let v = Double(value), v > 0, v <= max else {
                throw MitigationError(spec: spec, field: field, found: "'\(value)'", expected: "a number > 0 and ≤ \(max)")
            }
        case .integer(let range):
            guard let v = Int(value), range.contains(v) else {
                throw MitigationError(spec: spec, field: field, found: "'\(value)'", expected: "an integer in \(range.lowerBound)…\(range.upperBound)")
            }
        case .choice(let options):
            guard options.contains(value) else {
                throw MitigationError(spec: spec, field: field, found: "'\(value)'", expected: "one of " + options.joined(separator: ", "))
            }
        case .allOrInteger(let range):
            guard value == "all" || Int(value).map(range.contains) == true else {
                throw MitigationError(spec: spec, field: field, found: "'\(value)'", expected: "all, or an integer in \(range.lowerBound)…\(range.upperBound)")
            }
        case .tokenIDs:
            let ids = value.split(separator: ",", omittingEmptySubsequences: false)
            guard value == "auto" || (!ids.isEmpty && ids.count <= 64 && ids.allSatisfy { Int32($0).map { $0 >= 0 } ?? false }) else {
                throw MitigationError(spec: spec, field: field, found: "'\(value)'", expected: "auto, or 1 to 64 token ids separated by commas")
            }
        }
    }
}
