/// Input to an analysis that cannot be used (missing or empty text, too few tokens): names the
/// file and what is wrong.
public struct AnalysisInputError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var problem: String

    public init(file: String, problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "\(file): \(problem)" }
}
