import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Foundation
import Testing

/// Encoders in a study: sentences instead of windows, embeddings instead of perplexity.
@Suite struct EncoderAnalysisTests {
    static let loaded: LoadedModel = try! ModelLoader.load(Fixtures.miniLM)
    static var wordPiece: WordPieceTokenizer { loaded.tokenizer as! WordPieceTokenizer }
    static let text = Fixtures.repoRoot.appendingPathComponent("data/demo-sample.txt")

    @Test func sentencesAreLinesWrappedInCLSAndSEPAndLongLinesAreChunked() throws {
        let tok = Self.wordPiece
        let text = "a short line.\n\n   \nthe quick brown fox jumps over the lazy dog again and again\n"
        let sentences = try CalibrationSentences.make(text: text, tokenizer: tok, maxTokens: 8, count: nil)
        let body = tok.encode("the quick brown fox jumps over the lazy dog again and again", addSpecialTokens: false)
        #expect(sentences[0] == tok.encode("a short line."))
        #expect(sentences.dropFirst().flatMap { $0.dropFirst().dropLast() } == body)
        #expect(sentences.allSatisfy { $0.count <= 8 && $0.first == 101 && $0.last == 102 })
        #expect(sentences.count == 1 + (body.count + 5) / 6)
        #expect(try CalibrationSentences.make(text: text, tokenizer: tok, maxTokens: 8, count: 2).count == 2)
        #expect(throws: CalibrationError.self) { try CalibrationSentences.make(text: text, tokenizer: tok, maxTokens: 2, count: nil) }
        #expect(throws: CalibrationError.self) { try CalibrationSentences.make(text: "\n \n", tokenizer: tok, maxTokens: 8, count: nil) }
    }

    @Test func runFillsTheEncoderResultAndNoPerplexity() throws {
        let options = AnalysisOptions(textMode: .raw, windowSize: 128, windowCount: 6)
        let result = try ModelAnalysis.run(Self.loaded, label: "MiniLM", text: Self.text, options: options,
                                           taps: [.ffnResid, .attnProbs])
        let encoder = try #require(result.encoder)
        let (sentences, maxTokens) = try EncoderAnalysis.sentences(Self.loaded, contextLength: Self.loaded.encoder!.contextLength, text: Self.text, options: options)
        #expect(result.perplexity == nil && maxTokens == 128)
        #expect(encoder.sentenceCount == 6 && encoder.sentenceCount == sentences.count)
        #expect(encoder.tokenCount == sentences.reduce(0) { $0 + $1.count } && encoder.embeddingSize == 384)
        let norms = sentences.map { Double(Self.loaded.encoder!.sentenceEmbedding(tokens: $0).norm) }
        #expect(abs(encoder.meanEmbeddingNorm - norms.reduce(0, +) / 6) <= 1e-9)
        #expect(encoder.meanCosineToBaseline == nil)
        #expect(result.model.architecture == "bert" && result.model.blockCount == 6)
        #expect(result.provenance.modelFormat == "safetensors" && result.provenance.modelSHA256.count == 64)
        #expect(result.provenance.windowCount == 6 && result.provenance.windowSize == 128 && !result.provenance.bos)
        let postNorm = result.taps.filter { $0.tap == TapName.ffnPostNorm.rawValue }
        #expect(postNorm.count == 6)
        #expect(result.taps.contains { $0.tap == TapName.ffnResid.rawValue && $0.yIndex == "y6" })
        // Sentences differ in length: attention probabilities have one channel per key position
        // of the longest sentence, and every value is a probability.
        let probs = result.taps.filter { $0.tap == TapName.attnProbs.rawValue }
        #expect(probs.count == 6)
        for p in probs {
            #expect(p.channelAbsmax.count == sentences.map(\.count).max())
            #expect(p.maxAbs <= 1 && p.channelAbsmax.allSatisfy { $0 > 0 && $0 <= 1 }, "block \(p.block): \(p.channelAbsmax.max()!)")
            #expect(p.top.allSatisfy { $0.value <= 1 })
        }
    }

    /// A rewriting intervention moves embeddings away from the float baseline; no intervention
    /// keeps them identical.
    @Test func similarityToBaseline() throws {
        let encoder = try #require(Self.loaded.encoder)
        let options = AnalysisOptions(windowSize: 64, windowCount: 4)
        let (sentences, _) = try EncoderAnalysis.sentences(Self.loaded, contextLength: encoder.contextLength, text: Self.text, options: options)
        let baseline = sentences.map { encoder.sentenceEmbedding(tokens: $0).vector }
        let same = EncoderAnalysis.similarity(encoder, sentences: sentences, baseline: baseline, observer: nil)
        #expect(same.count == 4 && abs(same.mean! - 1) <= 1e-9 && same.minimum >= 1 - 1e-9)
        let noisy = EncoderAnalysis.similarity(encoder, sentences: sentences, baseline: baseline, observer: RoundToHalves())
        #expect(noisy.mean! < 1 - 1e-6 && noisy.mean! > 0.5 && noisy.minimum <= noisy.mean!)
    }
}

/// A crude fake quantizer: rounds every FFN input to a multiple of 0.5.
final class RoundToHalves: TapObserver {
    func wants(block: Int, tap: TapName) -> Bool { false }
    func observe(block: Int, tap: TapName, value: Matrix) {}
    func rewrites(block: Int, tap: TapName) -> Bool { tap == .ffnDownIn }
    func rewrite(block: Int, tap: TapName, value: inout Matrix) {
        for i in value.data.indices { value.data[i] = (value.data[i] * 2).rounded() / 2 }
    }
}
