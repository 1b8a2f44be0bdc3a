import AtlasModels

/// The outcomes of the `clip` and `int8-mixed` mitigations:
///
/// - `clip` (`target=activations`, default): per-channel clipping of every Linear input
///   (attn.norm, attn.ctx, ffn.norm, ffn.down_in of each block) at the `percentile`-th
///   percentile of |x| over the first `windows` calibration windows (`ActivationClipping`) —
///   lossy, it changes the float model and hence every quantized one;
/// - `clip:target=weights`: the MSE-optimal clip ratio per weight quantization range of each
///   evaluated scheme (`WeightClipSearch`) — exact in float, only the quantized model changes;
/// - `int8-mixed`: LLM.int8-style mixed precision at `threshold` (`MixedPrecision`) — exact in
///   float; the fraction of columns kept float is reported per scheme after the evaluation.
enum Clipping {
    static func outcome(_ spec: MitigationSpec, _ model: any DecoderModel, calibration: [[Int32]]) throws(MitigationError) -> MitigationOutcome {
        if spec.parameters["target"] == "weights" {
            let adjustments = QuantizationAdjustments(weightClipRatios: QuantizationAdjustments.defaultClipRatios)
            return MitigationOutcome(spec: spec, model: AnalyzedModel(decoder: model, adjustments: adjustments), exact: true,
                                     notes: ["MSE-optimal weight clip per quantization range, ratios 1.00, 0.99, …, 0.50"])
        }
        let windows = Array(calibration.prefix(spec.int("windows")))
        guard !windows.isEmpty else {
            throw MitigationError(spec: spec.description, field: "windows", found: "no calibration window", expected: "at least one")
        }
        let taps = Set(model.linearSites.map { model.inputTap(of: $0) })
        let clipping = ActivationClipping.calibrate(model, taps: taps, calibration: windows, percentile: spec.double("percentile"))
        let total = clipping.thresholds.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } }
        let tokens = windows.reduce(0) { $0 + $1.count }
        return MitigationOutcome(spec: spec, model: AnalyzedModel(decoder: model, intervention: clipping), exact: false, notes: [
            "thresholds at \(taps.map(\.rawValue).sorted().joined(separator: ", ")) from \(windows.count) windows (\(tokens) tokens)",
            "\(clipping.clippedChannels) of \(total) channels clipped; \(clipping.clippedEntries) calibration entries above their threshold",
        ])
    }

    static func mixedPrecisionOutcome(_ spec: MitigationSpec, _ model: any DecoderModel) -> MitigationOutcome {
        let threshold = Float(spec.double("threshold"))
        return MitigationOutcome(spec: spec, model: AnalyzedModel(decoder: model, adjustments: QuantizationAdjustments(outlierThreshold: threshold)),
                                 exact: true, notes: ["Linear input columns with |x| ≥ \(spec.parameters["threshold"]!) in a window stay float"])
    }
}
