/// Building blocks from a family's table: loaders read each Linear and norm by its name in the
/// table and hand them here by role.
extension ModelFamily {
    /// The widths of one model's weights.
    public struct Widths: Sendable {
        public var hidden, ffn, heads, kvHeads, headDim: Int

        public init(hidden: Int, ffn: Int, heads: Int, kvHeads: Int, headDim: Int) {
            (self.hidden, self.ffn, self.heads, self.kvHeads, self.headDim) = (hidden, ffn, heads, kvHeads, headDim)
        }

        public subscript(_ width: Width) -> Int {
            switch width {
            case .hidden: hidden
            case .ffn: ffn
            case .queries: heads * headDim
            case .keyValues: kvHeads * headDim
            }
        }
    }

    /// One block from its Linears by role (every role of `linears` present) and its two norms.
    /// `activation` overrides the family's (a config's `hidden_act`); `extraNorms` holds the
    /// post and q/k norms of families that have them, `window`, `scale` and `softcap` the attention's.
    public func block(linears l: [LinearKind: Linear], attnNorm: Norm, ffnNorm: Norm, widths: Widths,
                      rope: RoPE?, activation: Activation? = nil, extraNorms: [NormRole: Norm] = [:],
                      window: Int? = nil, scale: Float? = nil, softcap: Float? = nil) -> TransformerBlock {
        func take(_ kind: LinearKind) -> Linear {
            guard let linear = l[kind] else { preconditionFailure("\(name): no \(kind.rawValue) projection given") }
            return linear
        }
        let attention = SelfAttention(q: take(.q), k: take(.k), v: take(.v), o: take(.o), heads: widths.heads,
                                      kvHeads: widths.kvHeads, headDim: widths.headDim, rope: rope, causal: kind == .decoder,
                                      qNorm: extraNorms[.query], kNorm: extraNorms[.key], window: window, scale: scale,
                                      softcap: softcap)
        let mlp = FeedForward(gate: linear(.gate) == nil ? nil : take(.gate), up: take(.up), down: take(.down), activation: activation ?? self.activation)
        return TransformerBlock(attnNorm: attnNorm, attention: attention, ffnNorm: ffnNorm, mlp: mlp,
                                attnPostNorm: extraNorms[.attnPost], ffnPostNorm: extraNorms[.ffnPost])
    }

    /// The norm kind's constructor with this family's kind.
    public func makeNorm(_ gamma: [Float], beta: [Float]?, eps: Float) -> Norm {
        norm == .rms ? .rms(gamma, eps: eps) : .layer(gamma, beta: beta, eps: eps)
    }
}
