import AtlasResults
import Foundation

/// Encoders (BERT, MiniLM): agreement of a quantized model's sentence embeddings with the float
/// model's, as cosine similarity per sentence (computed in Double), mean and worst.
///
/// This is the hook for encoder families: an encoder runner embeds each sentence with the float
/// model and with `PreparedScheme.quantized` (same pooling), calls `add`, and stores `result()`
/// as `SchemeResult.embedding` (with `endToEnd` nil).
public struct EmbeddingComparison: Sendable, Equatable {
    public private(set) var cosineSum = 0.0
    public private(set) var worst = Double.infinity
    public private(set) var sentences = 0

    public init() {}

    /// Adds one sentence. A zero vector on either side has cosine NaN (and makes the mean NaN).
    public mutating func add(float a: [Float], quantized b: [Float]) {
        precondition(a.count == b.count, "embedding sizes differ: \(a.count) vs \(b.count)")
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in 0..<a.count {
            let x = Double(a[i]), y = Double(b[i])
            dot += x * y
            na += x * x
            nb += y * y
        }
        let cosine = dot / (na.squareRoot() * nb.squareRoot())
        cosineSum += cosine
        worst = cosine.isNaN ? .nan : min(worst, cosine)
        sentences += 1
    }

    public func result() -> EmbeddingAgreement? {
        sentences == 0 ? nil : EmbeddingAgreement(meanCosine: cosineSum / Double(sentences), worstCosine: worst, sentences: sentences)
    }
}
