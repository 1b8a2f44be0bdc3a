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
        m.gatherRows(unpermutedOrder(rows: m.rows, heads: heads))
    }

    /// HF rows → GGUF rows (what the converter does).
    public static func permuteRows(_ m: Matrix, heads: Int) -> Matrix {
        m.gatherRows(order(rows: m.rows, heads: heads) { h, d, j, s in (dst: h * d + 2 * j + s, src: h * d + s * (d / 2) + j) })
    }

    /// For each HF row, the GGUF row it comes from (what `unpermuteRows` gathers).
    public static func unpermutedOrder(rows: Int, heads: Int) -> [Int] {
        order(rows: rows, heads: heads) { h, d, j, s in (dst: h * d + s * (d / 2) + j, src: h * d + 2 * j + s) }
    }

    private static func order(rows: Int, heads: Int,
                              _ map: (_ h: Int, _ d: Int, _ j: Int, _ s: Int) -> (dst: Int, src: Int)) -> [Int] {
        precondition(isValid(rows: rows, heads: heads), "LlamaPermutation: \(rows) rows cannot form \(heads) heads of even size")
        let d = rows / heads
        var source = [Int](repeating: 0, count: rows)
        for h in 0..<heads {
            for j in 0..<(d / 2) {
                for s in 0..<2 {
                    let (r, q) = map(h, d, j, s)
                    source[r] = q
                }
            }
        }
        return source
    }
}
