import AtlasModels
import AtlasResults
import Foundation

/// Analyzes each mitigated variant of a model exactly like the baseline: the mitigation is
/// applied (calibrating on the first analysis windows), then `ModelAnalysis.analyze` runs the
/// variant over the same windows with the same taps and schemes, and its headline figures are
/// kept as a `VariantResult`.
public enum VariantAnalysis {
    public static func run(_ specs: [MitigationSpec], loaded: LoadedModel, windows: [[Int32]], label: String, text: URL,
                           options: AnalysisOptions, taps: Set<TapName>, schemes: [QuantScheme],
                           baselineSinks: SinkSummary? = nil) throws -> [VariantResult] {
        var variantOptions = options
        variantOptions.anatomy = false
        return try specs.map { spec in
            let outcome = try Mitigations.apply(spec, to: try loaded.decoder(), calibration: windows, file: loaded.url.path)
            let r = try ModelAnalysis.analyze(outcome.model, decoder: outcome.decoder, loaded: loaded, windows: windows, label: label,
                                              text: text, options: variantOptions, taps: taps.union([.ffnResid]), schemes: schemes,
                                              progress: { _, _ in })
            var variant = summarize(r, outcome: outcome, outlierFactor: options.outlierFactor)
            let tokenizer = loaded.tokenizer
            variant.attentionSinks = baselineSinks.flatMap {
                SinkMeasurement.variant(outcome.model, decoder: outcome.decoder, baseline: $0, windows: windows, tokenText: tokenizer.tokenText)
            }
            return variant
        }
    }

    /// The variant's headline figures and its block-output profile (same outlier rule as the
    /// anatomy: k × the median channel absmax of each block output).
    static func summarize(_ r: RunResult, outcome: MitigationOutcome, outlierFactor: Double) -> VariantResult {
        let profile = OutlierProfile.make(from: r, outlierFactor: outlierFactor)
        let report = outcome.model.adjustments.report
        var variant = VariantResult(name: outcome.spec.name, spec: outcome.spec.description, exact: outcome.exact,
                                    notes: outcome.notes + report.notes(), perplexity: r.perplexity,
                                    massiveActivationCount: r.massiveActivations.count,
                                    maxAbs: profile.maxAbs.max() ?? 0, outlierChannelCount: profile.distinctOutlierChannels,
                                    quantization: r.quantization)
        variant.profile = profile
        let kept = report.schemes.compactMap { s in report.keptFraction(scheme: s).map { (s, $0) } }
        variant.floatColumnFraction = kept.isEmpty ? nil : Dictionary(uniqueKeysWithValues: kept)
        return variant
    }
}
