/// One value of a tap's matrix and where it sits, with the token id: the statistics' working
/// record (`TopK` entries, massive entries, non-finite samples). Results carry it as
/// `LocatedActivation`, with the token as text.
///
/// `position` is the matrix row: the token position for `[tokens, features]` taps, and
/// `h * T + i` for `attn.probs` (`[heads × tokens, tokens]`). `token` is the token id at that
/// position (row mod T), or −1 when unknown.
public struct LocatedValue<Value: Codable & Sendable & Hashable>: Codable, Sendable, Hashable {
    public var window: Int
    public var position: Int
    public var dim: Int
    public var value: Value
    public var token: Int32

    public init(window: Int, position: Int, dim: Int, value: Value, token: Int32) {
        self.window = window
        self.position = position
        self.dim = dim
        self.value = value
        self.token = token
    }

    /// (window, position, dim) ascending.
    public static func inPlaceOrder(_ a: LocatedValue, _ b: LocatedValue) -> Bool {
        (a.window, a.position, a.dim) < (b.window, b.position, b.dim)
    }
}

extension LocatedValue where Value == Float {
    /// |value|.
    public var magnitude: Float { Swift.abs(value) }

    /// The `TopK` order: |value| descending, then window, position, dim ascending.
    public static func byMagnitude(_ a: LocatedValue, _ b: LocatedValue) -> Bool {
        let ma = a.magnitude, mb = b.magnitude
        if ma != mb { return ma > mb }
        return inPlaceOrder(a, b)
    }
}

/// Which non-finite value a sample is; the raw value is how results spell it.
public enum NonFiniteKind: String, Codable, Sendable, Hashable {
    case nan, inf = "inf", negativeInf = "-inf"

    /// The kind of a non-finite `value`.
    public init(_ value: Float) {
        self = value.isNaN ? .nan : (value > 0 ? .inf : .negativeInf)
    }
}
