import AtlasTestSupport
import Foundation
import Testing

/// The nightly CI flow through the real executable: init, build twice (the second from the
/// cache), shards merged equal an unsharded run, and the regression gate's exit codes.
@Suite struct NightlyEndToEndTests {
    /// A study folder with two copies of llama-tiny (F32, F16) and a short text.
    static func studyFolder() throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        let fm = FileManager.default
        try fm.copyItem(at: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf"), to: dir.appendingPathComponent("a.gguf"))
        try fm.copyItem(at: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F16.gguf"), to: dir.appendingPathComponent("b.gguf"))
        try String(repeating: "The committee approved the budget on Tuesday afternoon. ", count: 12)
            .write(to: dir.appendingPathComponent("text.txt"), atomically: true, encoding: .utf8)
        try """
        models:
          - {label: tiny A, path: a.gguf}
          - {label: tiny B, path: b.gguf}
          - {label: tiny C, path: a.gguf}
        datasets:
          - {file: text.txt, window_size: 16, windows: 3}
        thresholds: {perplexity_increase: 0.02}
        """.write(to: dir.appendingPathComponent("atlas.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// The results files of a folder, name → bytes.
    static func resultsFiles(_ dir: URL) throws -> [String: Data] {
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }
        return try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: dir.appendingPathComponent($0))) })
    }

    @Test func secondBuildIsServedFromTheCache() throws {
        let dir = try Self.studyFolder()
        let first = try CLIRunner.run(["build", "atlas.yaml", "--json", "--threads", "1"], in: dir)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(try Self.json(first.stdout)["computed"] as? Int == 3)
        let results = dir.appendingPathComponent("results")
        let before = try Self.resultsFiles(results)
        let second = try CLIRunner.run(["build", "atlas.yaml", "--json", "--threads", "1", "--run-id", "night-2"], in: dir)
        #expect(second.status == 0, "stderr: \(second.stderr)")
        let summary = try Self.json(second.stdout)
        #expect(summary["computed"] as? Int == 0 && summary["cached"] as? Int == 3 && summary["run"] as? String == "night-2")
        #expect(!second.stderr.contains("windows"), "no forward pass: \(second.stderr)")
        #expect(try Self.resultsFiles(results) == before)
        let history = try String(contentsOf: results.appendingPathComponent("history.jsonl"), encoding: .utf8)
        #expect(history.split(separator: "\n").count == 6 && history.contains(#""run":"night-2""#))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/index.html").path))
    }

    @Test func shardsMergedEqualAnUnshardedRun() throws {
        let dir = try Self.studyFolder()
        let whole = try CLIRunner.run(["build", "atlas.yaml", "--no-site", "--threads", "1"], in: dir)
        #expect(whole.status == 0, "stderr: \(whole.stderr)")
        for i in 0..<2 {
            let shard = try CLIRunner.run(["build", "atlas.yaml", "--shard", "\(i)/2", "--results", "shard\(i)", "--threads", "1"], in: dir)
            #expect(shard.status == 0, "stderr: \(shard.stderr)")
        }
        #expect(try Self.resultsFiles(dir.appendingPathComponent("shard0")).keys.sorted() == ["tiny-a.json", "tiny-c.json"])
        let merge = try CLIRunner.run(["merge", "shard0", "shard1", "--out", "merged", "--json"], in: dir)
        #expect(merge.status == 0, "stderr: \(merge.stderr)")
        #expect(try Self.json(merge.stdout)["history_lines"] as? Int == 3)
        let merged = try Self.resultsFiles(dir.appendingPathComponent("merged"))
        #expect(merged.keys.sorted() == ["tiny-a.json", "tiny-b.json", "tiny-c.json"])
        #expect(merged == (try Self.resultsFiles(dir.appendingPathComponent("results"))))
        // The merged folder is a cache: building into it computes nothing.
        let rebuilt = try CLIRunner.run(["build", "atlas.yaml", "--results", "merged", "--no-site", "--json"], in: dir)
        #expect(try Self.json(rebuilt.stdout)["computed"] as? Int == 0)
    }

    @Test func windowSplitShardsMergeIntoTheWholeResult() throws {
        let dir = try Self.studyFolder()
        let common = ["analyze", "--model", "a.gguf", "--text", "text.txt", "--window-size", "16", "--windows", "3",
                      "--label", "tiny A", "--threads", "1"]
        #expect(try CLIRunner.run(common + ["--out", "whole"], in: dir).status == 0)
        for i in 0..<2 {
            let part = try CLIRunner.run(common + ["--out", "part\(i)", "--shard", "\(i)/2", "--json"], in: dir)
            #expect(part.status == 0, "stderr: \(part.stderr)")
            #expect(try Self.json(part.stdout)["partial_file"] as? String != nil)
        }
        let merge = try CLIRunner.run(["merge", "part0", "part1", "--out", "merged"], in: dir)
        #expect(merge.status == 0, "stderr: \(merge.stderr)")
        let merged = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("merged/tiny-a.json"))) as? [String: Any])
        var whole = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("whole/tiny-a.json"))) as? [String: Any])
        let ppl = { (o: [String: Any]) in (o["perplexity"] as? [String: Any])?["allPositions"] as? Double ?? .nan }
        #expect(abs(ppl(merged) / ppl(whole) - 1) < 1e-12)
        whole["perplexity"] = merged["perplexity"]
        // The anatomy needs the model (weights, one traced window): a shard merge does not compute it.
        #expect(whole["anatomy"] != nil && merged["anatomy"] == nil)
        whole["anatomy"] = nil
        #expect(NSDictionary(dictionary: merged).isEqual(to: whole), "taps, massive activations, provenance equal")
        let missing = try CLIRunner.run(["merge", "part0", "--out", "lonely"], in: dir)
        #expect(missing.status == 2 && missing.stderr.contains("expected each of 0..<2 once"))
    }

    @Test func checkPassesIdenticalAndFailsAnInjectedRegression() throws {
        let dir = try Self.studyFolder()
        #expect(try CLIRunner.run(["build", "atlas.yaml", "--no-site", "--threads", "1"], in: dir).status == 0)
        let pass = try CLIRunner.run(["check", "--baseline", "results", "--study", "atlas.yaml"], in: dir)
        #expect(pass.status == 0 && pass.stdout.hasPrefix("no regressions"), "\(pass.stdout)\(pass.stderr)")
        // Tonight: tiny B's perplexity 3 % worse (over the study's 2 %).
        let current = dir.appendingPathComponent("tonight")
        try FileManager.default.copyItem(at: dir.appendingPathComponent("results"), to: current)
        let file = current.appendingPathComponent("tiny-b.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        var ppl = try #require(object["perplexity"] as? [String: Any])
        ppl["allPositions"] = try #require(ppl["allPositions"] as? Double) * 1.03
        object["perplexity"] = ppl
        try JSONSerialization.data(withJSONObject: object).write(to: file)
        let fail = try CLIRunner.run(["check", "--baseline", "results", "--current", "tonight", "--study", "atlas.yaml"], in: dir)
        #expect(fail.status == 1, "stdout: \(fail.stdout) stderr: \(fail.stderr)")
        #expect(fail.stdout.contains("tiny-b") && fail.stdout.contains("perplexity") && fail.stdout.contains("+3.00%"))
        let machine = try CLIRunner.run(["check", "--baseline", "results", "--current", "tonight", "--json"], in: dir)
        #expect(machine.status == 1)
        let regressions = try #require(try Self.json(machine.stdout)["regressions"] as? [[String: Any]])
        #expect(regressions.count == 1 && regressions[0]["results"] as? String == "tiny-b")
        let lenient = try CLIRunner.run(["check", "--baseline", "results", "--current", "tonight", "--perplexity-increase", "0.05"], in: dir)
        #expect(lenient.status == 0)
        let noBaseline = try CLIRunner.run(["check", "--baseline", "nowhere"], in: dir)
        #expect(noBaseline.status == 2 && noBaseline.stderr.contains("nowhere"))
    }

    @Test func initWritesAStudyOnceAndBadStudiesExit2WithTheLine() throws {
        let dir = try Fixtures.temporaryDirectory()
        let created = try CLIRunner.run(["init", "study.yaml"], in: dir)
        #expect(created.status == 0)
        let text = try String(contentsOf: dir.appendingPathComponent("study.yaml"), encoding: .utf8)
        #expect(text.contains("thresholds:") && text.contains("# "))
        let again = try CLIRunner.run(["init", "study.yaml"], in: dir)
        #expect(again.status == 2 && again.stderr.contains("init never overwrites"))
        // The template's model is not fetched here: build fails before running anything.
        let build = try CLIRunner.run(["build", "study.yaml"], in: dir)
        #expect(build.status == 2)
        #expect(build.stderr == "error: \(dir.appendingPathComponent("study.yaml").path):7: models[0].path: found models/SmolLM2-135M-Instruct.Q4_1.gguf (missing), expected an existing model file (run scripts/fetch-models)\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("results").path))
    }
}
