/// A LLaMA-family decoder (LLaMA, Mistral, Qwen2, SmolLM2) in Float32 with named taps in every
/// block: embedding, RMSNorm pre-norm blocks with RoPE attention and a SwiGLU feed-forward,
/// final RMSNorm and head.
public struct LlamaModel: DecoderModel, ConfiguredModel {
    public let config: LlamaConfig
    public let family: ModelFamily
    /// `[vocab, hidden]`.
    public var tokenEmbedding: Matrix
    public var blocks: [TransformerBlock]
    public var finalNorm: Norm
    /// `[vocab, hidden]`; the embedding itself when tied.
    public var head: Matrix
    /// Keys and values of a fixed prefix every pass attends to first (nil: none).
    public var kvPrefix: KVPrefix?

    public init(config: LlamaConfig, embedding: Matrix, blocks: [TransformerBlock], finalNorm: Norm, head: Matrix) {
        self.config = config
        self.family = ModelFamily.named(config.architecture) ?? .llama
        self.tokenEmbedding = embedding
        self.blocks = blocks
        self.finalNorm = finalNorm
        self.head = head
    }

    /// Rows of the embedding table for `tokens`, times √hidden where the family scales them
    /// (Gemma); positions enter through RoPE, so `position` is not needed here.
    public func embed(_ tokens: [Int32], from position: Int = 0) -> Matrix {
        var x = tokenEmbedding.gatherRows(tokens.map { Int($0) })
        if family.scalesEmbedding {
            let s = Float(Double(hiddenSize).squareRoot())
            for i in x.data.indices { x.data[i] *= s }
        }
        return x
    }

    public var tiedEmbeddings: Bool { config.tiedEmbeddings }

    public var finalLogitSoftcap: Float? { config.finalLogitSoftcap }

    public var namedTables: [NamedWeight] {
        [NamedWeight(name: "token_embd.weight", block: nil, matrix: tokenEmbedding)]
            + (tiedEmbeddings ? [] : [NamedWeight(name: "output.weight", block: nil, matrix: head)])
    }
}
