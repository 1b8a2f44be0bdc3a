@testable import AtlasAnalysis
import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Exported variants reload (with `ModelLoader`) to the in-memory variant's float results.
@Suite struct ExportTests {
    static let ggufSource = Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")
    static let hfSource = Fixtures.fixture("llama-tiny")
    static let sample = "Hello world! The quick brown fox, 1234 times. <|endoftext|> again"

    /// Exports `loaded` with `specs` in `format` and reloads it.
    static func roundTrip(_ loaded: LoadedModel, specs: [String], format: ExportFormat) throws -> (variant: any DecoderModel, reloaded: LoadedModel, out: URL) {
        let out = try Fixtures.temporaryDirectory().appendingPathComponent(format == .safetensors ? "export" : "export.gguf")
        let parsed = try specs.map { try MitigationSpecParser.parse($0) }
        let (variant, _) = try VariantExport.export(loaded, specs: parsed, calibration: MitigationTests.windows, format: format, to: out)
        return (variant, try ModelLoader.load(out), out)
    }

    @Test(arguments: [ExportTests.ggufSource, ExportTests.hfSource], [["rotation"], ["smoothquant:windows=1"], ["smoothquant:windows=1", "rotation:seed=3"]])
    func reloadedExportMatchesTheVariant(source: URL, specs: [String]) throws {
        let loaded = try ModelLoader.load(source)
        for format in ExportFormat.allCases {
            let (variant, reloaded, _) = try Self.roundTrip(loaded, specs: specs, format: format)
            let dtype = format.ggufDType ?? .f32
            let reference = dtype == .f32 ? variant : LlamaExportTensors.roundedLikeGGUF(variant, dtype: dtype)
            for w in MitigationTests.windows {
                let expected = variant.forward(tokens: w), got = try reloaded.decoder().forward(tokens: w)
                let exact = MitigationTests.maxRelativeDiff(reference.forward(tokens: w), got)
                #expect(exact <= 1e-5, "\(format) \(specs) vs \(dtype == .f32 ? "" : "\(dtype.rawValue)-rounded ")variant: \(exact)")
                // Block types move llama-tiny's random-weight logits by up to their range (Q8_0
                // 0.15, Q5_0 1.0 of it): for them the exact comparison above is the check.
                let drift = MitigationTests.maxRelativeDiff(expected, got)
                #expect(dtype.isQuantized || drift <= (dtype == .f16 ? 1e-2 : 1e-5), "\(format) \(specs) vs float variant: \(drift)")
            }
            #expect(reloaded.tokenizer.encode(Self.sample) == loaded.tokenizer.encode(Self.sample), "\(format) tokenizer")
            #expect(reloaded.bos == loaded.bos)
        }
    }

    @Test func rotationUntiesTheHeadAndRecordsProvenance() throws {
        let loaded = try ModelLoader.load(Self.ggufSource)
        let (_, _, out) = try Self.roundTrip(loaded, specs: ["rotation"], format: .safetensors)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as! [String: Any]
        #expect(config["tie_word_embeddings"] as? Bool == false && config["architectures"] as? [String] == ["LlamaForCausalLM"])
        for key in ["hidden_size", "intermediate_size", "num_attention_heads", "num_key_value_heads", "num_hidden_layers",
                    "rms_norm_eps", "rope_theta", "vocab_size", "max_position_embeddings", "bos_token_id", "eos_token_id", "torch_dtype"] {
            #expect(config[key] != nil, "config.json \(key)")
        }
        let weights = try SafetensorsFile(url: out.appendingPathComponent("model.safetensors"))
        #expect(weights.info("lm_head.weight")?.shape == [320, 64] && weights.info("model.layers.2.self_attn.q_proj.weight") != nil)
        #expect(weights.metadata["format"] == "pt" && weights.metadata["outlier_atlas.mitigations"] == "rotation:seed=0")
        let provenance = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(ModelExport.provenanceFileName))) as! [String: Any]
        #expect(provenance["mitigations"] as? [String] == ["rotation:seed=0"])
        let sha = try FileHash.sha256(url: Self.ggufSource)
        #expect(provenance["source_sha256"] as? String == sha)
        #expect(provenance["source_file"] as? String == "llama-tiny.F32.gguf" && provenance["tool_version"] as? String == ModelAnalysis.toolVersion)
    }

    /// Without a mitigation the GGUF export holds the source's tensors bit for bit: the q/k
    /// permutation is the exact inverse of the loader's, and the metadata is the source's.
    @Test func plainGGUFExportReproducesTheSourceTensors() throws {
        let loaded = try ModelLoader.load(Self.ggufSource)
        let (_, _, out) = try Self.roundTrip(loaded, specs: [], format: .ggufF32)
        let source = try GGUFFile(url: Self.ggufSource), copy = try GGUFFile(url: out)
        #expect(copy.tensors.map(\.name).sorted() == source.tensors.map(\.name).sorted())
        for t in source.tensors {
            #expect(try copy.floats(t.name) == source.floats(t.name), "\(t.name)")
            #expect(copy.tensorInfo(t.name)?.dims == t.dims)
        }
        for key in source.metadataKeys where key != "general.file_type" { #expect(copy.metadata[key] == source.metadata[key], "\(key)") }
        #expect(copy.metadata["general.file_type"] == .uint32(0) && copy.metadata["outlier_atlas.mitigations"] == .string(""))
    }

    @Test func runtimeMitigationsAreNotExportable() throws {
        let loaded = try ModelLoader.load(Self.ggufSource)
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("x")
        do {
            try VariantExport.export(loaded, specs: [try MitigationSpecParser.parse("tma-removal")], calibration: MitigationTests.windows,
                                     format: .safetensors, to: out)
            Issue.record("no error")
        } catch let error as MitigationError {
            #expect(error.field == "name" && error.found.contains("runtime") && error.expected.contains("rotation"), "\(error)")
        }
        do {
            try VariantExport.check([try MitigationSpecParser.parse("smoothquant")], hasCalibration: false)
            Issue.record("no error")
        } catch {
            #expect(error.field == "--text" && error.expected.contains("smoothquant"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test(arguments: [("gpt2-tiny", "GPT-2"), ("opt-tiny", "OPT"), ("bert-tiny", "BERT")])
    func otherFamiliesAreRefused(fixture: String, family: String) throws {
        // The fixtures carry no tokenizer: borrow llama-tiny's, the network decides the family.
        let url = Fixtures.fixture(fixture)
        let loaded = LoadedModel(url: url, format: "safetensors", network: try HFFolderLoader.network(at: url),
                                 tokenizer: try TokenizerJSON.load(url: Self.hfSource.appendingPathComponent("tokenizer.json")), bos: nil)
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("x")
        do {
            try VariantExport.export(loaded, specs: [], calibration: [], format: .ggufF32, to: out)
            Issue.record("no error")
        } catch let error as FormatError {
            #expect(error.file == url.path && error.field == "architecture" && error.found.contains(family), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func existingOutputIsRefusedBeforeAnyWork() throws {
        let loaded = try ModelLoader.load(Self.ggufSource)
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("x.gguf")
        try Data("precious".utf8).write(to: out)
        #expect(throws: FormatError.self) {
            try VariantExport.export(loaded, specs: [], calibration: [], format: .ggufF32, to: out)
        }
        #expect(try Data(contentsOf: out) == Data("precious".utf8))
        try VariantExport.export(loaded, specs: [], calibration: [], format: .ggufF32, to: out, force: true)
        let written = try GGUFFile(url: out), source = try GGUFFile(url: Self.ggufSource)
        #expect(written.tensors.map(\.name) == source.tensors.map(\.name))
    }
}
