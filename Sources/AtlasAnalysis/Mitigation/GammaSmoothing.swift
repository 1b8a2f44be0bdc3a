import AtlasModels

/// Gamma smoothing — our implementation of the idea in 2505.21670: an RMSNorm gamma entry with
/// |γ_j| > k × median |γ| is an outlier; it is shrunk to sign(γ_j) · k × median |γ|. `fold: false`
/// stops there (lossy: the float function changes); `fold: true` moves the removed factor
/// s_j = γ_j / γ'_j into the columns of the Linears that read the norm (exact).
public enum GammaSmoothing {
    /// Returns the model and the number of gamma entries shrunk.
    public static func apply<M: BlockModel>(_ model: M, k: Float, fold: Bool) -> (M, Int) {
        var out = model, count = 0
        for b in out.blocks.indices {
            for role in [NormRole.attn, .ffn] {
                let (gamma, scale) = shrink(out.blocks[b][norm: role].gamma, k: k)
                count += scale.filter { $0 != 1 }.count
                if fold {
                    ChannelScaling.fold(scale, gamma: gamma, role: role, block: b, in: &out)
                } else {
                    out.blocks[b][norm: role].gamma = gamma
                }
            }
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
