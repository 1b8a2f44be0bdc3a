import Foundation

/// Builds a `LlamaModel` from a GGUF file written by llama.cpp's converter: hyperparameters
/// from `<arch>.*` metadata, every tensor by its name in the family table, weights dequantized
/// to Float32, and the q/k row permutation undone where the converter applied it (so the
/// weights equal the Hugging Face layout, rotate_half RoPE).
public enum LlamaGGUFLoader {
    /// GGUF architectures this loader runs: those of the RoPE pre-norm families.
    public static let supportedArchitectures = ModelFamily.all.filter { $0.positions == .rope }.flatMap(\.architectures)

    public static func config(_ file: GGUFFile) throws -> LlamaConfig {
        let path = file.url.path
        let arch = try GGUFMeta.string(file, "general.architecture")
        guard supportedArchitectures.contains(arch) else {
            throw FormatError(file: path, field: "general.architecture", found: arch,
                              expected: "one of \(supportedArchitectures.joined(separator: ", "))")
        }
        let hidden = try GGUFMeta.count(file, "\(arch).embedding_length")
        let heads = try GGUFMeta.int(file, "\(arch).attention.head_count")
        let kvHeads = try GGUFMeta.int(file, "\(arch).attention.head_count_kv", default: heads)
        guard heads > 0, kvHeads > 0, heads % kvHeads == 0, hidden % heads == 0 else {
            throw FormatError(file: path, field: "\(arch).attention.head_count / head_count_kv",
                              found: "\(heads) / \(kvHeads) for width \(hidden)",
                              expected: "positive counts, head_count divisible by head_count_kv and dividing the width")
        }
        let headDim = try GGUFMeta.count(file, "\(arch).attention.key_length", default: hidden / heads)
        let embd = try tensorInfo(file, "token_embd.weight")
        let vocab = try GGUFMeta.count(file, "\(arch).vocab_size", default: embd.dims.count == 2 ? embd.dims[1] : 0)
        if let type = file.metadata["\(arch).rope.scaling.type"]?.string, type != "none" {
            let factor = try GGUFMeta.double(file, "\(arch).rope.scaling.factor", default: 1)
            guard factor == 1 else {
                throw FormatError(file: path, field: "\(arch).rope.scaling.type", found: "\(type) (factor \(factor))",
                                  expected: "no RoPE scaling (scaled RoPE is not implemented)")
            }
        }
        let blockCount = try GGUFMeta.int(file, "\(arch).block_count")
        try DeclaredBlocks.check(blockCount, field: "\(arch).block_count", file: path, tensorNames: file.tensors.map(\.name), prefix: "blk.")
        let local = try localAttention(file, arch: arch, blockCount: blockCount,
                                       hidden: hidden, heads: heads, headDim: headDim)
        return LlamaConfig(
            architecture: arch,
            blockCount: blockCount,
            hiddenSize: hidden,
            ffnSize: try GGUFMeta.count(file, "\(arch).feed_forward_length"),
            headCount: heads,
            kvHeadCount: kvHeads,
            headDim: headDim,
            rotaryDims: try GGUFMeta.count(file, "\(arch).rope.dimension_count", default: headDim),
            ropeTheta: Float(try GGUFMeta.positive(file, "\(arch).rope.freq_base", default: 10000)),
            normEps: Float(try GGUFMeta.positive(file, "\(arch).attention.layer_norm_rms_epsilon", default: 1e-5)),
            vocabSize: vocab,
            contextLength: try GGUFMeta.count(file, "\(arch).context_length", default: 2048),
            tiedEmbeddings: file.tensorInfo("output.weight") == nil,
            slidingWindow: local.window, globalEvery: local.globalEvery, localRopeTheta: local.ropeTheta,
            attentionScale: local.scale,
            attentionSoftcap: try softcap(file, "\(arch).attn_logit_softcapping"),
            finalLogitSoftcap: try softcap(file, "\(arch).final_logit_softcapping"))
    }

    /// A soft-capping value (Gemma 2): positive when given.
    static func softcap(_ file: GGUFFile, _ key: String) throws -> Float? {
        guard file.metadata[key] != nil else { return nil }
        let cap = try GGUFMeta.double(file, key, default: 0)
        guard cap > 0 else { throw FormatError(file: file.url.path, field: key, found: "\(cap)", expected: "a positive cap") }
        return Float(cap)
    }

