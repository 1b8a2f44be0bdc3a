import AtlasModels
import AtlasResults

/// A scheme made ready for one model: checked, and its weights quantized.
public struct PreparedScheme: Sendable {
    public let plan: QuantPlan
    /// The model with quantize–dequantized Linear weights (embeddings, head, norms shared).
    public let quantized: any QuantizableModel
    public let weightErrors: [WeightError]

    /// Checks `scheme` against `model` (every impossible choice is a `QuantSchemeError`) and
    /// quantizes a copy of its weights.
    public init(_ scheme: QuantScheme, model: any QuantizableModel) throws(QuantSchemeError) {
        let plan = try QuantPlan.make(scheme, for: model)
        var errors: [WeightError] = []
        let quantized = model.transformingLinears { site, linear in
            guard let format = plan.weightFormats[site] else { return linear }
            let w = WeightQuantizer.fakeQuantize(linear.weight, format)
            errors.append(WeightQuantizer.error(tensor: site.tensorName, format: format.label, original: linear.weight, quantized: w))
            return Linear(weight: w, bias: linear.bias)
        }
        self.plan = plan
        self.quantized = quantized
        self.weightErrors = errors  // transformingLinears visits sites in block then Linear order
    }
}

/// The float and the quantized model run in lockstep, window by window, in memory: per window
/// one float forward (observed for local SQNR and reference outputs) and one quantized forward
/// (with the scheme's fake quantization, observed for accumulated SQNR); the two logits are
/// compared at once and dropped.
public final class QuantLockstep {
    public let prepared: PreparedScheme
    let model: any QuantizableModel
    let tracker: LinearErrorTracker
    let intervention: FakeQuantIntervention
    public private(set) var floatPerplexity = PerplexityAccumulator()
    public private(set) var quantizedPerplexity = PerplexityAccumulator()
    public private(set) var comparison = LogitComparison()
    public private(set) var windowCount = 0
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
            let observer = ActivationRangeObserver(taps: taps)
            for window in calibration { _ = model.forward(tokens: window, observer: observer) }
            ranges = observer
        }
        intervention = FakeQuantIntervention(plan: plan, ranges: ranges)
        tracker = LinearErrorTracker(plan: plan, float: model, quantized: prepared.quantized,
                                     intervention: intervention, tokenStride: tokenStride)
    }

    /// The observer to attach to the float forward of a window before `compare` (it may share
    /// that forward with other observers and other schemes' locksteps).
    public var floatObserver: TapObserver { tracker.floatObserver }

    /// Runs one window through both models and accumulates every metric.
    public func step(tokens: [Int32], window: Int) throws(PerplexityError) {
        let f = model.forward(tokens: tokens, observer: floatObserver)
        try compare(tokens: tokens, window: window, floatLogits: f)
    }

    /// Runs the quantized model on a window whose float forward, observed by `floatObserver`,
    /// gave `f`, and accumulates every metric.
    public func compare(tokens: [Int32], window: Int, floatLogits f: Matrix) throws(PerplexityError) {
        let q = prepared.quantized.forward(tokens: tokens, observer: TapObservers([intervention, tracker.quantizedObserver]))
        let metrics = try LockstepMetrics.measure(float: f, quantized: q, tokens: tokens, window: window)
        floatPerplexity.merge(metrics.float)
        quantizedPerplexity.merge(metrics.quantized)
        comparison.merge(metrics.comparison)
        windowCount += 1
    }

    public func result() throws(PerplexityError) -> SchemeResult {
        let e2e = EndToEndError(perplexity: try quantizedPerplexity.result(), floatPerplexity: try floatPerplexity.result(),
                                klMean: comparison.klMean, top1Agreement: comparison.top1Agreement,
                                meanAbsDeltaTrueTokenProbability: comparison.meanAbsDeltaTrueToken,
                                positions: comparison.positions)
        let scheme = prepared.plan.scheme
        return SchemeResult(name: scheme.name, description: scheme.description, windowCount: windowCount,
                            tokenStride: tracker.tokenStride, endToEnd: e2e, embedding: nil,
                            layers: tracker.results(), weights: prepared.weightErrors)
    }
}

/// Evaluates schemes on a decoder over the analysis windows.
public enum QuantEvaluation {
    /// Checks every scheme against `model` before any forward pass. Returns the model as a
    /// `QuantizableModel` (nil when there is no scheme).
    public static func check(_ schemes: [QuantScheme], model: any LanguageModel, file: String) throws -> (any QuantizableModel)? {
        guard !schemes.isEmpty else { return nil }
        guard let quantizable = model as? any QuantizableModel else {
            throw QuantSchemeError(scheme: schemes[0].name, field: "model \(file)", found: "architecture \(model.architecture)",
                                   expected: "a model whose Linears can be quantized (LLaMA family)")
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
