import AtlasModels
import AtlasResults
import Foundation

/// The encoder path of `ModelAnalysis.run`: sentences of the calibration text, one forward pass
/// each with the statistics observer attached, sentence embeddings instead of perplexity.
public enum EncoderAnalysis {
    /// `options.windowSize` is the longest sentence in tokens (capped by the model's positions),
    /// `options.windowCount` the number of sentences. Post-LN block outputs (`ffn.post_norm`)
    /// are observed besides `taps`.
    public static func run(_ loaded: LoadedModel, model: AnalyzedModel, label: String, text: URL,
                           options: AnalysisOptions, taps: Set<TapName>, schemes: [QuantScheme] = [],
                           progress: (Int, Int) -> Void) throws -> RunResult {
        let (sentences, maxTokens) = try self.sentences(loaded, contextLength: loaded.encoder?.contextLength,
                                                        text: text, options: options)
        // Quantization schemes share the float pass, as in the decoder path.
        let locksteps = try QuantEvaluation.locksteps(schemes, model: model, calibration: sentences)
        let observer = StatisticsObserver(taps: taps.union([.ffnPostNorm]), topK: options.topK, criterion: options.criterion)
        let floatObserver = PassComposition.float(statistics: observer, trackers: locksteps.map(\.floatObserver))
        var norms = 0.0
        for (index, sentence) in sentences.enumerated() {
            observer.beginWindow(index: index, tokens: sentence)
            let embedding = model.sentenceEmbedding(tokens: sentence, observer: floatObserver)
            norms += Double(embedding.norm)
            for lockstep in locksteps { lockstep.compare(tokens: sentence, floatEmbedding: embedding.vector) }
            progress(index + 1, sentences.count)
        }
        let tokenizer = loaded.tokenizer
        let tokenText: (Int32) -> String = { tokenizer.tokenText($0) }
        var options = options
        options.windowSize = maxTokens
        var result = RunResult(
            provenance: try ModelAnalysis.provenance(loaded, label: label, text: text, options: options,
                                                     windowCount: sentences.count),
            model: ModelAnalysis.summary(loaded.network, label: label),
            perplexity: nil,
            taps: observer.summaries(family: model.family.ffn, tokenText: tokenText),
            massiveActivations: observer.massiveActivations(tokenText: tokenText))
        result.encoder = EncoderResult(
            sentenceCount: sentences.count, tokenCount: sentences.reduce(0) { $0 + $1.count },
            maxSentenceTokens: maxTokens, embeddingSize: model.blocks.hiddenSize,
            meanEmbeddingNorm: norms / Double(sentences.count))
        if !locksteps.isEmpty { result.quantization = try locksteps.map { try $0.result() } }
        return result
    }

    /// The calibration sentences of `text` for this encoder, and the sentence length limit used.
    /// `contextLength`: the encoder's positions (nil: `options.windowSize` alone limits).
    public static func sentences(_ loaded: LoadedModel, contextLength: Int?, text: URL,
                                 options: AnalysisOptions) throws -> (sentences: [[Int32]], maxTokens: Int) {
        guard let wordPiece = loaded.tokenizer as? WordPieceTokenizer else {
            throw FormatError(file: loaded.url.path, field: "tokenizer", found: loaded.tokenizer.name,
                              expected: "a WordPiece tokenizer for an encoder")
        }
        let maxTokens = min(options.windowSize, contextLength ?? options.windowSize)
        let content = try CalibrationText.load(text, mode: options.textMode)
        let sentences = try CalibrationSentences.make(text: content, tokenizer: wordPiece, maxTokens: maxTokens,
                                                      count: options.windowCount, file: text.path)
        return (sentences, maxTokens)
    }

    /// Embeddings of `sentences` with an optional observer (e.g. a fake-quantization
    /// intervention), compared sentence by sentence with `baseline` embeddings.
    public static func similarity(_ encoder: any EncoderModel, sentences: [[Int32]], baseline: [[Float]],
                                  observer: TapObserver?) -> EmbeddingSimilarity {
        precondition(sentences.count == baseline.count)
        var similarity = EmbeddingSimilarity()
        for (sentence, reference) in zip(sentences, baseline) {
            similarity.add(encoder.sentenceEmbedding(tokens: sentence, observer: observer).vector, baseline: reference)
        }
        return similarity
    }
}
