import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Hyperparameters no model can run with meaningfully (a RoPE base ≤ 0, a negative or
/// non-finite norm epsilon, a context of 0, a width the heads do not divide) are one FormatError
/// naming the file and the key; they used to load and give numbers with exit 0.
@Suite struct HyperparameterBoundsTests {
    /// llama-tiny GGUF with the 4 value bytes of `key` replaced.
    func expectGGUFRefused(_ key: String, bits: UInt32, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var data = try Data(contentsOf: DeclaredBlocksTests.llamaTiny)
        data.put(bits, at: try GGUFBytes.valueTypeOffset(data, key: key) + 4)
        let url = try writeTemp(data, name: "edited.gguf", in: dir)
        expectExactField(url, key, sourceLocation: sourceLocation) { _ = try ModelLoader.load(url) }
    }

    /// A FormatError on exactly `field` of `url`.
    func expectExactField(_ url: URL, _ field: String, sourceLocation: SourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("loaded with a bad \(field)", sourceLocation: sourceLocation)
        } catch let error as FormatError {
            #expect(error.file == url.path && error.field == field, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a FormatError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [Float(0), -1, .infinity, -.infinity, .nan])
    func aGGUFRopeBaseOrEpsilonThatIsNotPositiveIsRefused(value: Float) throws {
        try expectGGUFRefused("llama.rope.freq_base", bits: value.bitPattern)
        try expectGGUFRefused("llama.attention.layer_norm_rms_epsilon", bits: value.bitPattern)
    }

    @Test(arguments: ["llama.context_length", "llama.embedding_length", "llama.feed_forward_length",
                      "llama.rope.dimension_count", "llama.vocab_size"])
    func aGGUFSizeOfZeroIsRefused(key: String) throws {
        try expectGGUFRefused(key, bits: 0)
    }

    /// (fixture, edit of config.json, the key blamed).
    static let badConfigs: [(String, @Sendable (inout [String: Any]) -> Void, String)] = [
        ("llama-tiny", { $0["rope_parameters"] = ["rope_theta": 0, "rope_type": "default"] }, "rope_parameters.rope_theta"),
        ("llama-tiny", { $0["rope_parameters"] = ["rope_theta": -1, "rope_type": "default"] }, "rope_parameters.rope_theta"),
        ("llama-tiny", { $0["rope_parameters"] = ["rope_theta": 1e300, "rope_type": "default"] }, "rope_parameters.rope_theta"),
        ("llama-tiny", { $0["rms_norm_eps"] = -1 }, "rms_norm_eps"),
        ("llama-tiny", { $0["rms_norm_eps"] = 0 }, "rms_norm_eps"),
        ("llama-tiny", { $0["head_dim"] = nil; $0["num_attention_heads"] = 6 }, "num_attention_heads"),
        ("qwen2-tiny", { $0["rms_norm_eps"] = 1e-60 }, "rms_norm_eps"),
        ("bert-tiny", { $0["layer_norm_eps"] = -1 }, "layer_norm_eps"),
        ("gpt2-tiny", { $0["layer_norm_epsilon"] = -1 }, "layer_norm_epsilon"),
        ("gemma3-tiny", { $0["query_pre_attn_scalar"] = 0 }, "query_pre_attn_scalar"),
    ]

    @Test(arguments: badConfigs.indices)
    func anHFHyperparameterThatIsNotPositiveIsRefused(index: Int) throws {
        let (fixture, edit, key) = Self.badConfigs[index]
        let f = try HFFolderTests.folder(fixture, edit: edit)
        defer { try? FileManager.default.removeItem(at: f.url) }
        expectExactField(f.config, key, sourceLocation: #_sourceLocation) { _ = try HFFolderLoader.network(at: f.url) }
    }
}
