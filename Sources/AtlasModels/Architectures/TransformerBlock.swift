/// One transformer block of any family: attention and feed-forward, each with its norm. Where
/// the norms sit (before each sublayer, or after its residual add) is the family's
/// `ModelFamily.placement`; the forwards are `preNorm` here and BERT's post-norm loop.
public struct TransformerBlock: Sendable {
    public var attnNorm: Norm
    public var attention: SelfAttention
    public var ffnNorm: Norm
    public var mlp: FeedForward
    /// Gemma's norms on each sublayer's output, before the residual add (nil elsewhere).
    public var attnPostNorm: Norm?
    public var ffnPostNorm: Norm?

    public init(attnNorm: Norm, attention: SelfAttention, ffnNorm: Norm, mlp: FeedForward,
                attnPostNorm: Norm? = nil, ffnPostNorm: Norm? = nil) {
        self.attnNorm = attnNorm
        self.attention = attention
        self.ffnNorm = ffnNorm
        self.mlp = mlp
        self.attnPostNorm = attnPostNorm
        self.ffnPostNorm = ffnPostNorm
    }

    /// The norm of `role` (`attn` or `ffn`: every block has both).
    public subscript(norm role: NormRole) -> Norm {
        get {
            guard let norm = norm(role) else { preconditionFailure("no \(role.rawValue) norm in this block") }
            return norm
        }
        set {
            switch role {
            case .attn: attnNorm = newValue
            case .ffn: ffnNorm = newValue
            case .attnPost: attnPostNorm = newValue
            case .ffnPost: ffnPostNorm = newValue
            case .query: attention.qNorm = newValue
            case .key: attention.kNorm = newValue
            case .final: preconditionFailure("the final norm is the model's, not a block's")
            }
        }
    }

    /// The norm of `role`, nil when this block has none.
    public func norm(_ role: NormRole) -> Norm? {
        switch role {
        case .attn: attnNorm
        case .ffn: ffnNorm
        case .attnPost: attnPostNorm
        case .ffnPost: ffnPostNorm
        case .query: attention.qNorm
        case .key: attention.kNorm
        case .final: nil
        }
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
            + (attnPostNorm?.parameterCount ?? 0) + (ffnPostNorm?.parameterCount ?? 0)
    }

    /// The pre-norm block loop of every decoder family, `x += post₁(attn(norm₁(x)));
    /// x += post₂(ffn(norm₂(x)))` (the post norms only where the family has them, Gemma), with
    /// the taps of each step; the norm kind is the blocks' own (RMSNorm or LayerNorm). RoPE
    /// tables are made once per distinct base (Gemma's local and global layers differ). With a
    /// `prefix` every block attends to its cached keys and values first and the input sits at
    /// the positions after it; `keep` receives each block's rotated keys and values.
    static func preNorm(_ blocks: [TransformerBlock], _ input: Matrix, observer: TapObserver?, prefix: KVPrefix? = nil,
                        keep: ((Int, Matrix, Matrix) -> Void)? = nil) -> Matrix {
        var x = input
        var tables: [Float: (cos: Matrix, sin: Matrix)] = [:]
        let offset = prefix?.count ?? 0
        for (index, block) in blocks.enumerated() {
            let taps = TapEmitter(observer: observer, block: index)
            var ropeTables: (cos: Matrix, sin: Matrix)?
            if let rope = block.attention.rope {
                ropeTables = tables[rope.theta] ?? rope.tables(positions: offset + x.rows)
                tables[rope.theta] = ropeTables
            }
            taps.pass(.attnIn, &x)
            var h = block.attnNorm(x)
            taps.pass(.attnNorm, &h)
            var a = block.attention(h, ropeTables: ropeTables, taps: taps,
                                    prefix: prefix.map { ($0.keys[index], $0.values[index]) },
                                    keep: keep.map { keep in { keep(index, $0, $1) } })
            if let post = block.attnPostNorm {
                a = post(a)
                taps.pass(.attnPostNorm, &a)
            }
            x.add(a)
            taps.pass(.attnResid, &x)
            taps.pass(.ffnIn, &x)
            var h2 = block.ffnNorm(x)
            taps.pass(.ffnNorm, &h2)
            var f = block.mlp(h2, taps: taps)
            if let post = block.ffnPostNorm {
                f = post(f)
                taps.pass(.ffnPostNorm, &f)
            }
            x.add(f)
            taps.pass(.ffnResid, &x)
        }
        return x
    }
}
