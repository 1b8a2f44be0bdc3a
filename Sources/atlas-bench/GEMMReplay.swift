import AtlasModels

/// Replays exactly the matrix products of one LLaMA forward pass (same shapes, same BLAS
/// calls) with nothing else, to measure how much of the forward pass is GEMM.
struct GEMMReplay {
    let config: LlamaConfig
    let tokens: Int
    private var x: [Float], w: [Float], out: [Float], scores: [Float]

    init(config: LlamaConfig, tokens: Int) {
        self.config = config
        self.tokens = tokens
        let widest = max(config.hiddenSize, config.ffnSize, config.headCount * config.headDim)
        x = [Float](repeating: 0.01, count: tokens * widest)
        w = [Float](repeating: 0.01, count: max(config.vocabSize, config.ffnSize) * widest)
        out = [Float](repeating: 0, count: tokens * max(config.vocabSize, widest))
        scores = [Float](repeating: 0, count: tokens * tokens)
    }

    /// FLOPs of one replay (2·m·n·k summed).
    var flops: Double {
        let c = config, T = Double(tokens), d = Double(c.hiddenSize), f = Double(c.ffnSize)
        let q = Double(c.headCount * c.headDim), kv = Double(c.kvHeadCount * c.headDim)
        let perBlock = 2 * T * d * (q + 2 * kv) + 2 * T * q * d + 3 * 2 * T * d * f
            + Double(c.headCount) * 2 * (2 * T * T * Double(c.headDim))
        return Double(c.blockCount) * perBlock + 2 * T * d * Double(c.vocabSize)
    }

    mutating func run() {
        let c = config, T = tokens, d = c.hiddenSize, hd = c.headDim
        let q = c.headCount * hd, kv = c.kvHeadCount * hd
        x.withUnsafeBufferPointer { xp in
            w.withUnsafeBufferPointer { wp in
                out.withUnsafeMutableBufferPointer { op in
                    scores.withUnsafeMutableBufferPointer { sp in
                        let a = xp.baseAddress!, b = wp.baseAddress!, o = op.baseAddress!, s = sp.baseAddress!
                        func linear(_ inF: Int, _ outF: Int) {
                            BLAS.sgemm(transB: true, m: T, n: outF, k: inF, a: a, lda: inF, b: b, ldb: inF,
                                       c: o, ldc: outF, alpha: 1, beta: 0)
                        }
                        for _ in 0..<c.blockCount {
                            linear(d, q); linear(d, kv); linear(d, kv)
                            for h in 0..<c.headCount {
                                BLAS.sgemm(transB: true, m: T, n: T, k: hd, a: a + h * hd, lda: q, b: a, ldb: kv,
                                           c: s, ldc: T, alpha: 1, beta: 0)
                                BLAS.sgemm(transB: false, m: T, n: hd, k: T, a: s, lda: T, b: b, ldb: kv,
                                           c: o + h * hd, ldc: q, alpha: 1, beta: 0)
                            }
                            linear(q, d)
                            linear(d, c.ffnSize); linear(d, c.ffnSize); linear(c.ffnSize, d)
                        }
                        linear(d, c.vocabSize)
                    }
                }
            }
        }
    }
}
