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
        let eps = Float(try c.double(["layer_norm_eps"], default: 1e-12))
        let w = try HFWeights(folder, family: "bert", prefixes: ["", "bert."], probe: "embeddings.word_embeddings.weight")
        let d = cfg.hiddenSize, f = cfg.ffnSize
        let blocks = try (0..<cfg.blockCount).map { i -> BertBlock in
            let p = "encoder.layer.\(i)."
            let attention = SelfAttention(
                q: try w.linear(p + "attention.self.query", out: d, in: d), k: try w.linear(p + "attention.self.key", out: d, in: d),
                v: try w.linear(p + "attention.self.value", out: d, in: d), o: try w.linear(p + "attention.output.dense", out: d, in: d),
                heads: cfg.headCount, kvHeads: cfg.headCount, headDim: cfg.headDim, rope: nil, causal: false)
            let mlp = PlainMLP(up: try w.linear(p + "intermediate.dense", out: f, in: d), down: try w.linear(p + "output.dense", out: d, in: f),
                               activation: cfg.activation)
            return BertBlock(attention: attention, attnNorm: try w.layerNorm(p + "attention.output.LayerNorm", d, eps: eps),
                             mlp: mlp, outputNorm: try w.layerNorm(p + "output.LayerNorm", d, eps: eps))
        }
        return BertModel(
            config: cfg,
            wordEmbedding: try w.matrix("embeddings.word_embeddings.weight", cfg.vocabSize, d),
            positionEmbedding: try w.matrix("embeddings.position_embeddings.weight", cfg.contextLength, d),
            tokenTypeEmbedding: try w.matrix("embeddings.token_type_embeddings.weight", cfg.typeVocabSize, d),
            embeddingNorm: try w.layerNorm("embeddings.LayerNorm", d, eps: eps),
            blocks: blocks,
            pooler: w.has("pooler.dense.weight") ? try w.linear("pooler.dense", out: d, in: d) : nil)
    }
}
