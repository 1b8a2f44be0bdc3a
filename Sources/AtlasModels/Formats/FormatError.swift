import AtlasResults

/// An input file that cannot be used, said the way a user can act on it:
/// which file, which field, what was found and what was expected. The description is one line:
/// text quoted from the input is escaped (`MessageText`).
public struct FormatError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var field: String
    public var found: String
    public var expected: String

    public init(file: String, field: String, found: String, expected: String) {
        self.file = file
        self.field = field
        self.found = found
        self.expected = expected
    }

    public var description: String { MessageText.escaped("\(file): \(field): found \(found), expected \(expected)") }
}

extension FormatError {
    /// `value` when it is a finite number above zero (a RoPE base, a norm epsilon, a scale),
    /// else a `FormatError` on `field` of `file`: a model with such a value runs, but its numbers
    /// mean nothing.
    static func positive(_ value: Double, file: String, field: String) throws -> Double {
        guard value.isFinite, value > 0, Float(value).isFinite, Float(value) > 0 else {
            throw FormatError(file: file, field: field, found: "\(value)", expected: "a finite number above 0 (in Float32 range)")
        }
        return value
    }
}