    /// Gemma's local layers and score scale, as llama.cpp reads them: the window from
    /// `<arch>.attention.sliding_window`; Gemma 3: every 6th layer global unless
    /// `<arch>.attention.sliding_window_pattern` says otherwise and local RoPE base 10 000 unless
    /// `<arch>.rope.freq_base_swa` is given; Gemma 2: every 2nd layer global, one RoPE base.
    /// q·k is scaled by 1/√key_length (1/√(hidden/heads) for the 27B models, 62 blocks in
    /// Gemma 3 and 46 in Gemma 2, whose query_pre_attn_scalar differs). Phi-3: every layer sees
    /// `<arch>.attention.sliding_window` keys when the key is given. Other families: none.
    static func localAttention(_ file: GGUFFile, arch: String, blockCount: Int, hidden: Int, heads: Int,
                               headDim: Int) throws -> (window: Int?, globalEvery: Int?, ropeTheta: Float?, scale: Float?) {
        if ModelFamily.named(arch) == .phi3, file.metadata["\(arch).attention.sliding_window"] != nil {
            let window = try GGUFMeta.int(file, "\(arch).attention.sliding_window")
            guard window > 0 else {
                throw FormatError(file: file.url.path, field: "\(arch).attention.sliding_window", found: "0", expected: "a positive window")
            }
            return (window, nil, nil, nil)
        }
        let gemma3 = ModelFamily.named(arch) == .gemma3
        guard gemma3 || ModelFamily.named(arch) == .gemma2 else { return (nil, nil, nil, nil) }
        let window = try GGUFMeta.int(file, "\(arch).attention.sliding_window")
        guard window > 0 else {
            throw FormatError(file: file.url.path, field: "\(arch).attention.sliding_window", found: "0", expected: "a positive window")
        }
        let every = gemma3 ? try GGUFMeta.int(file, "\(arch).attention.sliding_window_pattern", default: 6) : 2
        let theta: Float? = gemma3 ? Float(try GGUFMeta.positive(file, "\(arch).rope.freq_base_swa", default: 10_000)) : nil
        let scalar = blockCount == (gemma3 ? 62 : 46) ? hidden / heads : headDim
        return (window, every, theta, 1 / Float(scalar).squareRoot())
    }

    /// The model of `file`; with `.quantized` every weight matrix whose rows are whole blocks
    /// stays in the file's blocks (memory-mapped) and is dequantized per product.
    public static func load(_ file: GGUFFile, weights residency: WeightResidency = .float32) throws -> LlamaModel {
        let c = try config(file)
        let family = ModelFamily.named(c.architecture) ?? .llama
        let d = c.hiddenSize, hd = c.headDim
        guard hd % 2 == 0, c.rotaryDims <= hd, c.rotaryDims % 2 == 0 else {
            throw FormatError(file: file.url.path, field: "\(c.architecture).rope.dimension_count / head dim",
                              found: "\(c.rotaryDims) / \(hd)", expected: "even, rotary dims at most the head dim")
        }
        func matrix(_ name: String, _ rows: Int, _ cols: Int) throws -> WeightMatrix {
            let info = try tensorInfo(file, name)
            guard info.dims == [cols, rows] else {
                throw FormatError(file: file.url.path, field: "tensor \(name) shape (ne)",
                                  found: "\(info.dims)", expected: "[\(cols), \(rows)]")
            }
            if residency == .quantized, let q = GGUFQuantizedRows(file, tensor: name) {
                return WeightMatrix(q)
            }
            return WeightMatrix(try file.matrix(name))
        }
        func vector(_ name: String, _ n: Int) throws -> [Float] {
            let info = try tensorInfo(file, name)
            guard info.elementCount == n else {
                throw FormatError(file: file.url.path, field: "tensor \(name) size",
                                  found: "\(info.elementCount)", expected: "\(n)")
            }
            return try file.floats(name)
        }
        let widths = ModelFamily.Widths(hidden: d, ffn: c.ffnSize, heads: c.headCount, kvHeads: c.kvHeadCount, headDim: hd)
        /// The last fused tensor read, by name (one at a time: its parts are read in a row).
        var fused: [String: WeightMatrix] = [:]
        /// One Linear by its table entry; q/k rows put back into the Hugging Face order when
        /// the converter permuted them.
        func linear(_ spec: ModelFamily.LinearSpec, block p: String) throws -> Linear {
            let out = widths[spec.out], name = p + spec.gguf
            let rows = family.rows(of: spec.kind, storedAs: \.gguf)
            let offset = rows.before.reduce(0) { $0 + widths[$1] }, total = rows.all.reduce(0) { $0 + widths[$1] }
            // A fused tensor (Phi-3's attn_qkv, ffn_up) is dequantized once for all its parts.
            let whole: WeightMatrix
            if let cached = fused[name] { whole = cached } else {
                whole = try matrix(name + ".weight", total, widths[spec.in])
                if rows.all.count > 1 { fused = [name: whole] }
            }
            var weight = out == total ? whole : whole.selectingRows(Array(offset..<(offset + out)))
            var bias = spec.bias || file.tensorInfo(name + ".bias") != nil
                ? Array(try vector(name + ".bias", total)[offset..<(offset + out)]) : nil
            if family.ggufPermutesQK, spec.kind == .q || spec.kind == .k {
                let heads = spec.kind == .q ? c.headCount : c.kvHeadCount
                weight = weight.selectingRows(LlamaPermutation.unpermutedOrder(rows: out, heads: heads))
                bias = bias.map { LlamaPermutation.unpermuteRows(Matrix(rows: $0.count, cols: 1, data: $0), heads: heads).data }
            }
            return Linear(weights: weight, bias: bias)
        }
        func norm(_ role: NormRole, block p: String) throws -> Norm {
            .rms(try vector(p + family.norm(role)!.gguf + ".weight", role == .query || role == .key ? hd : d), eps: c.normEps)
        }
        for name in ["rope_factors_long.weight", "rope_factors_short.weight"] where file.tensorInfo(name) != nil {
            throw FormatError(file: file.url.path, field: "tensor \(name)", found: "present (LongRoPE)",
                              expected: "a model without LongRoPE factors (LongRoPE is not implemented; e.g. the 4k-context Phi-3)")
        }
        // The RoPE tables are sized by the head dim: made once block 0's projections have proven it.
        var ropes: (global: RoPE, local: RoPE?)?
        let extraRoles = family.norms.map(\.role).filter { ![.attn, .ffn, .final].contains($0) }
        var blocks: [TransformerBlock] = []
        for i in 0..<c.blockCount {
            let p = "blk.\(i)."
            var linears: [LinearKind: Linear] = [:]
            for spec in family.linears { linears[spec.kind] = try linear(spec, block: p) }
            var extra: [NormRole: Norm] = [:]
            for role in extraRoles { extra[role] = try norm(role, block: p) }
            let local = c.isLocal(block: i)
            let rope = ropes ?? (RoPE(headDim: hd, rotaryDims: c.rotaryDims, theta: c.ropeTheta),
                                 c.localRopeTheta.map { RoPE(headDim: hd, rotaryDims: c.rotaryDims, theta: $0) })
            ropes = rope
            blocks.append(family.block(linears: linears, attnNorm: try norm(.attn, block: p), ffnNorm: try norm(.ffn, block: p),
                                       widths: widths, rope: local ? rope.local ?? rope.global : rope.global, extraNorms: extra,
                                       window: local ? c.slidingWindow : nil, scale: c.attentionScale,
                                       softcap: c.attentionSoftcap))
        }
        let embedding = try matrix("token_embd.weight", c.vocabSize, d)
        let head = c.tiedEmbeddings ? embedding : try matrix("output.weight", c.vocabSize, d)
        return LlamaModel(config: c, embedding: embedding, blocks: blocks, finalNorm: try norm(.final, block: ""), head: head)
    }

