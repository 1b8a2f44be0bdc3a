/// Hyperparameters of a BERT encoder.
public struct BertConfig: ModelShape, Equatable {
    public var blockCount: Int
    public var hiddenSize: Int
    public var ffnSize: Int
    public var headCount: Int
    public var vocabSize: Int
    public var contextLength: Int
    public var typeVocabSize: Int
    public var activation: Activation

    public init(blockCount: Int, hiddenSize: Int, ffnSize: Int, headCount: Int, vocabSize: Int,
                contextLength: Int, typeVocabSize: Int, activation: Activation) {
        self.blockCount = blockCount
        self.hiddenSize = hiddenSize
        self.ffnSize = ffnSize
        self.headCount = headCount
        self.vocabSize = vocabSize
        self.contextLength = contextLength
        self.typeVocabSize = typeVocabSize
        self.activation = activation
    }

    public var headDim: Int { hiddenSize / headCount }
    public var architecture: String { "bert" }
    /// Every head has its own keys and values.
    public var kvHeadCount: Int { headCount }
}

/// A BERT encoder (e.g. all-MiniLM-L6-v2) in Float32: word + position + token-type embeddings
/// and a LayerNorm, post-LN blocks with bidirectional attention (padding hidden by a key mask).
public struct BertModel: EncoderModel, ConfiguredModel {
    public let config: BertConfig
    public var wordEmbedding: Matrix
    public var positionEmbedding: Matrix
    public var tokenTypeEmbedding: Matrix
    public var embeddingNorm: Norm
    /// Post-LN: `attnNorm` follows the attention's residual add, `ffnNorm` the FFN's (the
    /// block output).
    public var blocks: [TransformerBlock]
    /// `tanh(dense(h[CLS]))`, when the checkpoint has one (not used by sentence-transformers).
    public var pooler: Linear?

    public init(config: BertConfig, wordEmbedding: Matrix, positionEmbedding: Matrix, tokenTypeEmbedding: Matrix,
                embeddingNorm: Norm, blocks: [TransformerBlock], pooler: Linear?) {
        self.config = config
        self.wordEmbedding = wordEmbedding
        self.positionEmbedding = positionEmbedding
        self.tokenTypeEmbedding = tokenTypeEmbedding
        self.embeddingNorm = embeddingNorm
        self.blocks = blocks
        self.pooler = pooler
    }

    /// Single-segment input (token type 0 everywhere), as sentence-transformers feeds it.
    public func hiddenStates(tokens: [Int32], keyMask: [Bool]? = nil, observer: TapObserver? = nil) -> Matrix {
        precondition(tokens.count <= config.contextLength, "sequence of \(tokens.count) > \(config.contextLength) positions")
        var x = embed(tokens)
        for (index, block) in blocks.enumerated() {
            let taps = TapEmitter(observer: observer, block: index)
            taps.pass(.attnIn, &x)
            // q/k/v read the block input; `attn.norm` hands interventions (activation fake
            // quantization) a copy, so rewriting the Linears' input leaves the residual alone.
            var a = x
            taps.pass(.attnNorm, &a)
            x.add(block.attention(a, ropeTables: nil, keyMask: keyMask, taps: taps))
            taps.pass(.attnResid, &x)
            var h = block.attnNorm(x)
            taps.pass(.attnPostNorm, &h)
            taps.pass(.ffnIn, &h)
            var u = h  // the up projection's input, a copy as for attn.norm
            taps.pass(.ffnNorm, &u)
            h.add(block.mlp(u, taps: taps))
            taps.pass(.ffnResid, &h)
            x = block.ffnNorm(h)
            taps.pass(.ffnPostNorm, &x)
        }
        return x
    }

    /// LayerNorm(word + position + token type 0) (HF `hidden_states[0]`).
    public func embed(_ tokens: [Int32]) -> Matrix {
        var x = wordEmbedding.gatherRows(tokens.map { Int($0) })
        x.add(positionEmbedding.gatherRows(Array(0..<tokens.count)))
        x.add(tokenTypeEmbedding.gatherRows([Int](repeating: 0, count: tokens.count)))
        return embeddingNorm(x)
    }

    /// BERT's pooler output `tanh(dense(hidden[0]))`; nil without a pooler.
    public func pooled(_ hidden: Matrix) -> [Float]? {
        guard let pooler else { return nil }
        var y = pooler(Matrix(rows: 1, cols: hidden.cols, data: hidden.row(0)))
        y.data.withUnsafeMutableBufferPointer { VectorMath.tanh($0.baseAddress!, count: $0.count) }
        return y.data
    }

    public var family: ModelFamily { .bert }
    public var contextLength: Int { config.contextLength }
    /// The embeddings' LayerNorm (the family's `final` role).
    public var finalNorm: Norm {
        get { embeddingNorm }
        set { embeddingNorm = newValue }
    }
    public var namedTables: [NamedWeight] {
        [NamedWeight(name: "token_embd.weight", block: nil, matrix: wordEmbedding),
         NamedWeight(name: "position_embd.weight", block: nil, matrix: positionEmbedding),
         NamedWeight(name: "token_types.weight", block: nil, matrix: tokenTypeEmbedding)]
    }
    public var parameterCount: Int { storedParameterCount + (pooler?.parameterCount ?? 0) }
}
