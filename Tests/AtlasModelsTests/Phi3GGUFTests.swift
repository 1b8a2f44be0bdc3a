import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Phi-3's GGUF layout on llama-tiny's weights: q | k | v fused in `attn_qkv`, gate | up in
/// `ffn_up`, q/k unpermuted (rotate_half), architecture `phi3`. Phi-3 is LLaMA's block with fused
/// tensors, so the split model must give llama-tiny's logits exactly; LongRoPE factors are
/// refused by name.
@Suite struct Phi3GGUFTests {
    static let source = Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")

    /// Writes llama-tiny as a Phi-3 GGUF; `extra` tensors are appended.
    static func phi3File(extra: [ExportTensor] = [], metadata more: [(key: String, value: GGUFValue)] = []) throws -> (url: URL, llama: LlamaModel) {
        let llama = try LlamaGGUFLoader.load(try GGUFFile(url: source))
        let c = llama.config
        func stacked(_ ms: [Matrix]) -> Matrix { Matrix(rows: ms.reduce(0) { $0 + $1.rows }, cols: ms[0].cols, data: ms.flatMap(\.data)) }
        var tensors = [ExportTensor(name: "token_embd.weight", matrix: llama.tokenEmbedding),
                       ExportTensor(name: "output_norm.weight", shape: [c.hiddenSize], values: llama.finalNorm.gamma)]
        for (i, b) in llama.blocks.enumerated() {
            let p = "blk.\(i)."
            tensors += [
                ExportTensor(name: p + "attn_norm.weight", shape: [c.hiddenSize], values: b.attnNorm.gamma),
                ExportTensor(name: p + "ffn_norm.weight", shape: [c.hiddenSize], values: b.ffnNorm.gamma),
                ExportTensor(name: p + "attn_qkv.weight", matrix: stacked([b.attention.q.weight, b.attention.k.weight, b.attention.v.weight])),
                ExportTensor(name: p + "attn_output.weight", matrix: b.attention.o.weight),
                ExportTensor(name: p + "ffn_up.weight", matrix: stacked([b.mlp.gate!.weight, b.mlp.up.weight])),
                ExportTensor(name: p + "ffn_down.weight", matrix: b.mlp.down.weight),
            ]
        }
        let a = "phi3"
        let metadata: [(key: String, value: GGUFValue)] = [
            ("general.architecture", .string(a)), ("\(a).block_count", .uint32(UInt32(c.blockCount))),
            ("\(a).embedding_length", .uint32(UInt32(c.hiddenSize))), ("\(a).feed_forward_length", .uint32(UInt32(c.ffnSize))),
            ("\(a).attention.head_count", .uint32(UInt32(c.headCount))), ("\(a).attention.head_count_kv", .uint32(UInt32(c.kvHeadCount))),
            ("\(a).rope.dimension_count", .uint32(UInt32(c.rotaryDims))), ("\(a).rope.freq_base", .float32(c.ropeTheta)),
            ("\(a).attention.layer_norm_rms_epsilon", .float32(c.normEps)), ("\(a).context_length", .uint32(UInt32(c.contextLength))),
        ]
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("phi3-tiny.gguf")
        try GGUFWriter.write(metadata: metadata + more, tensors: tensors + extra, to: url)
        return (url, llama)
    }

    @Test func fusedTensorsSplitIntoLlamaTinysModel() throws {
        let (url, llama) = try Self.phi3File()
        let phi3 = try LlamaGGUFLoader.load(try GGUFFile(url: url))
        #expect(phi3.family == .phi3 && phi3.config.slidingWindow == nil)
        for site in phi3.linearSites { #expect(phi3.linear(at: site).weight == llama.linear(at: site).weight, "\(site.tensorName)") }
        let ids: [Int32] = (0..<24).map { Int32(($0 * 37 + 11) % 320) }
        #expect(phi3.forward(tokens: ids).data == llama.forward(tokens: ids).data)
    }

    /// Metadata this loader does not implement, or cannot use, is one error naming the key.
    @Test(arguments: [("phi3.rope.scaling.type", "linear (factor 8.0)"), ("phi3.attention.sliding_window", "0")])
    func unusableAttentionMetadataIsRefusedByKey(key: String, found: String) throws {
        let more: [(key: String, value: GGUFValue)] = key.hasPrefix("phi3.rope")
            ? [(key, .string("linear")), ("phi3.rope.scaling.factor", .float32(8))] : [(key, .uint32(0))]
        let (url, _) = try Self.phi3File(metadata: more)
        do {
            _ = try LlamaGGUFLoader.load(try GGUFFile(url: url))
            Issue.record("loaded with \(key)")
        } catch let e as FormatError {
            #expect(e.file == url.path && e.field == key && e.found == found, "\(e)")
        }
    }

    @Test func longRoPEFactorsAreRefusedByName() throws {
        let factors = ExportTensor(name: "rope_factors_long.weight", shape: [8], values: [Float](repeating: 1, count: 8))
        let (url, _) = try Self.phi3File(extra: [factors])
        do {
            _ = try LlamaGGUFLoader.load(try GGUFFile(url: url))
            Issue.record("loaded a LongRoPE model")
        } catch let e as FormatError {
            #expect(e.file == url.path && e.field == "tensor rope_factors_long.weight" && e.expected.contains("LongRoPE"), "\(e)")
        }
    }
}
