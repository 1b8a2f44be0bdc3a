import Foundation
import Testing
import AtlasModels
import AtlasTestSupport

/// SentencePiece-style BPE tokenizer.json files (`byte_fallback: true`) against the ids of the HF
/// `tokenizers` library: Tests/Fixtures/spm-json, made by scripts/reference/spm_json_reference.py
/// (Llama-2 legacy Prepend + Replace, transformers 5's Metaspace layout, Gemma's Replace + Split,
/// and variants for unknown tokens, Metaspace schemes and added-token options).
@Suite struct TokenizerSentencePieceJSONTests {
    struct Case: Decodable, Sendable {
        let name: String
        let text: String
        let ids: [String: [Int32]]
        let decoded: [String: String]
    }
    struct File: Decodable, Sendable {
        let layouts: [String: String]
        let cases: [Case]
    }

    static let folder = Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/spm-json")
    static let layouts = ["llama-legacy", "llama-metaspace", "gemma", "llama-unk", "llama-unk-nofuse",
                          "metaspace-always-split", "metaspace-never"]

    static func file() throws -> File {
        try JSONDecoder().decode(File.self, from: Data(contentsOf: folder.appendingPathComponent("cases.json")))
    }

    static func tokenizer(_ layout: String) throws -> ByteFallbackBPETokenizer {
        let tok = try TokenizerJSON.load(url: folder.appendingPathComponent("\(layout).tokenizer.json"))
        return try #require(tok as? ByteFallbackBPETokenizer, "\(layout): \(tok.name)")
    }

