import Foundation

/// Builds a `LlamaModel` (LLaMA, Mistral, Qwen2, Gemma 2/3, Phi-3) from a Hugging Face folder:
/// hyperparameters from config.json, weights by their HF names in the family table. HF files keep
/// q/k in the `rotate_half` layout, so nothing is permuted (unlike GGUF); Gemma's norm weights γ
/// become the multipliers 1 + γ.
public enum LlamaHFLoader {
    public static let modelTypes = ModelFamily.all.filter { $0.positions == .rope }.flatMap(\.architectures)

    public static func config(_ c: HFConfig, modelType: String) throws -> LlamaConfig {
        let family = ModelFamily.named(modelType) ?? .llama
        let hidden = try c.int("hidden_size")
        let heads = try c.int("num_attention_heads")
        let kvHeads = try c.int("num_key_value_heads", default: heads)
        guard heads % kvHeads == 0 else {
            throw FormatError(file: c.url.path, field: "num_key_value_heads", found: "\(kvHeads) for \(heads) query heads",
                              expected: "a divisor of num_attention_heads")
        }
        guard c.has("head_dim") || hidden % heads == 0 else {
            throw FormatError(file: c.url.path, field: "num_attention_heads", found: "\(heads) for hidden_size \(hidden)",
                              expected: "a divisor of hidden_size (or a head_dim)")
        }
        let headDim = try c.int("head_dim", default: hidden / heads)
        let gemma = family.hfNormMultiplierIsOnePlusWeight
        // Gemma 3 keeps one RoPE setting per attention type; the others one for all layers.
        let rope = c.has("rope_parameters.full_attention") ? "rope_parameters.full_attention" : "rope_parameters"
        for key in [rope, "rope_parameters.sliding_attention", "rope_scaling"] where c.has(key) {
            let type = try c.optionalString("\(key).rope_type") ?? c.optionalString("\(key).type") ?? "default"
            guard type == "default" else {
                throw FormatError(file: c.url.path, field: "\(key).rope_type", found: "\"\(type)\"",
                                  expected: "\"default\" (RoPE scaling, LongRoPE and YaRN are not implemented)")
            }
        }
        let rotaryFactor = try c.double(["\(rope).partial_rotary_factor", "partial_rotary_factor"], default: 1)
        let rotaryDims = Int((Double(headDim) * rotaryFactor).rounded())
        guard rotaryFactor > 0, rotaryFactor <= 1, rotaryDims % 2 == 0 else {
            throw FormatError(file: c.url.path, field: "partial_rotary_factor", found: "\(rotaryFactor)",
                              expected: "a factor in (0, 1] giving an even number of rotary dims of the head's \(headDim)")
        }
        let actKey = c.has("hidden_activation") ? "hidden_activation" : "hidden_act"
        let act = c.has(actKey) ? try c.activation(actKey) : family.activation
        guard act == family.activation else {
            throw FormatError(file: c.url.path, field: actKey, found: "\"\(try c.string(actKey))\"",
                              expected: "the \(family.displayName) activation (\(family.activation))")
        }
        _ = try c.dtype()
        let layers = try c.int("num_hidden_layers")
        let local = try localAttention(c, family: family, layers: layers)
        let defaultTheta: Double = family == .gemma3 ? 1_000_000 : 10_000
        return LlamaConfig(
            architecture: modelType,
            blockCount: layers,
            hiddenSize: hidden,
            ffnSize: try c.int("intermediate_size"),
            headCount: heads,
            kvHeadCount: kvHeads,
            headDim: headDim,
            rotaryDims: rotaryDims,
            ropeTheta: Float(try c.positiveDouble(["\(rope).rope_theta", "rope_theta"], default: defaultTheta)),
            normEps: Float(try c.positiveDouble(["rms_norm_eps"], default: 1e-6)),
            vocabSize: try c.int("vocab_size"),
            contextLength: try c.int("max_position_embeddings", default: 2048),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: gemma),
            slidingWindow: local.window, globalEvery: local.globalEvery,
            localRopeTheta: family == .gemma3
                ? Float(try c.positiveDouble(["rope_parameters.sliding_attention.rope_theta", "rope_local_base_freq"], default: 10_000)) : nil,
            attentionScale: gemma ? 1 / Float(try c.positiveDouble(["query_pre_attn_scalar"], default: Double(headDim))).squareRoot() : nil,
            attentionSoftcap: try softcap(c, "attn_logit_softcapping"),
            finalLogitSoftcap: try softcap(c, "final_logit_softcapping"))
    }

    /// Which layers attend through a sliding window, as transformers decides: `layer_types`
    /// (or Gemma 3's older `sliding_window_pattern`), the last layer of each group global; a
    /// `sliding_window` with neither (Mistral, Phi-3) makes every layer local unless
    /// `use_sliding_window` is false. Only patterns "n − 1 local, then one global" are modelled.
    static func localAttention(_ c: HFConfig, family: ModelFamily, layers: Int) throws -> (window: Int?, globalEvery: Int?) {
        guard c.has("sliding_window"), try c.bool("use_sliding_window", default: true) else { return (nil, nil) }
        let window = try c.int("sliding_window")
        if c.has("layer_types") {
            guard let types = c.value("layer_types") as? [String], types.count == layers,
                  types.allSatisfy({ $0 == "sliding_attention" || $0 == "full_attention" }) else {
                throw c.fail("layer_types", "\(layers) entries, each \"sliding_attention\" or \"full_attention\"")
            }
            guard types.contains("full_attention") else { return (window, nil) }
            let every = types.firstIndex(of: "full_attention")! + 1
            guard types.indices.allSatisfy({ (types[$0] == "full_attention") == (($0 + 1) % every == 0) }) else {
                throw c.fail("layer_types", "a repeating pattern of local layers, each group ending in one full_attention layer")
            }
            guard types.contains("sliding_attention") else { return (nil, nil) }
            return (window, every)
        }
        if family == .gemma3 { return (window, try c.int("sliding_window_pattern", default: 6)) }
        if family == .gemma2 { return (window, 2) }
        guard family != .qwen2 else {
            throw c.fail("use_sliding_window", "false (Qwen2's max_window_layers is not modelled)")
        }
        return (window, nil)
    }

    /// A soft-capping value (Gemma 2), nil when absent or null.
    static func softcap(_ c: HFConfig, _ key: String) throws -> Float? {
        guard c.has(key) else { return nil }
        let cap = try c.double([key])
        guard cap > 0 else { throw c.fail(key, "a positive cap or null") }
        return Float(cap)
    }

    public static func load(_ c: HFConfig, modelType: String, weights folder: SafetensorsFolder) throws -> LlamaModel {
        let cfg = try config(c, modelType: modelType)
        let w = try HFWeights(folder, family: modelType, prefixes: ["model.", ""], probe: "embed_tokens.weight")
        try w.checkBlocks(cfg.blockCount, config: c, key: "num_hidden_layers", blockPrefix: "layers.")
        let d = cfg.hiddenSize, hd = cfg.headDim
        let family = ModelFamily.named(modelType) ?? .llama
        // The RoPE tables are sized by head_dim: made once block 0's projections have proven it.
        var ropes: (global: RoPE, local: RoPE?)?
        let widths = ModelFamily.Widths(hidden: d, ffn: cfg.ffnSize, heads: cfg.headCount, kvHeads: cfg.kvHeadCount, headDim: hd)
        func norm(_ name: String, _ n: Int) throws -> Norm {
            var gamma = try w.vector(name + ".weight", n)
            if family.hfNormMultiplierIsOnePlusWeight { for i in gamma.indices { gamma[i] += 1 } }
            return .rms(gamma, eps: cfg.normEps)
        }
        let extraRoles = family.norms.map(\.role).filter { ![.attn, .ffn, .final].contains($0) }
        let blocks = try (0..<cfg.blockCount).map { i -> TransformerBlock in
            let p = "layers.\(i)."
            func blockNorm(_ role: NormRole) throws -> Norm {
                try norm(p + family.norm(role)!.hf, role == .query || role == .key ? hd : d)
            }
            var extra: [NormRole: Norm] = [:]
            for role in extraRoles { extra[role] = try blockNorm(role) }
            let local = cfg.isLocal(block: i)
            let linears = try w.blockLinears(family, prefix: p, widths: widths)
            let rope = ropes ?? (RoPE(headDim: hd, rotaryDims: cfg.rotaryDims, theta: cfg.ropeTheta),
                                 cfg.localRopeTheta.map { RoPE(headDim: hd, rotaryDims: cfg.rotaryDims, theta: $0) })
            ropes = rope
            return family.block(linears: linears, attnNorm: try blockNorm(.attn),
                                ffnNorm: try blockNorm(.ffn), widths: widths, rope: local ? rope.local ?? rope.global : rope.global,
                                extraNorms: extra, window: local ? cfg.slidingWindow : nil, scale: cfg.attentionScale,
                                softcap: cfg.attentionSoftcap)
        }
        let embedding = try w.matrix("embed_tokens.weight", cfg.vocabSize, d)
        // lm_head sits outside the base model's prefix.
        let head = cfg.tiedEmbeddings ? embedding
            : try HFWeights(folder, family: modelType, prefixes: [""], probe: "lm_head.weight").matrix("lm_head.weight", cfg.vocabSize, d)
        return LlamaModel(config: cfg, embedding: embedding, blocks: blocks, finalNorm: try norm(family.norm(.final)!.hf, d), head: head)
    }
}
