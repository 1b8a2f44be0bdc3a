import AtlasModels

/// Gamma smoothing — our implementation of the idea in 2505.21670: an RMSNorm gamma entry with
/// |γ_j| > k × median |γ| is an outlier; it is shrunk to sign(γ_j) · k × median |γ|. `fold: false`
/// stops there (lossy: the float function changes); `fold: true` moves the removed factor
/// s_j = γ_j / γ'_j into the columns of the Linears that read the norm (exact).
public enum GammaSmoothing {
    /// Returns the model and the number of gamma entries shrunk.
    public static func apply(_ model: LlamaModel, k: Float, fold: Bool) -> (LlamaModel, Int) {
        var out = model, count = 0
        for b in out.blocks.indices {
            var blk = out.blocks[b]
            let (attnGamma, attnScale) = shrink(blk.attnNorm, k: k)
            let (ffnGamma, ffnScale) = shrink(blk.ffnNorm, k: k)
            count += attnScale.filter { $0 != 1 }.count + ffnScale.filter { $0 != 1 }.count
            blk.attnNorm = attnGamma
            blk.ffnNorm = ffnGamma
            if fold {
                blk.attention.q = ChannelScaling.scaleColumns(blk.attention.q, by: attnScale)
                blk.attention.k = ChannelScaling.scaleColumns(blk.attention.k, by: attnScale)
                blk.attention.v = ChannelScaling.scaleColumns(blk.attention.v, by: attnScale)
                blk.mlp.gate = ChannelScaling.scaleColumns(blk.mlp.gate, by: ffnScale)
                blk.mlp.up = ChannelScaling.scaleColumns(blk.mlp.up, by: ffnScale)
            }
            out.blocks[b] = blk
        }
        return (out, count)
    }

    /// The shrunk gamma and the factor removed from each entry (1 where nothing changed).
    static func shrink(_ gamma: [Float], k: Float) -> ([Float], [Float]) {
        let sorted = gamma.map(abs).sorted()
        let limit = k * sorted[sorted.count / 2]
        var g = gamma, s = [Float](repeating: 1, count: gamma.count)
        for j in g.indices where abs(g[j]) > limit && limit > 0 {
            g[j] = g[j] > 0 ? limit : -limit
            s[j] = gamma[j] / g[j]
        }
        return (g, s)
    }
}
