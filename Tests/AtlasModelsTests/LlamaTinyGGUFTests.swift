import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// The llama-tiny GGUF files: metadata, tensor table, and agreement with the HF safetensors weights.
@Suite struct LlamaTinyGGUFTests {
    /// File type name → (ggml type of the 2-D tensors, LlamaFileType).
    static let files: [(name: String, type: GGMLType, fileType: Int)] = [
        ("F32", .f32, 0), ("F16", .f16, 1), ("BF16", .bf16, 32), ("Q8_0", .q8_0, 7),
        ("Q4_0", .q4_0, 2), ("Q4_1", .q4_1, 3), ("Q5_0", .q5_0, 8), ("Q5_1", .q5_1, 9),
    ]

    static func open(_ type: String) throws -> GGUFFile {
        try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.\(type).gguf"))
    }

    static let hf = Fixtures.fixture("llama-tiny/model.safetensors")

    @Test(arguments: files.map(\.name)) func metadata(type: String) throws {
        let f = try Self.open(type)
        let fileType = Self.files.first { $0.name == type }!.fileType
        #expect(f.version == 3)
        #expect(f.alignment == 32)
        #expect(f.metadata["general.architecture"]?.string == "llama")
        #expect(f.metadata["general.file_type"]?.int == fileType)
        #expect(f.metadata["llama.block_count"]?.int == 3)
        #expect(f.metadata["llama.context_length"]?.int == 64)
        #expect(f.metadata["llama.embedding_length"]?.int == 64)
        #expect(f.metadata["llama.feed_forward_length"]?.int == 160)
        #expect(f.metadata["llama.attention.head_count"]?.int == 4)
        #expect(f.metadata["llama.attention.head_count_kv"]?.int == 2)
        #expect(f.metadata["llama.rope.freq_base"]?.double == 100000)
        #expect(f.metadata["llama.rope.dimension_count"]?.int == 16)
        #expect(f.metadata["llama.vocab_size"]?.int == 320)
        let eps = try #require(f.metadata["llama.attention.layer_norm_rms_epsilon"]?.double)
        #expect(Float(eps) == Float(1e-5))
        #expect(f.metadata["tokenizer.ggml.model"]?.string == "gpt2")
        #expect(f.metadata["tokenizer.ggml.pre"]?.string == "gpt-2")
        let tokens = try #require(f.metadata["tokenizer.ggml.tokens"]?.strings)
        #expect(tokens.count == 320)
        #expect(tokens[319] == "<|endoftext|>")
        let tokenTypes = try #require(f.metadata["tokenizer.ggml.token_type"]?.ints)
        #expect(tokenTypes.count == 320 && tokenTypes[319] == 3 && tokenTypes[0] == 1)
        let merges = try #require(f.metadata["tokenizer.ggml.merges"]?.strings)
        #expect(merges.count == 63)
        #expect(merges.allSatisfy { $0.split(separator: " ").count == 2 })
        #expect(f.metadata["tokenizer.ggml.bos_token_id"]?.int == 319)
        #expect(f.metadata["tokenizer.ggml.eos_token_id"]?.int == 319)
        #expect(f.metadata["tokenizer.ggml.add_bos_token"]?.bool == false)
        #expect(f.metadata["general.quantization_version"]?.int == (type.hasPrefix("Q") ? 2 : nil))
        #expect(f.metadataKeys.count == f.metadata.count)
        #expect(f.metadataKeys.first == "general.architecture")
    }

