import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Hugging Face folders put together in a temporary directory: config.json edited, weights and
/// tokenizer linked from the fixtures.
struct TemporaryHFFolder {
    let url: URL

    /// `edit` changes the fixture's config.json object; `links` maps a name in the new folder to
    /// a fixture path (or an absolute path).
    init(configFrom fixture: String, edit: (inout [String: Any]) -> Void = { _ in },
         links: [String: String]) throws {
        url = try Fixtures.temporaryDirectory()
        let data = try Data(contentsOf: Self.fixture("\(fixture)/config.json"))
        var config = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: url.appendingPathComponent("config.json"))
        for (name, target) in links {
            let destination = target.hasPrefix("/") ? URL(fileURLWithPath: target) : Self.fixture(target)
            try FileManager.default.createSymbolicLink(at: url.appendingPathComponent(name), withDestinationURL: destination)
        }
    }

    var config: URL { url.appendingPathComponent("config.json") }

    /// A fixture path in Tests/Fixtures when it is there, else in ../shared/fixtures.
    static func fixture(_ path: String) -> URL {
        let local = Fixtures.repoFixture(path)
        return FileManager.default.fileExists(atPath: local.path) ? local : Fixtures.fixture(path)
    }
}

@Suite struct HFFolderTests {
    static func folder(_ fixture: String, edit: (inout [String: Any]) -> Void = { _ in },
                       extra: [String: String] = [:]) throws -> TemporaryHFFolder {
        try TemporaryHFFolder(configFrom: fixture, edit: edit,
                              links: ["model.safetensors": "\(fixture)/model.safetensors"].merging(extra) { _, b in b })
    }

    @Test func missingKeyNamesConfigJSONAndTheKey() throws {
        let f = try Self.folder("gpt2-tiny") { $0["n_embd"] = nil }
        expectFormatError(f.config, field: "n_embd") { _ = try HFFolderLoader.network(at: f.url) }
    }

    @Test func wrongTypeNamesFoundAndExpected() throws {
        let f = try Self.folder("bert-tiny") { $0["num_hidden_layers"] = "three" }
        do {
            _ = try HFFolderLoader.network(at: f.url)
            Issue.record("loaded a config with a string layer count")
        } catch let e as FormatError {
            #expect(e.file == f.config.path && e.field == "num_hidden_layers")
            #expect(e.found.contains("three") && e.expected.contains("integer"))
        }
        let g = try Self.folder("llama-tiny") { $0["rope_parameters"] = ["rope_theta": true, "rope_type": "default"] }
        expectFormatError(g.config, field: "rope_parameters.rope_theta") { _ = try HFFolderLoader.network(at: g.url) }
        let h = try Self.folder("opt-tiny") { $0["activation_function"] = "swish" }
        expectFormatError(h.config, field: "activation_function") { _ = try HFFolderLoader.network(at: h.url) }
    }

    /// Families not run from HF folders are one clear error, never a LLaMA reading of their
    /// weights.
    @Test(arguments: ["falcon", "t5"])
    func unsupportedFamilyIsNamedWithTheSupportedOnes(modelType: String) throws {
        let f = try Self.folder("llama-tiny") { $0["model_type"] = modelType }
        do {
            _ = try HFFolderLoader.network(at: f.url)
            Issue.record("loaded a \(modelType) config")
        } catch let e as FormatError {
            #expect(e.file == f.config.path && e.field == "model_type" && e.found.contains(modelType))
            #expect(!HFFolderLoader.supportedModelTypes.contains(modelType))
            #expect(HFFolderLoader.supportedModelTypes.allSatisfy { e.expected.contains($0) })
        }
    }

