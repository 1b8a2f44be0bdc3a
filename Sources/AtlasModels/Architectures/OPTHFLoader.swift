import Foundation

/// Builds an OPT `LayerNormDecoder` from a Hugging Face folder: pre-LN (`do_layer_norm_before`),
/// learned positions read at `pos + 2`, ReLU MLP, final LayerNorm, tied head. HF multiplies q by
/// head_dim^-0.5 before q·kᵀ; `SelfAttention` scales the scores instead (the same product).
public enum OPTHFLoader {
    /// OPT's learned position table starts at row 2 (rows 0–1 are the padding offset).
    public static let positionOffset = 2

    public static func config(_ c: HFConfig) throws -> LayerNormDecoderConfig {
        let hidden = try c.int("hidden_size")
        let heads = try c.int("num_attention_heads")
        guard hidden % heads == 0 else {
            throw FormatError(file: c.url.path, field: "num_attention_heads", found: "\(heads) for hidden_size \(hidden)",
                              expected: "a divisor of hidden_size")
        }
        try c.require("do_layer_norm_before", equals: true, default: true)
        try c.require("_remove_final_layer_norm", equals: false, default: false)
        try c.require("enable_bias", equals: true, default: true)
        let projection = try c.int("word_embed_proj_dim", default: hidden)
        guard projection == hidden else {
            throw FormatError(file: c.url.path, field: "word_embed_proj_dim", found: "\(projection)",
                              expected: "hidden_size \(hidden) (project_in/project_out are not supported)")
        }
        _ = try c.dtype()
        return LayerNormDecoderConfig(
            architecture: "opt", blockCount: try c.int("num_hidden_layers"), hiddenSize: hidden,
            ffnSize: try c.int("ffn_dim"), headCount: heads, vocabSize: try c.int("vocab_size"),
            contextLength: try c.int("max_position_embeddings"), positionOffset: positionOffset,
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: true))
    }

    public static func load(_ c: HFConfig, weights folder: SafetensorsFolder) throws -> LayerNormDecoder {
        let cfg = try config(c)
        let activation = try c.activation("activation_function")
        let eps: Float = 1e-5  // OPT's LayerNorms use PyTorch's default
        let w = try HFWeights(folder, family: "opt", prefixes: ["model.decoder.", "decoder."], probe: "embed_tokens.weight")
        try w.checkBlocks(cfg.blockCount, config: c, key: "num_hidden_layers", blockPrefix: "layers.")
        let d = cfg.hiddenSize, f = cfg.ffnSize
        let family = ModelFamily.opt
        let widths = ModelFamily.Widths(hidden: d, ffn: f, heads: cfg.headCount, kvHeads: cfg.headCount, headDim: cfg.headDim)
        let blocks = try (0..<cfg.blockCount).map { i -> TransformerBlock in
            let p = "layers.\(i)."
            return family.block(linears: try w.blockLinears(family, prefix: p, widths: widths),
                                attnNorm: try w.layerNorm(p + family.norm(.attn)!.hf, d, eps: eps),
                                ffnNorm: try w.layerNorm(p + family.norm(.ffn)!.hf, d, eps: eps),
                                widths: widths, rope: nil, activation: activation)
        }
        let tokens = try w.matrix("embed_tokens.weight", cfg.vocabSize, d)
        let head = cfg.tiedEmbeddings ? tokens
            : try HFWeights(folder, family: "opt", prefixes: [""], probe: "lm_head.weight").matrix("lm_head.weight", cfg.vocabSize, d)
        return LayerNormDecoder(config: cfg, tokenEmbedding: tokens,
                                positionEmbedding: try w.matrix("embed_positions.weight", cfg.contextLength + positionOffset, d),
                                blocks: blocks, finalNorm: try w.layerNorm(family.norm(.final)!.hf, d, eps: eps), head: head)
    }
}
