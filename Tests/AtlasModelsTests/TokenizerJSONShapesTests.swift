import Foundation
import Testing
import AtlasModels
import AtlasTestSupport

/// The other byte-level tokenizer.json shapes the loader accepts, on the llama-tiny vocabulary
/// (expected ids from python `tokenizers` 0.23.3 with the same JSON).
@Suite struct TokenizerJSONShapesTests {
    static let text = "DON'T stop: 12345 cafe\u{301} the end\n\n  (yes)"
    static let qwen2Regex = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    func load(preTokenizer: [String: Any], normalizer: Any = NSNull()) throws -> ByteLevelBPETokenizer {
        var json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Fixtures.fixture("llama-tiny/tokenizer.json"))) as! [String: Any]
        json["pre_tokenizer"] = preTokenizer
        json["normalizer"] = normalizer
        let tok = try TokenizerJSON.load(data: try JSONSerialization.data(withJSONObject: json), file: "t.json")
        return try #require(tok as? ByteLevelBPETokenizer)
    }

    @Test func qwen2SplitWithNFC() throws {
        let tok = try load(preTokenizer: [
            "type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": Self.qwen2Regex], "behavior": "Isolated", "invert": false],
                ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false],
            ] as [Any]], normalizer: ["type": "NFC"])
        #expect(tok.preTokenizer == .qwen2)
        #expect(tok.normalization == .nfc)
        #expect(tok.encode(Self.text) == [68, 79, 78, 39, 84, 32, 115, 116, 111, 112, 58, 32, 49, 50, 51, 52, 53, 32, 99, 97,
                                           102, 195, 169, 258, 32, 264, 100, 10, 10, 32, 32, 40, 121, 261, 41])
    }

    @Test func individualDigits() throws {
        let tok = try load(preTokenizer: [
            "type": "Sequence", "pretokenizers": [
                ["type": "Digits", "individual_digits": true],
                ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true],
            ] as [Any]])
        #expect(tok.preTokenizer == .smollmDigitsIsolated)
        #expect(tok.encode(Self.text) == [68, 79, 78, 39, 84, 32, 115, 116, 111, 112, 58, 32, 49, 50, 51, 52, 53, 32, 99, 97,
                                           102, 101, 204, 129, 258, 32, 264, 100, 10, 10, 32, 32, 40, 121, 261, 41])
    }

    @Test func addPrefixSpace() throws {
        let tok = try load(preTokenizer: ["type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true])
        #expect(tok.addPrefixSpace)
        #expect(tok.encode(Self.text) == [32, 68, 79, 78, 39, 84, 32, 115, 116, 111, 112, 58, 32, 49, 50, 51, 52, 53, 32, 99, 97,
                                           102, 101, 204, 129, 258, 32, 264, 100, 10, 10, 32, 32, 40, 121, 261, 41])
    }

    @Test func unknownSplitRegexIsNamed() throws {
        #expect(throws: FormatError.self) {
            try load(preTokenizer: [
                "type": "Sequence", "pretokenizers": [
                    ["type": "Split", "pattern": ["Regex": "\\w+"], "behavior": "Isolated", "invert": false],
                    ["type": "ByteLevel", "use_regex": false],
                ] as [Any]])
        }
    }
}
