/// Why a real model under `models/` cannot be used in this run (missing or unreadable): the
/// tests that need it fail with this, naming the fix, instead of the test process stopping.
public struct ModelUnavailable: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
