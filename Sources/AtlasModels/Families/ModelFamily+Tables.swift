/// The families this tool runs, one table each.
extension ModelFamily {
    public static let all: [ModelFamily] = [.llama, .qwen2, .gemma2, .gemma3, .phi3, .gpt2, .opt, .bert]

    /// The family of a GGUF `general.architecture` or config.json `model_type`.
    public static func named(_ architecture: String) -> ModelFamily? {
        all.first { $0.architectures.contains(architecture) }
    }

    static func spec(_ kind: LinearKind, _ gguf: String, _ hf: String, _ out: Width, _ input: Width,
                     reads: TapName, writes: TapName, bias: Bool = false) -> LinearSpec {
        LinearSpec(kind: kind, gguf: gguf, hf: hf, out: out, in: input, input: reads, output: writes, bias: bias)
    }

    static let preNormTaps: [TapName] = [.attnIn, .attnNorm, .attnQ, .attnK, .attnV, .attnProbs, .attnCtx, .attnOut, .attnResid,
                                         .ffnIn, .ffnNorm, .ffnGate, .ffnUp, .ffnAct, .ffnDownIn, .ffnDownOut, .ffnResid]

    /// LLaMA, Mistral, SmolLM2: RMSNorm pre-norm blocks, RoPE, SwiGLU.
    public static let llama = ModelFamily(
        name: "llama", displayName: "LLaMA", architectures: ["llama", "mistral"], kind: .decoder, norm: .rms, placement: .pre,
        ffn: .gated, activation: .silu, positions: .rope,
        linears: [
            spec(.q, "attn_q", "self_attn.q_proj", .queries, .hidden, reads: .attnNorm, writes: .attnQ),
            spec(.k, "attn_k", "self_attn.k_proj", .keyValues, .hidden, reads: .attnNorm, writes: .attnK),
            spec(.v, "attn_v", "self_attn.v_proj", .keyValues, .hidden, reads: .attnNorm, writes: .attnV),
            spec(.o, "attn_output", "self_attn.o_proj", .hidden, .queries, reads: .attnCtx, writes: .attnOut),
            spec(.gate, "ffn_gate", "mlp.gate_proj", .ffn, .hidden, reads: .ffnNorm, writes: .ffnGate),
            spec(.up, "ffn_up", "mlp.up_proj", .ffn, .hidden, reads: .ffnNorm, writes: .ffnUp),
            spec(.down, "ffn_down", "mlp.down_proj", .hidden, .ffn, reads: .ffnDownIn, writes: .ffnDownOut),
        ],
        norms: [
            NormSpec(role: .attn, tap: .attnNorm, inputTap: .attnIn, gguf: "attn_norm", hf: "input_layernorm"),
            NormSpec(role: .ffn, tap: .ffnNorm, inputTap: .ffnIn, gguf: "ffn_norm", hf: "post_attention_layernorm"),
            NormSpec(role: .final, tap: nil, inputTap: nil, gguf: "output_norm", hf: "norm"),
        ],
        taps: preNormTaps, ggufPermutesQK: true)

    /// Qwen2: LLaMA with biases on q, k and v, and q/k left unpermuted by llama.cpp's converter.
    public static let qwen2: ModelFamily = {
        var f = llamaVariant("qwen2", "Qwen2")
        for i in f.linears.indices where [.q, .k, .v].contains(f.linears[i].kind) { f.linears[i].bias = true }
        return f
    }()

    /// LLaMA's table under another name (one architecture of the same name), with q/k left
    /// unpermuted: only llama.cpp's LLaMA converter permutes them.
    static func llamaVariant(_ name: String, _ displayName: String) -> ModelFamily {
        var f = llama
        f.name = name
        f.displayName = displayName
        f.architectures = [name]
        f.ggufPermutesQK = false
        return f
    }

