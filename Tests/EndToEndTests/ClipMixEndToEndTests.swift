import AtlasTestSupport
import Foundation
import Testing

/// `analyze --mitigation clip … --mitigation int8-mixed --json` through the real executable.
@Suite struct ClipMixEndToEndTests {
    @Test func jsonHasEveryClipAndMixedVariant() throws {
        let (dir, text) = try Fixtures.sentenceText()
        let out = try CLIRunner.run(["analyze", "--model", AnalyzeEndToEndTests.tinyModel.path, "--text", text.path,
                                     "--windows", "2", "--window-size", "24", "--out", dir.appendingPathComponent("results").path,
                                     "--scheme", "W8A8", "--mitigation", "clip", "--mitigation", "clip:target=weights",
                                     "--mitigation", "int8-mixed:threshold=2", "--json"])
        #expect(out.status == 0, "stderr: \(out.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
        let variants = try #require(summary["variants"] as? [String: [String: Any]])
        // A name listed twice keys both of its variants by their canonical specs.
        #expect(Set(variants.keys) == ["clip:percentile=99.9,target=activations,windows=4",
                                       "clip:percentile=99.9,target=weights,windows=4", "int8-mixed"])
        #expect(variants["clip:percentile=99.9,target=activations,windows=4"]?["exact"] as? Bool == false)
        #expect(variants["int8-mixed"]?["exact"] as? Bool == true)
        let fraction = try #require((variants["int8-mixed"]?["float_column_fraction"] as? [String: Double])?["W8A8"])
        #expect(fraction > 0 && fraction < 1)
        for v in variants.values {
            let w8a8 = try #require((v["quantization"] as? [String: [String: Any]])?["W8A8"])
            #expect(w8a8["kl_mean"] is Double && w8a8["perplexity"] is [String: Any] && w8a8["float_perplexity"] is [String: Any])
        }
    }

    @Test func badClipSpecNamesTheField() throws {
        let out = try CLIRunner.run(["analyze", "--model", AnalyzeEndToEndTests.tinyModel.path, "--text", "/dev/null",
                                     "--mitigation", "clip:percentile=0"])
        #expect(out.status != 0)
        #expect(out.stderr.contains("percentile") && out.stderr.contains("clip:percentile=0"), "\(out.stderr)")
    }
}
