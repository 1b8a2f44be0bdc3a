import AtlasTestSupport
import Foundation
import Testing

/// The plain x86-64 build (`make baseline`, beside the release binary) runs the same analysis:
/// `ATLAS_CPU_PATH=baseline` makes the AVX2 binary hand over to it, as a CPU without AVX2/FMA
/// does. Perplexity comes from the forward pass (no target-specific code) and must be equal;
/// the statistics (SSE2 instead of AVX2/FMA kernels) agree to float rounding.
@Suite struct BaselineCPUEndToEndTests {
    static let tiny = Fixtures.fixture("llama-tiny-gguf/llama-tiny.Q8_0.gguf")

    func analyze(_ dir: URL, _ name: String, environment: [String: String]) throws -> (CLIRunner.Output, [String: Any]) {
        let text = dir.appendingPathComponent("text.txt")
        try String(repeating: "The committee approved the budget on Tuesday afternoon. ", count: 12)
            .write(to: text, atomically: true, encoding: .utf8)
        let out = try CLIRunner.run(["analyze", "--model", Self.tiny.path, "--text", text.path, "--windows", "2",
                                     "--window-size", "32", "--out", dir.appendingPathComponent(name).path, "--json", "--threads", "1"],
                                    environment: environment)
        let summary = (try? JSONSerialization.jsonObject(with: Data(out.stdout.utf8))) as? [String: Any] ?? [:]
        return (out, summary)
    }

    @Test func baselineBuildIsPresentAndSaysWhichKernelsItRuns() throws {
        let baseline = CLIRunner.executable.deletingLastPathComponent().appendingPathComponent("outlier-atlas-baseline")
        #expect(FileManager.default.isExecutableFile(atPath: baseline.path), "build it with `make baseline` (make test does)")
        let forced = try CLIRunner.run(["--version"], environment: ["ATLAS_CPU_PATH": "baseline"])
        #expect(forced.status == 0 && forced.stdout.contains("kernels: baseline x86-64"), "\(forced.stdout) \(forced.stderr)")
        let native = try CLIRunner.run(["--version"])
        #expect(native.stdout.contains("kernels: x86-64 with AVX2 + FMA") || native.stdout.contains("kernels: baseline"))
    }

    @Test func baselinePathGivesTheSameAnalysis() throws {
        let dir = try Fixtures.temporaryDirectory()
        let (native, a) = try analyze(dir, "native", environment: [:])
        let (baseline, b) = try analyze(dir, "baseline", environment: ["ATLAS_CPU_PATH": "baseline"])
        #expect(native.status == 0 && baseline.status == 0, "\(native.stderr) \(baseline.stderr)")
        let pa = try #require(a["perplexity"] as? [String: Any]), pb = try #require(b["perplexity"] as? [String: Any])
        #expect((pa["all_positions"] as? Double) == (pb["all_positions"] as? Double))
        #expect((a["massive_activation_count"] as? Int) == (b["massive_activation_count"] as? Int))
        let ra = try #require(a["results_file"] as? String), rb = try #require(b["results_file"] as? String)
        let ta = try Self.taps(ra), tb = try Self.taps(rb)
        #expect(ta.count == tb.count && ta.count > 10)
        for (x, y) in zip(ta, tb) {
            #expect(x["tap"] as? String == y["tap"] as? String && x["channelAbsmax"] as? String == y["channelAbsmax"] as? String)
            let mx = try #require(x["maxAbs"] as? Double), my = try #require(y["maxAbs"] as? Double)
            #expect(mx == my)
        }
    }

    static func taps(_ file: String) throws -> [[String: Any]] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any]
        return object?["taps"] as? [[String: Any]] ?? []
    }
}
