import Foundation
import Testing
import AtlasModels
import AtlasTestSupport

/// Exact ids against the reference tokenizers, for every case of tokenizer-cases.json.
@Suite struct TokenizerReferenceIDTests {
    let cases: [TokenizerFixtureCase]
    init() throws { cases = try TokenizerFixtureCase.all() }

    @Test func fortyCases() { #expect(cases.count == 40) }

    @Test func llamaTinyFromTokenizerJSON() throws {
        let tok = try TokenizerJSON.load(url: Fixtures.fixture("llama-tiny/tokenizer.json"))
        #expect(tok.vocabularySize == 320)
        let bpe = try #require(tok as? ByteLevelBPETokenizer)
        for c in cases {
            let ids = tok.encode(c.text)
            #expect(ids == c.llama_tiny.ids, "case \(c.name)")
            #expect(ids.map { bpe.token($0) ?? "?" } == c.llama_tiny.tokens, "case \(c.name) tokens")
        }
    }

    @Test func miniLMFromTokenizerJSON() throws {
        let tok = try TokenizerJSON.load(url: Fixtures.miniLM.appendingPathComponent("tokenizer.json"))
        #expect(tok.vocabularySize == 30522)
        #expect(tok is WordPieceTokenizer)
        for c in cases {
            let ids = tok.encode(c.text)
            #expect(ids == c.minilm.ids, "case \(c.name)")
            #expect(ids.map(tok.tokenText) == c.minilm.tokens, "case \(c.name) tokens")
        }
    }

    @Test func miniLMFromVocabTxt() throws {
        let tok = try WordPieceTokenizer.fromVocabTxt(url: Fixtures.miniLM.appendingPathComponent("vocab.txt"))
        #expect(tok.vocabularySize == 30522)
        for c in cases {
            #expect(tok.encode(c.text) == c.minilm.ids, "case \(c.name)")
            #expect(tok.encode(c.text, addSpecialTokens: false) == Array(c.minilm.ids.dropFirst().dropLast()),
                    "case \(c.name) without [CLS]/[SEP]")
        }
    }

    @Test func miniLMSpecialTokensMatchedWhole() throws {
        let tok = try WordPieceTokenizer.fromVocabTxt(url: Fixtures.miniLM.appendingPathComponent("vocab.txt"))
        #expect(tok.encode("a [MASK] b", addSpecialTokens: false) == [1037, 103, 1038])
        #expect(tok.decode(tok.encode("Hello, world!")) == "hello, world!")
    }

    @Test func byteLevelRoundTrip() throws {
        let tok = try TokenizerJSON.load(url: Fixtures.fixture("llama-tiny/tokenizer.json"))
        for c in cases {
            let ids = tok.encode(c.text)
            #expect(tok.decode(ids) == c.text, "case \(c.name)")
            // tokenText of the pieces concatenated is the text wherever each piece is valid UTF-8.
            let pieces = ids.map(tok.tokenText)
            if !pieces.contains(where: { $0.contains("<0x") }) {
                #expect(pieces.joined() == c.text, "case \(c.name) tokenText")
            }
        }
        #expect(tok.tokenText(32) == " ")
        #expect(tok.tokenText(10) == "\n")
        #expect(tok.tokenText(0xE6) == "<0xE6>")
        #expect(tok.tokenText(319) == "<|endoftext|>")
        #expect(tok.encode("x<|endoftext|>y") == [120, 319, 121])
        #expect(tok.name == "byte-level BPE (gpt2 pre-tokenizer), 320 tokens")
    }
}
