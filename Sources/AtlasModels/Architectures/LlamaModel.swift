/// One pre-norm LLaMA decoder block: attention and SwiGLU FFN, each behind an RMSNorm and a
/// residual add.
public struct LlamaBlock: Sendable {
    public var attnNorm: [Float]
    public var attention: SelfAttention
    public var ffnNorm: [Float]
    public var mlp: GatedMLP

    public init(attnNorm: [Float], attention: SelfAttention, ffnNorm: [Float], mlp: GatedMLP) {
        self.attnNorm = attnNorm
        self.attention = attention
        self.ffnNorm = ffnNorm
        self.mlp = mlp
    }
}

/// A LLaMA-family decoder in Float32 with named taps in every block. The whole forward pass is
/// `forward(tokens:observer:)`, readable top to bottom.
public struct LlamaModel: Sendable {
    public let config: LlamaConfig
    /// `[vocab, hidden]`.
    public var embedding: Matrix
    public var blocks: [LlamaBlock]
    public var finalNorm: [Float]
    /// `[vocab, hidden]`; the embedding itself when tied.
    public var head: Matrix

    public init(config: LlamaConfig, embedding: Matrix, blocks: [LlamaBlock], finalNorm: [Float], head: Matrix) {
        self.config = config
        self.embedding = embedding
        self.blocks = blocks
        self.finalNorm = finalNorm
        self.head = head
    }

    /// Runs one window. Returns the logits `[T, vocab]`.
    public func forward(tokens: [Int32], observer: TapObserver? = nil) -> Matrix {
        let hidden = hiddenStates(tokens: tokens, observer: observer)
        let normed = Norms.rms(hidden, gamma: finalNorm, eps: config.normEps)
        return BLAS.linear(normed, head)
    }

    /// The residual stream after the last block, before the final norm `[T, hidden]`.
    public func hiddenStates(tokens: [Int32], observer: TapObserver? = nil) -> Matrix {
        var x = embed(tokens)
        let tables = blocks.first?.attention.rope?.tables(positions: tokens.count)
        for (index, block) in blocks.enumerated() {
            let taps = TapEmitter(observer: observer, block: index)
            taps.pass(.attnIn, &x)
            var h = Norms.rms(x, gamma: block.attnNorm, eps: config.normEps)
            taps.pass(.attnNorm, &h)
            x.add(block.attention(h, ropeTables: tables, taps: taps))
            taps.pass(.attnResid, &x)
            taps.pass(.ffnIn, &x)
            var h2 = Norms.rms(x, gamma: block.ffnNorm, eps: config.normEps)
            taps.pass(.ffnNorm, &h2)
            x.add(block.mlp(h2, taps: taps))
            taps.pass(.ffnResid, &x)
        }
        return x
    }

    /// Rows of the embedding table for `tokens`.
    public func embed(_ tokens: [Int32]) -> Matrix {
        let d = config.hiddenSize
        var x = Matrix(zeros: tokens.count, d)
        embedding.data.withUnsafeBufferPointer { e in
            x.data.withUnsafeMutableBufferPointer { out in
                for (t, id) in tokens.enumerated() {
                    (out.baseAddress! + t * d).update(from: e.baseAddress! + Int(id) * d, count: d)
                }
            }
        }
        return x
    }

    /// Number of weights (the tied head counted once).
    public var parameterCount: Int {
        var n = embedding.count + finalNorm.count + (config.tiedEmbeddings ? 0 : head.count)
        for b in blocks {
            let a = b.attention, m = b.mlp
            n += b.attnNorm.count + b.ffnNorm.count
            for l in [a.q, a.k, a.v, a.o, m.gate, m.up, m.down] { n += l.weight.count + (l.bias?.count ?? 0) }
        }
        return n
    }
}
