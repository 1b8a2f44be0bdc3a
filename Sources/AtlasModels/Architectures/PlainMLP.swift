/// The plain (non-gated) feed-forward of GPT-2, OPT and BERT: `down(act(up(x)))`.
/// Emits y3 `ffn.up`, y4 `ffn.down_in` (the activation output) and y5 `ffn.down_out`.
public struct PlainMLP: Sendable {
    public var up: Linear
    public var down: Linear
    public let activation: Activation

    public init(up: Linear, down: Linear, activation: Activation) {
        precondition(down.inFeatures == up.outFeatures)
        self.up = up
        self.down = down
        self.activation = activation
    }

    public var parameterCount: Int { up.parameterCount + down.parameterCount }

    func callAsFunction(_ x: Matrix, taps: TapEmitter) -> Matrix {
        var u = up(x)
        taps.pass(.ffnUp, &u)
        activation.apply(&u)
        taps.pass(.ffnDownIn, &u)
        var out = down(u)
        taps.pass(.ffnDownOut, &out)
        return out
    }
}
