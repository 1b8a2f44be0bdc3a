/// A sentence embedding as sentence-transformers computes it for all-MiniLM-L6-v2
/// (`Transformer → Pooling(mean) → Normalize`): the mean of the final hidden states over the
/// non-padding tokens, divided by its L2 norm.
public struct SentenceEmbedding: Sendable, Equatable {
    /// The unit-length embedding.
    public let vector: [Float]
    /// The L2 norm of the mean before normalisation.
    public let norm: Float

    /// Pools `hidden` (`[T, d]`); `keyMask[t] == false` excludes position t.
    public init(meanPooling hidden: Matrix, keyMask: [Bool]? = nil) {
        precondition(keyMask == nil || keyMask!.count == hidden.rows)
        let d = hidden.cols
        var sum = [Double](repeating: 0, count: d)
        var count = 0
        for t in 0..<hidden.rows where keyMask?[t] ?? true {
            count += 1
            for c in 0..<d { sum[c] += Double(hidden[t, c]) }
        }
        let mean = sum.map { $0 / Double(max(count, 1)) }
        let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        // sentence-transformers' Normalize: x / max(‖x‖, 1e-12).
        let scale = 1 / max(norm, 1e-12)
        vector = mean.map { Float($0 * scale) }
        self.norm = Float(norm)
    }

    /// Cosine similarity of two embeddings (in Double).
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in 0..<a.count {
            let x = Double(a[i]), y = Double(b[i])
            dot += x * y; na += x * x; nb += y * y
        }
        let denominator = (na * nb).squareRoot()
        return denominator == 0 ? 0 : dot / denominator
    }
}
