/// Hyperparameters of a pre-LayerNorm decoder with learned positions (GPT-2, OPT).
public struct LayerNormDecoderConfig: Sendable, Equatable {
    /// `gpt2` or `opt`.
    public var architecture: String
    public var blockCount: Int
    public var hiddenSize: Int
    public var ffnSize: Int
    public var headCount: Int
    public var vocabSize: Int
    /// Positions the learned table covers (without the offset).
    public var contextLength: Int
    /// Row of the position table used for position 0 (OPT: 2, GPT-2: 0).
    public var positionOffset: Int
    public var tiedEmbeddings: Bool

    public init(architecture: String, blockCount: Int, hiddenSize: Int, ffnSize: Int, headCount: Int,
                vocabSize: Int, contextLength: Int, positionOffset: Int, tiedEmbeddings: Bool) {
        self.architecture = architecture
        self.blockCount = blockCount
        self.hiddenSize = hiddenSize
        self.ffnSize = ffnSize
        self.headCount = headCount
        self.vocabSize = vocabSize
        self.contextLength = contextLength
        self.positionOffset = positionOffset
        self.tiedEmbeddings = tiedEmbeddings
    }

    public var headDim: Int { hiddenSize / headCount }
}

/// One pre-LN block: `x += attn(LN1(x)); x += mlp(LN2(x))`.
public struct LayerNormDecoderBlock: Sendable {
    public var attnNorm: LayerNorm
    public var attention: SelfAttention
    public var ffnNorm: LayerNorm
    public var mlp: PlainMLP

    public init(attnNorm: LayerNorm, attention: SelfAttention, ffnNorm: LayerNorm, mlp: PlainMLP) {
        self.attnNorm = attnNorm
        self.attention = attention
        self.ffnNorm = ffnNorm
        self.mlp = mlp
    }
}

/// A GPT-2 / OPT decoder in Float32: token + learned position embeddings, pre-LN blocks with
/// a plain MLP, a final LayerNorm and a (usually tied) output projection.
public struct LayerNormDecoder: LanguageModel {
    public let config: LayerNormDecoderConfig
    /// `[vocab, hidden]`.
    public var tokenEmbedding: Matrix
    /// `[positions + offset, hidden]`.
    public var positionEmbedding: Matrix
    public var blocks: [LayerNormDecoderBlock]
    public var finalNorm: LayerNorm
    /// `[vocab, hidden]`; the token embedding itself when tied.
    public var head: Matrix

    public init(config: LayerNormDecoderConfig, tokenEmbedding: Matrix, positionEmbedding: Matrix,
                blocks: [LayerNormDecoderBlock], finalNorm: LayerNorm, head: Matrix) {
        self.config = config
        self.tokenEmbedding = tokenEmbedding
        self.positionEmbedding = positionEmbedding
        self.blocks = blocks
        self.finalNorm = finalNorm
        self.head = head
    }

    public func forward(tokens: [Int32], observer: TapObserver? = nil) -> Matrix {
        BLAS.linear(finalNorm(hiddenStates(tokens: tokens, observer: observer)), head)
    }

    /// The residual stream after the last block, before the final norm `[T, hidden]`.
    public func hiddenStates(tokens: [Int32], observer: TapObserver? = nil) -> Matrix {
        precondition(tokens.count <= config.contextLength, "window of \(tokens.count) > \(config.contextLength) positions")
        var x = embed(tokens)
        for (index, block) in blocks.enumerated() {
            let taps = TapEmitter(observer: observer, block: index)
            taps.pass(.attnIn, &x)
            var h = block.attnNorm(x)
            taps.pass(.attnNorm, &h)
            x.add(block.attention(h, ropeTables: nil, taps: taps))
            taps.pass(.attnResid, &x)
            taps.pass(.ffnIn, &x)
            var h2 = block.ffnNorm(x)
            taps.pass(.ffnNorm, &h2)
            x.add(block.mlp(h2, taps: taps))
            taps.pass(.ffnResid, &x)
        }
        return x
    }

    /// Token rows plus position rows (offset by `positionOffset`).
    public func embed(_ tokens: [Int32]) -> Matrix {
        var x = tokenEmbedding.gatherRows(tokens.map { Int($0) })
        x.add(positionEmbedding.gatherRows((0..<tokens.count).map { $0 + config.positionOffset }))
        return x
    }

    public var architecture: String { config.architecture }
    public var ffnFamily: FFNFamily { .plain }
    public var blockCount: Int { config.blockCount }
    public var hiddenSize: Int { config.hiddenSize }
    public var ffnSize: Int { config.ffnSize }
    public var headCount: Int { config.headCount }
    public var kvHeadCount: Int { config.headCount }
    public var vocabSize: Int { config.vocabSize }

    /// Number of weights (the tied head counted once).
    public var parameterCount: Int {
        blocks.reduce(tokenEmbedding.count + positionEmbedding.count + finalNorm.parameterCount
                      + (config.tiedEmbeddings ? 0 : head.count)) {
            $0 + $1.attnNorm.parameterCount + $1.attention.parameterCount + $1.ffnNorm.parameterCount + $1.mlp.parameterCount
        }
    }
}