    /// The multimodal Gemma 3 config (`model_type: gemma3`) is refused with the text-only type to use.
    @Test func multimodalGemma3IsRefusedForGemma3Text() throws {
        let f = try Self.folder("llama-tiny") { $0["model_type"] = "gemma3" }
        expectFormatError(f.config, field: "model_type") { _ = try HFFolderLoader.network(at: f.url) }
        do { _ = try HFFolderLoader.network(at: f.url) } catch let e as FormatError { #expect(e.expected.contains("gemma3_text")) }
    }

    /// Settings of Gemma and Phi-3 configs that are not modelled are refused by key: LongRoPE,
    /// a local/global pattern other than "n − 1 local, one global", a non-positive soft cap, a
    /// Qwen2 sliding window (max_window_layers), an activation other than the family's.
    @Test func unmodelledGemmaAndPhi3SettingsAreRefusedByKey() throws {
        let cases: [(String, String, (inout [String: Any]) -> Void)] = [
            ("phi3-tiny", "rope_parameters.rope_type", { $0["rope_parameters"] = ["rope_type": "longrope", "rope_theta": 10000.0] }),
            ("gemma2-tiny", "layer_types", { $0["layer_types"] = ["full_attention", "sliding_attention", "sliding_attention"] }),
            ("gemma2-tiny", "attn_logit_softcapping", { $0["attn_logit_softcapping"] = -1.0 }),
            ("gemma3-tiny", "hidden_activation", { $0["hidden_activation"] = "silu" }),
            ("qwen2-tiny", "use_sliding_window", { $0["use_sliding_window"] = true; $0["sliding_window"] = 16; $0["layer_types"] = nil }),
        ]
        for (fixture, field, change) in cases {
            let f = try Self.folder(fixture, edit: change)
            expectFormatError(f.config, field: field) { _ = try HFFolderLoader.network(at: f.url) }
        }
    }

    /// Without model_type, `architectures` decides.
    @Test func architecturesDecideWithoutModelType() throws {
        let f = try Self.folder("opt-tiny") { $0["model_type"] = nil }
        #expect(try HFFolderLoader.network(at: f.url).architecture == "opt")
        let g = try Self.folder("opt-tiny") { $0["model_type"] = nil; $0["architectures"] = ["T5Model"] }
        expectFormatError(g.config, field: "architectures") { _ = try HFFolderLoader.network(at: g.url) }
    }

    /// Older configs: top-level rope_theta and torch_dtype.
    @Test func olderKeysAreAccepted() throws {
        let f = try Self.folder("qwen2-tiny") {
            $0["rope_parameters"] = nil; $0["rope_theta"] = 1_000_000.0
            $0["dtype"] = nil; $0["torch_dtype"] = "float32"
        }
        let model = try #require(try HFFolderLoader.network(at: f.url) as? LlamaModel)
        #expect(model.config.ropeTheta == 1_000_000)
        let reference = try #require(try HFFolderLoader.network(at: Fixtures.fixture("qwen2-tiny")) as? LlamaModel)
        let tokens: [Int32] = (0..<16).map { Int32($0 * 19) }
        #expect(model.forward(tokens: tokens) == reference.forward(tokens: tokens))
        let g = try Self.folder("qwen2-tiny") { $0["dtype"] = 32 }
        expectFormatError(g.config, field: "dtype") { _ = try HFFolderLoader.network(at: g.url) }
    }

    @Test func misshapenTensorNamesTheTensor() throws {
        let f = try Self.folder("gpt2-tiny") { $0["n_inner"] = 128 }
        expectFormatError(f.url.appendingPathComponent("model.safetensors"), field: "mlp.c_fc.weight") {
            _ = try HFFolderLoader.network(at: f.url)
        }
    }

    /// A complete folder loads through ModelLoader with its tokenizer; a tokenizer of another
    /// model type is refused.
    @Test func tokenizerMustSuitTheFamily() throws {
        let ok = try Self.folder("llama-tiny", extra: ["tokenizer.json": "llama-tiny/tokenizer.json"])
        let loaded = try ModelLoader.load(ok.url)
        #expect(loaded.format == "safetensors" && loaded.encoder == nil && loaded.bos == nil)
        #expect(loaded.network.architecture == "llama" && loaded.tokenizer.vocabularySize == 320)
        let bert = try Self.folder("bert-tiny", extra: ["tokenizer.json": "llama-tiny/tokenizer.json"])
        expectFormatError(bert.url.appendingPathComponent("tokenizer.json"), field: "model.type") { _ = try ModelLoader.load(bert.url) }
        let gpt2 = try Self.folder("gpt2-tiny", extra: ["tokenizer.json": Fixtures.miniLM.appendingPathComponent("tokenizer.json").path])
        expectFormatError(gpt2.url.appendingPathComponent("tokenizer.json"), field: "model.type") { _ = try ModelLoader.load(gpt2.url) }
        let none = try Self.folder("opt-tiny")
        expectFormatError(none.url, field: "tokenizer") { _ = try ModelLoader.load(none.url) }
    }

    /// F16/BF16 checkpoints are upcast exactly (torch's round-to-nearest-even of the F32 weights)
    /// and run to the documented distance from the F32 logits (README: 0.00639 / 0.0244).
    @Test(arguments: [("model.f16.safetensors", 0.006393209099769592), ("model.bf16.safetensors", 0.024358928203582764)])
    func halfPrecisionCopies(file: String, documentedLogitDiff: Double) throws {
        let f = try TemporaryHFFolder(configFrom: "llama-tiny", links: ["model.safetensors": "llama-tiny/\(file)"])
        let half = try #require(try HFFolderLoader.network(at: f.url) as? LlamaModel)
        let full = try #require(try HFFolderLoader.network(at: Fixtures.fixture("llama-tiny")) as? LlamaModel)
        let round: (Float) -> Float = file.contains("bf16")
            ? { x in let b = x.bitPattern; return Float(bitPattern: (b &+ 0x7FFF &+ ((b >> 16) & 1)) & 0xFFFF_0000) }
            : { Float(Float16($0)) }
        #expect(half.blocks[1].mlp.down.weight.data == full.blocks[1].mlp.down.weight.data.map(round))
        #expect(half.finalNorm.gamma == full.finalNorm.gamma.map(round))
        #expect(half.blocks[1].mlp.down.weight != full.blocks[1].mlp.down.weight)
        let expected = try SafetensorsFile(url: Fixtures.fixture("llama-tiny/expected.safetensors"))
        let ids = try expected.int64s("input_ids").map { Int32($0) }
        let reference = try expected.floats("logits")
        var maxDiff = 0.0
        for b in 0..<2 {
            let logits = half.forward(tokens: Array(ids[(b * 24)..<((b + 1) * 24)]))
            maxDiff = max(maxDiff, Closeness.maxAbsoluteError(logits.data, reference: Array(reference[(b * logits.count)..<((b + 1) * logits.count)])))
            for t in 0..<24 {
                let ours = logits.row(t), ref = Array(reference[(b * logits.count + t * 320)..<(b * logits.count + (t + 1) * 320)])
                #expect(ours.indices.max { ours[$0] < ours[$1] } == ref.indices.max { ref[$0] < ref[$1] })
            }
        }
        #expect(abs(maxDiff - documentedLogitDiff) <= 1e-4, "\(file): max |logit − f32 reference| \(maxDiff)")
    }
}
