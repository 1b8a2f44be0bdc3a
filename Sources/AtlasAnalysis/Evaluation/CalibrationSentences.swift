import AtlasModels

/// Calibration input for encoders: sentences instead of windows. Every non-empty line of the
/// text is one sentence; a line longer than the limit is cut into consecutive chunks. Each
/// sentence is wrapped in the tokenizer's specials ([CLS] … [SEP]) and run on its own (no padding).
public enum CalibrationSentences {
    /// Token ids of the first `count` sentences (nil: all), each at most `maxTokens` long
    /// including the specials. `file` names the text in errors.
    public static func make(text: String, tokenizer: WordPieceTokenizer, maxTokens: Int, count: Int?,
                            file: String = "<text>") throws(CalibrationError) -> [[Int32]] {
        let specials = tokenizer.prefixIDs.count + tokenizer.suffixIDs.count
        guard maxTokens > specials else { throw .invalidWindowSize(file: file, windowSize: maxTokens) }
        if let count, count < 1 { throw .invalidCount(file: file, count: count) }
        let limit = count ?? Int.max
        let chunk = maxTokens - specials
        var sentences: [[Int32]] = []
        for line in text.split(whereSeparator: \.isNewline) where sentences.count < limit {
            let ids = tokenizer.encode(String(line), addSpecialTokens: false)
            var start = 0
            while start < ids.count && sentences.count < limit {
                let end = min(start + chunk, ids.count)
                sentences.append(tokenizer.prefixIDs + ids[start..<end] + tokenizer.suffixIDs)
                start = end
            }
        }
        guard !sentences.isEmpty else { throw .emptyText(file: file) }
        return sentences
    }
}

/// Cosine similarity of sentence embeddings to a baseline's, sentence by sentence (the
/// encoder quality metric: 1 means identical directions).
public struct EmbeddingSimilarity: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var sum = 0.0
    public private(set) var minimum = Double.infinity

    public init() {}

    public mutating func add(_ embedding: [Float], baseline: [Float]) {
        let c = SentenceEmbedding.cosine(embedding, baseline)
        count += 1
        sum += c
        minimum = min(minimum, c)
    }

    /// Mean cosine; nil before any sentence.
    public var mean: Double? { count == 0 ? nil : sum / Double(count) }
}
