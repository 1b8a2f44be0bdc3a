/// Hyperparameters of a pre-LayerNorm decoder with learned positions (GPT-2, OPT).
public struct LayerNormDecoderConfig: ModelShape, Equatable {
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
    /// Every head has its own keys and values.
    public var kvHeadCount: Int { headCount }
}

/// A GPT-2 / OPT decoder in Float32: token + learned position embeddings, pre-LN blocks with
/// a plain MLP, a final LayerNorm and a (usually tied) output projection.
public struct LayerNormDecoder: DecoderModel, ConfiguredModel {
    public let config: LayerNormDecoderConfig
    public let family: ModelFamily
    /// `[vocab, hidden]`.
    public var tokenEmbedding: Matrix
    /// `[positions + offset, hidden]`.
    public var positionEmbedding: Matrix
    public var blocks: [TransformerBlock]
    public var finalNorm: Norm
    /// `[vocab, hidden]`; the token embedding itself when tied.
    public var head: Matrix
    /// Keys and values of a fixed prefix every pass attends to first (nil: none).
    public var kvPrefix: KVPrefix?

    public init(config: LayerNormDecoderConfig, tokenEmbedding: Matrix, positionEmbedding: Matrix,
                blocks: [TransformerBlock], finalNorm: Norm, head: Matrix) {
        self.config = config
        self.family = ModelFamily.named(config.architecture) ?? .gpt2
        self.tokenEmbedding = tokenEmbedding
        self.positionEmbedding = positionEmbedding
        self.blocks = blocks
        self.finalNorm = finalNorm
        self.head = head
    }

    /// Token rows plus the position rows of `position…` (offset by `positionOffset`).
    public func embed(_ tokens: [Int32], from position: Int = 0) -> Matrix {
        precondition(position + tokens.count <= config.contextLength,
                     "window of \(position + tokens.count) > \(config.contextLength) positions")
        var x = tokenEmbedding.gatherRows(tokens.map { Int($0) })
        x.add(positionEmbedding.gatherRows((0..<tokens.count).map { position + $0 + config.positionOffset }))
        return x
    }

    public var tiedEmbeddings: Bool { config.tiedEmbeddings }

    public var namedTables: [NamedWeight] {
        [NamedWeight(name: "token_embd.weight", block: nil, matrix: tokenEmbedding),
         NamedWeight(name: "position_embd.weight", block: nil, matrix: positionEmbedding)]
            + (tiedEmbeddings ? [] : [NamedWeight(name: "output.weight", block: nil, matrix: head)])
    }
}
