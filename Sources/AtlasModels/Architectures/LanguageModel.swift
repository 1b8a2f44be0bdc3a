/// What every network shares, whatever it outputs: its family and its shape.
public protocol TransformerModel: ModelShape {
    /// The family's description (`ModelFamily`): what every capability question asks.
    var family: ModelFamily { get }
    var parameterCount: Int { get }
}

extension TransformerModel {
    /// The FFN wiring, which decides the y-numbering of the FFN taps.
    public var ffnFamily: FFNFamily { family.ffn }
}

/// The hyperparameters every family's config has, so that a model states its shape once.
public protocol ModelShape: Sendable {
    var architecture: String { get }
    var blockCount: Int { get }
    var hiddenSize: Int { get }
    var ffnSize: Int { get }
    var headCount: Int { get }
    var kvHeadCount: Int { get }
    var vocabSize: Int { get }
}

/// A model whose shape is its config's.
public protocol ConfiguredModel: TransformerModel {
    associatedtype Config: ModelShape
    var config: Config { get }
}

extension ConfiguredModel {
    public var architecture: String { config.architecture }
    public var blockCount: Int { config.blockCount }
    public var hiddenSize: Int { config.hiddenSize }
    public var ffnSize: Int { config.ffnSize }
    public var headCount: Int { config.headCount }
    public var kvHeadCount: Int { config.kvHeadCount }
    public var vocabSize: Int { config.vocabSize }
}

/// What the analysis needs from a decoder: a forward pass over one window with taps, giving
/// next-token logits.
public protocol LanguageModel: TransformerModel {
    /// Logits `[T, vocab]` for one window of token ids.
    func forward(tokens: [Int32], observer: TapObserver?) -> Matrix
}

extension LanguageModel {
    /// Logits of one window, nothing observed.
    public func forward(tokens: [Int32]) -> Matrix { forward(tokens: tokens, observer: nil) }
}

/// An encoder (BERT): bidirectional attention, no logits; its output is the final hidden
/// states, pooled into sentence embeddings (see `SentenceEmbedding`).
public protocol EncoderModel: BlockModel {
    /// The last block's output `[T, hidden]` for one sequence. `keyMask[j] == false` marks
    /// padding (hidden from attention); nil means every token is real.
    func hiddenStates(tokens: [Int32], keyMask: [Bool]?, observer: TapObserver?) -> Matrix
    /// Positions the position table covers.
    var contextLength: Int { get }
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

/// A decoder made of `TransformerBlock`s whose embedding, final norm and head can be edited
/// too: what transforms of the whole residual stream (rotation, gamma folding) need.
public protocol DecoderModel: BlockModel, LanguageModel {
    /// `[vocab, hidden]`.
    var tokenEmbedding: Matrix { get set }
    /// `[vocab, hidden]`; the token embedding itself when tied.
    var head: Matrix { get set }
    /// The head as the product reads it (Float32 or kept quantized).
    var headWeights: WeightMatrix { get }
    var tiedEmbeddings: Bool { get }
    /// Logits become `cap · tanh(logit / cap)` (Gemma 2); nil: as the head gives them.
    var finalLogitSoftcap: Float? { get }
    /// Keys and values of a fixed prefix every pass attends to first (nil: none); the window's
    /// tokens then sit at the positions after it.
    var kvPrefix: KVPrefix? { get set }
    /// The input of the first block for `tokens` at positions `position…`.
    func embed(_ tokens: [Int32], from position: Int) -> Matrix
}

extension DecoderModel {
    public var finalLogitSoftcap: Float? { nil }

    public var headWeights: WeightMatrix { WeightMatrix(head) }

    /// The residual stream after the last block, before the final norm `[T, hidden]`.
    public func hiddenStates(tokens: [Int32], observer: TapObserver? = nil) -> Matrix {
        let prefix = kvPrefix
        return TransformerBlock.preNorm(blocks, embed(tokens, from: prefix?.count ?? 0), observer: observer, prefix: prefix)
    }

    /// The keys and values every block computes for `tokens` run after this model's own prefix
    /// (if any), joined to it: the prefix of later passes.
    public func prefixCache(tokens: [Int32]) -> KVPrefix {
        let own = kvPrefix, n = blocks.count
        var keys = [Matrix](repeating: Matrix(zeros: 0, 0), count: n), values = keys
        _ = TransformerBlock.preNorm(blocks, embed(tokens, from: own?.count ?? 0), observer: nil, prefix: own) { block, k, v in
            keys[block] = own.map { $0.keys[block].stacked(above: k) } ?? k
            values[block] = own.map { $0.values[block].stacked(above: v) } ?? v
        }
        return KVPrefix(tokens: (own?.tokens ?? []) + tokens, keys: keys, values: values)
    }

    /// Logits `[T, vocab]`: the final norm of the last block's output, times the head (soft-capped
    /// where the model says so).
    public func forward(tokens: [Int32], observer: TapObserver?) -> Matrix {
        logits(hiddenStates(tokens: tokens, observer: observer))
    }

    /// Logits of residual-stream rows `[n, hidden]`: final norm, head, soft cap. On the last
    /// block's output this is the model's own prediction; on an earlier block's output it is the
    /// "logit lens" reading of that block.
    public func logits(_ hidden: Matrix) -> Matrix {
        var logits = headWeights.linear(finalNorm(hidden))
        if let cap = finalLogitSoftcap {
            logits.data.withUnsafeMutableBufferPointer { SoftCap.apply($0.baseAddress!, count: $0.count, cap: cap) }
        }
        return logits
    }

    /// Number of weights (a tied head counted once).
    public var parameterCount: Int { storedParameterCount }
}
