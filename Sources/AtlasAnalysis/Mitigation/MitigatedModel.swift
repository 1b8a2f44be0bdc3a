import AtlasModels

/// A LLaMA model after a mitigation: the transformed weights plus an optional runtime
/// intervention applied at the taps on every forward (before any other observer, so quantized
/// forwards and statistics see the mitigated values), and the changes it makes to its own
/// quantization (`adjustments`). Analyzed exactly like the baseline.
public struct MitigatedModel: Sendable {
    public let base: LlamaModel
    public let intervention: (any TapObserver & Sendable)?
    public let adjustments: QuantizationAdjustments

    public init(base: LlamaModel, intervention: (any TapObserver & Sendable)? = nil, adjustments: QuantizationAdjustments = .plain) {
        self.base = base
        self.intervention = intervention
        self.adjustments = adjustments
    }
}

extension MitigatedModel: LanguageModel {
    public var architecture: String { base.architecture }
    public var ffnFamily: FFNFamily { base.ffnFamily }
    public var blockCount: Int { base.blockCount }
    public var hiddenSize: Int { base.hiddenSize }
    public var ffnSize: Int { base.ffnSize }
    public var headCount: Int { base.headCount }
    public var kvHeadCount: Int { base.kvHeadCount }
    public var vocabSize: Int { base.vocabSize }
    public var parameterCount: Int { base.parameterCount }

    public func forward(tokens: [Int32], observer: TapObserver?) -> Matrix {
        guard let intervention else { return base.forward(tokens: tokens, observer: observer) }
        guard let observer else { return base.forward(tokens: tokens, observer: intervention) }
        return base.forward(tokens: tokens, observer: TapObservers([intervention, observer]))
    }
}

extension MitigatedModel: QuantizableModel {
    public var linearSites: [LinearSite] { base.linearSites }
    public func linear(at site: LinearSite) -> Linear { base.linear(at: site) }
    public func transformingLinears(_ transform: (LinearSite, Linear) throws -> Linear) rethrows -> MitigatedModel {
        MitigatedModel(base: try base.transformingLinears(transform), intervention: intervention, adjustments: adjustments)
    }
    public var quantizationAdjustments: QuantizationAdjustments { adjustments }
}

/// What a mitigation produced: the model to analyze and whether its float function is the
/// baseline's (exact) or changed (lossy), with notes on what it did.
public struct MitigationOutcome: Sendable {
    public var spec: MitigationSpec
    public var model: MitigatedModel
    public var exact: Bool
    public var notes: [String]
}

/// Applies a parsed mitigation to a LLaMA-family model. Calibration-based mitigations use the
/// first windows of `calibration` (key `windows`). Other families (GPT-2, OPT with LayerNorm
/// and biases; BERT post-norm) need their own folding of beta/bias and are refused.
public enum Mitigations {
    public static func apply(_ spec: MitigationSpec, to model: any LanguageModel, calibration: [[Int32]],
                             file: String = "model") throws(MitigationError) -> MitigationOutcome {
        guard let llama = model as? LlamaModel else {
            throw MitigationError(spec: spec.description, field: "model \(file)", found: "architecture \(model.architecture)",
                                  expected: "a LLaMA-family model (RMSNorm, gated FFN)")
        }
        switch spec.name {
        case "smoothquant":
            let windows = Array(calibration.prefix(spec.int("windows")))
            let smoothed = SmoothQuant.apply(llama, alpha: Float(spec.double("alpha")), calibration: windows)
            return MitigationOutcome(spec: spec, model: MitigatedModel(base: smoothed), exact: true,
                                     notes: ["scales from \(windows.count) calibration windows"])
        case "rotation":
            let rotated = HadamardRotation.apply(llama, seed: UInt64(spec.int("seed")))
            return MitigationOutcome(spec: spec, model: MitigatedModel(base: rotated), exact: true,
                                     notes: ["R1 = diag(signs) · H / √\(llama.hiddenSize)"])
        case "tma-removal":
            let removal = MassiveRemoval.calibrate(llama, calibration: Array(calibration.prefix(spec.int("windows"))),
                                                   mode: MassiveRemoval.Mode(rawValue: spec.parameters["mode"]!)!)
            return MitigationOutcome(spec: spec, model: MitigatedModel(base: llama, intervention: removal), exact: false,
                                     notes: removal.thresholds.keys.sorted().map { b in
                                         "block \(b): down_in channels " + removal.thresholds[b]!.keys.sorted().map(String.init).joined(separator: ", ") })
        case "gamma-smoothing":
            let fold = spec.parameters["mode"] == "fold"
            let (smoothed, count) = GammaSmoothing.apply(llama, k: Float(spec.double("k")), fold: fold)
            return MitigationOutcome(spec: spec, model: MitigatedModel(base: smoothed), exact: fold,
                                     notes: ["\(count) gamma entries shrunk"])
        case "clip": return try Clipping.outcome(spec, llama, calibration: calibration)
        case "int8-mixed": return Clipping.mixedPrecisionOutcome(spec, llama)
        case "otc-tuning":
            let (tuned, notes) = OTCTuning.apply(llama, k: Float(spec.double("k")))
            return MitigationOutcome(spec: spec, model: MitigatedModel(base: tuned), exact: true, notes: notes)
        default:
            throw MitigationError(spec: spec.description, field: "name", found: spec.name,
                                  expected: "one of " + MitigationSpecParser.names.joined(separator: ", "))
        }
    }
}
