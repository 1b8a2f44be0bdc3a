/// A quantization scheme that cannot be run, found before any model runs: names the scheme
/// spec, the field, what was found and what was expected.
public struct QuantSchemeError: Error, CustomStringConvertible, Sendable, Equatable {
    public var scheme: String
    public var field: String
    public var found: String
    public var expected: String

    public init(scheme: String, field: String, found: String, expected: String) {
        self.scheme = scheme
        self.field = field
        self.found = found
        self.expected = expected
    }

    public var description: String { "scheme '\(scheme)': \(field): found \(found), expected \(expected)" }
}
