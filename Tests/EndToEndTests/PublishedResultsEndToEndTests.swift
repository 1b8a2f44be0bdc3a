import AtlasTestSupport
import Foundation
import Testing

/// What the site publishes is what was written: after `build` and after `render`, each model's
/// `results.json` download is byte for byte its results file, and the run history records each
/// quantization scheme's own perplexity (the demo's study shape: two schemes and mitigations).
@Suite struct PublishedResultsEndToEndTests {
    static func studyFolder() throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        try FileManager.default.copyItem(at: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf"), to: dir.appendingPathComponent("a.gguf"))
        try String(repeating: "The committee approved the budget on Tuesday afternoon. ", count: 12)
            .write(to: dir.appendingPathComponent("text.txt"), atomically: true, encoding: .utf8)
        try """
        models:
          - {label: tiny A, path: a.gguf}
        datasets:
          - {file: text.txt, window_size: 16, windows: 3}
        schemes: [W8A8, W4A16-g128]
        mitigations: [smoothquant]
        """.write(to: dir.appendingPathComponent("atlas.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func downloadsAreTheResultsFilesAfterBuildAndRender() throws {
        let dir = try Self.studyFolder()
        let build = try CLIRunner.run(["build", "atlas.yaml", "--threads", "1", "--run-id", "night-1"], in: dir)
        #expect(build.status == 0, "stderr: \(build.stderr)")
        let resultsFile = dir.appendingPathComponent("results/tiny-a.json")
        let written = try Data(contentsOf: resultsFile)
        let afterBuild = try Data(contentsOf: dir.appendingPathComponent("site/data/tiny-a/results.json"))
        #expect(afterBuild == written, "build: the download differs from results/tiny-a.json")
        #expect(try Self.object(afterBuild)["history"] == nil)
        // The history is published beside the results, not inside them.
        let history = try JSONSerialization.jsonObject(
            with: Data(contentsOf: dir.appendingPathComponent("site/data/tiny-a/history.json"))) as? [[String: Any]]
        #expect(history?.count == 1 && history?.first?["run"] as? String == "night-1")

        let render = try CLIRunner.run(["render", "results", "--out", "rendered"], in: dir)
        #expect(render.status == 0, "stderr: \(render.stderr)")
        let afterRender = try Data(contentsOf: dir.appendingPathComponent("rendered/data/tiny-a/results.json"))
        #expect(afterRender == written, "render: the download differs from results/tiny-a.json")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("rendered/data/tiny-a/history.json").path))
    }

    @Test func historyRecordsEachSchemesOwnPerplexity() throws {
        let dir = try Self.studyFolder()
        let build = try CLIRunner.run(["build", "atlas.yaml", "--no-site", "--threads", "1"], in: dir)
        #expect(build.status == 0, "stderr: \(build.stderr)")
        let result = try Self.object(Data(contentsOf: dir.appendingPathComponent("results/tiny-a.json")))
        let schemes = try #require(result["quantization"] as? [[String: Any]])
        var expected: [String: Double] = [:]
        var floatPerplexity: Double?
        for scheme in schemes {
            let endToEnd = try #require(scheme["endToEnd"] as? [String: Any])
            let name = try #require(scheme["name"] as? String)
            expected[name] = try #require((endToEnd["perplexity"] as? [String: Any])?["allPositions"] as? Double)
            floatPerplexity = try #require((endToEnd["floatPerplexity"] as? [String: Any])?["allPositions"] as? Double)
        }
        #expect(Set(expected.keys) == ["W8A8", "W4A16-g128"])
        let line = try String(contentsOf: dir.appendingPathComponent("results/history.jsonl"), encoding: .utf8)
            .split(separator: "\n").first.map(String.init) ?? ""
        let entry = try Self.object(Data(line.utf8))
        let recorded = try #require(entry["schemePerplexity"] as? [String: Double])
        #expect(recorded == expected)
        #expect(entry["perplexity"] as? Double == (result["perplexity"] as? [String: Any])?["allPositions"] as? Double)
        // W4 on a tiny model costs perplexity: were the float figure recorded, these would agree.
        let float = try #require(floatPerplexity), w4 = try #require(recorded["W4A16-g128"])
        #expect(abs(w4 - float) > 1e-3 * float, "W4A16-g128 \(w4) vs float \(float)")
    }
}
