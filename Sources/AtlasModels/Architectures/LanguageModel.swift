/// What the analysis needs from any architecture: a forward pass over one window with taps,
/// and the shape of the model.
public protocol LanguageModel: Sendable {
    var architecture: String { get }
    var ffnFamily: FFNFamily { get }
    var blockCount: Int { get }
    var hiddenSize: Int { get }
    var ffnSize: Int { get }
    var headCount: Int { get }
    var kvHeadCount: Int { get }
    var vocabSize: Int { get }
    var parameterCount: Int { get }
    /// Logits `[T, vocab]` for one window of token ids.
    func forward(tokens: [Int32], observer: TapObserver?) -> Matrix
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
