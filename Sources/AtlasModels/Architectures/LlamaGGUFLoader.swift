import Foundation

/// Builds a `LlamaModel` from a GGUF file written by llama.cpp's converter: hyperparameters
/// from `<arch>.*` metadata, weights dequantized to Float32, and the q/k row permutation of
/// LLaMA undone so the weights equal the Hugging Face layout (rotate_half RoPE).
public enum LlamaGGUFLoader {
    /// GGUF architectures this loader runs. `qwen2` is not permuted by the converter.
    public static let supportedArchitectures = ["llama", "qwen2", "mistral"]

    public static func config(_ file: GGUFFile) throws -> LlamaConfig {
        let path = file.url.path
        let arch = try GGUFMeta.string(file, "general.architecture")
        guard supportedArchitectures.contains(arch) else {
            throw FormatError(file: path, field: "general.architecture", found: arch,
                              expected: "one of \(supportedArchitectures.joined(separator: ", "))")
        }
        let hidden = try GGUFMeta.int(file, "\(arch).embedding_length")
        let heads = try GGUFMeta.int(file, "\(arch).attention.head_count")
        let kvHeads = try GGUFMeta.int(file, "\(arch).attention.head_count_kv", default: heads)
        guard heads > 0, kvHeads > 0, heads % kvHeads == 0, hidden % heads == 0 else {
            throw FormatError(file: path, field: "\(arch).attention.head_count / head_count_kv",
                              found: "\(heads) / \(kvHeads) for width \(hidden)",
                              expected: "positive counts, head_count divisible by head_count_kv and dividing the width")
        }
        let headDim = try GGUFMeta.int(file, "\(arch).attention.key_length", default: hidden / heads)
        let embd = try tensorInfo(file, "token_embd.weight")
        let vocab = try GGUFMeta.int(file, "\(arch).vocab_size", default: embd.dims.count == 2 ? embd.dims[1] : 0)
        return LlamaConfig(
            architecture: arch,
            blockCount: try GGUFMeta.int(file, "\(arch).block_count"),
            hiddenSize: hidden,
            ffnSize: try GGUFMeta.int(file, "\(arch).feed_forward_length"),
            headCount: heads,
            kvHeadCount: kvHeads,
            headDim: headDim,
            rotaryDims: try GGUFMeta.int(file, "\(arch).rope.dimension_count", default: headDim),
            ropeTheta: Float(try GGUFMeta.double(file, "\(arch).rope.freq_base", default: 10000)),
            normEps: Float(try GGUFMeta.double(file, "\(arch).attention.layer_norm_rms_epsilon", default: 1e-5)),
            vocabSize: vocab,
            contextLength: try GGUFMeta.int(file, "\(arch).context_length", default: 2048),
            tiedEmbeddings: file.tensorInfo("output.weight") == nil)
    }

    public static func load(_ file: GGUFFile) throws -> LlamaModel {
        let c = try config(file)
        let permuted = c.architecture != "qwen2"
        let d = c.hiddenSize, hd = c.headDim
        guard hd % 2 == 0, c.rotaryDims <= hd, c.rotaryDims % 2 == 0 else {
            throw FormatError(file: file.url.path, field: "\(c.architecture).rope.dimension_count / head dim",
                              found: "\(c.rotaryDims) / \(hd)", expected: "even, rotary dims at most the head dim")
        }
        func matrix(_ name: String, _ rows: Int, _ cols: Int) throws -> Matrix {
            let info = try tensorInfo(file, name)
            guard info.dims == [cols, rows] else {
                throw FormatError(file: file.url.path, field: "tensor \(name) shape (ne)",
                                  found: "\(info.dims)", expected: "[\(cols), \(rows)]")
            }
            return try file.matrix(name)
        }
        func vector(_ name: String, _ n: Int) throws -> [Float] {
            let info = try tensorInfo(file, name)
            guard info.elementCount == n else {
                throw FormatError(file: file.url.path, field: "tensor \(name) size",
                                  found: "\(info.elementCount)", expected: "\(n)")
            }
            return try file.floats(name)
        }
        func optionalVector(_ name: String, _ n: Int) throws -> [Float]? {
            file.tensorInfo(name) == nil ? nil : try vector(name, n)
        }
        let rope = RoPE(headDim: hd, rotaryDims: c.rotaryDims, theta: c.ropeTheta)
        var blocks: [LlamaBlock] = []
        for i in 0..<c.blockCount {
            let p = "blk.\(i)."
            var wq = try matrix(p + "attn_q.weight", c.headCount * hd, d)
            var wk = try matrix(p + "attn_k.weight", c.kvHeadCount * hd, d)
            var bq = try optionalVector(p + "attn_q.bias", c.headCount * hd)
            var bk = try optionalVector(p + "attn_k.bias", c.kvHeadCount * hd)
            if permuted {
                wq = LlamaPermutation.unpermuteRows(wq, heads: c.headCount)
                wk = LlamaPermutation.unpermuteRows(wk, heads: c.kvHeadCount)
                bq = bq.map { LlamaPermutation.unpermuteRows(Matrix(rows: $0.count, cols: 1, data: $0), heads: c.headCount).data }
                bk = bk.map { LlamaPermutation.unpermuteRows(Matrix(rows: $0.count, cols: 1, data: $0), heads: c.kvHeadCount).data }
            }
            let attention = SelfAttention(
                q: Linear(weight: wq, bias: bq),
                k: Linear(weight: wk, bias: bk),
                v: Linear(weight: try matrix(p + "attn_v.weight", c.kvHeadCount * hd, d),
                          bias: try optionalVector(p + "attn_v.bias", c.kvHeadCount * hd)),
                o: Linear(weight: try matrix(p + "attn_output.weight", d, c.headCount * hd)),
                heads: c.headCount, kvHeads: c.kvHeadCount, headDim: hd, rope: rope, causal: true)
            let mlp = GatedMLP(gate: Linear(weight: try matrix(p + "ffn_gate.weight", c.ffnSize, d)),
                               up: Linear(weight: try matrix(p + "ffn_up.weight", c.ffnSize, d)),
                               down: Linear(weight: try matrix(p + "ffn_down.weight", d, c.ffnSize)))
            blocks.append(LlamaBlock(attnNorm: try vector(p + "attn_norm.weight", d), attention: attention,
                                     ffnNorm: try vector(p + "ffn_norm.weight", d), mlp: mlp))
        }
        let embedding = try matrix("token_embd.weight", c.vocabSize, d)
        let head = c.tiedEmbeddings ? embedding : try matrix("output.weight", c.vocabSize, d)
        return LlamaModel(config: c, embedding: embedding, blocks: blocks,
                          finalNorm: try vector("output_norm.weight", d), head: head)
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

    static func double(_ file: GGUFFile, _ key: String, default fallback: Double) throws -> Double {
        guard let v = file.metadata[key] else { return fallback }
        guard let d = v.double, d.isFinite else {
            throw FormatError(file: file.url.path, field: key, found: "\(v)", expected: "a finite number")
        }
        return d
    }
}
