import AtlasTestSupport
import Foundation
import Testing

/// SmolLM2's Float32 weights take 538 MB; under a data limit of 520 MB (`prlimit --data`, which
/// counts private allocations but not the memory-mapped file) `--weights auto` keeps the GGUF
/// blocks and writes byte-for-byte the results of an unlimited Float32 run, while the Float32
/// path is refused under the same limit with an error that says so.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: Fixtures.smolLM2.path)
                    && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"), "SmolLM2 or prlimit missing"))
struct MemoryLimitEndToEndTests {
    static let limit = ["/usr/bin/prlimit", "--data=520000000"]

    func analyze(_ dir: URL, _ name: String, weights: String, launcher: [String] = []) throws -> (CLIRunner.Output, URL) {
        let text = dir.appendingPathComponent("text.txt")
        if !FileManager.default.fileExists(atPath: text.path) {
            let raw = try Data(contentsOf: Fixtures.wikiTextTest).prefix(16_000)
            try raw.write(to: text)
        }
        let out = dir.appendingPathComponent(name)
        let run = try CLIRunner.run(["analyze", "--model", Fixtures.smolLM2.path, "--text", text.path, "--windows", "2",
                                     "--window-size", "96", "--out", out.path, "--weights", weights, "--threads", "1"],
                                    launcher: launcher)
        return (run, out)
    }

    @Test func autoKeepsBlocksUnderALimitBelowFloat32AndGetsTheSameNumbers() throws {
        let dir = try Fixtures.temporaryDirectory()
        let (free, freeOut) = try analyze(dir, "float32", weights: "float32")
        #expect(free.status == 0, "stderr: \(free.stderr)")
        let (limited, limitedOut) = try analyze(dir, "limited", weights: "auto", launcher: Self.limit)
        #expect(limited.status == 0, "stderr: \(limited.stderr.suffix(800))")
        #expect(limited.stderr.contains("weights: quantized"))
        let name = "smollm2-135m-instruct-q4-1-gguf.json"
        let a = try Data(contentsOf: freeOut.appendingPathComponent(name)), b = try Data(contentsOf: limitedOut.appendingPathComponent(name))
        #expect(a.count > 10_000 && a == b)
        // The limit is real: the Float32 weights do not fit under it, and that is an input error.
        let (float, _) = try analyze(dir, "float-limited", weights: "float32", launcher: Self.limit)
        #expect(float.status == 2 && float.stderr.contains("538 MB of Float32 weights, 520 MB"), "\(float.stderr.suffix(600))")
    }
}
