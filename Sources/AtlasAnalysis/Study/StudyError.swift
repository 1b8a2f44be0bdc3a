/// A study file that cannot be used: names the file, the line, the key, what was found and what
/// was expected. One error per problem, raised before any model runs.
public struct StudyError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    /// 1-based line of the offending node (nil when the file itself is the problem).
    public var line: Int?
    /// Dotted key path, e.g. `datasets[0].window_size`.
    public var key: String
    public var found: String
    public var expected: String

    public init(file: String, line: Int?, key: String, found: String, expected: String) {
        self.file = file
        self.line = line
        self.key = key
        self.found = found
        self.expected = expected
    }

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return "\(location): \(key): found \(found), expected \(expected)"
    }
}
