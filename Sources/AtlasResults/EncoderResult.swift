/// Evaluation of an encoder: sentence embeddings instead of perplexity. Encoders are
/// calibrated on sentences (each wrapped in [CLS] … [SEP], one per forward pass); their quality
/// metric is the cosine similarity of sentence embeddings (mean-pooled, L2-normalised) to the
/// float baseline's.
public struct EncoderResult: Codable, Sendable, Equatable {
    /// Sentences run (one forward pass each).
    public var sentenceCount: Int
    /// Tokens over all sentences, [CLS]/[SEP] included.
    public var tokenCount: Int
    /// The longest sentence allowed, in tokens (longer lines are cut into chunks of this size).
    public var maxSentenceTokens: Int
    /// Width of a sentence embedding.
    public var embeddingSize: Int
    /// Mean over sentences of the L2 norm of the mean-pooled hidden state, before normalisation.
    public var meanEmbeddingNorm: Double
    /// Cosine similarity to the float baseline's embedding of the same sentence: mean and
    /// minimum over sentences. nil for the baseline itself.
    public var meanCosineToBaseline: Double?
    public var minCosineToBaseline: Double?

    public init(sentenceCount: Int, tokenCount: Int, maxSentenceTokens: Int, embeddingSize: Int,
                meanEmbeddingNorm: Double, meanCosineToBaseline: Double? = nil, minCosineToBaseline: Double? = nil) {
        self.sentenceCount = sentenceCount
        self.tokenCount = tokenCount
        self.maxSentenceTokens = maxSentenceTokens
        self.embeddingSize = embeddingSize
        self.meanEmbeddingNorm = meanEmbeddingNorm
        self.meanCosineToBaseline = meanCosineToBaseline
        self.minCosineToBaseline = minCosineToBaseline
    }
}
