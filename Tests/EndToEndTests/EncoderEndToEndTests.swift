import AtlasTestSupport
import Foundation
import Testing

/// `analyze --scheme …` on all-MiniLM-L6-v2 through the real executable: encoders report the
/// cosine of quantized sentence embeddings to the float ones in the `--json` summary.
@Suite struct EncoderEndToEndTests {
    @Test func miniLMReportsEmbeddingCosinesPerScheme() throws {
        let dir = try Fixtures.temporaryDirectory()
        let text = dir.appendingPathComponent("wiki-head.txt")  // the first 20 kB: enough sentences
        let head = try Data(contentsOf: Fixtures.wikiTextTest).prefix(20_000)
        try Data(head.prefix(through: head.lastIndex(of: 0x0A)!)).write(to: text)  // whole lines: valid UTF-8
        let out = try CLIRunner.run(["analyze", "--model", Fixtures.miniLM.path, "--text", text.path,
                                     "--windows", "12", "--text-mode", "joined", "--taps", "ffn.post_norm",
                                     "--scheme", "W8A8", "--scheme", "W4A16", "--out", dir.path, "--json"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        #expect(summary["perplexity"] == nil, "an encoder has no perplexity")
        let schemes = try #require(summary["quantization"] as? [String: [String: Any]])
        let w8a8 = try #require(schemes["W8A8"]), w4 = try #require(schemes["W4A16"])
        let mean8 = try #require(w8a8["cosine_mean"] as? Double), worst8 = try #require(w8a8["cosine_worst"] as? Double)
        let mean4 = try #require(w4["cosine_mean"] as? Double)
        #expect(w8a8["sentences"] as? Int == 12)
        // 500 sentences measured 0.9971 (W8A8) and 0.888 (W4A16) mean cosine.
        #expect(mean8 > 0.98 && mean8 < 1 && worst8 <= mean8, "W8A8 \(mean8) / \(worst8)")
        #expect(mean4 < mean8, "int4 weights lose more than int8: \(mean4) vs \(mean8)")
    }

    @Test func aMitigationOnAnEncoderIsAClearError() throws {
        let dir = try Fixtures.temporaryDirectory()
        let results = dir.appendingPathComponent("results")
        let out = try CLIRunner.run(["analyze", "--model", Fixtures.miniLM.path, "--text", Fixtures.wikiTextTest.path,
                                     "--windows", "2", "--mitigation", "rotation", "--out", results.path, "--json"])
        #expect(out.status == 2)
        // The message names what rotation needs and the families that have it (not Gemma 3, whose
        // post norms sit where no Linear can absorb the rotation).
        #expect(out.stderr.contains("architecture bert") && out.stderr.contains("rotation-invariant decoder")
                && out.stderr.contains("(llama, mistral, qwen2, phi3)") && !out.stderr.contains("gemma3"), "stderr: \(out.stderr)")
        #expect(out.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: results.path))
    }
}
