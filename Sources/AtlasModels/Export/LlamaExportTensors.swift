/// The tensors of a `LlamaModel` under the names and layouts of each target format:
/// Hugging Face (`model.layers.N.self_attn.q_proj.weight`, q/k in the `rotate_half` layout the
/// model holds) and GGUF (`blk.N.attn_q.weight`, q/k rows permuted back to llama.cpp's
/// interleaved RoPE pairs for the architectures `LlamaGGUFLoader` un-permutes, i.e. not qwen2).
/// The head is written only when it differs from the embedding (rotation unties it). In a
/// block type every matrix takes `ExportDType.forMatrix(rowLength:)`, as `llama-quantize --pure`
/// does: the embedding and the head too, no mix.
public enum LlamaExportTensors {
    /// Whether the head is the embedding table (nothing to write for it).
    public static func isTied(_ model: some DecoderModel) -> Bool { model.head == model.tokenEmbedding }

    /// One block's tensors in file order: the attention norm, q k v o, the FFN norm, then the
    /// FFN's Linears; names from the family table (`name(spec)`, `normName(spec)`).
    static func blockTensors(_ model: LlamaModel, block i: Int, dtype: ExportDType, normDType: ExportDType,
                             name: (ModelFamily.LinearSpec) -> String, normName: (ModelFamily.NormSpec) -> String,
                             adjust: (ModelFamily.LinearSpec, Linear) -> Linear = { $1 }) -> [ExportTensor] {
        let family = model.family, b = model.blocks[i]
        var out: [ExportTensor] = []
        for role in [NormRole.attn, .ffn] {
            out.append(vector(normName(family.norm(role)!), b[norm: role].gamma, normDType))
            let attentionSide: Set<LinearKind> = [.q, .k, .v, .o]
            for spec in family.linears where attentionSide.contains(spec.kind) == (role == .attn) {
                out += linear(name(spec), adjust(spec, model.linear(at: LinearSite(block: i, kind: spec.kind))), dtype, biasDType: normDType)
            }
        }
        return out
    }

    /// Hugging Face tensors, every one in `dtype`.
    public static func huggingFace(_ model: LlamaModel, dtype: ExportDType = .f32) -> [ExportTensor] {
        let family = model.family
        var out: [ExportTensor] = [matrix("model.embed_tokens.weight", model.tokenEmbedding, dtype)]
        for i in model.blocks.indices {
            let p = "model.layers.\(i)."
            out += blockTensors(model, block: i, dtype: dtype, normDType: dtype,
                                name: { p + $0.hf }, normName: { p + $0.hf + ".weight" })
        }
        out.append(vector("model." + family.norm(.final)!.hf + ".weight", model.finalNorm.gamma, dtype))
        if !isTied(model) { out.append(matrix("lm_head.weight", model.head, dtype)) }
        return out
    }

    /// GGUF tensors: matrices in `dtype` (or its fallback for their row length), norms and
    /// biases (1-D) always F32 as llama.cpp's converter and `llama-quantize` keep them.
    public static func gguf(_ model: LlamaModel, dtype: ExportDType = .f32) -> [ExportTensor] {
        let c = model.config, family = model.family
        func qk(_ spec: ModelFamily.LinearSpec, _ l: Linear) -> Linear {
            guard family.ggufPermutesQK, spec.kind == .q || spec.kind == .k else { return l }
            let heads = spec.kind == .q ? c.headCount : c.kvHeadCount
            return Linear(weight: LlamaPermutation.permuteRows(l.weight, heads: heads),
                          bias: l.bias.map { LlamaPermutation.permuteRows(Matrix(rows: $0.count, cols: 1, data: $0), heads: heads).data })
        }
        var out: [ExportTensor] = [matrix("token_embd.weight", model.tokenEmbedding, dtype)]
        for i in model.blocks.indices {
            let p = "blk.\(i)."
            out += blockTensors(model, block: i, dtype: dtype, normDType: .f32,
                                name: { p + $0.gguf }, normName: { p + $0.gguf + ".weight" }, adjust: qk)
        }
        out.append(vector(family.norm(.final)!.gguf + ".weight", model.finalNorm.gamma, .f32))
        if !isTied(model) { out.append(matrix("output.weight", model.head, dtype)) }
        return out
    }

    /// The model as a runtime reading `gguf(model, dtype:)` sees it: every matrix rounded to
    /// the type it is stored as, norms and biases unchanged (for comparing a reloaded F16 or
    /// quantized export; a block type's rows quantize independently, so the q/k row
    /// permutation does not change them).
    public static func roundedLikeGGUF<M: DecoderModel>(_ model: M, dtype: ExportDType) -> M {
        func rm(_ m: Matrix) -> Matrix { Matrix(rows: m.rows, cols: m.cols, data: dtype.forMatrix(rowLength: m.cols).rounded(m.data)) }
        var out = model.transformingLinears { Linear(weight: rm($1.weight), bias: $1.bias) }
        out.tokenEmbedding = rm(model.tokenEmbedding)
        out.head = isTied(model) ? out.tokenEmbedding : rm(model.head)
        return out
    }

    /// A weight matrix in `dtype`, or the type llama.cpp falls back to for its row length.
    private static func matrix(_ name: String, _ m: Matrix, _ dtype: ExportDType) -> ExportTensor {
        ExportTensor(name: name, matrix: m, dtype: dtype.forMatrix(rowLength: m.cols))
    }

    private static func vector(_ name: String, _ v: [Float], _ dtype: ExportDType) -> ExportTensor {
        ExportTensor(name: name, shape: [v.count], values: v, dtype: dtype)
    }

    /// `<base>.weight` and, when present, `<base>.bias` (in `biasDType`, default the weight's).
    private static func linear(_ base: String, _ l: Linear, _ dtype: ExportDType, biasDType: ExportDType? = nil) -> [ExportTensor] {
        [matrix(base + ".weight", l.weight, dtype)]
            + (l.bias.map { [vector(base + ".bias", $0, biasDType ?? dtype)] } ?? [])
    }
}
