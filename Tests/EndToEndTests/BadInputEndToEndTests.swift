import AtlasTestSupport
import Foundation
import Testing

/// Every bad input ends with one clear line on stderr naming the file and what was wrong, exit
/// code 2, and no partial output.
@Suite struct BadInputEndToEndTests {
    static let tiny = Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")

    /// Runs `analyze` and checks the failure contract; returns stderr's single line.
    func expectCleanFailure(model: URL, text: URL? = nil, mentions: [String],
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try Fixtures.temporaryDirectory()
        let textURL = try text ?? {
            let t = dir.appendingPathComponent("text.txt")
            try String(repeating: "Calibration text for a tiny model. ", count: 20).write(to: t, atomically: true, encoding: .utf8)
            return t
        }()
        let results = dir.appendingPathComponent("results")
        let out = try CLIRunner.run(["analyze", "--model", model.path, "--text", textURL.path, "--window-size", "16",
                                     "--out", results.path, "--json"])
        #expect(out.status == 2, "exit code; stderr: \(out.stderr)", sourceLocation: sourceLocation)
        let lines = out.stderr.split(separator: "\n").filter { !$0.hasPrefix("loading ") }
        #expect(lines.count == 1, "stderr should be one line: \(out.stderr)", sourceLocation: sourceLocation)
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("error: "), sourceLocation: sourceLocation)
        for m in mentions { #expect(line.contains(m), "'\(m)' missing in: \(line)", sourceLocation: sourceLocation) }
        #expect(out.stdout.isEmpty, "no summary on failure", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: results.path), "no partial output", sourceLocation: sourceLocation)
    }

    /// A copy of llama-tiny's F32 GGUF with `edit` applied to its bytes.
    func mutated(_ name: String, _ edit: (inout [UInt8]) throws -> Void) throws -> URL {
        var bytes = [UInt8](try Data(contentsOf: Self.tiny))
        try edit(&bytes)
        let url = try Fixtures.temporaryDirectory().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    /// Offset just past the first occurrence of `needle`.
    func offset(after needle: String, in bytes: [UInt8]) throws -> Int {
        let n = Array(needle.utf8)
        for i in 0...(bytes.count - n.count) where Array(bytes[i..<(i + n.count)]) == n { return i + n.count }
        throw CancellationError()
    }

    @Test func truncatedGGUF() throws {
        let url = try mutated("truncated.gguf") { $0 = Array($0.prefix(1000)) }
        try expectCleanFailure(model: url, mentions: [url.path])
    }

    @Test func wrongMagic() throws {
        let url = try mutated("magic.gguf") { $0[0] = UInt8(ascii: "X") }
        try expectCleanFailure(model: url, mentions: [url.path, "magic"])
    }

    @Test func tensorDataPastTheEnd() throws {
        let url = try mutated("short-data.gguf") { $0.removeLast(4096) }
        try expectCleanFailure(model: url, mentions: [url.path])
    }

    @Test func unknownTensorType() throws {
        let url = try mutated("type.gguf") { bytes in
            // tensor info: name, n_dims (u32), dims (u64 each), type (u32), offset (u64)
            let nameEnd = try offset(after: "token_embd.weight", in: bytes)
            let nDims = Int(bytes[nameEnd])
            let typeAt = nameEnd + 4 + 8 * nDims
            bytes[typeAt] = 99
        }
        try expectCleanFailure(model: url, mentions: [url.path, "token_embd.weight", "99"])
    }

    @Test func unsupportedArchitecture() throws {
        let url = try mutated("arch.gguf") { bytes in
            let keyEnd = try offset(after: "general.architecture", in: bytes)
            let valueAt = keyEnd + 4 + 8  // value type (u32), string length (u64)
            for (i, b) in "bloom".utf8.enumerated() { bytes[valueAt + i] = b }
        }
        try expectCleanFailure(model: url, mentions: [url.path, "general.architecture", "bloom"])
    }

    @Test func missingModel() throws {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("absent.gguf")
        try expectCleanFailure(model: url, mentions: [url.path])
    }

    @Test func missingText() throws {
        let text = try Fixtures.temporaryDirectory().appendingPathComponent("absent.txt")
        try expectCleanFailure(model: Self.tiny, text: text, mentions: [text.path])
    }

    @Test func emptyText() throws {
        let text = try Fixtures.temporaryDirectory().appendingPathComponent("empty.txt")
        try Data().write(to: text)
        try expectCleanFailure(model: Self.tiny, text: text, mentions: [text.path])
    }

    @Test func textShorterThanOneWindow() throws {
        let text = try Fixtures.temporaryDirectory().appendingPathComponent("short.txt")
        try "Too short.".write(to: text, atomically: true, encoding: .utf8)
        try expectCleanFailure(model: Self.tiny, text: text, mentions: [text.path])
    }

    @Test func usageErrorExitsTwo() throws {
        let out = try CLIRunner.run(["analyze", "--model", Self.tiny.path, "--text", Self.tiny.path, "--window-size", "1"])
        #expect(out.status == 2)
        #expect(out.stderr.contains("--window-size"))
    }
}
