import AtlasTestSupport
import Foundation
import Testing

/// `analyze --against` on SmolLM2: its float safetensors export gives identical activations at
/// every tap (the export is exact), a Q8_0 copy written by `export` does not, and a mismatched
/// pair exits 2 with one line naming what differs.
@Suite struct PairEndToEndTests {
    @Test func smolLM2FloatExportIsExactAndAQ8CopyIsNot() throws {
        let dir = try Fixtures.temporaryDirectory()
        let float = dir.appendingPathComponent("smol-f32"), q8 = dir.appendingPathComponent("smol-q8_0.gguf")
        let text = Fixtures.shared.appendingPathComponent("data/wikitext-2-raw/wiki.test.raw").path
        let export = try CLIRunner.run(["export", "--model", Fixtures.smolLM2.path, "--format", "safetensors", "--out", float.path])
        #expect(export.status == 0, "\(export.stderr)")
        let copy = try CLIRunner.run(["export", "--model", float.path, "--format", "gguf-q8_0", "--out", q8.path])
        #expect(copy.status == 0, "\(copy.stderr)")
        let out = dir.appendingPathComponent("results")
        let run = try CLIRunner.run(["analyze", "--model", Fixtures.smolLM2.path, "--against", float.path, "--against", q8.path,
                                     "--text", text, "--windows", "1", "--window-size", "64", "--taps", "ffn.resid", "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: out.path).first { $0.hasSuffix(".json") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent(file))) as? [String: Any])
        let pairs = try #require(object["pairs"] as? [[String: Any]])
        #expect(pairs.count == 2)
        let exact = try #require(pairs[0]["taps"] as? [[String: Any]]), lossy = try #require(pairs[1]["taps"] as? [[String: Any]])
        #expect(exact.count == 30 * 16 && exact.allSatisfy { $0["sqnrDB"] as? String == "inf" })
        // Every block output differs (taps before the first quantized product, such as block 0's
        // embedding input, may still be exact).
        let outputs = lossy.filter { $0["tap"] as? String == "ffn.resid" }.compactMap { $0["sqnrDB"] as? Double }
        #expect(outputs.count == 30 && outputs.allSatisfy { $0 > 15 && $0 < 80 })
        let linears = try #require(pairs[1]["linears"] as? [[String: Any]])
        #expect(linears.allSatisfy { $0["typeB"] as? String == "Q8_0" && $0["typeA"] as? String == "Q4_1" })

        let wrong = try CLIRunner.run(["analyze", "--model", Fixtures.smolLM2.path,
                                       "--against", Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf").path,
                                       "--text", text, "--windows", "1", "--window-size", "64", "--out", out.path])
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("the block count differs (30 in SmolLM2-135M-Instruct.Q4_1.gguf, 3 in llama-tiny.F32.gguf)"), "\(wrong.stderr)")
    }
}
