/// One transformer block of any family: attention and feed-forward, each with its norm. Where
/// the norms sit (before each sublayer, or after its residual add) is the family's
/// `ModelFamily.placement`; the forwards are `preNorm` here and BERT's post-norm loop.
public struct TransformerBlock: Sendable {
    public var attnNorm: Norm
    public var attention: SelfAttention
    public var ffnNorm: Norm
    public var mlp: FeedForward

    public init(attnNorm: Norm, attention: SelfAttention, ffnNorm: Norm, mlp: FeedForward) {
        self.attnNorm = attnNorm
        self.attention = attention
        self.ffnNorm = ffnNorm
        self.mlp = mlp
    }

    /// The norm of `role` (`attn` or `ffn`).
    public subscript(norm role: NormRole) -> Norm {
        get { role == .attn ? attnNorm : ffnNorm }
        set { if role == .attn { attnNorm = newValue } else { ffnNorm = newValue } }
    }

    /// The Linear of role `kind`; nil for a gate in a plain feed-forward.
    public subscript(linear kind: LinearKind) -> Linear? {
        get {
            switch kind {
            case .q: attention.q
            case .k: attention.k
            case .v: attention.v
            case .o: attention.o
            case .gate: mlp.gate
            case .up: mlp.up
            case .down: mlp.down
            }
        }
        set {
            guard let newValue else { return }
            switch kind {
            case .q: attention.q = newValue
            case .k: attention.k = newValue
            case .v: attention.v = newValue
            case .o: attention.o = newValue
            case .gate: mlp.gate = newValue
            case .up: mlp.up = newValue
            case .down: mlp.down = newValue
            }
        }
    }

    public var parameterCount: Int {
        attnNorm.parameterCount + attention.parameterCount + ffnNorm.parameterCount + mlp.parameterCount
    }

    /// The pre-norm block loop of every decoder family, `x += attn(norm₁(x)); x += ffn(norm₂(x))`,
    /// with the taps of each step; the norm kind is the blocks' own (RMSNorm or LayerNorm).
    static func preNorm(_ blocks: [TransformerBlock], _ input: Matrix, ropeTables: (cos: Matrix, sin: Matrix)?,
                        observer: TapObserver?) -> Matrix {
        var x = input
        for (index, block) in blocks.enumerated() {
            let taps = TapEmitter(observer: observer, block: index)
            taps.pass(.attnIn, &x)
            var h = block.attnNorm(x)
            taps.pass(.attnNorm, &h)
            x.add(block.attention(h, ropeTables: ropeTables, taps: taps))
            taps.pass(.attnResid, &x)
            taps.pass(.ffnIn, &x)
            var h2 = block.ffnNorm(x)
            taps.pass(.ffnNorm, &h2)
            x.add(block.mlp(h2, taps: taps))
            taps.pass(.ffnResid, &x)
        }
        return x
    }
}
