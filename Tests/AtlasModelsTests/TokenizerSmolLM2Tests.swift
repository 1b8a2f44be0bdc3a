import Foundation
import Testing
import AtlasModels
import AtlasTestSupport

/// The GGUF tokenizer arrays of SmolLM2-135M-Instruct.
struct SmolLM2TokenizerArrays: Sendable {
    var tokens: [String]
    var merges: [String]
    var tokenTypes: [Int32]
    var pre: String
}

/// The arrays read from the real SmolLM2 GGUF with our GGUF reader.
func loadSmolLM2Arrays() throws -> SmolLM2TokenizerArrays {
    let file = try GGUFFile(url: Fixtures.smolLM2)
    return SmolLM2TokenizerArrays(
        tokens: try #require(file.metadata["tokenizer.ggml.tokens"]?.strings),
        merges: try #require(file.metadata["tokenizer.ggml.merges"]?.strings),
        tokenTypes: try #require(file.metadata["tokenizer.ggml.token_type"]?.ints).map { Int32($0) },
        pre: try #require(file.metadata["tokenizer.ggml.pre"]?.string))
}

@Suite
struct TokenizerSmolLM2Tests {
    let tok: ByteLevelBPETokenizer
    let cases: [TokenizerFixtureCase]

    init() throws {
        let a = try loadSmolLM2Arrays()
        tok = try ByteLevelBPETokenizer.fromGGUFMetadata(tokens: a.tokens, merges: a.merges, tokenTypes: a.tokenTypes,
                                                         pre: a.pre, file: Fixtures.smolLM2.path)
        cases = try TokenizerFixtureCase.all()
    }

    @Test func referenceIDs() {
        #expect(tok.name == "byte-level BPE (gpt2/smollm pre-tokenizer), 49152 tokens")
        for c in cases {
            let ids = tok.encode(c.text)
            #expect(ids == c.smollm2.ids, "case \(c.name)")
            #expect(ids.map { tok.token($0) ?? "?" } == c.smollm2.tokens, "case \(c.name) tokens")
            #expect(tok.decode(ids) == c.text, "case \(c.name) round trip")
        }
    }

    @Test func controlTokensMatchedWhole() {
        #expect(tok.encode("<|im_start|>user\nHi<|im_end|>") == [1, 4093, 198, 26843, 2])
        #expect(tok.encode("<|endoftext|>") == [0])
        #expect(tok.encode("<repo_name>x") == [3, 104])
        #expect(tok.tokenText(1) == "<|im_start|>")
    }

    /// SmolLM2 has no token for some bytes (0x04, 0x06, 0xC0, 0xF5–0xFF, …); HF's BPE
    /// (no unk token) drops them — ids checked with python `tokenizers` 0.23.3.
    @Test func bytesWithoutATokenAreDropped() {
        #expect(tok.encode("a\u{04}b") == [81, 82])
        #expect(tok.encode("\u{04}") == [])
        #expect(tok.encode("ab\u{06}\u{06}cd") == [369, 13133])
    }

    @Test func llamaCppDigitVariantAgreesOnTheCases() throws {
        let a = try loadSmolLM2Arrays()
        let digits = try ByteLevelBPETokenizer.fromGGUFMetadata(
            tokens: a.tokens, merges: a.merges, tokenTypes: a.tokenTypes, pre: a.pre,
            file: Fixtures.smolLM2.path, isolateDigitsLikeLlamaCpp: true)
        #expect(digits.preTokenizer == .smollmDigitsIsolated)
        for c in cases { #expect(digits.encode(c.text) == c.smollm2.ids, "case \(c.name)") }
    }
}
