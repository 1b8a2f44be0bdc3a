/// The SwiGLU feed-forward of LLaMA/Qwen/Mistral: `down(SiLU(gate(x)) ⊙ up(x))`.
/// Emits y3 `ffn.gate`, y4 `ffn.up`, y5 `ffn.act`, y6 `ffn.down_in`, y7 `ffn.down_out`.
public struct GatedMLP: Sendable {
    public var gate: Linear
    public var up: Linear
    public var down: Linear

    public init(gate: Linear, up: Linear, down: Linear) {
        self.gate = gate
        self.up = up
        self.down = down
    }

    func callAsFunction(_ x: Matrix, taps: TapEmitter) -> Matrix {
        var g = gate(x)
        taps.pass(.ffnGate, &g)
        var u = up(x)
        taps.pass(.ffnUp, &u)
        let n = g.count
        g.data.withUnsafeMutableBufferPointer { gp in
            VectorMath.silu(gp.baseAddress!, gp.baseAddress!, count: n)
        }
        taps.pass(.ffnAct, &g)
        g.data.withUnsafeMutableBufferPointer { gp in
            u.data.withUnsafeBufferPointer { up in
                VectorMath.multiply(gp.baseAddress!, up.baseAddress!, gp.baseAddress!, count: n)
            }
        }
        taps.pass(.ffnDownIn, &g)
        var out = down(g)
        taps.pass(.ffnDownOut, &out)
        return out
    }
}