    private static func tensorInfo(_ file: GGUFFile, _ name: String) throws -> GGUFTensorInfo {
        guard let info = file.tensorInfo(name) else {
            throw FormatError(file: file.url.path, field: "tensor \(name)", found: "missing",
                              expected: "present in a \(supportedArchitectures.joined(separator: "/")) GGUF")
        }
        return info
    }
}

/// Typed metadata look-ups that fail with a `FormatError` naming the key.
enum GGUFMeta {
    static func value(_ file: GGUFFile, _ key: String) throws -> GGUFValue {
        guard let v = file.metadata[key] else {
            throw FormatError(file: file.url.path, field: key, found: "missing", expected: "present")
        }
        return v
    }

    static func string(_ file: GGUFFile, _ key: String) throws -> String {
        let v = try value(file, key)
        guard let s = v.string else { throw FormatError(file: file.url.path, field: key, found: "\(v)", expected: "a string") }
        return s
    }

    static func int(_ file: GGUFFile, _ key: String, default fallback: Int? = nil) throws -> Int {
        guard let v = file.metadata[key] else {
            if let fallback { return fallback }
            throw FormatError(file: file.url.path, field: key, found: "missing", expected: "an integer")
        }
        guard let i = v.int, i >= 0, i < 1 << 31 else {
            throw FormatError(file: file.url.path, field: key, found: "\(v)", expected: "a non-negative integer")
        }
        return i
    }

    /// A size or count: an integer of at least 1.
    static func count(_ file: GGUFFile, _ key: String, default fallback: Int? = nil) throws -> Int {
        let n = try int(file, key, default: fallback)
        guard n >= 1 else { throw FormatError(file: file.url.path, field: key, found: "\(n)", expected: "a positive integer") }
        return n
    }

    /// A finite number above zero (`FormatError.positive`).
    static func positive(_ file: GGUFFile, _ key: String, default fallback: Double) throws -> Double {
        try FormatError.positive(try double(file, key, default: fallback), file: file.url.path, field: key)
    }

    static func double(_ file: GGUFFile, _ key: String, default fallback: Double) throws -> Double {
        guard let v = file.metadata[key] else { return fallback }
        guard let d = v.double, d.isFinite else {
            throw FormatError(file: file.url.path, field: key, found: "\(v)", expected: "a finite number")
        }
        return d
    }
}
