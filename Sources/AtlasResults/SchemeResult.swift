/// One simulated quantization scheme applied to one model (issue 5).
public struct SchemeResult: Codable, Sendable, Equatable {
    public var name: String
    public init(name: String) { self.name = name }
}
