import AtlasResults
import AtlasSite
import Foundation

/// `atlas-bench site`: render time of a synthetic study of 10 models × 30 layers, every one of
/// the 17 taps per block observed with SmolLM2-sized widths (576 hidden, 1536 FFN channels),
/// as a folder site and as a single file. The budget is 3 s for the folder site.
enum SiteRenderBench {
    static let models = 10, layers = 30, hidden = 576, ffn = 1536

    static let taps: [(name: String, y: String?, ffnWide: Bool)] = [
        ("attn.in", nil, false), ("attn.norm", nil, false), ("attn.q", nil, false), ("attn.k", nil, false),
        ("attn.v", nil, false), ("attn.probs", nil, false), ("attn.ctx", nil, false), ("attn.out", nil, false),
        ("attn.resid", nil, false), ("ffn.in", "y1", false), ("ffn.norm", "y2", false), ("ffn.gate", "y3", true),
        ("ffn.up", "y4", true), ("ffn.act", "y5", true), ("ffn.down_in", "y6", true), ("ffn.down_out", "y7", false),
        ("ffn.resid", "y8", false),
    ]

    /// A deterministic synthetic result: one massive channel growing from layer 2 on.
    static func result(_ index: Int) -> RunResult {
        let label = "Synthetic model \(index)"
        let provenance = Provenance(
            toolVersion: "bench", modelLabel: label, modelFile: "models/synthetic-\(index).gguf",
            modelSHA256: String(repeating: "0", count: 64), modelFormat: "gguf", dataFile: "wiki.test.raw",
            dataSHA256: String(repeating: "1", count: 64), textMode: "joined", tokenizer: "bpe", bos: false,
            windowSize: 512, windowCount: 40, criterion: MassiveCriterion(), generatedAt: nil)
        let model = ModelSummary(label: label, architecture: "llama", blockCount: layers, hiddenSize: hidden, ffnSize: ffn,
                                 headCount: 9, kvHeadCount: 3, vocabSize: 49_152, parameterCount: 134_515_008)
        var summaries: [TapSummary] = []
        var massive: [LocatedActivation<Double>] = []
        for layer in 0..<layers {
            for (t, tap) in taps.enumerated() {
                let width = tap.ffnWide ? ffn : hidden
                let channels: [Float] = (0..<width).map { c in
                    c == 17 && layer >= 2 ? Float(100 * layer + index) : 0.05 + Float((c * 31 + layer * 7 + t + index) % 97) / 50
                }
                let maxAbs = Double(channels.max()!)
                let top = (0..<16).map { k in
                    LocatedActivation(window: k % 40, position: k, dim: 17, value: maxAbs - Double(k), token: "tok\(k)")
                }
                let count = tap.name == "ffn.resid" && layer >= 2 ? 40 : 0
                summaries.append(TapSummary(block: layer, tap: tap.name, yIndex: tap.y, elementCount: 40 * 512 * width,
                                            maxAbs: maxAbs, medianAbs: 0.3, top: top, massiveCount: count,
                                            channelAbsmax: channels, nonFiniteCount: 0))
                if count > 0 {
                    massive += (0..<count).map {
                        LocatedActivation(layer: layer, window: $0, position: 0, dim: 17, value: maxAbs, token: "<|im_start|>")
                    }
                }
            }
        }
        return RunResult(provenance: provenance, model: model,
                         perplexity: PerplexityResult(allPositions: 20 + Double(index), secondHalf: 15, scoredTokensAll: 20_440,
                                                      scoredTokensSecondHalf: 10_200),
                         taps: summaries, massiveActivations: massive)
    }

    static func run(root: URL) throws {
        // As `render` gets them: decoded results with their file bytes (encoded here, untimed).
        let results = try (0..<models).map { try PublishedResult(encoding: result($0)) }
        let templates = try SiteTemplates(directory: root.appendingPathComponent("templates"))
        let assets = try SiteRenderer.loadAssets(from: root.appendingPathComponent("assets"))
        let renderer = SiteRenderer()
        var folder = Double.infinity, single = Double.infinity
        var fileCount = 0, folderBytes = 0, singleBytes = 0
        for _ in 0..<3 {
            var start = now()
            let files = try renderer.render(results, templates: templates, assets: assets)
            folder = min(folder, now() - start)
            fileCount = files.count
            folderBytes = files.values.map(\.count).reduce(0, +)
            start = now()
            singleBytes = try renderer.renderSingleFile(results, templates: templates, assets: assets).count
            single = min(single, now() - start)
        }
        line("")
        line("site render, \(models) models × \(layers) layers × \(taps.count) taps (synthetic, best of 3):")
        line("| output | files | MB | seconds |")
        line("|---|---|---|---|")
        line("| folder site | \(fileCount) | \(String(format: "%.1f", Double(folderBytes) / 1e6)) | \(String(format: "%.2f", folder)) |")
        line("| single file | 1 | \(String(format: "%.1f", Double(singleBytes) / 1e6)) | \(String(format: "%.2f", single)) |")
    }
}
