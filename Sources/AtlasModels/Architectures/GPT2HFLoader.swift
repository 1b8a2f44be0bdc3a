import Foundation

/// Builds a GPT-2 `LayerNormDecoder` from a Hugging Face folder. GPT-2's `Conv1D` weights are
/// stored transposed (`[in, out]`); they are transposed once here into `[out, in]`, and the
/// packed `c_attn` (q|k|v along the output axis) is split into three projections.
public enum GPT2HFLoader {
    public static func config(_ c: HFConfig) throws -> LayerNormDecoderConfig {
        let hidden = try c.int("n_embd")
        let heads = try c.int("n_head")
        guard hidden % heads == 0 else {
            throw FormatError(file: c.url.path, field: "n_head", found: "\(heads) for n_embd \(hidden)", expected: "a divisor of n_embd")
        }
        try c.require("scale_attn_weights", equals: true, default: true)
        try c.require("scale_attn_by_inverse_layer_idx", equals: false, default: false)
        try c.require("add_cross_attention", equals: false, default: false)
        _ = try c.dtype()
        return LayerNormDecoderConfig(
            architecture: "gpt2", blockCount: try c.int("n_layer"), hiddenSize: hidden,
            ffnSize: try c.int("n_inner", default: 4 * hidden), headCount: heads,
            vocabSize: try c.int("vocab_size"), contextLength: try c.int("n_positions", default: 1024),
            positionOffset: 0, tiedEmbeddings: try c.bool("tie_word_embeddings", default: true))
    }

    public static func load(_ c: HFConfig, weights folder: SafetensorsFolder) throws -> LayerNormDecoder {
        let cfg = try config(c)
        let activation = try c.activation(c.has("activation_function") ? "activation_function" : "hidden_act")
        let eps = Float(try c.positiveDouble(["layer_norm_epsilon"], default: 1e-5))
        let w = try HFWeights(folder, family: "gpt2", prefixes: ["transformer.", ""], probe: "wte.weight")
        try w.checkBlocks(cfg.blockCount, config: c, key: "n_layer", blockPrefix: "h.")
        let d = cfg.hiddenSize, f = cfg.ffnSize
        /// A Conv1D `[in, out]` as a Linear `[out, in]`.
        func conv1D(_ name: String, in inFeatures: Int, out: Int) throws -> Linear {
            Linear(weight: try w.matrix(name + ".weight", inFeatures, out).transposed(), bias: try w.optionalVector(name + ".bias", out))
        }
        let family = ModelFamily.gpt2
        let widths = ModelFamily.Widths(hidden: d, ffn: f, heads: cfg.headCount, kvHeads: cfg.headCount, headDim: cfg.headDim)
        let blocks = try (0..<cfg.blockCount).map { i -> TransformerBlock in
            let p = "h.\(i)."
            let qkv = try conv1D(p + family.linear(.q)!.hf, in: d, out: 3 * d)  // q|k|v packed
            func part(_ k: Int) -> Linear {
                Linear(weight: Matrix(rows: d, cols: d, data: Array(qkv.weight.data[(k * d * d)..<((k + 1) * d * d)])),
                       bias: qkv.bias.map { Array($0[(k * d)..<((k + 1) * d)]) })
            }
            let linears: [LinearKind: Linear] = [.q: part(0), .k: part(1), .v: part(2), .o: try conv1D(p + family.linear(.o)!.hf, in: d, out: d),
                                                 .up: try conv1D(p + family.linear(.up)!.hf, in: d, out: f), .down: try conv1D(p + family.linear(.down)!.hf, in: f, out: d)]
            return family.block(linears: linears, attnNorm: try w.layerNorm(p + family.norm(.attn)!.hf, d, eps: eps), ffnNorm: try w.layerNorm(p + family.norm(.ffn)!.hf, d, eps: eps),
                                widths: widths, rope: nil, activation: activation)
        }
        let wte = try w.matrix("wte.weight", cfg.vocabSize, d)
        let head = cfg.tiedEmbeddings ? wte
            : try HFWeights(folder, family: "gpt2", prefixes: [""], probe: "lm_head.weight").matrix("lm_head.weight", cfg.vocabSize, d)
        return LayerNormDecoder(config: cfg, tokenEmbedding: wte, positionEmbedding: try w.matrix("wpe.weight", cfg.contextLength, d),
                                blocks: blocks, finalNorm: try w.layerNorm(family.norm(.final)!.hf, d, eps: eps), head: head)
    }
}
