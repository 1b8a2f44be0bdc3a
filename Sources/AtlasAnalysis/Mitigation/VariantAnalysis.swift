import AtlasModels
import AtlasResults
import Foundation

/// Analyzes each mitigated variant of a model exactly like the baseline: the mitigation is
/// applied (calibrating on the first analysis windows), then `ModelAnalysis.run` runs the
/// variant over the same windows with the same taps and schemes, and its headline figures are
/// kept as a `VariantResult`.
public enum VariantAnalysis {
    public static func run(_ specs: [MitigationSpec], loaded: LoadedModel, windows: [[Int32]], label: String, text: URL,
                           options: AnalysisOptions, taps: Set<TapName>, schemes: [QuantScheme]) throws -> [VariantResult] {
        var variantOptions = options
        variantOptions.anatomy = false
        return try specs.map { spec in
            let outcome = try Mitigations.apply(spec, to: loaded.model, calibration: windows, file: loaded.url.path)
            let variant = LoadedModel(url: loaded.url, format: loaded.format, model: outcome.model,
                                      tokenizer: loaded.tokenizer, bos: loaded.bos)
            let r = try ModelAnalysis.run(variant, label: label, text: text, options: variantOptions,
                                          taps: taps.union([.ffnResid]), schemes: schemes)
            return summarize(r, outcome: outcome, outlierFactor: options.outlierFactor)
        }
    }

    static func summarize(_ r: RunResult, outcome: MitigationOutcome, outlierFactor: Double) -> VariantResult {
        let resid = r.taps.filter { $0.tap == TapName.ffnResid.rawValue }
        var channels = Set<Int>()
        for t in resid {
            for (j, m) in t.channelAbsmax.enumerated() where Double(m) > outlierFactor * t.medianAbs { channels.insert(j) }
        }
        let report = outcome.model.adjustments.report
        var v = VariantResult(name: outcome.spec.name, spec: outcome.spec.description, exact: outcome.exact,
                              notes: outcome.notes + report.notes(),
                              perplexity: r.perplexity, massiveActivationCount: r.massiveActivations.count,
                              maxAbs: resid.map(\.maxAbs).max() ?? 0, outlierChannelCount: channels.count,
                              quantization: r.quantization)
        let kept = report.schemes.compactMap { s in report.keptFraction(scheme: s).map { (s, $0) } }
        v.floatColumnFraction = kept.isEmpty ? nil : Dictionary(uniqueKeysWithValues: kept)
        return v
    }
}
