/// One simulated quantization scheme applied to one model: what was quantized, how,
/// and how much it cost, per layer and end to end. Every SQNR is in dB,
/// 20·log10(‖x‖ / ‖x − x̂‖), from sums of squares accumulated in Double over all windows.
public struct SchemeResult: Codable, Sendable, Equatable {
    /// Short readable name (`W8A8`, `Q4_K`, or the custom spec as given).
    public var name: String
    /// Every parameter spelled out, e.g. `weights int8 sym per-channel; activations int8 sym per-token (dynamic)`.
    public var description: String
    /// Windows evaluated in lockstep (float and quantized model on the same tokens).
    public var windowCount: Int
    /// Layer SQNRs are measured on every `tokenStride`-th token of each window (1: all tokens).
    public var tokenStride: Int
    /// Decoders: end-to-end comparison with the float model. Nil for encoders.
    public var endToEnd: EndToEndError?
    /// Encoders: sentence-embedding agreement with the float model. Nil for decoders.
    public var embedding: EmbeddingAgreement?
    /// One entry per quantized Linear, in block order then Linear order (q k v o gate up down).
    public var layers: [LinearError]
    /// One entry per quantized weight tensor (same order as `layers`).
    public var weights: [WeightError]

    public init(name: String, description: String, windowCount: Int, tokenStride: Int, endToEnd: EndToEndError?,
                embedding: EmbeddingAgreement?, layers: [LinearError], weights: [WeightError]) {
        self.name = name
        self.description = description
        self.windowCount = windowCount
        self.tokenStride = tokenStride
        self.endToEnd = endToEnd
        self.embedding = embedding
        self.layers = layers
        self.weights = weights
    }
}

/// End-to-end error of a quantized decoder against its float self on the same windows. Every
/// mean is over the positions scored by `perplexity.allPositions` (logits rows 0…T−2 of each
/// window, row t predicting token t+1).
public struct EndToEndError: Codable, Sendable, Equatable {
    /// Perplexity of the quantized model (both conventions, same windows as the float one).
    public var perplexity: PerplexityResult
    /// Perplexity of the float model on the same windows, computed in the same lockstep pass.
    public var floatPerplexity: PerplexityResult
    /// Mean over positions of KL(p_float ‖ p_quant) = Σ_v p_f(v)·(log p_f(v) − log p_q(v)), in nats.
    public var klMean: Double
    /// Fraction of positions where argmax p_quant = argmax p_float.
    public var top1Agreement: Double
    /// Mean over positions of |p_float(true next token) − p_quant(true next token)|.
    public var meanAbsDeltaTrueTokenProbability: Double
    public var positions: Int

    public init(perplexity: PerplexityResult, floatPerplexity: PerplexityResult, klMean: Double,
                top1Agreement: Double, meanAbsDeltaTrueTokenProbability: Double, positions: Int) {
        self.perplexity = perplexity
        self.floatPerplexity = floatPerplexity
        self.klMean = klMean
        self.top1Agreement = top1Agreement
        self.meanAbsDeltaTrueTokenProbability = meanAbsDeltaTrueTokenProbability
        self.positions = positions
    }
}

/// Encoders: cosine similarity of each sentence embedding to the float model's.
public struct EmbeddingAgreement: Codable, Sendable, Equatable {
    public var meanCosine: Double
    public var worstCosine: Double
    public var sentences: Int

    public init(meanCosine: Double, worstCosine: Double, sentences: Int) {
        self.meanCosine = meanCosine
        self.worstCosine = worstCosine
        self.sentences = sentences
    }
}

/// The error at one Linear of one block.
public struct LinearError: Codable, Sendable, Equatable {
    public var block: Int
    /// `q`, `k`, `v`, `o`, `gate`, `up` or `down`.
    public var linear: String
    /// The Linear alone: the float model's input, quantized as the scheme says, times the
    /// quantized weight, against the float output. Nil when the Linear was not quantized.
    public var localSQNR: Double?
    /// The Linear's output inside the fully quantized forward against the float forward.
    public var accumulatedSQNR: Double

    public init(block: Int, linear: String, localSQNR: Double?, accumulatedSQNR: Double) {
        self.block = block
        self.linear = linear
        self.localSQNR = localSQNR
        self.accumulatedSQNR = accumulatedSQNR
    }
}

/// The quantization error of one weight tensor (quantize–dequantize against the float weight).
public struct WeightError: Codable, Sendable, Equatable {
    /// `blk.<i>.<linear>`, e.g. `blk.3.down`.
    public var tensor: String
    /// The format actually used (a GGUF K-type falls back when a row is not a multiple of 256).
    public var format: String
    public var sqnr: Double
    public var maxAbsError: Double

    public init(tensor: String, format: String, sqnr: Double, maxAbsError: Double) {
        self.tensor = tensor
        self.format = format
        self.sqnr = sqnr
        self.maxAbsError = maxAbsError
    }
}
