/// One hidden dimension that carries massive activations at block outputs, and its story.
public struct MassiveDimension: Codable, Sendable, Equatable {
    public var dim: Int
    /// The first block whose output (`ffn.resid`) has a massive entry in this dimension.
    public var firstBlock: Int
    /// The first tap of `firstBlock`, in forward order, with a massive entry at a carrying
    /// position (any width: for SwiGLU this may be y6 `ffn.down_in` in FFN channel space).
    public var firstTap: String
    public var firstTapYIndex: String?
    /// The block output where this dimension's max |x| grows the most (`growth` = its max |x|
    /// over the previous block's), among the blocks where it is massive: where the spike is
    /// made, which may be later than `firstBlock` when the criterion is first met only narrowly.
    public var birthBlock: Int
    public var growth: Double
    /// The first tap of `birthBlock` with a massive entry at a carrying position.
    public var birthTap: String
    public var birthTapYIndex: String?
    /// Blocks whose output has this dimension massive, ascending (the persistence).
    public var blocks: [Int]
    /// The signed value of largest |x| over all block outputs, and its block.
    public var peak: Double
    public var peakBlock: Int
    /// max |x| of this dimension at each block output (index = block), over all windows.
    public var timeline: [Double]
    /// Massive block-output entries in this dimension (all blocks, all windows).
    public var hitCount: Int
    /// The tokens carrying it, most frequent first.
    public var tokens: [CarrierToken]
    /// How the spike is made in `birthBlock`; nil when it does not come out of the FFN's down
    /// projection or the values were not recorded.
    public var origin: OriginTrace?

    public init(dim: Int, firstBlock: Int, firstTap: String, firstTapYIndex: String?, birthBlock: Int, growth: Double,
                birthTap: String, birthTapYIndex: String?, blocks: [Int], peak: Double,
                peakBlock: Int, timeline: [Double], hitCount: Int, tokens: [CarrierToken], origin: OriginTrace?) {
        self.dim = dim
        self.firstBlock = firstBlock
        self.firstTap = firstTap
        self.firstTapYIndex = firstTapYIndex
        self.birthBlock = birthBlock
        self.growth = growth
        self.birthTap = birthTap
        self.birthTapYIndex = birthTapYIndex
        self.blocks = blocks
        self.peak = peak
        self.peakBlock = peakBlock
        self.timeline = timeline
        self.hitCount = hitCount
        self.tokens = tokens
        self.origin = origin
    }
}

/// A token that carries a massive dimension: its text (untrusted: escape when rendering), its
/// kind (`first token`, `newline`, `whitespace`, `delimiter`, `special`, `word`), how many
/// massive block-output entries it carries and at which positions (first few, ascending).
public struct CarrierToken: Codable, Sendable, Equatable {
    public var token: String
    public var kind: String
    public var count: Int
    public var positions: [Int]

    public init(token: String, kind: String, count: Int, positions: [Int]) {
        self.token = token
        self.kind = kind
        self.count = count
        self.positions = positions
    }
}

/// The down projection at the birth of a massive dimension: y7[p, dim] = Σ_c y6[p, c] · W[dim, c]
/// (+ bias), with W the `[hidden, ffn]` down-projection weight of `block`. The largest terms name
/// the FFN channels and the "super weight" entries (row = dim, column = channel) that make the spike.
public struct OriginTrace: Codable, Sendable, Equatable {
    public var block: Int
    /// The FFN-width input of the down projection (`ffn.down_in`: y6 in SwiGLU, y4 in GELU).
    public var inputTap: String
    public var inputYIndex: String?
    /// The residual-width output (`ffn.down_out`: y7 / y5).
    public var outputTap: String
    public var outputYIndex: String?
    /// Where the traced spike is (in the trace window).
    public var window: Int
    public var position: Int
    public var token: String
    /// y7[position, dim], recomputed from the recorded input and the weights.
    public var outputValue: Double
    /// Root mean square of the whole down-projection weight, to judge how unusual a weight is.
    public var weightRMS: Double
    /// The largest terms by |product|, largest first.
    public var contributions: [WeightContribution]

    public init(block: Int, inputTap: String, inputYIndex: String?, outputTap: String, outputYIndex: String?,
                window: Int, position: Int, token: String, outputValue: Double, weightRMS: Double,
                contributions: [WeightContribution]) {
        self.block = block
        self.inputTap = inputTap
        self.inputYIndex = inputYIndex
        self.outputTap = outputTap
        self.outputYIndex = outputYIndex
        self.window = window
        self.position = position
        self.token = token
        self.outputValue = outputValue
        self.weightRMS = weightRMS
        self.contributions = contributions
    }
}

/// One term y6[p, channel] · W[row, channel] of the down projection.
public struct WeightContribution: Codable, Sendable, Equatable {
    public var channel: Int
    /// The weight's row (= the massive hidden dimension) and column (= `channel`).
    public var row: Int
    public var column: Int
    public var input: Double
    public var weight: Double
    public var product: Double
    /// product / output value.
    public var share: Double

    public init(channel: Int, row: Int, column: Int, input: Double, weight: Double, product: Double, share: Double) {
        self.channel = channel
        self.row = row
        self.column = column
        self.input = input
        self.weight = weight
        self.product = product
        self.share = share
    }
}
