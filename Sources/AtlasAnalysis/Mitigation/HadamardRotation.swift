import AtlasModels

/// QuaRot-style R1 rotation of the residual stream (Ashkboos et al. 2024), exact in float:
/// every RMSNorm gamma is folded into the weights that read its output (then γ = 1, and an
/// RMSNorm with unit gamma commutes with an orthogonal Q), the head is untied, and with
/// Q = diag(random signs, seed) · H / √d: E ← E Q, every weight reading the residual
/// (q, k, v, gate, up, head) W ← W Q, every weight writing it (o, down) W ← Qᵀ W.
public enum HadamardRotation {
    public static func apply<M: DecoderModel>(_ model: M, seed: UInt64) -> M {
        let d = model.hiddenSize
        guard let h = Hadamard(order: d) else { preconditionFailure("no Hadamard matrix of order \(d)") }
        let rotation = Rotation(hadamard: h, signs: signs(count: d, seed: seed))
        var out = foldGammas(model)
        out.tokenEmbedding = rotation.rightMultiply(out.tokenEmbedding)
        out.head = rotation.rightMultiply(out.head)
        // Linears reading the residual stream (through a norm) turn with Q, those writing it with Qᵀ.
        let readers = Set(model.family.readers(of: .attn) + model.family.readers(of: .ffn))
        return out.transformingLinears { site, linear in
            var l = linear
            l.weight = readers.contains(site.kind) ? rotation.rightMultiply(l.weight)
                : site.kind == .o || site.kind == .down ? rotation.leftMultiplyTransposed(l.weight) : l.weight
            return l
        }
    }

    /// Every RMSNorm gamma folded into the Linears reading it: γ_attn into q,k,v; γ_ffn into
    /// gate,up; the final γ into the (untied) head. Exact.
    public static func foldGammas<M: DecoderModel>(_ model: M) -> M {
        var out = model
        for b in out.blocks.indices {
            for role in [NormRole.attn, .ffn] {
                let gamma = out.blocks[b][norm: role].gamma
                ChannelScaling.fold(gamma, gamma: [Float](repeating: 1, count: gamma.count), role: role, block: b, in: &out)
            }
        }
        out.head = ChannelScaling.scaleColumns(Linear(weight: out.head), by: out.finalNorm.gamma).weight
        out.finalNorm.gamma = [Float](repeating: 1, count: out.finalNorm.gamma.count)
        return out
    }

    /// ±1 from SplitMix64(seed): reproducible across platforms.
    static func signs(count: Int, seed: UInt64) -> [Float] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &+ 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return z & 1 == 0 ? 1 : -1
        }
    }
}

/// Q = diag(signs) · H / √d applied to weight matrices without forming Q.
struct Rotation {
    let hadamard: Hadamard
    let signs: [Float]

    /// W Q for `W [rows, d]`: each row r ← (r ⊙ signs) H / √d.
    func rightMultiply(_ w: Matrix) -> Matrix {
        precondition(w.cols == hadamard.order)
        var out = w
        let scale = 1 / Float(hadamard.order).squareRoot()
        out.data.withUnsafeMutableBufferPointer { p in
            var scratch = [Float](repeating: 0, count: w.cols)
            scratch.withUnsafeMutableBufferPointer { s in
                for r in 0..<w.rows {
                    let row = p.baseAddress! + r * w.cols
                    for c in 0..<w.cols { row[c] *= signs[c] * scale }
                    hadamard.multiplyRow(row, scratch: s.baseAddress!)
                }
            }
        }
        return out
    }

    /// Qᵀ W for `W [d, cols]`: (Wᵀ Q)ᵀ.
    func leftMultiplyTransposed(_ w: Matrix) -> Matrix {
        rightMultiply(w.transposed()).transposed()
    }
}
