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

    public init(architecture: String, blockCount: Int, hiddenSize: Int, ffnSize: Int, headCount: Int,
                kvHeadCount: Int, headDim: Int, rotaryDims: Int, ropeTheta: Float, normEps: Float,
                vocabSize: Int, contextLength: Int, tiedEmbeddings: Bool) {
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
