/// What every network shares, whatever it outputs: its family and its shape.
public protocol TransformerModel: Sendable {
    var architecture: String { get }
    var ffnFamily: FFNFamily { get }
    var blockCount: Int { get }
    var hiddenSize: Int { get }
    var ffnSize: Int { get }
    var headCount: Int { get }
    var kvHeadCount: Int { get }
    var vocabSize: Int { get }
    var parameterCount: Int { get }
}

/// What the analysis needs from a decoder: a forward pass over one window with taps, giving
/// next-token logits.
public protocol LanguageModel: TransformerModel {
    /// Logits `[T, vocab]` for one window of token ids.
    func forward(tokens: [Int32], observer: TapObserver?) -> Matrix
}

/// An encoder (BERT): bidirectional attention, no logits; its output is the final hidden
/// states, pooled into sentence embeddings (see `SentenceEmbedding`).
public protocol EncoderModel: TransformerModel {
    /// The last block's output `[T, hidden]` for one sequence. `keyMask[j] == false` marks
    /// padding (hidden from attention); nil means every token is real.
    func hiddenStates(tokens: [Int32], keyMask: [Bool]?, observer: TapObserver?) -> Matrix
}

extension EncoderModel {
    /// The sentence-transformers embedding of one sequence: mean over the non-padding tokens
    /// (incl. [CLS]/[SEP]) of the final hidden states, then L2-normalised.
    public func sentenceEmbedding(tokens: [Int32], keyMask: [Bool]? = nil,
                                  observer: TapObserver? = nil) -> SentenceEmbedding {
        SentenceEmbedding(meanPooling: hiddenStates(tokens: tokens, keyMask: keyMask, observer: observer),
                          keyMask: keyMask)
    }
}

extension LlamaModel: LanguageModel {
    public var architecture: String { config.architecture }
    public var ffnFamily: FFNFamily { .gated }
    public var blockCount: Int { config.blockCount }
    public var hiddenSize: Int { config.hiddenSize }
    public var ffnSize: Int { config.ffnSize }
    public var headCount: Int { config.headCount }
    public var kvHeadCount: Int { config.kvHeadCount }
    public var vocabSize: Int { config.vocabSize }
}