    /// Gemma 2 and 3: LLaMA's Linears with GeGLU (tanh GELU), embeddings scaled by √hidden, a
    /// norm on each sublayer's output before its residual add (taps `attn.post_norm`,
    /// `ffn.post_norm`: the latter sits between y7 `ffn.down_out` and y8 `ffn.resid` and has no
    /// y-index of its own), and local sliding-window layers between global ones. Every norm
    /// multiplies by 1 + γ: Hugging Face stores γ, llama.cpp's converter stores 1 + γ (so the
    /// GGUF vector is the multiplier itself, as for LLaMA).
    static func gemmaVariant(_ name: String, _ displayName: String, architectures: [String], qkNorms: Bool) -> ModelFamily {
        var f = llamaVariant(name, displayName)
        f.architectures = architectures
        f.activation = .geluTanh
        f.scalesEmbedding = true
        f.hfNormMultiplierIsOnePlusWeight = true
        f.norms = [
            NormSpec(role: .attn, tap: .attnNorm, inputTap: .attnIn, gguf: "attn_norm", hf: "input_layernorm"),
            NormSpec(role: .attnPost, tap: .attnPostNorm, inputTap: .attnOut, gguf: "post_attention_norm", hf: "post_attention_layernorm"),
            NormSpec(role: .ffn, tap: .ffnNorm, inputTap: .ffnIn, gguf: "ffn_norm", hf: "pre_feedforward_layernorm"),
            NormSpec(role: .ffnPost, tap: .ffnPostNorm, inputTap: .ffnDownOut, gguf: "post_ffw_norm", hf: "post_feedforward_layernorm"),
        ] + (qkNorms ? [
            NormSpec(role: .query, tap: nil, inputTap: .attnQ, gguf: "attn_q_norm", hf: "self_attn.q_norm"),
            NormSpec(role: .key, tap: nil, inputTap: .attnK, gguf: "attn_k_norm", hf: "self_attn.k_norm"),
        ] : []) + [
            NormSpec(role: .final, tap: nil, inputTap: nil, gguf: "output_norm", hf: "norm"),
        ]
        var taps = preNormTaps
        taps.insert(.attnPostNorm, at: taps.firstIndex(of: .attnResid)!)
        taps.insert(.ffnPostNorm, at: taps.firstIndex(of: .ffnResid)!)
        f.taps = taps
        return f
    }

    /// Gemma 2: alternating local and global layers, attention and final logits soft-capped
    /// (`cap · tanh(x / cap)`, from the checkpoint's settings).
    public static let gemma2 = gemmaVariant("gemma2", "Gemma 2", architectures: ["gemma2"], qkNorms: false)

    /// Gemma 3 (text): Gemma 2's blocks with an RMSNorm over each head of q and k, five local
    /// layers per global one and a RoPE base of their own for the local layers. Its HF config is
    /// `model_type: gemma3_text`.
    public static let gemma3 = gemmaVariant("gemma3", "Gemma 3", architectures: ["gemma3", "gemma3_text"], qkNorms: true)

    /// Phi-3: LLaMA's blocks with q, k, v fused in one tensor `attn_qkv` (rows q | k | v) and
    /// gate, up in one `ffn_up` (rows gate | up), split at load; RoPE in the rotate_half layout
    /// (llama.cpp does not permute q/k). Hugging Face fuses them the same way, as
    /// `self_attn.qkv_proj` and `mlp.gate_up_proj`.
    public static let phi3: ModelFamily = {
        var f = llamaVariant("phi3", "Phi-3")
        let fused: [LinearKind: (gguf: String, hf: String)] = [
            .q: ("attn_qkv", "self_attn.qkv_proj"), .k: ("attn_qkv", "self_attn.qkv_proj"), .v: ("attn_qkv", "self_attn.qkv_proj"),
            .gate: ("ffn_up", "mlp.gate_up_proj"), .up: ("ffn_up", "mlp.gate_up_proj"),
        ]
        for i in f.linears.indices {
            if let names = fused[f.linears[i].kind] { (f.linears[i].gguf, f.linears[i].hf) = names }
        }
        return f
    }()

