import AtlasModels

/// The matrix products of one forward pass, by shape: per block the projections `(in, out)` in
/// order and the attention products per head; then the output head, if any.
struct GEMMShapes {
    var tokens: Int
    var blockCount: Int
    var headCount: Int
    var kvHeadCount: Int
    var headDim: Int
    var blockLinears: [(inFeatures: Int, outFeatures: Int)]
    /// `(hidden, vocab)` for decoders; nil for encoders (no logits).
    var headLinear: (inFeatures: Int, outFeatures: Int)?
    /// Causal attention (decoders): only the visible keys of each row block are computed.
    var causal: Bool

    /// LLaMA-family decoder: q, k, v, o, gate, up, down, then the LM head.
    static func llama(_ c: LlamaConfig, tokens: Int) -> GEMMShapes {
        let d = c.hiddenSize, q = c.headCount * c.headDim, kv = c.kvHeadCount * c.headDim, f = c.ffnSize
        return GEMMShapes(tokens: tokens, blockCount: c.blockCount, headCount: c.headCount, kvHeadCount: c.kvHeadCount,
                          headDim: c.headDim, blockLinears: [(d, q), (d, kv), (d, kv), (q, d), (d, f), (d, f), (f, d)],
                          headLinear: (d, c.vocabSize), causal: true)
    }

    /// BERT encoder: q, k, v, attention output, intermediate, output; no head.
    static func bert(_ c: BertConfig, tokens: Int) -> GEMMShapes {
        let d = c.hiddenSize, f = c.ffnSize
        return GEMMShapes(tokens: tokens, blockCount: c.blockCount, headCount: c.headCount, kvHeadCount: c.headCount,
                          headDim: c.headDim, blockLinears: [(d, d), (d, d), (d, d), (d, d), (d, f), (f, d)], headLinear: nil, causal: false)
    }

    /// FLOPs (2·m·n·k summed).
    var flops: Double {
        let T = Double(tokens)
        let linears = blockLinears.reduce(0.0) { $0 + 2 * T * Double($1.inFeatures * $1.outFeatures) }
        let keyReads = SelfAttention.rowBlocks(queries: tokens, keys: tokens, causal: causal)
            .reduce(0.0) { $0 + Double($1.rows.count * $1.keys) }
        let attention = Double(headCount) * 2 * (2 * keyReads * Double(headDim))
        let head = headLinear.map { 2 * T * Double($0.inFeatures * $0.outFeatures) } ?? 0
        return Double(blockCount) * (linears + attention) + head
    }
}

/// Replays exactly the matrix products of one forward pass (same shapes, same BLAS calls) with
/// nothing else, to measure how much of the forward pass is GEMM.
struct GEMMReplay {
    let shapes: GEMMShapes
    private var x: [Float], w: [Float], out: [Float], scores: [Float]

    init(shapes: GEMMShapes) {
        self.shapes = shapes
        let all = shapes.blockLinears + (shapes.headLinear.map { [$0] } ?? [])
        let widest = all.map { max($0.inFeatures, $0.outFeatures) }.max()!
        let largestWeight = all.map { $0.inFeatures * $0.outFeatures }.max()!
        x = [Float](repeating: 0.01, count: shapes.tokens * widest)
        w = [Float](repeating: 0.01, count: largestWeight)
        out = [Float](repeating: 0, count: shapes.tokens * widest)
        scores = [Float](repeating: 0, count: shapes.headCount * shapes.tokens * shapes.tokens)
    }

    var flops: Double { shapes.flops }

    mutating func run() {
        let s = shapes, T = s.tokens, hd = s.headDim
        let q = s.headCount * hd, kv = s.kvHeadCount * hd
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    scores.withUnsafeMutableBufferPointer { sp in
                        let a = xp.baseAddress!, b = wp.baseAddress!, o = op.baseAddress!, sc = sp.baseAddress!
                        func linear(_ shape: (inFeatures: Int, outFeatures: Int)) {
                            BLAS.sgemm(transB: true, m: T, n: shape.outFeatures, k: shape.inFeatures, a: a, lda: shape.inFeatures,
                                       b: b, ldb: shape.inFeatures, c: o, ldc: shape.outFeatures, alpha: 1, beta: 0)
                        }
                        let blocks = SelfAttention.rowBlocks(queries: T, keys: T, causal: s.causal)
                        for _ in 0..<s.blockCount {
                            for shape in s.blockLinears.prefix(3) { linear(shape) }
                            // As SelfAttention: one task per (head, row block), each in its own score rows.
                            ParallelLoop.run(s.headCount * blocks.count) { task in
                                let h = task / blocks.count, block = blocks[task % blocks.count], r0 = block.rows.lowerBound
                                let rows = sc + (h * T + r0) * T
                                BLAS.sgemm(transB: true, m: block.rows.count, n: block.keys, k: hd, a: a + r0 * q + h * hd, lda: q,
                                           b: a, ldb: kv, c: rows, ldc: T, alpha: 1, beta: 0)
                                BLAS.sgemm(transB: false, m: block.rows.count, n: hd, k: block.keys, a: rows, lda: T,
                                           b: b, ldb: kv, c: o + r0 * q + h * hd, ldc: q, alpha: 1, beta: 0)
                            }
                            for shape in s.blockLinears.dropFirst(3) { linear(shape) }
                        }
                        // As WeightMatrix.linear: a head above tileValues is multiplied tile by tile.
                        if let head = s.headLinear {
                            let tileRows = max(1, WeightMatrix.tileValues / head.inFeatures)
                            for first in stride(from: 0, to: head.outFeatures, by: tileRows) {
                                BLAS.sgemm(transB: true, m: T, n: min(tileRows, head.outFeatures - first), k: head.inFeatures,
                                           a: a, lda: head.inFeatures, b: b, ldb: head.inFeatures, c: o + first,
                                           ldc: head.outFeatures, alpha: 1, beta: 0)
                            }
                        }
                    }
                }
            }
        }
    }
}
