import AtlasModels

/// What a mitigation produced: the model to analyze (transformed weights, and a runtime
/// intervention or quantization adjustments when it has them) and whether its float function
/// is the baseline's (exact) or changed (lossy), with notes on what it did.
public struct MitigationOutcome: Sendable {
    public var spec: MitigationSpec
    public var model: AnalyzedModel
    public var exact: Bool
    public var notes: [String]

    /// The decoder after the mitigation (every mitigation applies to decoders).
    public var decoder: any DecoderModel { model.decoder! }
}

/// Applies a parsed mitigation to a decoder. What each mitigation needs of the model is asked
/// of its family (`requirement`), never of its concrete type. Calibration-based mitigations
/// use the first windows of `calibration` (key `windows`).
public enum Mitigations {
    /// What a mitigation needs of a family.
    public enum Requirement: Sendable {
        /// Any decoder (runtime interventions at the taps, per-head q/k balancing).
        case decoder
        /// Pre-norm gammas without beta, movable into the Linears that read them.
        case foldableGammas
        /// A residual stream that an orthogonal rotation leaves exact (RMSNorm pre-norm, RoPE).
        case rotationInvariant
        /// A decoder whose q and k are not normalised after their projections (q/k balancing).
        case unnormalizedQK

        func holds(for family: ModelFamily) -> Bool {
            switch self {
            case .decoder: family.isDecoder
            case .foldableGammas: family.isDecoder && family.hasFoldablePreNormGammas
            case .rotationInvariant: family.isDecoder && family.isRotationInvariant
            case .unnormalizedQK: family.isDecoder && !family.hasQKNorms
            }
        }

        /// What the requirement asks, and the architectures of the families that meet it.
        var expected: String {
            let what: String
            switch self {
            case .decoder: what = "a decoder"
            case .foldableGammas: what = "a decoder with RMSNorm pre-norm gammas"
            case .rotationInvariant: what = "a rotation-invariant decoder: RMSNorm pre-norm, RoPE, no norm on a sublayer's output"
            case .unnormalizedQK: what = "a decoder without per-head q/k norms (a norm after W_q/W_k undoes their rescaling)"
            }
            let meeting = ModelFamily.all.filter(holds).flatMap(\.architectures)
            return "\(what) (\(meeting.joined(separator: ", ")))"
        }
    }

    public static let requirements: [String: Requirement] = [
        "smoothquant": .foldableGammas, "gamma-smoothing": .foldableGammas, "rotation": .rotationInvariant,
        "otc-tuning": .unnormalizedQK, "tma-removal": .decoder, "clip": .decoder, "int8-mixed": .decoder,
        "prefix-sink": .decoder,
    ]

    /// True when `family` takes the mitigation `name`.
    public static func supports(_ name: String, family: ModelFamily) -> Bool {
        requirements[name]?.holds(for: family) ?? false
    }

    /// Why `family` cannot take mitigation `name`: what the mitigation needs; nil when it can.
    public static func unmetNeed(_ name: String, family: ModelFamily) -> String? {
        guard let requirement = requirements[name] else { return "an unknown mitigation" }
        return requirement.holds(for: family) ? nil : requirement.expected
    }

    /// Refuses a mitigation the family cannot take, naming the file, the family and what it needs.
    public static func check(_ spec: MitigationSpec, family: ModelFamily, file: String) throws(MitigationError) {
        guard let requirement = requirements[spec.name] else {
            throw MitigationError(spec: spec.description, field: "name", found: spec.name,
                                  expected: "one of " + MitigationSpecParser.names.joined(separator: ", "))
        }
        guard requirement.holds(for: family) else {
            throw MitigationError(spec: spec.description, field: "model \(file)",
                                  found: "architecture \(family.architectures.first ?? family.name) (\(family.summary))",
                                  expected: requirement.expected)
        }
    }

    public static func apply(_ spec: MitigationSpec, to model: any DecoderModel, calibration: [[Int32]],
                             file: String = "model") throws(MitigationError) -> MitigationOutcome {
        try check(spec, family: model.family, file: file)
        func outcome(_ m: any DecoderModel, exact: Bool, notes: [String], intervention: (any TapObserver & Sendable)? = nil) -> MitigationOutcome {
            MitigationOutcome(spec: spec, model: AnalyzedModel(decoder: m, intervention: intervention), exact: exact, notes: notes)
        }
        switch spec.name {
        case "smoothquant":
            let windows = Array(calibration.prefix(spec.int("windows")))
            return outcome(SmoothQuant.apply(model, alpha: Float(spec.double("alpha")), calibration: windows), exact: true,
                           notes: ["scales from \(windows.count) calibration windows"])
        case "rotation":
            return outcome(HadamardRotation.apply(model, seed: UInt64(spec.int("seed"))), exact: true,
                           notes: ["R1 = diag(signs) · H / √\(model.hiddenSize)"])
        case "tma-removal": return MassiveRemoval.outcome(spec, model, calibration: calibration)
        case "gamma-smoothing":
            let fold = spec.parameters["mode"] == "fold"
            let (smoothed, count) = GammaSmoothing.apply(model, k: Float(spec.double("k")), fold: fold)
            return outcome(smoothed, exact: fold, notes: ["\(count) gamma entries shrunk"])
        case "clip": return try Clipping.outcome(spec, model, calibration: calibration)
        case "int8-mixed": return Clipping.mixedPrecisionOutcome(spec, model)
        case "prefix-sink": return try PrefixSink.outcome(spec, model, calibration: calibration)
        default:
            let (tuned, notes) = OTCTuning.apply(model, k: Float(spec.double("k")))
            return outcome(tuned, exact: true, notes: notes)
        }
    }
}
