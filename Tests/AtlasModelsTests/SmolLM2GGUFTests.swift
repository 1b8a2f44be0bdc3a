import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// The real SmolLM2-135M-Instruct Q4_1 GGUF (models/, fetched by scripts/fetch-models).
@Suite(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.smolLM2.path), "models/ SmolLM2 GGUF not fetched"))
struct SmolLM2GGUFTests {
    @Test func metadataAndTensorTable() throws {
        let f = try GGUFFile(url: Fixtures.smolLM2)
        #expect(f.metadata["general.architecture"]?.string == "llama")
        #expect(f.metadata["llama.block_count"]?.int == 30)
        #expect(f.metadata["llama.embedding_length"]?.int == 576)
        #expect(f.metadata["llama.attention.head_count"]?.int == 9)
        #expect(f.metadata["llama.attention.head_count_kv"]?.int == 3)
        #expect(f.metadata["tokenizer.ggml.tokens"]?.strings?.count == 49152)
        #expect((f.metadata["tokenizer.ggml.merges"]?.strings?.count ?? 0) > 40000)
        #expect(f.metadata["tokenizer.ggml.pre"]?.string == "smollm")

        // 30 blocks × 9 tensors + token_embd + output_norm.
        #expect(f.tensors.count == 272)
        #expect(f.tensorInfo("output.weight") == nil)
        let embd = try #require(f.tensorInfo("token_embd.weight"))
        #expect(embd.dims == [576, 49152])
        #expect(Set(f.tensors.map(\.type)).isSubset(of: [.f32, .q4_1, .q8_0, .q6_K, .q4_K, .q5_K, .f16]))
        // The tensor data fills the file up to its end (nothing read past it, nothing lost).
        let last = try #require(f.tensors.max { $0.offset < $1.offset })
        #expect(last.offset + last.byteCount <= f.fileSize)
        #expect(f.fileSize - (last.offset + last.byteCount) < f.alignment)
    }

    @Test func tokenEmbeddingDequantizes() throws {
        let f = try GGUFFile(url: Fixtures.smolLM2)
        let m = try f.matrix("token_embd.weight")
        #expect(m.rows == 49152 && m.cols == 576)
        #expect(m.data.allSatisfy { $0.isFinite })
        let absmax = m.data.reduce(0) { max($0, abs($1)) }
        #expect(absmax > 0.01 && absmax < 100)
        // q/k of the real model have 9 and 3 heads of 64 rows: the un-permutation applies.
        let q = try f.matrix("blk.0.attn_q.weight"), k = try f.matrix("blk.0.attn_k.weight")
        #expect(q.rows == 576 && k.rows == 192)
        #expect(LlamaPermutation.isValid(rows: q.rows, heads: 9) && LlamaPermutation.isValid(rows: k.rows, heads: 3))
    }
}
