/// Hyperparameters of a LLaMA-family decoder (LLaMA, SmolLM2, Mistral, Qwen2).
public struct LlamaConfig: ModelShape, Equatable {
    public var architecture: String
    public var blockCount: Int
    public var hiddenSize: Int
    public var ffnSize: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDim: Int
    public var rotaryDims: Int
    public var ropeTheta: Float
    public var normEps: Float
    public var vocabSize: Int
    public var contextLength: Int
    public var tiedEmbeddings: Bool
    /// Local layers: a query sees this many keys (itself included); nil: no local layers.
    public var slidingWindow: Int?
    /// Every `globalEvery`-th layer (the last of each group) attends globally, the others
    /// locally (Gemma 3: 6); nil with a window: every layer is local.
    public var globalEvery: Int?
    /// The RoPE base of local layers (Gemma 3: 10 000; global layers use `ropeTheta`).
    public var localRopeTheta: Float?
    /// The factor of q·k; nil: 1/√headDim.
    public var attentionScale: Float?
    /// Gemma 2: attention scores become `cap · tanh(score / cap)` before the mask and softmax.
    public var attentionSoftcap: Float?
    /// Gemma 2: logits become `cap · tanh(logit / cap)`.
    public var finalLogitSoftcap: Float?

    public init(architecture: String, blockCount: Int, hiddenSize: Int, ffnSize: Int, headCount: Int,
                kvHeadCount: Int, headDim: Int, rotaryDims: Int, ropeTheta: Float, normEps: Float,
                vocabSize: Int, contextLength: Int, tiedEmbeddings: Bool, slidingWindow: Int? = nil,
                globalEvery: Int? = nil, localRopeTheta: Float? = nil, attentionScale: Float? = nil,
                attentionSoftcap: Float? = nil, finalLogitSoftcap: Float? = nil) {
        self.attentionSoftcap = attentionSoftcap
        self.finalLogitSoftcap = finalLogitSoftcap
        self.slidingWindow = slidingWindow
        self.globalEvery = globalEvery
        self.localRopeTheta = localRopeTheta
        self.attentionScale = attentionScale
        self.architecture = architecture
        self.blockCount = blockCount
        self.hiddenSize = hiddenSize
        self.ffnSize = ffnSize
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.headDim = headDim
        self.rotaryDims = rotaryDims
        self.ropeTheta = ropeTheta
        self.normEps = normEps
        self.vocabSize = vocabSize
        self.contextLength = contextLength
        self.tiedEmbeddings = tiedEmbeddings
    }
}

extension LlamaConfig {
    /// Whether block `i` attends through the sliding window (a local layer).
    public func isLocal(block i: Int) -> Bool {
        guard slidingWindow != nil else { return false }
        guard let n = globalEvery, n > 0 else { return true }
        return (i + 1) % n != 0
    }
}
