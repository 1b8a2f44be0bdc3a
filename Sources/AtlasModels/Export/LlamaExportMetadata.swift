import Foundation

/// The descriptive files of an exported LLaMA-family model: Hugging Face `config.json` and GGUF
/// metadata, from the source's own (kept where the model did not change) or built from the
/// hyperparameters. Only what changed is rewritten: the tie of the head (rotation unties it),
/// the stored dtype, `general.file_type` (and, for a block type, `general.quantization_version`
/// 2, as `llama-quantize` sets it).
public enum LlamaExportMetadata {
    /// The HF class for each architecture our loaders run.
    static let classes = ["llama": "LlamaForCausalLM", "mistral": "MistralForCausalLM", "qwen2": "Qwen2ForCausalLM"]

    /// `config.json`: the source folder's config with the changed keys replaced, or (GGUF source)
    /// a complete LlamaForCausalLM config with every key `LlamaHFLoader` and transformers read.
    public static func huggingFaceConfig(_ model: LlamaModel, sourceConfig: [String: Any]?, bos: Int?, eos: Int?) -> [String: Any] {
        let c = model.config
        let hasBias = model.blocks.first?.attention.q.bias != nil
        var out = sourceConfig ?? [
            "architectures": [classes[c.architecture] ?? "LlamaForCausalLM"], "model_type": c.architecture,
            "hidden_size": c.hiddenSize, "intermediate_size": c.ffnSize, "num_attention_heads": c.headCount,
            "num_key_value_heads": c.kvHeadCount, "num_hidden_layers": c.blockCount, "head_dim": c.headDim,
            "rms_norm_eps": Double(c.normEps), "rope_theta": Double(c.ropeTheta), "vocab_size": c.vocabSize,
            "rope_parameters": ["rope_type": "default", "rope_theta": Double(c.ropeTheta)] as [String: Any],
            "max_position_embeddings": c.contextLength, "hidden_act": "silu", "attention_bias": hasBias,
            "mlp_bias": false, "attention_dropout": 0.0, "initializer_range": 0.02, "use_cache": true,
            "bos_token_id": bos.map { $0 as Any } ?? NSNull(), "eos_token_id": eos.map { $0 as Any } ?? NSNull(),
        ]
        out["tie_word_embeddings"] = LlamaExportTensors.isTied(model)
        out["torch_dtype"] = "float32"
        out["dtype"] = "float32"
        return out
    }

    /// GGUF metadata: the source GGUF's keys in file order (tokenizer included) with
    /// `general.file_type` (and a block type's `general.quantization_version`) set, or, for a Hugging Face source, the `<arch>.*` hyperparameters and
    /// the tokenizer from `tokenizer`; then `provenance` as `outlier_atlas.*` strings.
    public static func gguf(_ model: LlamaModel, source: GGUFFile?, tokenizer: [(key: String, value: GGUFValue)],
                            dtype: ExportDType, provenance: [String: String]) -> [(key: String, value: GGUFValue)] {
        var set: [String: GGUFValue] = ["general.file_type": .uint32(dtype.llamaFileType)]
        if dtype.isQuantized { set["general.quantization_version"] = .uint32(2) }   // GGML_QNT_VERSION
        var out: [(key: String, value: GGUFValue)]
        if let source {
            out = source.metadataKeys.filter { !$0.hasPrefix("outlier_atlas.") }.map { key in (key: key, value: set[key] ?? source.metadata[key]!) }
            for key in set.keys.sorted() where !out.contains(where: { $0.key == key }) { out.append((key, set[key]!)) }
        } else {
            let c = model.config, a = c.architecture
            let counts: [(String, Int)] = [
                ("context_length", c.contextLength), ("embedding_length", c.hiddenSize), ("block_count", c.blockCount),
                ("feed_forward_length", c.ffnSize), ("attention.head_count", c.headCount), ("attention.head_count_kv", c.kvHeadCount),
                ("attention.key_length", c.headDim), ("attention.value_length", c.headDim), ("rope.dimension_count", c.rotaryDims),
                ("vocab_size", c.vocabSize)]
            out = [("general.architecture", .string(a)), ("general.name", .string("outlier-atlas export")), ("general.file_type", set["general.file_type"]!)]
            out += counts.map { (key: "\(a).\($0.0)", value: GGUFValue.uint32(UInt32($0.1))) }
            out += [("\(a).rope.freq_base", .float32(c.ropeTheta)), ("\(a).attention.layer_norm_rms_epsilon", .float32(c.normEps)),
                    ("general.quantization_version", .uint32(2))]
            out += tokenizer
        }
        for key in provenance.keys.sorted() { out.append(("outlier_atlas.\(key)", .string(provenance[key]!))) }
        return out
    }
}
