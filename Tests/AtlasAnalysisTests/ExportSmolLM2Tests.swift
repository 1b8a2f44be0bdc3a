@testable import AtlasAnalysis
import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// The real model: the exported tokenizer.json tokenizes WikiText like the GGUF tokenizer (for
/// our loader and for the HF `tokenizers` library), and a rotated SmolLM2 reloads to its logits.
@Suite(.serialized) struct ExportSmolLM2Tests {
    /// The first 20 kB of wiki.test.raw, cut at a line end.
    static let wikiText: String = {
        let data = (try? Data(contentsOf: Fixtures.wikiTextTest)) ?? Data()
        let head = data.prefix(20_000)
        let end = head.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? head.endIndex
        return String(decoding: head[..<end], as: UTF8.self)
    }()

    static let pythonTokenizers: Bool = (try? python(["-c", "import tokenizers"]).status == 0) ?? false

    static func python(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func exportedTokenizer(_ gguf: URL) throws -> (json: URL, ours: any Tokenizer, gguf: any Tokenizer) {
        let file = try GGUFFile(url: gguf)
        let files = try TokenizerExport.huggingFaceFiles(from: file, contextLength: 2048)
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("tokenizer.json")
        try files.tokenizer.write(to: url)
        return (url, try TokenizerJSON.load(url: url), try GGUFTokenizerLoader.load(file))
    }

    @Test(arguments: [Fixtures.smolLM2, Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")])
    func exportedTokenizerGivesTheGGUFIds(gguf: URL) throws {
        let (_, ours, reference) = try Self.exportedTokenizer(gguf)
        #expect(Self.wikiText.utf8.count > 19_000)
        let expected = reference.encode(Self.wikiText)
        #expect(ours.encode(Self.wikiText) == expected)
        #expect(ours.vocabularySize == reference.vocabularySize)
    }

    @Test(.enabled(if: ExportSmolLM2Tests.pythonTokenizers, "python3 with the tokenizers package"),
          arguments: [Fixtures.smolLM2, Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")])
    func huggingFaceTokenizersGivesTheGGUFIds(gguf: URL) throws {
        let (json, _, reference) = try Self.exportedTokenizer(gguf)
        let text = json.deletingLastPathComponent().appendingPathComponent("text.txt")
        try Self.wikiText.write(to: text, atomically: true, encoding: .utf8)
        let script = "import sys, json, tokenizers; t = tokenizers.Tokenizer.from_file(sys.argv[1]); "
            + "print(json.dumps(t.encode(open(sys.argv[2], encoding='utf-8').read(), add_special_tokens=False).ids))"
        let run = try Self.python(["-c", script, json.path, text.path])
        #expect(run.status == 0)
        let ids = try JSONDecoder().decode([Int32].self, from: Data(run.stdout.utf8))
        #expect(ids == reference.encode(Self.wikiText))
    }

    @Test func rotatedSmolLM2ReloadsToItsLogits() throws {
        let loaded = try SmolLM2.loaded
        let window = Array(loaded.tokenizer.encode(Self.wikiText).prefix(128))
        let out = try Fixtures.temporaryDirectory().appendingPathComponent("smollm2-rotated")
        let (variant, _) = try VariantExport.export(loaded, specs: [try MitigationSpecParser.parse("rotation")], calibration: [],
                                                    format: .safetensors, to: out)
        let expected = variant.forward(tokens: window)
        let reloaded = try ModelLoader.load(out)
        #expect(reloaded.tokenizer.encode(Self.wikiText) == loaded.tokenizer.encode(Self.wikiText))
        let d = MitigationTests.maxRelativeDiff(expected, try reloaded.decoder().forward(tokens: window))
        #expect(d <= 1e-4, "\(d)")
    }
}
