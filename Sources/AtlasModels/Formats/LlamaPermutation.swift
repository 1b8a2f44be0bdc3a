/// The row permutation `convert_hf_to_gguf.py` applies to LLaMA `attn_q`/`attn_k` weights so that
/// llama.cpp's adjacent-pair RoPE matches HF's `rotate_half` RoPE, and its inverse.
///
/// Per head h with head_dim d: `gguf_row[h*d + 2*j + s] = hf_row[h*d + s*(d/2) + j]`,
/// j in 0..<d/2, s in {0, 1}. Use `heads` = query heads for q, KV heads for k.
public enum LlamaPermutation {
    /// Whether a matrix with `rows` rows can be split into `heads` heads of even size.
    public static func isValid(rows: Int, heads: Int) -> Bool {
        heads > 0 && rows % heads == 0 && (rows / heads) % 2 == 0
    }

    /// GGUF rows → HF rows (undo the converter). Precondition: `isValid(rows: m.rows, heads:)`.
    public static func unpermuteRows(_ m: Matrix, heads: Int) -> Matrix {
        remap(m, heads: heads) { h, d, j, s in (dst: h * d + s * (d / 2) + j, src: h * d + 2 * j + s) }
    }

    /// HF rows → GGUF rows (what the converter does).
    public static func permuteRows(_ m: Matrix, heads: Int) -> Matrix {
        remap(m, heads: heads) { h, d, j, s in (dst: h * d + 2 * j + s, src: h * d + s * (d / 2) + j) }
    }

    private static func remap(_ m: Matrix, heads: Int,
                              _ rows: (_ h: Int, _ d: Int, _ j: Int, _ s: Int) -> (dst: Int, src: Int)) -> Matrix {
        precondition(isValid(rows: m.rows, heads: heads), "LlamaPermutation: \(m.rows) rows cannot form \(heads) heads of even size")
        let d = m.rows / heads, cols = m.cols
        var out = Matrix(zeros: m.rows, cols)
        m.data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                for h in 0..<heads {
                    for j in 0..<(d / 2) {
                        for s in 0..<2 {
                            let (r, q) = rows(h, d, j, s)
                            for c in 0..<cols { dst[r * cols + c] = src[q * cols + c] }
                        }
                    }
                }
            }
        }
        return out
    }
}
