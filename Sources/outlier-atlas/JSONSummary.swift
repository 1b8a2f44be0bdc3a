import AtlasResults
import Foundation

/// The `--json` summary printed on stdout for scripts: stable keys in snake_case.
enum JSONSummary {
    static func make(_ r: RunResult, resultsFile: String) throws -> String {
        var object: [String: Any] = [
            "model": r.model.label,
            "results_file": resultsFile,
            "windows": r.provenance.windowCount,
            "window_size": r.provenance.windowSize,
            "text_mode": r.provenance.textMode,
            "bos": r.provenance.bos,
            "massive_activation_count": r.massiveActivations.count,
            "massive_activations": r.massiveActivations.map {
                ["layer": $0.layer ?? NSNull(), "window": $0.window, "position": $0.position, "dim": $0.dim,
                 "value": $0.value, "token": $0.token] as [String: Any]
            },
        ]
        if let p = r.perplexity {
            object["perplexity"] = ["all_positions": p.allPositions, "second_half": p.secondHalf,
                                    "scored_tokens_all": p.scoredTokensAll,
                                    "scored_tokens_second_half": p.scoredTokensSecondHalf]
        }
        if let schemes = r.quantization { object["quantization"] = quantization(schemes) }
        if let variants = r.variants { object["variants"] = Self.variants(variants, baseline: r) }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// `variants.NAME` per variant; when a name occurs twice (`tma-removal:mode=zero` next to
    /// `tma-removal:mode=mean`), those variants are keyed by their canonical spec instead.
    /// Each entry also has `finding`, the comparison page's sentence for the variant.
    static func variants(_ variants: [VariantResult], baseline: RunResult) -> [String: Any] {
        let counts = Dictionary(variants.map { ($0.name, 1) }, uniquingKeysWith: +)
        return Dictionary(variants.map { v -> (String, Any) in
            var entry: [String: Any] = ["spec": v.spec, "exact": v.exact, "notes": v.notes,
                                        "massive_activation_count": v.massiveActivationCount, "max_abs": v.maxAbs,
                                        "outlier_channels": v.outlierChannelCount]
            if let p = v.perplexity { entry["perplexity"] = ["all_positions": p.allPositions, "second_half": p.secondHalf] }
            if let q = v.quantization { entry["quantization"] = quantization(q) }
            if let f = v.floatColumnFraction { entry["float_column_fraction"] = f }
            entry["finding"] = v.finding(against: baseline)
            return (counts[v.name] == 1 ? v.name : v.spec, entry)
        }, uniquingKeysWith: { a, _ in a })
    }

    static func quantization(_ schemes: [SchemeResult]) -> [String: Any] {
        Dictionary(uniqueKeysWithValues: schemes.map { s -> (String, Any) in
            var entry: [String: Any] = ["description": s.description, "windows": s.windowCount]
            if let e = s.endToEnd {
                entry["perplexity"] = ["all_positions": e.perplexity.allPositions, "second_half": e.perplexity.secondHalf]
                entry["float_perplexity"] = ["all_positions": e.floatPerplexity.allPositions, "second_half": e.floatPerplexity.secondHalf]
                entry["kl_mean"] = e.klMean
                entry["top1_agreement"] = e.top1Agreement
                entry["mean_abs_delta_true_token_probability"] = e.meanAbsDeltaTrueTokenProbability
            }
            if let e = s.embedding {
                entry["cosine_mean"] = e.meanCosine
                entry["cosine_worst"] = e.worstCosine
                entry["sentences"] = e.sentences
            }
            return (s.name, entry)
        })
    }
}
