/// An input file that cannot be used, said the way a user can act on it:
/// which file, which field, what was found and what was expected.
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

    public var description: String { "\(file): \(field): found \(found), expected \(expected)" }
}
