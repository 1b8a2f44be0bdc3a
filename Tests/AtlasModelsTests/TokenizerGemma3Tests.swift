import Foundation
import Testing
import AtlasModels
import AtlasTestSupport

/// The SentencePiece tokenizer of the real Gemma-3-270m GGUF against the ids of
/// scripts/reference/spm_reference.py (sentencepiece itself, pieces cut as llama.cpp cuts them).
@Suite struct TokenizerGemma3Tests {
    let cases: [SentencePieceReferenceCase]
    init() throws { cases = try SentencePieceReferenceCase.all() }

    @Test func loadsAsSentencePiece() throws {
        let tok = try Gemma3.tokenizer
        #expect(tok.vocabularySize == 262144)
        #expect(tok.name == "SentencePiece BPE (llama.cpp SPM), 262144 tokens")
        #expect(!tok.addSpacePrefix && tok.parseSpecial && tok.unknownTokenID == 3)
        #expect(tok.tokenType(105) == .control && tok.tokenType(138) == .userDefined && tok.tokenType(248) == .byte)
    }

    @Test func referenceIDs() throws {
        let tok = try Gemma3.tokenizer
        #expect(cases.count == 39)
        for c in cases { #expect(tok.encode(c.text) == c.ids, "case \(c.name)") }
    }

    /// Lossless except for a "▁" written in the text, which reads back as a space (SPM escapes
    /// spaces to it; with byte fallback every other character comes back).
    @Test func decodeRestoresTheText() throws {
        let tok = try Gemma3.tokenizer
        for c in cases where !c.text.contains("\u{2581}") {
            #expect(tok.decode(tok.encode(c.text)) == c.text, "case \(c.name)")
        }
        #expect(tok.decode(tok.encode("a▁b")) == "a b")
    }

    /// Where plain sentencepiece differs, it is over the tokens llama.cpp matches whole first:
    /// runs of spaces (user-defined "  "… that sentencepiece no longer sees once spaces are "▁")
    /// and control tokens written in the text (llama.cpp parse_special).
    @Test func plainSentencePieceDiffersOnlyAtSpecialTokens() {
        let differing = cases.filter { $0.sentencepiece_ids != nil }.map(\.name)
        #expect(differing == ["two_spaces", "many_spaces", "forty_spaces", "only_spaces", "space_newline_mix",
                              "code_python", "chat_turn", "control_text"])
        for c in cases where c.sentencepiece_ids != nil {
            #expect(c.text.contains("  ") || c.text.contains("<bos>") || c.text.contains("<start_of_turn>"), "case \(c.name)")
        }
    }

    @Test func specialTokensMatchedWhole() throws {
        let tok = try Gemma3.tokenizer
        #expect(tok.encode("<start_of_turn>user\n") == [105, 2364, 107])
        #expect(tok.encode("<table>") == [168])
        #expect(tok.encode("\t\t") == [255969])
        #expect(tok.encode("  ") == [138])
        #expect(tok.tokenText(105) == "<start_of_turn>")
        #expect(tok.tokenText(138) == "  ")
        #expect(tok.tokenText(248) == "\n")     // <0x0A>
        #expect(tok.tokenText(238 + 0xE6) == "<0xE6>")
        #expect(tok.token(236743) == "\u{2581}" && tok.tokenText(236743) == " ")
    }

    /// With parse_special = false (llama.cpp's default for plain text) control tokens written in
    /// the text are spelled in ordinary pieces; user-defined ones ("\n") are still matched whole.
    @Test func controlTokensAsTextWithoutParseSpecial() throws {
        let file = try Gemma3.file
        let tok = try SentencePieceTokenizer.fromGGUFMetadata(file.metadata, file: file.url.path, parseSpecial: false)
        let ids = tok.encode("<start_of_turn>user\n")
        #expect(!ids.contains(105) && ids.last == 107 && ids.count > 3)
        #expect(tok.decode(ids) == "<start_of_turn>user\n")
        let plain = try #require(cases.first { $0.name == "plain_english" })
        #expect(tok.encode(plain.text) == plain.ids)
    }
}
