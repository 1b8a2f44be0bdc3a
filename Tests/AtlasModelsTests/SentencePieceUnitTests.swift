import Foundation
import Testing
import AtlasModels
import AtlasTestSupport

/// A small hand-made SPM vocabulary whose ids follow from llama.cpp's rules by hand.
enum TinySPM {
    // id: token, score, GGUF type (1 normal, 2 unknown, 3 control, 4 user-defined, 6 byte)
    static let vocabulary: [(String, Float, Int32)] = [
        ("<unk>", 0, 2), ("<s>", 0, 3), ("</s>", 0, 3), ("<0x0A>", 0, 6), ("<0xC3>", 0, 6), ("<0xA9>", 0, 6),
        ("▁", -1, 1), ("a", -1, 1), ("b", -1, 1), ("c", -1, 1), ("ab", -3, 1), ("bc", -2, 1),
        ("▁a", -1.5, 1), ("▁ab", -0.5, 1), ("x", -1, 1), ("xy", 0, 4), ("yzw", 0, 4),
    ]
    static let file = URL(fileURLWithPath: "/tmp/tiny-spm.gguf")

    static func metadata(scores: [Float]? = nil) -> [String: GGUFValue] {
        [
            "tokenizer.ggml.model": .string("llama"),
            "tokenizer.ggml.tokens": .array(elementType: .string, vocabulary.map { .string($0.0) }),
            "tokenizer.ggml.scores": .array(elementType: .float32, (scores ?? vocabulary.map(\.1)).map { .float32($0) }),
            "tokenizer.ggml.token_type": .array(elementType: .int32, vocabulary.map { .int32($0.2) }),
            "tokenizer.ggml.unknown_token_id": .uint32(0),
            "tokenizer.ggml.add_space_prefix": .bool(false),
        ]
    }

    static func make(addSpacePrefix: Bool = false, parseSpecial: Bool = true,
                     scores: [Float]? = nil) throws -> SentencePieceTokenizer {
        try SentencePieceTokenizer(tokens: vocabulary.map(\.0), scores: scores ?? vocabulary.map(\.1),
                                   tokenTypes: vocabulary.map(\.2), unknownTokenID: 0,
                                   addSpacePrefix: addSpacePrefix, parseSpecial: parseSpecial, source: file.path)
    }
}

@Suite struct SentencePieceUnitTests {
    @Test func highestScoredMergeFirst() throws {
        let tok = try TinySPM.make()
        #expect(tok.encode("abc") == [7, 11])           // "bc" (−2) before "ab" (−3)
        #expect(tok.encode(" ab") == [13])              // ▁ + a → ▁a, then ▁a + b → ▁ab
        #expect(tok.encode("a b") == [7, 6, 8])
        #expect(tok.encode("") == [])
    }

    @Test func equalScoresMergeLeftmostFirst() throws {
        var scores = TinySPM.vocabulary.map(\.1)
        scores[10] = -2   // "ab" now ties with "bc"
        #expect(try TinySPM.make(scores: scores).encode("abc") == [10, 9])
    }

    @Test func byteFallbackThenUnknown() throws {
        let tok = try TinySPM.make()
        #expect(tok.encode("é") == [4, 5])              // U+00E9 = C3 A9, no token: its byte tokens
        #expect(tok.encode("\n") == [3])
        #expect(tok.encode("d") == [0])                 // neither a token nor a byte token: unk
        #expect(tok.decode([4, 5, 3]) == "é\n")
        #expect(tok.tokenText(4) == "<0xC3>" && tok.tokenText(3) == "\n" && tok.tokenText(6) == " ")
    }

    /// llama.cpp cuts the longest special token out first, wherever it is: not leftmost-longest.
    @Test func specialTokensCutLongestFirst() throws {
        let tok = try TinySPM.make()
        #expect(tok.encode("xyzw") == [14, 16])
        #expect(tok.encode("xy") == [15])
        #expect(tok.encode("ab<s>ab") == [10, 1, 10])
        #expect(tok.decode([10, 1, 10]) == "ab<s>ab")
    }

    @Test func parseSpecialFalseMatchesOnlyUserDefined() throws {
        let tok = try TinySPM.make(parseSpecial: false)
        #expect(tok.encode("<s>") == [0, 0, 0])         // '<' 's' '>': no tokens, no byte tokens
        #expect(tok.encode("xyzw") == [14, 16])
    }

