import Foundation

/// Builds a `LlamaModel` (LLaMA, Mistral, Qwen2) from a Hugging Face folder: hyperparameters
/// from config.json, weights by their HF names. HF files keep q/k in the `rotate_half` layout,
/// so nothing is permuted (unlike GGUF).
public enum LlamaHFLoader {
    public static let modelTypes = ModelFamily.all.filter { $0.positions == .rope }.flatMap(\.architectures)

    public static func config(_ c: HFConfig, modelType: String) throws -> LlamaConfig {
        let hidden = try c.int("hidden_size")
        let heads = try c.int("num_attention_heads")
        let kvHeads = try c.int("num_key_value_heads", default: heads)
        guard heads % kvHeads == 0 else {
            throw FormatError(file: c.url.path, field: "num_key_value_heads", found: "\(kvHeads) for \(heads) query heads",
                              expected: "a divisor of num_attention_heads")
        }
        let headDim = try c.int("head_dim", default: hidden / heads)
        let ropeType = try c.optionalString("rope_parameters.rope_type") ?? c.optionalString("rope_scaling.rope_type")
            ?? c.optionalString("rope_scaling.type") ?? "default"
        guard ropeType == "default" else {
            throw FormatError(file: c.url.path, field: "rope_parameters.rope_type", found: "\"\(ropeType)\"",
                              expected: "\"default\" (RoPE scaling is not supported)")
        }
        let act = try c.optionalString("hidden_act") ?? "silu"
        guard act == "silu" else {
            throw FormatError(file: c.url.path, field: "hidden_act", found: "\"\(act)\"", expected: "\"silu\" (SwiGLU)")
        }
        _ = try c.dtype()
        return LlamaConfig(
            architecture: modelType,
            blockCount: try c.int("num_hidden_layers"),
            hiddenSize: hidden,
            ffnSize: try c.int("intermediate_size"),
            headCount: heads,
            kvHeadCount: kvHeads,
            headDim: headDim,
            rotaryDims: headDim,
            ropeTheta: Float(try c.double(["rope_parameters.rope_theta", "rope_theta"], default: 10000)),
            normEps: Float(try c.double(["rms_norm_eps"], default: 1e-6)),
            vocabSize: try c.int("vocab_size"),
            contextLength: try c.int("max_position_embeddings", default: 2048),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: false))
    }

    public static func load(_ c: HFConfig, modelType: String, weights folder: SafetensorsFolder) throws -> LlamaModel {
        let cfg = try config(c, modelType: modelType)
        let w = try HFWeights(folder, family: modelType, prefixes: ["model.", ""], probe: "embed_tokens.weight")
        let d = cfg.hiddenSize
        let rope = RoPE(headDim: cfg.headDim, rotaryDims: cfg.rotaryDims, theta: cfg.ropeTheta)
        let family = ModelFamily.named(modelType) ?? .llama
        let widths = ModelFamily.Widths(hidden: d, ffn: cfg.ffnSize, heads: cfg.headCount, kvHeads: cfg.kvHeadCount, headDim: cfg.headDim)
        let blocks = try (0..<cfg.blockCount).map { i -> TransformerBlock in
            let p = "layers.\(i)."
            let linears = try w.blockLinears(family, prefix: p, widths: widths)
            func norm(_ role: NormRole) throws -> Norm { .rms(try w.vector(p + family.norm(role)!.hf + ".weight", d), eps: cfg.normEps) }
            return family.block(linears: linears, attnNorm: try norm(.attn), ffnNorm: try norm(.ffn), widths: widths, rope: rope)
        }
        let embedding = try w.matrix("embed_tokens.weight", cfg.vocabSize, d)
        // lm_head sits outside the base model's prefix.
        let head = cfg.tiedEmbeddings ? embedding
            : try HFWeights(folder, family: modelType, prefixes: [""], probe: "lm_head.weight").matrix("lm_head.weight", cfg.vocabSize, d)
        return LlamaModel(config: cfg, embedding: embedding, blocks: blocks,
                          finalNorm: .rms(try w.vector(family.norm(.final)!.hf + ".weight", d), eps: cfg.normEps), head: head)
    }
}