    /// The plain-MLP pre-LN decoders: LayerNorm with beta, biases everywhere, learned positions.
    static func layerNormDecoder(name: String, displayName: String, activation: Activation, offset: Int, hf: [LinearKind: String],
                                 norms hfNorms: [NormRole: String]) -> ModelFamily {
        let gguf: [LinearKind: String] = [.q: "attn_q", .k: "attn_k", .v: "attn_v", .o: "attn_output", .up: "ffn_up", .down: "ffn_down"]
        let plain = llama.linears.filter { $0.kind != .gate }.map { l in
            spec(l.kind, gguf[l.kind]!, hf[l.kind]!, l.out, l.in, reads: l.input, writes: l.output, bias: true)
        }
        return ModelFamily(
            name: name, displayName: displayName, architectures: [name], kind: .decoder, norm: .layer, placement: .pre, ffn: .plain,
            activation: activation, positions: .learned(offset: offset), linears: plain,
            norms: llama.norms.map { n in NormSpec(role: n.role, tap: n.tap, inputTap: n.inputTap, gguf: n.gguf, hf: hfNorms[n.role]!) },
            taps: preNormTaps.filter { $0 != .ffnGate && $0 != .ffnAct }, ggufPermutesQK: false)
    }

    /// GPT-2 (Conv1D weights and a packed `c_attn` in HF checkpoints, split by the loader).
    public static let gpt2 = layerNormDecoder(
        name: "gpt2", displayName: "GPT-2", activation: .geluTanh, offset: 0,
        hf: [.q: "attn.c_attn", .k: "attn.c_attn", .v: "attn.c_attn", .o: "attn.c_proj", .up: "mlp.c_fc", .down: "mlp.c_proj"],
        norms: [.attn: "ln_1", .ffn: "ln_2", .final: "ln_f"])

    /// OPT: positions read at `position + 2`, ReLU.
    public static let opt = layerNormDecoder(
        name: "opt", displayName: "OPT", activation: .relu, offset: 2,
        hf: [.q: "self_attn.q_proj", .k: "self_attn.k_proj", .v: "self_attn.v_proj", .o: "self_attn.out_proj", .up: "fc1", .down: "fc2"],
        norms: [.attn: "self_attn_layer_norm", .ffn: "final_layer_norm", .final: "final_layer_norm"])

    /// BERT: post-LN encoder blocks; q/k/v read a copy of the block input (`attn.norm`) and the
    /// up projection a copy of `ffn.in` (`ffn.norm`), so rewriting those taps leaves the residual
    /// alone. Its `final` norm is the embeddings' LayerNorm.
    public static let bert = ModelFamily(
        name: "bert", displayName: "BERT", architectures: ["bert"], kind: .encoder, norm: .layer, placement: .post, ffn: .plain,
        activation: .geluErf, positions: .learned(offset: 0),
        linears: [
            spec(.q, "attn_q", "attention.self.query", .queries, .hidden, reads: .attnNorm, writes: .attnQ, bias: true),
            spec(.k, "attn_k", "attention.self.key", .keyValues, .hidden, reads: .attnNorm, writes: .attnK, bias: true),
            spec(.v, "attn_v", "attention.self.value", .keyValues, .hidden, reads: .attnNorm, writes: .attnV, bias: true),
            spec(.o, "attn_output", "attention.output.dense", .hidden, .queries, reads: .attnCtx, writes: .attnOut, bias: true),
            spec(.up, "ffn_up", "intermediate.dense", .ffn, .hidden, reads: .ffnNorm, writes: .ffnUp, bias: true),
            spec(.down, "ffn_down", "output.dense", .hidden, .ffn, reads: .ffnDownIn, writes: .ffnDownOut, bias: true),
        ],
        norms: [
            NormSpec(role: .attn, tap: .attnPostNorm, inputTap: .attnResid, gguf: "attn_output_norm", hf: "attention.output.LayerNorm"),
            NormSpec(role: .ffn, tap: .ffnPostNorm, inputTap: .ffnResid, gguf: "layer_output_norm", hf: "output.LayerNorm"),
            NormSpec(role: .final, tap: nil, inputTap: nil, gguf: "token_embd_norm", hf: "embeddings.LayerNorm"),
        ],
        taps: [.attnIn, .attnNorm, .attnQ, .attnK, .attnV, .attnProbs, .attnCtx, .attnOut, .attnResid, .attnPostNorm,
               .ffnIn, .ffnNorm, .ffnUp, .ffnDownIn, .ffnDownOut, .ffnResid, .ffnPostNorm],
        ggufPermutesQK: false)
}
