import AtlasResults
import Foundation

/// A hand-built result with two mitigated variants (no model run): a lossy `tma-removal` that
/// shrinks the massive channel 7 and leaves one massive entry, and an exact variant with a
/// hostile name, spec and notes that halves channel 7 but makes channel 3 the largest value of
/// all (2000), so the shared colour scale's top comes from a variant, not the baseline.
enum ComparisonSample {
    static let hostileName = #"</script><script>alert("v")</script>"#
    static let hostileSpec = #"smoothquant:alpha=0.5,note="><img src=x onerror=alert(1)>"#
    static let hostileNote = "</td></tr></table><script>alert('n')</script> & more"
    static let label = "SmolLM2 mitigated"
    static let slug = "smollm2-mitigated"

    /// The baseline: 4 blocks, 3 massive entries in each of blocks 1–3, a W8A8 scheme, and a
    /// Pearson kurtosis per channel (channel 7: 40 + block, others 3).
    static var result: RunResult {
        var r = withKurtosis(SampleResults.result(label: label, layers: 4, massivePerLayer: 3))
        r.quantization = [QuantizationPageTests.scheme("W8A8", blocks: 4, base: 40, kl: 0.02, ppl: 22.5)]
        let tma = variant(of: r, channel7: 0.5, channel3: nil, massiveAtLastBlock: 1)
        var removal = VariantResult(name: "tma-removal", spec: "tma-removal:mode=zero,windows=4", exact: false,
                                    notes: ["blocks 1: channel 117 above 3.5"], perplexity: perplexity(21.9),
                                    massiveActivationCount: tma.totalMassiveCount, maxAbs: tma.maxAbs.max()!,
                                    outlierChannelCount: tma.distinctOutlierChannels,
                                    quantization: [QuantizationPageTests.scheme("W8A8", blocks: 4, base: 41, kl: 0.01, ppl: 22.0)])
        removal.profile = tma
        let loud = variant(of: r, channel7: 450, channel3: 2000, massiveAtLastBlock: nil)
        var hostile = VariantResult(name: hostileName, spec: hostileSpec, exact: true, notes: [hostileNote, "second note"],
                                    perplexity: perplexity(r.perplexity!.allPositions + 0.0001),
                                    massiveActivationCount: loud.totalMassiveCount, maxAbs: loud.maxAbs.max()!,
                                    outlierChannelCount: loud.distinctOutlierChannels, quantization: nil)
        hostile.profile = loud
        r.variants = [removal, hostile]
        return r
    }

    /// `result` with the baseline's anatomy (sink at position 0, mass 0.55 in every block) and
    /// the attention-sink figures of the first variant: a cached prefix of one token (position
    /// −1) holding 0.75 of the attention in every block, 0.05 left on position 0.
    static var withSinks: RunResult {
        var r = result
        r.model.label = label + " sinks"
        r.anatomy = AnatomySample.anatomy(tokens: ["<s>", "a", "b"])
        r.variants![0].attentionSinks = SinkSummary(
            window: 0, positions: [-1, 0], tokens: ["\n\n", "<s>"], fallback: false,
            layers: (0..<4).map { SinkLayer(block: $0, heads: [0.7, 0.8], mean: 0.8) })
        return r
    }

    static func perplexity(_ value: Double) -> PerplexityResult {
        PerplexityResult(allPositions: value, secondHalf: value * 0.8, scoredTokensAll: 4088, scoredTokensSecondHalf: 2048)
    }

    static func withKurtosis(_ base: RunResult) -> RunResult {
        var r = base
        for i in r.taps.indices where r.taps[i].tap == "ffn.resid" {
            var k = [Float](repeating: 3, count: r.taps[i].channelAbsmax.count)
            k[7] = Float(40 + r.taps[i].block)
            r.taps[i].channelKurtosis = k
        }
        return r
    }

    /// The profile of `base` with channel 7 set to `channel7` from block 1 on, channel 3 to
    /// `channel3` everywhere, kurtosis of channel 7 back to 3, and massive entries only at the
    /// last block (`massiveAtLastBlock`) or as in the baseline (nil).
    static func variant(of base: RunResult, channel7: Float, channel3: Float?, massiveAtLastBlock: Int?) -> OutlierProfile {
        var r = base
        let last = r.taps.map(\.block).max()!
        for i in r.taps.indices where r.taps[i].tap == "ffn.resid" {
            if r.taps[i].block >= 1 { r.taps[i].channelAbsmax[7] = channel7 }
            if let channel3 { r.taps[i].channelAbsmax[3] = channel3 }
            r.taps[i].maxAbs = Double(r.taps[i].channelAbsmax.max()!)
            r.taps[i].channelKurtosis?[7] = 3
            if let massiveAtLastBlock { r.taps[i].massiveCount = r.taps[i].block == last ? massiveAtLastBlock : 0 }
        }
        return OutlierProfile.make(from: r, outlierFactor: 10)
    }
}
