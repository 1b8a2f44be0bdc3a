import AtlasTestSupport
import Foundation
import Testing

/// `outlier-atlas analyze` → results JSON → `render` → site, through the real executable.
@Suite struct AnalyzeEndToEndTests {
    static let tinyModel = Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")

    @Test func analyzeThenRenderProducesResultsAndASite() throws {
        let dir = try Fixtures.temporaryDirectory()
        let text = dir.appendingPathComponent("calibration.txt")
        try String(repeating: "The committee approved the budget on Tuesday afternoon. ", count: 12)
            .write(to: text, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["analyze", "--model", Self.tinyModel.path, "--text", text.path,
                                     "--windows", "3", "--window-size", "24", "--out", dir.appendingPathComponent("results").path,
                                     "--label", "tiny <b>&", "--json", "--threads", "1"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let ppl = try #require(summary["perplexity"] as? [String: Any])
        let all = try #require(ppl["all_positions"] as? Double), half = try #require(ppl["second_half"] as? Double)
        #expect(all > 1 && all < 320 && half > 1 && half < 320)  // a 320-token vocabulary bounds a sane model
        #expect(ppl["scored_tokens_all"] as? Int == 3 * 23)
        #expect(ppl["scored_tokens_second_half"] as? Int == 3 * 11)
        #expect(summary["massive_activations"] is [Any])
        let resultsFile = try #require(summary["results_file"] as? String)
        #expect(FileManager.default.fileExists(atPath: resultsFile))

        let site = dir.appendingPathComponent("site")
        let render = try CLIRunner.run(["render", dir.appendingPathComponent("results").path, "--out", site.path])
        #expect(render.status == 0, "stderr: \(render.stderr)")
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("tiny &lt;b&gt;&amp;"))
        #expect(!index.contains("tiny <b>"))
    }

    @Test func inspectShowsArchitectureAndTensors() throws {
        let out = try CLIRunner.run(["inspect", Self.tinyModel.path])
        #expect(out.status == 0)
        #expect(out.stdout.contains("architecture: llama"))
        #expect(out.stdout.contains("blocks: 3  hidden: 64  ffn: 160  heads: 4 (kv 2, head dim 16)"))
        #expect(out.stdout.contains("blk.1.ffn_down.weight"))
    }

    @Test func inspectReadsAHuggingFaceFolder() throws {
        let out = try CLIRunner.run(["inspect", Fixtures.fixture("llama-tiny").path])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        #expect(out.stdout.contains("format: Hugging Face folder, 1 safetensors file(s)"))
        #expect(out.stdout.contains("family: llama"))
        #expect(out.stdout.contains("  num_hidden_layers = 3") && out.stdout.contains("  hidden_size = 64"))
        let down = try #require(out.stdout.split(separator: "\n").first { $0.contains("model.layers.1.mlp.down_proj.weight") })
        #expect(down.hasSuffix("[64, 160]"))
        // A folder without config.json is one error naming the file.
        let empty = try Fixtures.temporaryDirectory()
        let missing = try CLIRunner.run(["inspect", empty.path])
        #expect(missing.status == 2 && missing.stderr.contains("config.json"))
    }

    @Test func realSmolLM2ReportsItsMassiveDimension() throws {
        let dir = try Fixtures.temporaryDirectory()
        let out = try CLIRunner.run(["analyze", "--model", Fixtures.smolLM2.path, "--text", Fixtures.wikiTextTest.path,
                                     "--windows", "1", "--window-size", "64", "--text-mode", "joined",
                                     "--taps", "ffn.resid", "--out", dir.path, "--json"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let massive = try #require(summary["massive_activations"] as? [[String: Any]])
        // The same dimension an independent numpy reference finds (dim 507 at the first token, blocks 11–27).
        let dims = Set(massive.compactMap { $0["dim"] as? Int })
        #expect(dims.contains(507))
        let layers = massive.filter { $0["dim"] as? Int == 507 }.compactMap { $0["layer"] as? Int }
        #expect(layers.min() == 11 && layers.max() == 27)
        #expect(massive.allSatisfy { $0["position"] as? Int == 0 })
    }
}
