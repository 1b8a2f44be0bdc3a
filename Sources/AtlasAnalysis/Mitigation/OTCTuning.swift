import AtlasModels
import Foundation

/// OTC tuning — our implementation of the idea in 2505.21670: the rows of W_q that trigger
/// outlier attention scores (row norm > k × median row norm) are scaled down by s and the
/// matching rows of W_k up by s, so every q·k product, hence QKᵀ, is unchanged. RoPE rotates
/// dims i and i + r/2 of a head together, so they share one scale; under GQA one W_k row serves
/// all query heads of its group, so the scale is shared by the group (s = √(max q norm / k norm)).
/// Exact; the notes count the pairs where the query heads of a group wanted scales more than
/// 2× apart (a per-head balance there is impossible exactly).
public enum OTCTuning {
    public static func apply<M: BlockModel>(_ model: M, k: Float) -> (M, [String]) {
        var out = model, tuned = 0, conflicts = 0
        for b in out.blocks.indices {
            var att = out.blocks[b].attention
            let hd = att.headDim, group = att.heads / att.kvHeads
            let rd = att.rope?.rotaryDims ?? hd, half = rd / 2
            let qNorms = rowNorms(att.q.weight), kNorms = rowNorms(att.k.weight)
            let median = qNorms.sorted()[qNorms.count / 2]
            for kvh in 0..<att.kvHeads {
                // Dims tied by RoPE: (p, p + half) for p < half; the rest stand alone.
                let units: [[Int]] = (0..<half).map { [$0, $0 + half] } + (rd..<hd).map { [$0] }
                for dims in units {
                    let kRows = dims.map { kvh * hd + $0 }
                    let perHead = (0..<group).map { g in dims.map { qNorms[(kvh * group + g) * hd + $0] }.max()! }
                    let qMax = perHead.max()!, kMax = kRows.map { kNorms[$0] }.max()!
                    guard qMax > k * median, kMax > 0 else { continue }
                    if perHead.max()! > 2 * max(perHead.min()!, 1e-12) { conflicts += 1 }
                    let s = (qMax / kMax).squareRoot()
                    for g in 0..<group { for d in dims { scaleRow(&att.q, (kvh * group + g) * hd + d, by: 1 / s) } }
                    for r in kRows { scaleRow(&att.k, r, by: s) }
                    tuned += 1
                }
            }
            out.blocks[b].attention = att
        }
        return (out, ["\(tuned) (kv head, RoPE pair) units rescaled",
                      "\(conflicts) units where the query heads sharing a key row wanted scales > 2× apart"])
    }

    static func rowNorms(_ w: Matrix) -> [Float] {
        (0..<w.rows).map { r in (0..<w.cols).reduce(Float(0)) { $0 + w[r, $1] * w[r, $1] }.squareRoot() }
    }

    static func scaleRow(_ l: inout Linear, _ r: Int, by s: Float) {
        let cols = l.inFeatures
        l.weight.data.withUnsafeMutableBufferPointer { w in for c in 0..<cols { w[r * cols + c] *= s } }
        if l.bias != nil { l.bias![r] *= s }
    }
}
