/// One activation and where it sits: the block (`layer`, set where a list spans blocks, such
/// as `RunResult.massiveActivations`; nil inside a per-block record), the window, the position
/// (matrix row), the feature `dim`, and the token at that position as text (untrusted: escape
/// when rendering). `Value` is the number (`Double`) or, for a non-finite value, how results
/// spell it (`"nan"`, `"inf"`, `"-inf"`).
public struct LocatedActivation<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    public var layer: Int?
    public var window: Int
    public var position: Int
    public var dim: Int
    public var value: Value
    public var token: String

    public init(layer: Int? = nil, window: Int, position: Int, dim: Int, value: Value, token: String) {
        self.layer = layer
        self.window = window
        self.position = position
        self.dim = dim
        self.value = value
        self.token = token
    }

    /// Block, window, position, dim ascending (an absent block first).
    public static func inPlaceOrder(_ a: LocatedActivation, _ b: LocatedActivation) -> Bool {
        (a.layer ?? -1, a.window, a.position, a.dim) < (b.layer ?? -1, b.window, b.position, b.dim)
    }
}
