/// The tensors of a `LlamaModel` under the names and layouts of each target format:
/// Hugging Face (`model.layers.N.self_attn.q_proj.weight`, q/k in the `rotate_half` layout the
/// model holds) and GGUF (`blk.N.attn_q.weight`, q/k rows permuted back to llama.cpp's
/// interleaved RoPE pairs for the architectures `LlamaGGUFLoader` un-permutes, i.e. not qwen2).
/// The head is written only when it differs from the embedding (rotation unties it).
public enum LlamaExportTensors {
    /// Whether the head is the embedding table (nothing to write for it).
    public static func isTied(_ model: LlamaModel) -> Bool { model.head == model.embedding }

    /// Hugging Face tensors, every one in `dtype`.
    public static func huggingFace(_ model: LlamaModel, dtype: ExportDType = .f32) -> [ExportTensor] {
        var out: [ExportTensor] = [ExportTensor(name: "model.embed_tokens.weight", matrix: model.embedding, dtype: dtype)]
        for (i, b) in model.blocks.enumerated() {
            let p = "model.layers.\(i)."
            out.append(vector(p + "input_layernorm.weight", b.attnNorm, dtype))
            out += linear(p + "self_attn.q_proj", b.attention.q, dtype)
            out += linear(p + "self_attn.k_proj", b.attention.k, dtype)
            out += linear(p + "self_attn.v_proj", b.attention.v, dtype)
            out += linear(p + "self_attn.o_proj", b.attention.o, dtype)
            out.append(vector(p + "post_attention_layernorm.weight", b.ffnNorm, dtype))
            out += linear(p + "mlp.gate_proj", b.mlp.gate, dtype)
            out += linear(p + "mlp.up_proj", b.mlp.up, dtype)
            out += linear(p + "mlp.down_proj", b.mlp.down, dtype)
        }
        out.append(vector("model.norm.weight", model.finalNorm, dtype))
        if !isTied(model) { out.append(ExportTensor(name: "lm_head.weight", matrix: model.head, dtype: dtype)) }
        return out
    }

    /// GGUF tensors: matrices in `dtype`, norms and biases (1-D) always F32 as llama.cpp's converter keeps them.
    public static func gguf(_ model: LlamaModel, dtype: ExportDType = .f32) -> [ExportTensor] {
        let c = model.config
        let permute = c.architecture != "qwen2"
        func qk(_ l: Linear, heads: Int) -> Linear {
            guard permute else { return l }
            return Linear(weight: LlamaPermutation.permuteRows(l.weight, heads: heads),
                          bias: l.bias.map { LlamaPermutation.permuteRows(Matrix(rows: $0.count, cols: 1, data: $0), heads: heads).data })
        }
        var out: [ExportTensor] = [ExportTensor(name: "token_embd.weight", matrix: model.embedding, dtype: dtype)]
        for (i, b) in model.blocks.enumerated() {
            let p = "blk.\(i)."
            out.append(vector(p + "attn_norm.weight", b.attnNorm, .f32))
            out += linear(p + "attn_q", qk(b.attention.q, heads: c.headCount), dtype, biasDType: .f32)
            out += linear(p + "attn_k", qk(b.attention.k, heads: c.kvHeadCount), dtype, biasDType: .f32)
            out += linear(p + "attn_v", b.attention.v, dtype, biasDType: .f32)
            out += linear(p + "attn_output", b.attention.o, dtype)
            out.append(vector(p + "ffn_norm.weight", b.ffnNorm, .f32))
            out += linear(p + "ffn_gate", b.mlp.gate, dtype)
            out += linear(p + "ffn_up", b.mlp.up, dtype)
            out += linear(p + "ffn_down", b.mlp.down, dtype)
        }
        out.append(vector("output_norm.weight", model.finalNorm, .f32))
        if !isTied(model) { out.append(ExportTensor(name: "output.weight", matrix: model.head, dtype: dtype)) }
        return out
    }

    /// The model as a runtime reading `gguf(model, dtype:)` sees it: every matrix rounded to
    /// `dtype`, norms and biases unchanged (for comparing a reloaded F16 export).
    public static func roundedLikeGGUF(_ model: LlamaModel, dtype: ExportDType) -> LlamaModel {
        func rm(_ m: Matrix) -> Matrix { Matrix(rows: m.rows, cols: m.cols, data: dtype.rounded(m.data)) }
        func r(_ l: Linear) -> Linear { Linear(weight: rm(l.weight), bias: l.bias) }
        var out = model
        let tied = isTied(model)
        out.embedding = rm(model.embedding)
        out.head = tied ? out.embedding : rm(model.head)
        for i in out.blocks.indices {
            let a = out.blocks[i].attention, m = out.blocks[i].mlp
            out.blocks[i].attention.q = r(a.q); out.blocks[i].attention.k = r(a.k)
            out.blocks[i].attention.v = r(a.v); out.blocks[i].attention.o = r(a.o)
            out.blocks[i].mlp = GatedMLP(gate: r(m.gate), up: r(m.up), down: r(m.down))
        }
        return out
    }

    private static func vector(_ name: String, _ v: [Float], _ dtype: ExportDType) -> ExportTensor {
        ExportTensor(name: name, shape: [v.count], values: v, dtype: dtype)
    }

    /// `<base>.weight` and, when present, `<base>.bias` (in `biasDType`, default the weight's).
    private static func linear(_ base: String, _ l: Linear, _ dtype: ExportDType, biasDType: ExportDType? = nil) -> [ExportTensor] {
        [ExportTensor(name: base + ".weight", matrix: l.weight, dtype: dtype)]
            + (l.bias.map { [vector(base + ".bias", $0, biasDType ?? dtype)] } ?? [])
    }
}
