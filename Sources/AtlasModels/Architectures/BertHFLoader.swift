import Foundation

/// Builds a `BertModel` from a Hugging Face folder (BertModel saved on its own has no prefix;
/// task heads save it under `bert.`).
public enum BertHFLoader {
    public static func config(_ c: HFConfig) throws -> BertConfig {
        let hidden = try c.int("hidden_size")
        let heads = try c.int("num_attention_heads")
        guard hidden % heads == 0 else {
            throw FormatError(file: c.url.path, field: "num_attention_heads", found: "\(heads) for hidden_size \(hidden)",
                              expected: "a divisor of hidden_size")
        }
        let positions = try c.optionalString("position_embedding_type") ?? "absolute"
        guard positions == "absolute" else {
            throw FormatError(file: c.url.path, field: "position_embedding_type", found: "\"\(positions)\"", expected: "\"absolute\"")
        }
        try c.require("is_decoder", equals: false, default: false)
        _ = try c.dtype()
        return BertConfig(blockCount: try c.int("num_hidden_layers"), hiddenSize: hidden,
                          ffnSize: try c.int("intermediate_size"), headCount: heads, vocabSize: try c.int("vocab_size"),
                          contextLength: try c.int("max_position_embeddings"), typeVocabSize: try c.int("type_vocab_size", default: 2),
                          activation: try c.activation("hidden_act"))
    }

    public static func load(_ c: HFConfig, weights folder: SafetensorsFolder) throws -> BertModel {
        let cfg = try config(c)
        let eps = Float(try c.positiveDouble(["layer_norm_eps"], default: 1e-12))
        let w = try HFWeights(folder, family: "bert", prefixes: ["", "bert."], probe: "embeddings.word_embeddings.weight")
        try w.checkBlocks(cfg.blockCount, config: c, key: "num_hidden_layers", blockPrefix: "encoder.layer.")
        let d = cfg.hiddenSize, f = cfg.ffnSize
        let family = ModelFamily.bert
        let widths = ModelFamily.Widths(hidden: d, ffn: f, heads: cfg.headCount, kvHeads: cfg.headCount, headDim: cfg.headDim)
        let blocks = try (0..<cfg.blockCount).map { i -> TransformerBlock in
            let p = "encoder.layer.\(i)."
            return family.block(linears: try w.blockLinears(family, prefix: p, widths: widths),
                                attnNorm: try w.layerNorm(p + family.norm(.attn)!.hf, d, eps: eps),
                                ffnNorm: try w.layerNorm(p + family.norm(.ffn)!.hf, d, eps: eps),
                                widths: widths, rope: nil, activation: cfg.activation)
        }
        return BertModel(
            config: cfg,
            wordEmbedding: try w.matrix("embeddings.word_embeddings.weight", cfg.vocabSize, d),
            positionEmbedding: try w.matrix("embeddings.position_embeddings.weight", cfg.contextLength, d),
            tokenTypeEmbedding: try w.matrix("embeddings.token_type_embeddings.weight", cfg.typeVocabSize, d),
            embeddingNorm: try w.layerNorm(family.norm(.final)!.hf, d, eps: eps),
            blocks: blocks,
            pooler: w.has("pooler.dense.weight") ? try w.linear("pooler.dense", out: d, in: d) : nil)
    }
}