    /// add_space_prefix puts "▁" before the text and after each special token; decode drops the
    /// one leading space of the first token only.
    @Test func spacePrefix() throws {
        let tok = try TinySPM.make(addSpacePrefix: true)
        #expect(tok.encode("ab") == [13])
        #expect(tok.encode("<s>ab") == [1, 13])
        #expect(tok.encode("ab<s>ab") == [13, 1, 13])
        #expect(tok.decode([13]) == "ab")
        #expect(tok.decode([1, 13]) == "<s> ab")
    }

    @Test func fromGGUFMetadata() throws {
        let tok = try SentencePieceTokenizer.fromGGUFMetadata(TinySPM.metadata(), file: TinySPM.file.path)
        #expect(tok.vocabularySize == TinySPM.vocabulary.count && !tok.addSpacePrefix)
        #expect(tok.encode("abc") == [7, 11])
        var m = TinySPM.metadata()
        m["tokenizer.ggml.add_space_prefix"] = nil     // llama.cpp's default for SPM: true
        #expect(try SentencePieceTokenizer.fromGGUFMetadata(m, file: TinySPM.file.path).addSpacePrefix)
    }

    @Test func malformedMetadataNamesTheField() {
        let url = TinySPM.file
        func expectError(_ field: String, _ edit: (inout [String: GGUFValue]) -> Void,
                         sourceLocation: SourceLocation = #_sourceLocation) {
            var m = TinySPM.metadata()
            edit(&m)
            expectFormatError(url, field: field, sourceLocation: sourceLocation) {
                _ = try SentencePieceTokenizer.fromGGUFMetadata(m, file: url.path)
            }
        }
        expectError("tokenizer.ggml.tokens") { $0["tokenizer.ggml.tokens"] = nil }
        expectError("tokenizer.ggml.tokens") { $0["tokenizer.ggml.tokens"] = .string("a") }
        expectError("tokenizer.ggml.tokens[3]") {
            $0["tokenizer.ggml.tokens"] = .array(elementType: .string, [.string("a"), .string("b"), .string("c"), .int32(4)])
        }
        expectError("tokenizer.ggml.scores") { $0["tokenizer.ggml.scores"] = nil }
        expectError("tokenizer.ggml.scores[0]") {
            $0["tokenizer.ggml.scores"] = .array(elementType: .string, TinySPM.vocabulary.map { .string($0.0) })
        }
        expectError("tokenizer.ggml.scores") { $0["tokenizer.ggml.scores"] = .array(elementType: .float32, [.float32(0)]) }
        expectError("tokenizer.ggml.token_type") { $0["tokenizer.ggml.token_type"] = nil }
        expectError("tokenizer.ggml.token_type") {
            $0["tokenizer.ggml.token_type"] = .array(elementType: .int32, [.int32(1), .int32(1)])
        }
        expectError("tokenizer.ggml.tokens[8]") {   // "b" again, after token 7
            var t = TinySPM.vocabulary.map { GGUFValue.string($0.0) }
            t[7] = .string("b")
            $0["tokenizer.ggml.tokens"] = .array(elementType: .string, t)
        }
        expectError("tokenizer.ggml.unknown_token_id") { $0["tokenizer.ggml.unknown_token_id"] = .uint32(99) }
        expectError("tokenizer.ggml.add_space_prefix") { $0["tokenizer.ggml.add_space_prefix"] = .string("no") }
    }

    /// GGUFTokenizerLoader reads tokenizer.ggml.model: llama → SPM; others are refused naming both.
    @Test func loaderDispatchesOnTheModel() throws {
        let dir = try Fixtures.temporaryDirectory()
        func write(model: String) throws -> URL {
            var m = TinySPM.metadata()
            m["tokenizer.ggml.model"] = .string(model)
            let url = dir.appendingPathComponent("\(model).gguf")
            try GGUFWriter.write(metadata: m.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) },
                                 tensors: [], to: url)
            return url
        }
        let spm = try GGUFTokenizerLoader.load(try GGUFFile(url: try write(model: "llama")))
        #expect(spm is SentencePieceTokenizer)
        #expect(spm.encode("abc") == [7, 11])
        let bert = try write(model: "bert")
        expectFormatError(bert, field: "tokenizer.ggml.model") {
            _ = try GGUFTokenizerLoader.load(try GGUFFile(url: bert))
        }
        do {
            _ = try GGUFTokenizerLoader.load(try GGUFFile(url: bert))
        } catch let e as FormatError {
            #expect(e.found == "bert" && e.expected.contains("gpt2") && e.expected.contains("llama"))
        }
    }
}
