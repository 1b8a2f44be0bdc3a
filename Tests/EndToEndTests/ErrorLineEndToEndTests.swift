import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// What the CLI prints for hostile model files is one line that names the file and the field:
/// control bytes in key names are escaped, GGUF values read as their types, the right array
/// is blamed, and a perplexity that cannot be computed names the model and the text.
@Suite struct ErrorLineEndToEndTests {
    static let tinyF32 = Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")

    /// Runs `inspect`/`analyze` and returns stderr's one `error:` line, after checking exit 2 and
    /// that no raw ESC or NUL byte reached the terminal.
    func errorLine(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let out = try CLIRunner.run(arguments)
        #expect(out.status == 2, "exit code; stderr: \(out.stderr)", sourceLocation: sourceLocation)
        // Progress lines ("loading …", "<model>: 3/31 windows") may precede the one error line.
        let lines = out.stderr.split(separator: "\n").filter { $0.hasPrefix("error") || $0.hasPrefix("internal error") }
        #expect(lines.count == 1 && out.stderr.hasSuffix("\n"), "one error line: \(out.stderr.debugDescription)", sourceLocation: sourceLocation)
        #expect(!out.stderr.contains("\u{1B}") && !out.stderr.contains("\0"), sourceLocation: sourceLocation)
        return String(lines.first ?? "")
    }

    /// `bytes` of llama-tiny F32 after `edit`, written to a fresh temp file.
    func mutated(_ edit: (inout Data) throws -> Void) throws -> URL {
        var data = try Data(contentsOf: Self.tinyF32)
        try edit(&data)
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("mutated.gguf")
        try data.write(to: url)
        return url
    }

    @Test func aKeyWithControlBytesIsEscapedOnOneLine() throws {
        // "general.name" renamed to 12 bytes with a newline, NUL and an ESC sequence; its value
        // type made invalid so that the parser quotes the key.
        let url = try mutated { data in
            let at = try #require(data.range(of: Data("general.name".utf8))).lowerBound
            data.replaceSubrange(at..<(at + 12), with: Data("gen\n\0\u{1B}[2Jame".utf8))
            data.put(UInt32(13), at: try GGUFBytes.valueTypeOffset(data, key: "gen\n\0\u{1B}[2Jame"))
        }
        let line = try errorLine(["inspect", url.path])
        #expect(line.hasPrefix("error: \(url.path): metadata 'gen\\n\\0\\u{1B}[2Jame' type"), "\(line)")
    }

    /// `analyze` of `model` on a short text; its one error line.
    func analyzeError(_ model: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let dir = try Fixtures.temporaryDirectory()
        let text = dir.appendingPathComponent("t.txt")
        try String(repeating: "Calibration text for a tiny model. ", count: 20).write(to: text, atomically: true, encoding: .utf8)
        return try errorLine(["analyze", "--model", model.path, "--text", text.path, "--window-size", "16",
                              "--out", dir.appendingPathComponent("r").path], sourceLocation: sourceLocation)
    }

    @Test func aGGUFValueOfTheWrongTypeIsNamedByItsType() throws {
        // llama.context_length (uint32 64) retyped as float32: quoted as "float32 …", not Swift's enum dump.
        let url = try mutated { data in
            data.put(UInt32(6), at: try GGUFBytes.valueTypeOffset(data, key: "llama.context_length"))
        }
        let line = try analyzeError(url)
        #expect(line.hasPrefix("error: \(url.path): llama.context_length: found float32 "), "\(line)")
        #expect(line.hasSuffix(", expected a non-negative integer") && !line.contains("GGUFValue"), "\(line)")
    }

    @Test func aTokenListShortByOneBlamesTheTokens() throws {
        // The last of the 320 tokens is cut out; general.name grows by as many bytes, so the
        // tensor data stays where it was and only the token list is wrong.
        let url = try mutated { data in
            let tokens = try GGUFBytes.valueTypeOffset(data, key: "tokenizer.ggml.tokens")
            let count = Int(data.read(UInt64.self, at: tokens + 8))
            var p = tokens + 16
            for _ in 0..<(count - 1) { p += 8 + Int(data.read(UInt64.self, at: p)) }
            let cut = 8 + Int(data.read(UInt64.self, at: p))
            data.removeSubrange(p..<(p + cut))
            data.put(UInt64(count - 1), at: tokens + 8)
            let name = try GGUFBytes.valueTypeOffset(data, key: "general.name")
            let length = Int(data.read(UInt64.self, at: name + 4))
            data.insert(contentsOf: Data(repeating: UInt8(ascii: "x"), count: cut), at: name + 12 + length)
            data.put(UInt64(length + cut), at: name + 4)
        }
        let line = try analyzeError(url)
        #expect(line == "error: \(url.path): tokenizer.ggml.tokens: found 319 entries, expected 320, like tokenizer.ggml.token_type and the embedding's rows", "\(line)")
    }

    @Test func nonFiniteLogitsNameTheModelAndTheText() throws {
        // The final norm's weights set to NaN: every logit is NaN.
        let norm = try #require(try GGUFFile(url: Self.tinyF32).tensorInfo("output_norm.weight"))
        let url = try mutated { data in
            for i in 0..<(norm.byteCount / 4) { data.put(Float.nan.bitPattern, at: norm.offset + 4 * i) }
        }
        let line = try analyzeError(url)
        #expect(line.hasPrefix("error: \(url.path): perplexity: non-finite logits in window(s) 0"), "\(line)")
        #expect(line.hasSuffix("/t.txt)"), "\(line)")
    }
}
