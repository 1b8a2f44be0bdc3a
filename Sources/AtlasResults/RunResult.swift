/// The results of analyzing one model (one variant) on one dataset: the only thing that joins
/// `analyze` and `render`. Versioned by `schemaVersion`; encoded with sorted keys so equal
/// results give equal bytes.
public struct RunResult: Codable, Sendable, Equatable {
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var provenance: Provenance
    public var model: ModelSummary
    public var perplexity: PerplexityResult?
    /// One entry per observed tap of every block, in block order then tap order.
    public var taps: [TapSummary]
    /// Every activation meeting the massive-activation criterion at a block output (`ffn.resid`).
    public var massiveActivations: [LocatedActivation<Double>]
    /// Where the outliers come from (origin tracing, channel outliers, sinks, weights).
    public var anatomy: AnatomyResult?
    /// Simulated quantization schemes and their error, per layer and end to end.
    public var quantization: [SchemeResult]?
    /// Encoders: sentence-embedding evaluation (decoders have `perplexity` instead).
    public var encoder: EncoderResult?
    /// Mitigated variants analyzed like this baseline (`--mitigation`), in the order asked.
    public var variants: [VariantResult]?
    /// Second checkpoints run in lockstep with this model (`--against`), in the order asked.
    public var pairs: [PairResult]?

    public init(schemaVersion: Int = RunResult.currentSchemaVersion, provenance: Provenance, model: ModelSummary,
                perplexity: PerplexityResult?, taps: [TapSummary], massiveActivations: [LocatedActivation<Double>]) {
        self.schemaVersion = schemaVersion
        self.provenance = provenance
        self.model = model
        self.perplexity = perplexity
        self.taps = taps
        self.massiveActivations = massiveActivations
    }
}

/// Where every number came from: enough to reproduce it, shown on the site.
public struct Provenance: Codable, Sendable, Equatable {
    public var toolVersion: String
    public var modelLabel: String
    public var modelFile: String
    public var modelSHA256: String
    public var modelFormat: String
    public var dataFile: String
    public var dataSHA256: String
    /// `raw` or `joined` (see `outlier-atlas analyze --help`).
    public var textMode: String
    public var tokenizer: String
    public var bos: Bool
    public var windowSize: Int
    public var windowCount: Int
    public var criterion: MassiveCriterion
    /// ISO-8601 time from SOURCE_DATE_EPOCH, nil when it is not set (keeps results reproducible).
    public var generatedAt: String?

    public init(toolVersion: String, modelLabel: String, modelFile: String, modelSHA256: String, modelFormat: String,
                dataFile: String, dataSHA256: String, textMode: String, tokenizer: String, bos: Bool,
                windowSize: Int, windowCount: Int, criterion: MassiveCriterion, generatedAt: String?) {
        self.toolVersion = toolVersion
        self.modelLabel = modelLabel
        self.modelFile = modelFile
        self.modelSHA256 = modelSHA256
        self.modelFormat = modelFormat
        self.dataFile = dataFile
        self.dataSHA256 = dataSHA256
        self.textMode = textMode
        self.tokenizer = tokenizer
        self.bos = bos
        self.windowSize = windowSize
        self.windowCount = windowCount
        self.criterion = criterion
        self.generatedAt = generatedAt
    }
}

/// Sun et al. (2024): |x| > `absolute` and |x| > `relative` × median |x| of the hidden state
/// (the median over all positions and features of one window at one tap).
public struct MassiveCriterion: Codable, Sendable, Equatable {
    public var absolute: Double
    public var relative: Double

    public init(absolute: Double = 100, relative: Double = 1000) {
        self.absolute = absolute
        self.relative = relative
    }
}

/// The architecture and size of the analyzed model.
public struct ModelSummary: Codable, Sendable, Equatable {
    public var label: String
    public var architecture: String
    public var blockCount: Int
    public var hiddenSize: Int
    public var ffnSize: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var vocabSize: Int
    public var parameterCount: Int

    public init(label: String, architecture: String, blockCount: Int, hiddenSize: Int, ffnSize: Int,
                headCount: Int, kvHeadCount: Int, vocabSize: Int, parameterCount: Int) {
        self.label = label
        self.architecture = architecture
        self.blockCount = blockCount
        self.hiddenSize = hiddenSize
        self.ffnSize = ffnSize
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.vocabSize = vocabSize
        self.parameterCount = parameterCount
    }
}

/// Token-level perplexity, exp(mean NLL), in two scorings of the same windows.
public struct PerplexityResult: Codable, Sendable, Equatable {
    /// Every predicted position of every window (positions 1…T−1 predicted from their prefix).
    public var allPositions: Double
    /// llama.cpp's convention: logits rows T/2…T−2 of each window, predicting tokens T/2+1…T−1
    /// (T − T/2 − 1 tokens per window; `first = n_ctx/2` in perplexity.cpp).
    public var secondHalf: Double
    public var scoredTokensAll: Int
    public var scoredTokensSecondHalf: Int

    public init(allPositions: Double, secondHalf: Double, scoredTokensAll: Int, scoredTokensSecondHalf: Int) {
        self.allPositions = allPositions
        self.secondHalf = secondHalf
        self.scoredTokensAll = scoredTokensAll
        self.scoredTokensSecondHalf = scoredTokensSecondHalf
    }
}

/// Statistics of one tap of one block over all analyzed windows.
public struct TapSummary: Codable, Sendable, Equatable {
    public var block: Int
    /// Stable tap name, e.g. `ffn.down_in` (`TapName`).
    public var tap: String
    /// The study's y-index for FFN taps (`y6`), nil for attention taps.
    public var yIndex: String?
    public var elementCount: Int
    public var maxAbs: Double
    /// Median over windows of the per-window median |x|.
    public var medianAbs: Double
    /// The largest |x| (signed values), largest first.
    public var top: [LocatedActivation<Double>]
    public var massiveCount: Int
    /// max |x| per channel over all tokens of all windows.
    @PackedFloats public var channelAbsmax: [Float]
    public var nonFiniteCount: Int
    /// Pearson kurtosis m₄ / m₂² per channel (3 for a Gaussian; NaN for a constant or empty channel).
    @PackedOptionalFloats public var channelKurtosis: [Float]?
    /// Finite values with |x| ≥ 6, the LLM.int8 outlier magnitude rule.
    public var largeCount: Int?
    /// True: `medianAbs` comes from exact per-window medians; false: from histogram estimates
    /// (within 0.8 %: the counts per top-16-bit cell of |x|, interpolated).
    public var medianExact: Bool?

    public init(block: Int, tap: String, yIndex: String?, elementCount: Int, maxAbs: Double, medianAbs: Double,
                top: [LocatedActivation<Double>], massiveCount: Int, channelAbsmax: [Float], nonFiniteCount: Int,
                channelKurtosis: [Float]? = nil, largeCount: Int? = nil, medianExact: Bool? = nil) {
        self.channelKurtosis = channelKurtosis
        self.largeCount = largeCount
        self.medianExact = medianExact
        self.block = block
        self.tap = tap
        self.yIndex = yIndex
        self.elementCount = elementCount
        self.maxAbs = maxAbs
        self.medianAbs = medianAbs
        self.top = top
        self.massiveCount = massiveCount
        self.channelAbsmax = channelAbsmax
        self.nonFiniteCount = nonFiniteCount
    }
}
