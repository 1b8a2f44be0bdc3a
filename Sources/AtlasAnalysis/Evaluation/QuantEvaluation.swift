import AtlasModels
import AtlasResults

/// The float and the quantized model run in lockstep, window by window, in memory: per window
/// one float forward (observed for local SQNR and reference outputs) and one quantized forward
/// (with the scheme's fake quantization, observed for accumulated SQNR); the two logits are
/// compared at once and dropped. Encoders run sentence by sentence and compare sentence
/// embeddings instead (`compare(tokens:floatEmbedding:)`).
public final class QuantLockstep {
    public let prepared: PreparedScheme
    let model: AnalyzedModel
    let tracker: LinearErrorTracker
    let intervention: FakeQuantIntervention
    public private(set) var endToEnd = LockstepEndToEnd()
    /// Encoders: cosine of each quantized sentence embedding to the float one.
    public private(set) var similarity = EmbeddingSimilarity()
    /// Layer SQNRs are measured on every 8th token (64 of a 512-token window): 1/8 of the
    /// Linears' FLOPs again for the local products, which keeps a lockstep window under 2.3
    /// float forwards; end-to-end metrics always use every position.
    public static let defaultTokenStride = 8

    /// `calibration`: windows for static (per-tensor) activation ranges, used only when the
    /// scheme has them (one float forward each, before the evaluation).
    public init(_ prepared: PreparedScheme, model: AnalyzedModel, calibration: [[Int32]], tokenStride: Int = QuantLockstep.defaultTokenStride) {
        self.prepared = prepared
        self.model = model
        let plan = prepared.plan
        var ranges: ActivationRangeObserver?
        if plan.scheme.activations?.granularity == .perTensor || plan.scheme.kvCache?.granularity == .perTensor {
            var taps = plan.inputTaps
            for b in taps.keys { taps[b]!.formUnion([.attnK, .attnV]) }
            let observer = ActivationRangeObserver(taps: taps, below: model.adjustments.outlierThreshold)
            for window in calibration { _ = model.pass(tokens: window, observer: observer) }
            ranges = observer
        }
        intervention = FakeQuantIntervention(plan: plan, ranges: ranges, adjustments: model.adjustments)
        tracker = LinearErrorTracker(plan: plan, float: model.blocks, quantized: prepared.quantized.blocks,
                                     intervention: intervention, tokenStride: tokenStride)
    }

    /// The observer to attach to the float forward of a window before `compare` (it may share
    /// that forward with other observers and other schemes' locksteps).
    public var floatObserver: TapObserver { tracker.floatObserver }

    /// Runs one window through both models and accumulates every metric.
    public func step(tokens: [Int32], window: Int) throws(PerplexityError) {
        let f = model.pass(tokens: tokens, observer: floatObserver)
        try compare(tokens: tokens, window: window, floatLogits: f)
    }

    /// Runs the quantized model on a window whose float forward, observed by `floatObserver`,
    /// gave `f`, and accumulates every metric.
    public func compare(tokens: [Int32], window: Int, floatLogits f: Matrix) throws(PerplexityError) {
        let q = prepared.quantized.pass(tokens: tokens, observer: quantizedObserver)
        try endToEnd.add(reference: f, other: q, tokens: tokens, window: window)
    }

    /// Encoders: embeds a sentence with the quantized model (its float embedding came from a
    /// pass observed by `floatObserver`) and compares the two.
    public func compare(tokens: [Int32], floatEmbedding: [Float]) {
        similarity.add(prepared.quantized.sentenceEmbedding(tokens: tokens, observer: quantizedObserver).vector, baseline: floatEmbedding)
    }

    /// The fake quantization and the accumulated-error observer, for the quantized pass.
    var quantizedObserver: TapObserver { PassComposition.quantized(fakeQuantization: intervention, tracker: tracker.quantizedObserver) }

    /// Decoders: perplexity, KL, top-1 over the windows; encoders: sentence-embedding cosine.
    public func result() throws(PerplexityError) -> SchemeResult {
        let e2e = try endToEnd.result()
        let embedding = similarity.mean.map {
            EmbeddingAgreement(meanCosine: $0, worstCosine: similarity.minimum, sentences: similarity.count)
        }
        let scheme = prepared.plan.scheme
        return SchemeResult(name: scheme.name, description: scheme.description,
                            windowCount: endToEnd.windowCount > 0 ? endToEnd.windowCount : similarity.count,
                            tokenStride: tracker.tokenStride, endToEnd: e2e, embedding: embedding,
                            layers: tracker.results(), weights: prepared.weightErrors)
    }
}

/// Evaluates schemes on a model over the analysis windows.
public enum QuantEvaluation {
    /// Checks every scheme against `model` before any forward pass (every impossible choice is
    /// a `QuantSchemeError`).
    public static func check(_ schemes: [QuantScheme], model: AnalyzedModel) throws(QuantSchemeError) {
        for scheme in schemes { _ = try QuantPlan.make(scheme, for: model.blocks) }
    }

    /// Windows that calibrate static activation scales (the first of the text, as SmoothQuant's
    /// and the other calibrated mitigations' default).
    public static let staticCalibrationWindows = 4

    /// Checks every scheme, then prepares one lockstep per scheme (weights quantized, static
    /// activation ranges calibrated on `calibration`). Per window, run the float model once with
    /// all their `floatObserver`s, then `compare` each.
    public static func locksteps(_ schemes: [QuantScheme], model: AnalyzedModel, calibration: [[Int32]],
                                 tokenStride: Int = QuantLockstep.defaultTokenStride) throws -> [QuantLockstep] {
        try check(schemes, model: model)
        return try schemes.map { scheme in
            QuantLockstep(try PreparedScheme(scheme, model: model), model: model, calibration: calibration, tokenStride: tokenStride)
        }
    }
}
