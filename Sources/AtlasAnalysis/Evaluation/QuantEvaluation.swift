import AtlasModels
import AtlasResults

/// The float and the quantized model run in lockstep, window by window, in memory: per window
/// one float forward (observed for local SQNR and reference outputs) and one quantized forward
/// (with the scheme's fake quantization, observed for accumulated SQNR); the two logits are
/// compared at once and dropped. Encoders run sentence by sentence and compare sentence
/// embeddings instead (`compare(tokens:floatEmbedding:)`).
public final class QuantLockstep {
    public let prepared: PreparedScheme
    let model: any QuantizableModel
    let tracker: LinearErrorTracker
    let intervention: FakeQuantIntervention
    public private(set) var floatPerplexity = PerplexityAccumulator()
    public private(set) var quantizedPerplexity = PerplexityAccumulator()
    public private(set) var comparison = LogitComparison()
    public private(set) var windowCount = 0
    /// Encoders: cosine of each quantized sentence embedding to the float one.
    public private(set) var similarity = EmbeddingSimilarity()
    /// Layer SQNRs are measured on every 8th token (64 of a 512-token window): 1/8 of the
    /// Linears' FLOPs again for the local products, which keeps a lockstep window under 2.3
    /// float forwards; end-to-end metrics always use every position.
    public static let defaultTokenStride = 8

    /// `calibration`: windows for static (per-tensor) activation ranges, used only when the
    /// scheme has them (one float forward each, before the evaluation).
    public init(_ prepared: PreparedScheme, model: any QuantizableModel, calibration: [[Int32]], tokenStride: Int = QuantLockstep.defaultTokenStride) {
        self.prepared = prepared
        self.model = model
        let plan = prepared.plan
        var ranges: ActivationRangeObserver?
        if plan.scheme.activations?.granularity == .perTensor || plan.scheme.kvCache?.granularity == .perTensor {
            var taps = plan.inputTaps
            for b in taps.keys { taps[b]!.formUnion([.attnK, .attnV]) }
            let observer = ActivationRangeObserver(taps: taps, below: model.quantizationAdjustments.outlierThreshold)
            for window in calibration { _ = Self.pass(model, tokens: window, observer: observer) }
            ranges = observer
        }
        intervention = FakeQuantIntervention(plan: plan, ranges: ranges, adjustments: model.quantizationAdjustments)
        tracker = LinearErrorTracker(plan: plan, float: model, quantized: prepared.quantized,
                                     intervention: intervention, tokenStride: tokenStride)
    }

    /// The observer to attach to the float forward of a window before `compare` (it may share
    /// that forward with other observers and other schemes' locksteps).
    public var floatObserver: TapObserver { tracker.floatObserver }

    /// Runs one window through both models and accumulates every metric.
    public func step(tokens: [Int32], window: Int) throws(PerplexityError) {
        let f = Self.decoder(model).forward(tokens: tokens, observer: floatObserver)
        try compare(tokens: tokens, window: window, floatLogits: f)
    }

    /// Runs the quantized model on a window whose float forward, observed by `floatObserver`,
    /// gave `f`, and accumulates every metric.
    public func compare(tokens: [Int32], window: Int, floatLogits f: Matrix) throws(PerplexityError) {
        let q = Self.decoder(prepared.quantized).forward(tokens: tokens, observer: quantizedObserver)
        let metrics = try LockstepMetrics.measure(float: f, quantized: q, tokens: tokens, window: window)
        floatPerplexity.merge(metrics.float)
        quantizedPerplexity.merge(metrics.quantized)
        comparison.merge(metrics.comparison)
        windowCount += 1
    }

    /// Encoders: embeds a sentence with the quantized model (its float embedding came from a
    /// pass observed by `floatObserver`) and compares the two.
    public func compare(tokens: [Int32], floatEmbedding: [Float]) {
        guard let encoder = prepared.quantized as? any EncoderModel else { preconditionFailure("not an encoder") }
        similarity.add(encoder.sentenceEmbedding(tokens: tokens, observer: quantizedObserver).vector, baseline: floatEmbedding)
    }

    /// The fake quantization and the accumulated-error observer, for the quantized pass.
    var quantizedObserver: TapObserver { TapObservers([intervention, tracker.quantizedObserver]) }

    /// Decoders: perplexity, KL, top-1 over the windows; encoders: sentence-embedding cosine.
    public func result() throws(PerplexityError) -> SchemeResult {
        var e2e: EndToEndError?
        if windowCount > 0 {
            e2e = EndToEndError(perplexity: try quantizedPerplexity.result(), floatPerplexity: try floatPerplexity.result(),
                                klMean: comparison.klMean, top1Agreement: comparison.top1Agreement,
                                meanAbsDeltaTrueTokenProbability: comparison.meanAbsDeltaTrueToken,
                                positions: comparison.positions)
        }
        let embedding = similarity.mean.map {
            EmbeddingAgreement(meanCosine: $0, worstCosine: similarity.minimum, sentences: similarity.count)
        }
        let scheme = prepared.plan.scheme
        return SchemeResult(name: scheme.name, description: scheme.description,
                            windowCount: windowCount > 0 ? windowCount : similarity.count,
                            tokenStride: tracker.tokenStride, endToEnd: e2e, embedding: embedding,
                            layers: tracker.results(), weights: prepared.weightErrors)
    }

    /// One forward of either kind: logits of a decoder, final hidden states of an encoder.
    static func pass(_ model: any QuantizableModel, tokens: [Int32], observer: TapObserver) -> Matrix {
        if let encoder = model as? any EncoderModel { return encoder.hiddenStates(tokens: tokens, keyMask: nil, observer: observer) }
        return decoder(model).forward(tokens: tokens, observer: observer)
    }

    static func decoder(_ model: any QuantizableModel) -> any LanguageModel {
        guard let decoder = model as? any LanguageModel else { preconditionFailure("\(model.architecture) has no logits") }
        return decoder
    }
}

/// Evaluates schemes on a decoder over the analysis windows.
public enum QuantEvaluation {
    /// Checks every scheme against `model` before any forward pass. Returns the model as a
    /// `QuantizableModel` (nil when there is no scheme).
    public static func check(_ schemes: [QuantScheme], model: any TransformerModel, file: String) throws -> (any QuantizableModel)? {
        guard !schemes.isEmpty else { return nil }
        guard let quantizable = model as? any QuantizableModel else {
            throw QuantSchemeError(scheme: schemes[0].name, field: "model \(file)", found: "architecture \(model.architecture)",
                                   expected: "a model whose Linears can be quantized (LLaMA, GPT-2, OPT, BERT)")
        }
        for scheme in schemes { _ = try QuantPlan.make(scheme, for: quantizable) }
        return quantizable
    }

    /// Checks every scheme, then prepares one lockstep per scheme (weights quantized, static
    /// activation ranges calibrated on `calibration`). Per window, run the float model once with
    /// all their `floatObserver`s, then `compare` each.
    public static func locksteps(_ schemes: [QuantScheme], model: any QuantizableModel, calibration: [[Int32]],
                                 tokenStride: Int = QuantLockstep.defaultTokenStride) throws -> [QuantLockstep] {
        _ = try check(schemes, model: model, file: "model")
        return try schemes.map { scheme in
            QuantLockstep(try PreparedScheme(scheme, model: model), model: model, calibration: calibration, tokenStride: tokenStride)
        }
    }
}
