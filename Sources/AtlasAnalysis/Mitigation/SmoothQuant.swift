import AtlasModels
import Foundation

/// SmoothQuant (Xiao et al. 2023), as mit-han-lab/smoothquant `smooth_ln_fcs` does it: per input
/// channel j of the Linears behind each pre-norm (q,k,v behind the attention norm, the FFN's
/// input Linears behind the FFN norm), s_j = max|X_j|^α / max|W_j|^(1−α) (clamped ≥ 1e-5), with
/// max|X_j| from calibration at the norm's output tap and max|W_j| over those Linears together;
/// then γ /= s and W[:, j] *= s. Exact for norms without beta: the float function is unchanged.
public enum SmoothQuant {
    public static func apply<M: DecoderModel>(_ model: M, alpha: Float, calibration: [[Int32]]) -> M {
        let roles: [NormRole] = [.attn, .ffn]
        let taps = Set(roles.compactMap { model.family.norm($0)?.tap })
        let stats = ChannelAbsmaxObserver.calibrate(AnalyzedModel(decoder: model), taps: taps, windows: calibration)
        var out = model
        for b in out.blocks.indices {
            for role in roles {
                guard let tap = model.family.norm(role)?.tap, let x = stats.absmax[tap]?[b] else { continue }
                let linears = ChannelScaling.readers(of: role, in: out, block: b).map(\.1)
                let s = scales(activation: x, weights: ChannelScaling.columnAbsmax(linears), alpha: alpha)
                let gamma = zip(out.blocks[b][norm: role].gamma, s).map { $0 / $1 }
                ChannelScaling.fold(s, gamma: gamma, role: role, block: b, in: &out)
            }
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
