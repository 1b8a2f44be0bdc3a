import AtlasAnalysis
import AtlasModels
import Foundation

/// The encoder part of `make bench`: all-MiniLM-L6-v2 sentence embeddings on 128-token
/// WikiText-2 chunks ([CLS] … [SEP] included), against the pure GEMM time of the same shapes.
enum MiniLMBench {
    static let tokens = 128

    static func run(model: URL, text: URL, sentenceCount: Int = 24) throws {
        guard FileManager.default.fileExists(atPath: model.path) else {
            line("MiniLM: \(model.path) missing (run scripts/fetch-models); skipped")
            return
        }
        let loaded = try ModelLoader.load(model)
        guard let bert = loaded.encoder as? BertModel, let wordPiece = loaded.tokenizer as? WordPieceTokenizer else {
            line("MiniLM: \(model.path) is not a BERT encoder; skipped")
            return
        }
        let content = try CalibrationText.load(text, mode: .raw)
        let sentences = try CalibrationSentences.make(text: String(content.prefix(400_000)), tokenizer: wordPiece,
                                                      maxTokens: tokens, count: nil)
            .filter { $0.count == tokens }.prefix(sentenceCount)
        line("")
        line("all-MiniLM-L6-v2 (\(bert.parameterCount) weights), \(sentences.count) sentences of \(tokens) tokens, one per forward pass")
        line("")
        line("| threads | sentences/s | forward ms/sentence (mean / best) | GEMM-only ms (best) | GEMM share (of best) | GEMM GFLOP/s |")
        line("|---|---|---|---|---|---|")
        for threads in [1, 2] {
            BLAS.setThreads(threads)
            var replay = GEMMReplay(shapes: .bert(bert.config, tokens: tokens))
            replay.run()  // warm-up
            var gemm = Double.infinity
            for _ in 0..<5 {
                let s = now(); replay.run(); gemm = min(gemm, now() - s)
            }
            _ = bert.sentenceEmbedding(tokens: sentences.first!)  // warm-up
            var total = 0.0, best = Double.infinity
            for sentence in sentences {
                let s = now()
                _ = bert.sentenceEmbedding(tokens: sentence)
                let e = now() - s
                total += e; best = min(best, e)
            }
            let mean = total / Double(sentences.count)
            line("| \(threads) | \(String(format: "%.1f", 1 / mean)) | \(String(format: "%.1f", mean * 1000)) / \(String(format: "%.1f", best * 1000)) | \(String(format: "%.1f", gemm * 1000)) | \(String(format: "%.0f %%", 100 * gemm / best)) | \(String(format: "%.0f", replay.flops / gemm / 1e9)) |")
        }
    }
}