    @Test func everyLayoutHasItsCases() throws {
        let f = try Self.file()
        #expect(Set(f.layouts.keys) == Set(Self.layouts))
        #expect(f.cases.count >= 25)
        for c in f.cases { #expect(Set(c.ids.keys) == Set(Self.layouts), "case \(c.name)") }
    }

    @Test(arguments: layouts) func referenceIDs(_ layout: String) throws {
        let tok = try Self.tokenizer(layout)
        for c in try Self.file().cases {
            let want = try #require(c.ids[layout])
            #expect(tok.encode(c.text) == want, "\(layout): case \(c.name)")
        }
    }

    /// `decode` is HF's decode of the same ids, and `decode(encode(s)) == s` wherever HF's is.
    @Test(arguments: layouts) func decodeAsTheLibraryDoes(_ layout: String) throws {
        let tok = try Self.tokenizer(layout)
        var lossless = 0
        for c in try Self.file().cases {
            let ids = try #require(c.ids[layout])
            let want = try #require(c.decoded[layout])
            #expect(tok.decode(ids) == want, "\(layout): case \(c.name)")
            if want == c.text {
                lossless += 1
                #expect(tok.decode(tok.encode(c.text)) == c.text, "\(layout): round trip of \(c.name)")
            }
        }
        #expect(lossless >= 10, "\(layout): only \(lossless) lossless cases")
    }

    @Test func nameAndTokenText() throws {
        let tok = try Self.tokenizer("llama-legacy")
        #expect(tok.name == "SentencePiece BPE (tokenizer.json, byte fallback), 2000 tokens")
        #expect(tok.vocabularySize == 2000)
        let newline = try #require(tok.tokenID("<0x0A>"))
        #expect(tok.tokenText(newline) == "\n")
        let lead = try #require(tok.tokenID("<0xE6>"))
        #expect(tok.tokenText(lead) == "<0xE6>")
        let the = try #require(tok.tokenID("▁the"))
        #expect(tok.tokenText(the) == " the")
        #expect(tok.tokenText(1) == "<s>")
        #expect(tok.tokenText(-1).hasPrefix("<invalid"))
        // Gemma's converter renames the <0x09> piece "\t".
        let gemma = try Self.tokenizer("gemma")
        #expect(gemma.tokenID("<0x09>") == nil)
        #expect(gemma.encode("\t") == [try #require(gemma.tokenID("\t"))])
    }

    @Test func layoutsAreReadAsShipped() throws {
        let legacy = try Self.tokenizer("llama-legacy")
        #expect(legacy.normalizer == [.prepend("▁"), .replace(" ", with: "▁")])
        #expect(legacy.preTokenizer.isEmpty)
        #expect(legacy.fuseUnknown && legacy.unknownTokenID == 0)
        let meta = try Self.tokenizer("llama-metaspace")
        #expect(meta.normalizer.isEmpty)
        #expect(meta.preTokenizer == [.metaspace(replacement: "▁", prependScheme: .first, split: false)])
        #expect(meta.unknownTokenID == nil)
        let gemma = try Self.tokenizer("gemma")
        #expect(gemma.normalizer == [.replace(" ", with: "▁")])
        #expect(gemma.preTokenizer == [.split(" ", .mergedWithPrevious)])
        #expect(gemma.decoder == [.replace("▁", with: " "), .byteFallback, .fuse])
    }

    /// HF `BPE::merge_word` flushes a waiting unknown token before the next known character but
    /// not before byte-fallback tokens; without `fuse_unk` each unknown character is one token.
    @Test func unknownTokensAsTheLibraryPutsThem() throws {
        let fused = try Self.tokenizer("llama-unk"), apart = try Self.tokenizer("llama-unk-nofuse")
        let rocket: [Int32] = [0xF0, 0x9F, 0x9A, 0x80].map { b in
            fused.tokenID("<0x" + String(b, radix: 16, uppercase: true) + ">")!
        }
        let space = try #require(fused.tokenID("▁"))
        // 鬱 and 蒼 are no tokens and their lead byte 0xE9 has no byte token here.
        #expect(fused.encode("鬱🚀蒼") == [space] + rocket + [0])
        #expect(apart.encode("鬱🚀蒼") == [space] + rocket + [0, 0])
    }

    // MARK: errors

    /// The llama-legacy file with one change, loaded from memory.
    static func edited(_ edit: (inout [String: Any]) -> Void) throws -> [String: Any] {
        var json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("llama-legacy.tokenizer.json"))) as! [String: Any]
        edit(&json)
        return json
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        let what: String
        let field: String
        let edit: @Sendable (inout [String: Any]) -> Void
        var testDescription: String { what }
    }

    static let bad: [Bad] = [
        Bad(what: "unknown normalizer", field: "normalizer.normalizers[1].type") { j in
            j["normalizer"] = ["type": "Sequence", "normalizers": [["type": "Prepend", "prepend": "▁"], ["type": "NFKC"]]]
        },
        Bad(what: "Regex Replace", field: "normalizer.pattern.Regex") { j in
            j["normalizer"] = ["type": "Replace", "pattern": ["Regex": " {2,}"], "content": "▁"]
        },
        Bad(what: "missing merges", field: "model.merges") { j in
            var m = j["model"] as! [String: Any]; m["merges"] = nil; j["model"] = m
        },
        Bad(what: "merge of no token", field: "model.merges[0]") { j in
            var m = j["model"] as! [String: Any]; m["merges"] = [["▁", "qqqq"]]; j["model"] = m
        },
        Bad(what: "unk token not in vocab", field: "model.unk_token") { j in
            var m = j["model"] as! [String: Any]; m["unk_token"] = "<nope>"; j["model"] = m
        },
        Bad(what: "dropout", field: "model.dropout") { j in
            var m = j["model"] as! [String: Any]; m["dropout"] = 0.1; j["model"] = m
        },
        Bad(what: "continuing subword prefix", field: "model.continuing_subword_prefix") { j in
            var m = j["model"] as! [String: Any]; m["continuing_subword_prefix"] = "##"; j["model"] = m
        },
        Bad(what: "unknown pre-tokenizer", field: "pre_tokenizer.type") { j in
            j["pre_tokenizer"] = ["type": "Whitespace"]
        },
        Bad(what: "Metaspace scheme", field: "pre_tokenizer.prepend_scheme") { j in
            j["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁", "prepend_scheme": "sometimes", "split": false]
        },
        Bad(what: "Metaspace add_prefix_space false with the default scheme", field: "pre_tokenizer.add_prefix_space") { j in
            j["pre_tokenizer"] = ["type": "Metaspace", "replacement": "▁", "add_prefix_space": false]
        },
        Bad(what: "Metaspace replacement of two characters", field: "pre_tokenizer.pretokenizers[0].replacement") { j in
            j["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "Metaspace", "replacement": "▁▁"]]]
        },
        Bad(what: "Split behavior", field: "pre_tokenizer.behavior") { j in
            j["pre_tokenizer"] = ["type": "Split", "pattern": ["String": " "], "behavior": "merged_with_previous", "invert": false]
        },
        Bad(what: "inverted Split", field: "pre_tokenizer.invert") { j in
            j["pre_tokenizer"] = ["type": "Split", "pattern": ["String": " "], "behavior": "Isolated", "invert": true]
        },
        Bad(what: "unknown decoder", field: "decoder.decoders[0].type") { j in
            j["decoder"] = ["type": "Sequence", "decoders": [["type": "WordPiece"]]]
        },
        Bad(what: "single-word added token", field: "added_tokens[0].single_word") { j in
            var a = j["added_tokens"] as! [[String: Any]]; a[0]["single_word"] = true; j["added_tokens"] = a
        },
    ]

    @Test(arguments: bad) func malformedFileIsAFormatError(_ b: Bad) throws {
        let json = try Self.edited(b.edit)
        do {
            let tok = try TokenizerJSON.load(data: try JSONSerialization.data(withJSONObject: json), file: "spm.json")
            Issue.record("\(b.what): loaded \(tok.name)")
        } catch let e as FormatError {
            #expect(e.file == "spm.json", "\(b.what)")
            #expect(e.field == b.field, "\(b.what): \(e)")
            #expect(!e.found.isEmpty && !e.expected.isEmpty, "\(b.what): \(e)")
        }
    }

    /// Without a decoder, "▁" reads as a space and the one space the Prepend put there is dropped.
    @Test func noDecoderDecodesAsTheUsualOne() throws {
        let json = try Self.edited { $0["decoder"] = NSNull() }
        let tok = try TokenizerJSON.load(data: try JSONSerialization.data(withJSONObject: json), file: "spm.json")
        for s in ["Hello world", "  two spaces\nand a line", "東京 👋"] {
            #expect(tok.decode(tok.encode(s)) == s)
        }
    }
}
