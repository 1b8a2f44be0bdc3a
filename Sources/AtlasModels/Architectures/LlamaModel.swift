/// A LLaMA-family decoder (LLaMA, Mistral, Qwen2, SmolLM2) in Float32 with named taps in every
/// block: embedding, RMSNorm pre-norm blocks with RoPE attention and a SwiGLU feed-forward,
/// final RMSNorm and head.
public struct LlamaModel: DecoderModel, ConfiguredModel {
    public let config: LlamaConfig
    public let family: ModelFamily
    /// `[vocab, hidden]`, Float32 or kept in its GGUF blocks.
    public var embeddingWeights: WeightMatrix
    public var blocks: [TransformerBlock]
    public var finalNorm: Norm
    /// `[vocab, hidden]`; the embedding itself when tied.
    public var headWeights: WeightMatrix
    /// Keys and values of a fixed prefix every pass attends to first (nil: none).
    public var kvPrefix: KVPrefix?

    public init(config: LlamaConfig, embedding: Matrix, blocks: [TransformerBlock], finalNorm: Norm, head: Matrix) {
        self.init(config: config, embedding: WeightMatrix(embedding), blocks: blocks, finalNorm: finalNorm, head: WeightMatrix(head))
    }

    public init(config: LlamaConfig, embedding: WeightMatrix, blocks: [TransformerBlock], finalNorm: Norm, head: WeightMatrix) {
        self.config = config
        self.family = ModelFamily.named(config.architecture) ?? .llama
        self.embeddingWeights = embedding
        self.blocks = blocks
        self.finalNorm = finalNorm
        self.headWeights = head
    }

    /// `[vocab, hidden]` in Float32 (dequantized on each read when kept quantized).
    public var tokenEmbedding: Matrix {
        get { embeddingWeights.matrix }
        set { embeddingWeights.matrix = newValue }
        _modify { yield &embeddingWeights.matrix }
    }

    /// `[vocab, hidden]` in Float32; the embedding itself when tied.
    public var head: Matrix {
        get { headWeights.matrix }
        set { headWeights.matrix = newValue }
        _modify { yield &headWeights.matrix }
    }

    /// Rows of the embedding table for `tokens`, times √hidden where the family scales them
    /// (Gemma); positions enter through RoPE, so `position` is not needed here.
    public func embed(_ tokens: [Int32], from position: Int = 0) -> Matrix {
        var x = embeddingWeights.gatherRows(tokens.map { Int($0) })
        if family.scalesEmbedding {
            let s = Float(Double(hiddenSize).squareRoot())
            for i in x.data.indices { x.data[i] *= s }
        }
        return x
    }

    public var tiedEmbeddings: Bool { config.tiedEmbeddings }

    public var finalLogitSoftcap: Float? { config.finalLogitSoftcap }

    public var namedTables: [NamedWeight] {
        [NamedWeight(name: "token_embd.weight", block: nil, weights: embeddingWeights)]
            + (tiedEmbeddings ? [] : [NamedWeight(name: "output.weight", block: nil, weights: headWeights)])
    }
}
