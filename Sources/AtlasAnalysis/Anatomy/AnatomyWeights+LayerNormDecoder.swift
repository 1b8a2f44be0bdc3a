import AtlasModels

/// GPT-2 and OPT (GELU family: y4 `ffn.down_in` feeds the down projection). The loaders have
/// already turned GPT-2's Conv1D `[in, out]` weights into `[out, in]`, so the down projection's
/// entry [dim, channel] means the same as for LLaMA. Names follow the GGUF convention of
/// `LlamaModel`'s conformance so that tables read alike across families.
extension LayerNormDecoder: AnatomyWeights {
    public func downProjection(block: Int) -> Linear { blocks[block].mlp.down }
    public func queryProjection(block: Int) -> Linear { blocks[block].attention.q }

    public func normGamma(block: Int, normTap: TapName) -> [Float]? {
        switch normTap {
        case .attnNorm: return blocks[block].attnNorm.gamma
        case .ffnNorm: return blocks[block].ffnNorm.gamma
        default: return nil
        }
    }

    public func namedWeights() -> [NamedWeight] {
        var out = [NamedWeight(name: "token_embd.weight", block: nil, matrix: tokenEmbedding),
                   NamedWeight(name: "position_embd.weight", block: nil, matrix: positionEmbedding)]
        for (i, b) in blocks.enumerated() {
            let a = b.attention, m = b.mlp
            let parts: [(String, Linear)] = [("attn_q", a.q), ("attn_k", a.k), ("attn_v", a.v), ("attn_output", a.o),
                                             ("ffn_up", m.up), ("ffn_down", m.down)]
            out += parts.map { NamedWeight(name: "blk.\(i).\($0.0).weight", block: i, matrix: $0.1.weight) }
        }
        if !config.tiedEmbeddings { out.append(NamedWeight(name: "output.weight", block: nil, matrix: head)) }
        return out
    }

    public func namedNorms() -> [NamedNorm] {
        var out: [NamedNorm] = []
        for (i, b) in blocks.enumerated() {
            out.append(NamedNorm(name: "blk.\(i).attn_norm.weight", block: i, gamma: b.attnNorm.gamma))
            out.append(NamedNorm(name: "blk.\(i).ffn_norm.weight", block: i, gamma: b.ffnNorm.gamma))
        }
        out.append(NamedNorm(name: "output_norm.weight", block: nil, gamma: finalNorm.gamma))
        return out
    }
}
