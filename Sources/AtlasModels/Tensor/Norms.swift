/// Normalisation kernels applied row by row to `[T, d]` activations, the rows split over the
/// cores (`ParallelLoop.chunks`; each row is computed as alone, so the split changes no bit).
public enum Norms {

    /// RMSNorm: `x / sqrt(mean(x²) + eps) * gamma` (LLaMA/Qwen; HF computes the mean in float32,
    /// we accumulate in Double, which agrees to float rounding).
    public static func rms(_ x: Matrix, gamma: [Float], eps: Float) -> Matrix {
        precondition(gamma.count == x.cols)
        var out = Matrix(overwritten: x.rows, x.cols)
        let d = x.cols
        x.data.withUnsafeBufferPointer { src in
            gamma.withUnsafeBufferPointer { g in
                out.data.withUnsafeMutableBufferPointer { dst in
                    ParallelLoop.rowChunks(x.rows, width: d) { rows in for r in rows {
                        let row = src.baseAddress! + r * d
                        var ss: Double = 0
                        for c in 0..<d { ss += Double(row[c]) * Double(row[c]) }
                        let inv = Float(1 / (ss / Double(d) + Double(eps)).squareRoot())
                        let o = dst.baseAddress! + r * d
                        for c in 0..<d { o[c] = g[c] * (row[c] * inv) }
                    } }
                }
            }
        }
        return out
    }

    /// LayerNorm: `(x − mean) / sqrt(var + eps) * gamma + beta` (biased variance, as PyTorch).
    public static func layer(_ x: Matrix, gamma: [Float], beta: [Float]?, eps: Float) -> Matrix {
        precondition(gamma.count == x.cols)
        var out = Matrix(overwritten: x.rows, x.cols)
        let d = x.cols
        x.data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                ParallelLoop.rowChunks(x.rows, width: d) { rows in for r in rows {
                    let row = src.baseAddress! + r * d
                    var s: Double = 0
                    for c in 0..<d { s += Double(row[c]) }
                    let mean = s / Double(d)
                    var v: Double = 0
                    for c in 0..<d { let e = Double(row[c]) - mean; v += e * e }
                    let inv = 1 / (v / Double(d) + Double(eps)).squareRoot()
                    let o = dst.baseAddress! + r * d
                    for c in 0..<d {
                        let n = Float((Double(row[c]) - mean) * inv)
                        o[c] = n * gamma[c] + (beta?[c] ?? 0)
                    }
                } }
            }
        }
        return out
    }
}
