import Foundation
import Testing
import AtlasModels
import AtlasTestSupport

/// Bad tokenizer.json files are FormatErrors naming the file and the field.
@Suite struct TokenizerJSONErrorTests {
    struct Bad: Sendable, CustomTestStringConvertible {
        let what: String
        let json: String
        let field: String
        var testDescription: String { what }
    }

    static let bad: [Bad] = [
        Bad(what: "Unigram model", json: #"{"model": {"type": "Unigram", "vocab": [["a", 0.0]]}}"#, field: "model.type"),
        Bad(what: "WordLevel model", json: #"{"model": {"type": "WordLevel", "vocab": {"a": 0}}}"#, field: "model.type"),
        Bad(what: "no model", json: #"{"version": "1.0"}"#, field: "model"),
        Bad(what: "missing model.vocab", json: #"{"model": {"type": "WordPiece", "unk_token": "[UNK]"}}"#, field: "model.vocab"),
        Bad(what: "vocab is an array", json: #"{"model": {"type": "BPE", "vocab": ["a"], "merges": []}}"#, field: "model.vocab"),
        Bad(what: "vocab id is a string", json: #"{"model": {"type": "BPE", "vocab": {"a": "0"}, "merges": []}}"#, field: #"model.vocab["a"]"#),
        Bad(what: "merges is a number", json: #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": 3}}"#, field: "model.merges"),
        Bad(what: "merge without a space", json: #"{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": ["ab"]}}"#, field: "model.merges[0]"),
        Bad(what: "model.type is a number", json: #"{"model": {"type": 7, "vocab": {}}}"#, field: "model.type"),
        Bad(what: "added token without content", json: #"{"added_tokens": [{"id": 1}], "model": {"type": "WordPiece", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"}}"#, field: "added_tokens[0].content"),
        Bad(what: "WordPiece unk token not in vocab", json: #"{"model": {"type": "WordPiece", "vocab": {"a": 0}, "unk_token": "[UNK]"}, "pre_tokenizer": {"type": "BertPreTokenizer"}}"#, field: "model.unk_token"),
        Bad(what: "not JSON", json: "model: BPE\n", field: "(root)"),
        Bad(what: "JSON array at the root", json: "[1, 2]", field: "(root)"),
        Bad(what: "empty file", json: "", field: "(root)"),
    ]

    @Test(arguments: bad) func throwsFormatError(_ b: Bad) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tokenizer.json")
        try Data(b.json.utf8).write(to: url)
        do {
            let tok = try TokenizerJSON.load(url: url)
            Issue.record("\(b.what): loaded \(tok.name) instead of throwing")
        } catch let e as FormatError {
            #expect(e.file == url.path, "\(b.what)")
            #expect(e.field == b.field, "\(b.what): \(e)")
            #expect(!e.found.isEmpty && !e.expected.isEmpty, "\(b.what): \(e)")
        }
    }

    @Test func unsupportedPreTokenizerIsNamed() throws {
        var json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Fixtures.fixture("llama-tiny/tokenizer.json"))) as! [String: Any]
        json["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁"]
        do {
            _ = try TokenizerJSON.load(data: try JSONSerialization.data(withJSONObject: json), file: "t.json")
            Issue.record("Metaspace accepted")
        } catch let e as FormatError {
            #expect(e.file == "t.json")
            #expect(e.field == "pre_tokenizer.type")
            #expect(e.expected.contains("ByteLevel"))
        }
    }

    @Test func missingFileIsNamed() {
        let url = URL(fileURLWithPath: "/nonexistent/tokenizer.json")
        #expect(throws: FormatError.self) { try TokenizerJSON.load(url: url) }
    }

    @Test func unknownGGUFPreTokenizerListsTheSupportedOnes() {
        do {
            _ = try ByteLevelBPETokenizer.fromGGUFMetadata(tokens: [], merges: [], tokenTypes: [], pre: "deepseek-llm", file: "m.gguf")
            Issue.record("accepted")
        } catch let e as FormatError {
            #expect(e.file == "m.gguf")
            #expect(e.field == "tokenizer.ggml.pre")
            #expect(e.expected.contains("smollm") && e.expected.contains("qwen2"))
        } catch { Issue.record("\(error)") }
    }

    @Test func vocabularyWithoutTheByteAlphabetIsRejected() {
        #expect(throws: FormatError.self) {
            try ByteLevelBPETokenizer(tokens: ["a", "b"], merges: [], tokenTypes: nil, preTokenizer: .gpt2, source: "x")
        }
    }
}
