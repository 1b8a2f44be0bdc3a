import AtlasModels
import AtlasResults

/// A scheme made ready for one model: checked, and its weights quantized.
public struct PreparedScheme: Sendable {
    public let plan: QuantPlan
    /// The model with quantize–dequantized Linear weights (embeddings, head, norms shared;
    /// the intervention and adjustments kept).
    public let quantized: AnalyzedModel
    public let weightErrors: [WeightError]

    /// Checks `scheme` against `model` (every impossible choice is a `QuantSchemeError`) and
    /// quantizes a copy of its weights (with the MSE-optimal clip per range when the model's
    /// `adjustments` ask for it; what the search found goes to their report).
    public init(_ scheme: QuantScheme, model: AnalyzedModel) throws(QuantSchemeError) {
        let plan = try QuantPlan.make(scheme, for: model.blocks)
        var errors: [WeightError] = []
        let adjustments = model.adjustments
        let quantized = model.transformingLinears { site, linear in
            guard let format = plan.weightFormats[site] else { return linear }
            let w: Matrix
            if let ratios = adjustments.weightClipRatios {
                let (clipped, clip) = WeightClipSearch.fakeQuantize(linear.weight, format, ratios: ratios)
                w = clipped
                if let clip { adjustments.report.record(scheme: scheme.name, clip: clip) }
            } else {
                w = WeightQuantizer.fakeQuantize(linear.weight, format)
            }
            errors.append(WeightQuantizer.error(tensor: site.tensorName, format: format.label, original: linear.weight, quantized: w))
            return Linear(weight: w, bias: linear.bias)
        }
        self.plan = plan
        self.quantized = quantized
        self.weightErrors = errors  // transformingLinears visits sites in block then Linear order
    }
}
