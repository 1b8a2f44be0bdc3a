import AtlasModels
import AtlasResults

/// The prefix-sink remedy (after PrefixQuant, Chen et al. 2024, arXiv 2410.05265, and
/// CushionCache, Son et al. 2024, arXiv 2406.12016): massive activations are the attention
/// sinks of the first position and of a few delimiter tokens; a fixed prefix of those tokens is
/// run once, its keys and values are kept in float and prepended to every window's attention, so
/// the sink lives in the cache and the window's own tokens (all that statistics, activation
/// quantization and scoring see) no longer need to make it. Perplexity stays comparable: each
/// window is still scored on its own predictions of its own tokens.
///
/// `tokens=auto` picks the prefix from calibration, as PrefixQuant does: the tokens that carry
/// massive activations (Sun et al.: |x| > 100 and > 1000 × the median |x| of the block output)
/// at positions after the first, the most frequent first (at most `maxAuto`), after the token that
/// opens the first calibration window (the position-0 sink every window has).
enum PrefixSink {
    static let maxAuto = 3

    static func outcome(_ spec: MitigationSpec, _ model: any DecoderModel, calibration: [[Int32]]) throws(MitigationError) -> MitigationOutcome {
        let windows = Array(calibration.prefix(spec.int("windows")))
        let text = spec.parameters["tokens"] ?? "auto"
        let tokens: [Int32]
        var notes: [String] = []
        if text == "auto" {
            let carriers = massiveCarriers(model, calibration: windows)
            tokens = [windows.first?.first ?? 0] + carriers.prefix(maxAuto).map(\.token).filter { $0 != windows.first?.first }
            notes.append("tokens=auto from \(windows.count) calibration windows: " + (carriers.isEmpty
                ? "no massive activation after position 0; the prefix is the first window's first token"
                : "massive activations after position 0 are carried by " + carriers.prefix(maxAuto).map { "id \($0.token) (×\($0.count))" }.joined(separator: ", ")))
        } else {
            tokens = text.split(separator: ",").map { Int32($0)! }
            if let bad = tokens.first(where: { Int($0) >= model.vocabSize }) {
                throw MitigationError(spec: spec.description, field: "tokens", found: "id \(bad)",
                                      expected: "token ids below the model's vocabulary size \(model.vocabSize)")
            }
        }
        var prefixed = model
        prefixed.kvPrefix = model.prefixCache(tokens: tokens)
        notes.append("prefix ids \(tokens.map(String.init).joined(separator: " ")): \(tokens.count) position(s) of float keys and values "
                     + "prepended in every block; windows start at position \(tokens.count) and are scored on their own tokens only")
        return MitigationOutcome(spec: spec, model: AnalyzedModel(decoder: prefixed), exact: false, notes: notes)
    }

    /// Tokens carrying massive block outputs at positions > 0 in `calibration`, by how many
    /// (token, position) rows they make massive, most first (ties: lower id first).
    static func massiveCarriers(_ model: any DecoderModel, calibration: [[Int32]]) -> [(token: Int32, count: Int)] {
        var counts: [Int32: Int] = [:]
        var scratch = MedianScratch()
        for window in calibration {
            var rows = Set<Int>()
            let finder = ClosureObserver(taps: [.ffnResid]) { _, _, value in
                for entry in MassiveDetector.detect(value, criterion: MassiveCriterion(), scratch: &scratch).entries where entry.position > 0 {
                    rows.insert(entry.position)
                }
            }
            _ = model.forward(tokens: window, observer: finder)
            for t in rows { counts[window[t], default: 0] += 1 }
        }
        return counts.map { (token: $0.key, count: $0.value) }.sorted { ($0.count, -$0.token) > ($1.count, -$1.token) }
    }
}