    @Test(arguments: files) func tensorTable(file: (name: String, type: GGMLType, fileType: Int)) throws {
        let f = try Self.open(file.name)
        #expect(f.tensors.count == 29)
        var expected: [String: [Int]] = ["token_embd.weight": [64, 320], "output_norm.weight": [64]]
        for b in 0..<3 {
            let p = "blk.\(b)."
            expected[p + "attn_norm.weight"] = [64]
            expected[p + "ffn_norm.weight"] = [64]
            expected[p + "attn_q.weight"] = [64, 64]
            expected[p + "attn_k.weight"] = [64, 32]
            expected[p + "attn_v.weight"] = [64, 32]
            expected[p + "attn_output.weight"] = [64, 64]
            expected[p + "ffn_gate.weight"] = [64, 160]
            expected[p + "ffn_up.weight"] = [64, 160]
            expected[p + "ffn_down.weight"] = [160, 64]
        }
        #expect(Set(f.tensors.map(\.name)) == Set(expected.keys))
        #expect(f.tensors.first?.name == "token_embd.weight")
        for t in f.tensors {
            #expect(t.dims == expected[t.name], "\(t.name)")
            #expect(t.type == (t.dims.count == 1 ? .f32 : file.type), "\(t.name)")
            #expect(t.offset % f.alignment == 0 && t.offset >= f.dataOffset)
            #expect(t.offset + t.byteCount <= f.fileSize)
            let values = try f.floats(t.name)
            #expect(values.count == t.elementCount && values.allSatisfy(\.isFinite), "\(t.name)")
        }
        let down = try f.matrix("blk.1.ffn_down.weight")
        #expect(down.rows == 64 && down.cols == 160)
        let norm = try f.matrix("output_norm.weight")
        #expect(norm.rows == 1 && norm.cols == 64)
    }

    /// The F32 GGUF holds exactly the HF weights, with q/k rows permuted (k with the 2 KV heads).
    @Test func f32MatchesSafetensorsAfterUnpermute() throws {
        let f = try Self.open("F32")
        let hf = try SafetensorsFile(url: Self.hf)
        for b in 0..<3 {
            let q = LlamaPermutation.unpermuteRows(try f.matrix("blk.\(b).attn_q.weight"), heads: 4)
            #expect(q == (try hf.matrix("model.layers.\(b).self_attn.q_proj.weight")))
            let k = LlamaPermutation.unpermuteRows(try f.matrix("blk.\(b).attn_k.weight"), heads: 2)
            #expect(k == (try hf.matrix("model.layers.\(b).self_attn.k_proj.weight")))
            // Without un-permuting they differ (the test above is not vacuous).
            #expect(try f.matrix("blk.\(b).attn_q.weight") != (try hf.matrix("model.layers.\(b).self_attn.q_proj.weight")))
            #expect(try f.matrix("blk.\(b).ffn_down.weight") == (try hf.matrix("model.layers.\(b).mlp.down_proj.weight")))
            #expect(try f.matrix("blk.\(b).attn_v.weight") == (try hf.matrix("model.layers.\(b).self_attn.v_proj.weight")))
        }
        #expect(try f.matrix("token_embd.weight") == (try hf.matrix("model.embed_tokens.weight")))
        #expect(try f.floats("output_norm.weight") == (try hf.floats("model.norm.weight")))
    }

    /// F16 and BF16 GGUF weights are the same roundings as the torch half-precision safetensors copies.
    @Test(arguments: [("F16", "model.f16.safetensors"), ("BF16", "model.bf16.safetensors")])
    func halfPrecisionMatchesTorchCopies(type: String, copy: String) throws {
        let f = try Self.open(type)
        let hf = try SafetensorsFile(url: Fixtures.fixture("llama-tiny/\(copy)"))
        #expect(try f.matrix("blk.2.ffn_gate.weight") == (try hf.matrix("model.layers.2.mlp.gate_proj.weight")))
        let q = LlamaPermutation.unpermuteRows(try f.matrix("blk.0.attn_q.weight"), heads: 4)
        #expect(q == (try hf.matrix("model.layers.0.self_attn.q_proj.weight")))
    }

    @Test func expectedInputIDsAreInt64() throws {
        let e = try SafetensorsFile(url: Fixtures.fixture("llama-tiny-gguf/expected.safetensors"))
        let info = try #require(e.info("input_ids"))
        #expect(info.dtype == .i64 && info.shape == [2, 24])
        let ids = try e.int64s("input_ids")
        #expect(ids.count == 48 && ids.allSatisfy { (0..<320).contains($0) })
        #expect(ids[0] == 255 && ids[24] == 255)    // the planted BOS-like id at position 0
        expectFormatError(e.url, field: "dtype") { _ = try e.floats("input_ids") }
        expectFormatError(e.url, field: "tensor 'nope'") { _ = try e.floats("nope") }
    }
}
