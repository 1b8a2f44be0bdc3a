import AtlasResults
import AtlasSite
import Foundation

/// Synthetic results for site tests: a few layers, 64 channels, deterministic numbers.
enum SampleResults {
    static let hostileLabel = #""><script>alert(1)</script>"#
    static let hostileTokens = [
        "</td><script>alert(1)</script>",
        #"" onmouseover="x"#,
        "<|endoftext|>",
        "&amp; literal",
    ]

    /// Renders the folder site.
    static func site(_ results: [RunResult]) throws -> [String: Data] {
        try SiteRenderer().render(results: results, templates: templates, assets: assets)
    }

    /// Renders the single file.
    static func singleFile(_ results: [RunResult]) throws -> Data {
        try SiteRenderer().renderSingleFile(results: results, templates: templates, assets: assets)
    }

    static let templates = AtlasSiteTestPaths.repoRoot.appendingPathComponent("templates")
    static let assets = AtlasSiteTestPaths.repoRoot.appendingPathComponent("assets")

    static func result(label: String, architecture: String = "llama", layers: Int = 4, channels: Int = 64,
                       tokens: [String] = ["the", " of", "\n\n", "<s>"], massivePerLayer: Int = 1,
                       generatedAt: String? = nil, seed: Int = 1) -> RunResult {
        let provenance = Provenance(
            toolVersion: "0.1.0", modelLabel: label, modelFile: "models/\(label).gguf",
            modelSHA256: String(repeating: "ab", count: 32), modelFormat: "gguf",
            dataFile: "data/wiki.test.raw", dataSHA256: String(repeating: "cd", count: 32),
            textMode: "joined", tokenizer: "bpe", bos: true, windowSize: 512, windowCount: 8,
            criterion: MassiveCriterion(), generatedAt: generatedAt)
        let model = ModelSummary(label: label, architecture: architecture, blockCount: layers, hiddenSize: channels,
                                 ffnSize: channels * 4, headCount: 8, kvHeadCount: 2, vocabSize: 49_152,
                                 parameterCount: 134_515_008)
        var taps: [TapSummary] = []
        var massive: [LocatedActivation<Double>] = []
        for layer in 0..<layers {
            // Channel 7 grows into a massive outlier from layer 1 on; the rest are ~0.1–1.
            let absmax: [Float] = (0..<channels).map { c in
                if c == 7 && layer >= 1 { return Float(300 * layer * seed) }
                return 0.1 + Float((c * 37 + layer * 11 + seed) % 90) / 100
            }
            let maxAbs = Double(absmax.max()!)
            let token = tokens[layer % tokens.count]
            let top = [LocatedActivation(window: layer % 3, position: layer + 1, dim: 7, value: layer % 2 == 0 ? maxAbs : -maxAbs, token: token)]
            let count = layer >= 1 ? massivePerLayer : 0
            taps.append(TapSummary(block: layer, tap: "attn.out", yIndex: nil, elementCount: 512 * channels,
                                   maxAbs: 2, medianAbs: 0.1, top: [], massiveCount: 0,
                                   channelAbsmax: Array(repeating: 2, count: channels), nonFiniteCount: 0))
            taps.append(TapSummary(block: layer, tap: "ffn.down_in", yIndex: "y6", elementCount: 512 * channels * 4,
                                   maxAbs: maxAbs / 2, medianAbs: 0.02, top: top, massiveCount: 0,
                                   channelAbsmax: Array(repeating: 1, count: channels * 4), nonFiniteCount: layer))
            taps.append(TapSummary(block: layer, tap: "ffn.resid", yIndex: "y8", elementCount: 512 * channels,
                                   maxAbs: maxAbs, medianAbs: 0.05 + Double(layer) / 100, top: top, massiveCount: count,
                                   channelAbsmax: absmax, nonFiniteCount: 0))
            for i in 0..<count {
                massive.append(LocatedActivation(layer: layer, window: i, position: 0, dim: 7, value: maxAbs,
                                                 token: tokens[(layer + i) % tokens.count]))
            }
        }
        let perplexity = PerplexityResult(allPositions: 21.734_5 * Double(seed), secondHalf: 17.25, scoredTokensAll: 4088,
                                          scoredTokensSecondHalf: 2048)
        return RunResult(provenance: provenance, model: model, perplexity: perplexity, taps: taps,
                         massiveActivations: massive)
    }

    /// Three ordinary models (one without perplexity, one duplicate-slug label).
    static var ordinary: [RunResult] {
        var noPerplexity = result(label: "MiniLM L6", architecture: "bert", layers: 3, seed: 2)
        noPerplexity.perplexity = nil
        return [result(label: "SmolLM2-135M Q4_1", layers: 5), noPerplexity,
                result(label: "smollm2 135m q4 1", layers: 2, seed: 3)]
    }

    /// A hostile label and hostile tokens; the first model also has an anatomy and a
    /// quantization scheme (with a hostile name and description), so those pages are covered.
    static var hostile: [RunResult] {
        var first = result(label: hostileLabel, tokens: hostileTokens, massivePerLayer: 4)
        first.anatomy = AnatomySample.anatomy(tokens: hostileTokens)
        var scheme = QuantizationPageTests.scheme(hostileLabel, blocks: 4, base: 30, kl: 0.05, ppl: 22)
        scheme.description = hostileTokens[0]
        first.quantization = [scheme]
        return [first, result(label: "plain", tokens: hostileTokens)]
    }
}

enum AtlasSiteTestPaths {
    /// Repository root (this file is Tests/AtlasSiteTests/SampleResults.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}
