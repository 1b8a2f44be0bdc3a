import AtlasModels
import AtlasResults

/// The attention mass on the sink positions, per block and head, for the baseline's anatomy and
/// for each mitigated variant on the baseline's own trace window and sink positions (does the
/// attention still go to the sink once its massive value is gone?). A cached prefix (prefix-sink,
/// tma-removal's explicit bias) adds its positions −P…−1 in front.
enum SinkMeasurement {
    /// The sink positions of a pass: a cached prefix's −P…−1, then the carriers of massive
    /// activations (position 0 when there are none and no prefix).
    static func positions(prefixCount: Int, carriers: [Int]) -> [Int] {
        Array(-prefixCount..<0) + (carriers.isEmpty && prefixCount == 0 ? [0] : carriers)
    }

    /// The summary of `mass` (block → per-head mass) measured on `tokens`, window `window`.
    static func summary(_ mass: [Int: [Double]], window: Int, positions: [Int], tokens: [Int32], prefix: KVPrefix?,
                        fallback: Bool, tokenText: (Int32) -> String) -> SinkSummary? {
        guard !mass.isEmpty else { return nil }
        let prefixTokens = prefix?.tokens ?? []
        let labels = positions.map { p -> String in
            if p >= 0 { return tokenText(tokens[p]) }
            return prefixTokens.isEmpty ? "bias" : tokenText(prefixTokens[prefixTokens.count + p])
        }
        return SinkSummary(window: window, positions: positions, tokens: labels, fallback: fallback,
                           layers: mass.keys.sorted().map { b in
                               let heads = mass[b]!
                               return SinkLayer(block: b, heads: heads, mean: heads.isEmpty ? 0 : heads.reduce(0, +) / Double(heads.count))
                           })
    }

    /// A variant's attention on the baseline's sinks: one pass of `model` (its intervention
    /// applied) over the baseline's trace window.
    static func variant(_ model: AnalyzedModel, decoder: any DecoderModel, baseline: SinkSummary, windows: [[Int32]],
                        tokenText: (Int32) -> String) -> SinkSummary? {
        guard baseline.window < windows.count else { return nil }
        let tokens = windows[baseline.window]
        let prefix = decoder.kvPrefix
        let positions = positions(prefixCount: prefix?.count ?? 0, carriers: baseline.positions.filter { $0 >= 0 && $0 < tokens.count })
        let recorder = TraceRecorder(positions: [], sinkPositions: positions, heatmap: nil, tokens: tokens.count)
        _ = model.pass(tokens: tokens, observer: recorder)
        return summary(recorder.sinkMass, window: baseline.window, positions: positions, tokens: tokens, prefix: prefix,
                       fallback: baseline.fallback, tokenText: tokenText)
    }
}
