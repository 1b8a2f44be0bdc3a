/// The feed-forward of a block: gated `down(act(gate(x)) ⊙ up(x))` (LLaMA's SwiGLU) when it has
/// a gate, else plain `down(act(up(x)))` (GPT-2, OPT, BERT).
/// Gated taps: y3 `ffn.gate`, y4 `ffn.up`, y5 `ffn.act`, y6 `ffn.down_in`, y7 `ffn.down_out`;
/// plain taps: y3 `ffn.up`, y4 `ffn.down_in` (the activation output), y5 `ffn.down_out`.
public struct FeedForward: Sendable {
    public var gate: Linear?
    public var up: Linear
    public var down: Linear
    public let activation: Activation

    public init(gate: Linear? = nil, up: Linear, down: Linear, activation: Activation) {
        precondition(down.inFeatures == up.outFeatures && (gate == nil || gate!.outFeatures == up.outFeatures))
        self.gate = gate
        self.up = up
        self.down = down
        self.activation = activation
    }

    public var parameterCount: Int { (gate?.parameterCount ?? 0) + up.parameterCount + down.parameterCount }

    /// a ⊙ b into a new matrix (a and b may be held by observers: neither is copied first).
    static func product(_ a: Matrix, _ b: Matrix) -> Matrix {
        var out = Matrix(overwritten: a.rows, a.cols)
        a.data.withUnsafeBufferPointer { ap in
            b.data.withUnsafeBufferPointer { bp in
                out.data.withUnsafeMutableBufferPointer { op in
                    ParallelLoop.chunks(op.count) { part in
                        let i = part.lowerBound
                        VectorMath.multiply(ap.baseAddress! + i, bp.baseAddress! + i, op.baseAddress! + i, count: part.count)
                    }
                }
            }
        }
        return out
    }

    func callAsFunction(_ x: Matrix, taps: TapEmitter) -> Matrix {
        var hidden: Matrix
        if let gate {
            var g = gate(x)
            taps.pass(.ffnGate, &g)
            var u = up(x)
            taps.pass(.ffnUp, &u)
            activation.apply(&g)
            taps.pass(.ffnAct, &g)
            hidden = Self.product(g, u)
        } else {
            hidden = up(x)
            taps.pass(.ffnUp, &hidden)
            activation.apply(&hidden)
        }
        taps.pass(.ffnDownIn, &hidden)
        var out = down(hidden)
        taps.pass(.ffnDownOut, &out)
        return out
    }
}
