import AtlasModels
import Foundation

/// SmoothQuant (Xiao et al. 2023), as mit-han-lab/smoothquant `smooth_ln_fcs` does it: per input
/// channel j of the Linears behind each RMSNorm, s_j = max|X_j|^α / max|W_j|^(1−α) (clamped ≥ 1e-5),
/// with max|X_j| from calibration at `attn.norm` / `ffn.norm` and max|W_j| over q,k,v (resp.
/// gate,up) together; then γ /= s and W[:, j] *= s. Exact: the float function is unchanged.
public enum SmoothQuant {
    public static func apply(_ model: LlamaModel, alpha: Float, calibration: [[Int32]]) -> LlamaModel {
        let stats = ChannelAbsmaxObserver.calibrate(model, taps: [.attnNorm, .ffnNorm], windows: calibration)
        var out = model
        for b in out.blocks.indices {
            var block = out.blocks[b]
            let a = block.attention
            if let x = stats.absmax[.attnNorm]?[b] {
                let s = scales(activation: x, weights: ChannelScaling.columnAbsmax([a.q, a.k, a.v]), alpha: alpha)
                block.attnNorm = zip(block.attnNorm, s).map { $0 / $1 }
                block.attention.q = ChannelScaling.scaleColumns(a.q, by: s)
                block.attention.k = ChannelScaling.scaleColumns(a.k, by: s)
                block.attention.v = ChannelScaling.scaleColumns(a.v, by: s)
            }
            let m = block.mlp
            if let x = stats.absmax[.ffnNorm]?[b] {
                let s = scales(activation: x, weights: ChannelScaling.columnAbsmax([m.gate, m.up]), alpha: alpha)
                block.ffnNorm = zip(block.ffnNorm, s).map { $0 / $1 }
                block.mlp.gate = ChannelScaling.scaleColumns(m.gate, by: s)
                block.mlp.up = ChannelScaling.scaleColumns(m.up, by: s)
            }
            out.blocks[b] = block
        }
        return out
    }

    /// s_j = max|X_j|^α / max|W_j|^(1−α), clamped below at 1e-5 (as the reference code).
    public static func scales(activation: [Float], weights: [Float], alpha: Float) -> [Float] {
        zip(activation, weights).map { x, w in
            max(pow(max(x, 1e-5), alpha) / pow(max(w, 1e-5), 1 - alpha), 1e-5)
        }
    }
}
