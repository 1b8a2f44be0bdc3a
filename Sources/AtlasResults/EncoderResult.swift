/// Evaluation of an encoder (issue 3): sentence embeddings instead of perplexity.
public struct EncoderResult: Codable, Sendable, Equatable {
    public var sentenceCount: Int
    public init(sentenceCount: Int) { self.sentenceCount = sentenceCount }
}
