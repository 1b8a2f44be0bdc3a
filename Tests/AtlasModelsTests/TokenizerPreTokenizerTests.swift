import Testing
import AtlasModels

/// The hand-written scanners against the split regexes (expected pieces produced by
/// Python `regex` with the exact GPT-2 / Qwen2 / Llama 3 patterns).
@Suite struct TokenizerPreTokenizerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let what: String
        let text: String
        let gpt2: [String]
        let qwen2: [String]
        let llama3: [String]
        var testDescription: String { what }
    }

    static let cases: [Case] = [
        Case(what: "whitespace before a word keeps its last space", text: "a   b",
             gpt2: ["a", "  ", " b"],
             qwen2: ["a", "  ", " b"],
             llama3: ["a", "  ", " b"]),
        Case(what: "trailing whitespace is one piece (\\s+(?!\\S))", text: "trailing  ",
             gpt2: ["trailing", "  "],
             qwen2: ["trailing", "  "],
             llama3: ["trailing", "  "]),
        Case(what: "newlines before a word", text: "a\n\nb",
             gpt2: ["a", "\n", "\n", "b"],
             qwen2: ["a", "\n\n", "b"],
             llama3: ["a", "\n\n", "b"]),
        Case(what: "space then tab before a word", text: "a \tb",
             gpt2: ["a", " ", "\t", "b"],
             qwen2: ["a", " ", "\tb"],
             llama3: ["a", " ", "\tb"]),
        Case(what: "whitespace run ending in newline", text: "  \n  x",
             gpt2: ["  \n ", " x"],
             qwen2: ["  \n", " ", " x"],
             llama3: ["  \n", " ", " x"]),
        Case(what: "contractions", text: "don't I'll we're they've",
             gpt2: ["don", "'t", " I", "'ll", " we", "'re", " they", "'ve"],
             qwen2: ["don", "'t", " I", "'ll", " we", "'re", " they", "'ve"],
             llama3: ["don", "'t", " I", "'ll", " we", "'re", " they", "'ve"]),
        Case(what: "upper-case contractions", text: "DON'T YOU'RE",
             gpt2: ["DON", "'", "T", " YOU", "'", "RE"],
             qwen2: ["DON", "'T", " YOU", "'RE"],
             llama3: ["DON", "'T", " YOU", "'RE"]),
        Case(what: "contraction only at piece start", text: " 's",
             gpt2: [" '", "s"],
             qwen2: [" '", "s"],
             llama3: [" '", "s"]),
        Case(what: "digits", text: "x 12345 y",
             gpt2: ["x", " 12345", " y"],
             qwen2: ["x", " ", "1", "2", "3", "4", "5", " y"],
             llama3: ["x", " ", "123", "45", " y"]),
        Case(what: "CJK", text: "\u{65E5}\u{672C}\u{8A9E}\u{306E}\u{30C6}\u{30AD}\u{30B9}\u{30C8}",
             gpt2: ["\u{65E5}\u{672C}\u{8A9E}\u{306E}\u{30C6}\u{30AD}\u{30B9}\u{30C8}"],
             qwen2: ["\u{65E5}\u{672C}\u{8A9E}\u{306E}\u{30C6}\u{30AD}\u{30B9}\u{30C8}"],
             llama3: ["\u{65E5}\u{672C}\u{8A9E}\u{306E}\u{30C6}\u{30AD}\u{30B9}\u{30C8}"]),
        Case(what: "CJK punctuation", text: "\u{4E2D}\u{6587}\u{FF0C}\u{4E16}\u{754C}\u{FF01}",
             gpt2: ["\u{4E2D}\u{6587}", "\u{FF0C}", "\u{4E16}\u{754C}", "\u{FF01}"],
             qwen2: ["\u{4E2D}\u{6587}", "\u{FF0C}\u{4E16}\u{754C}", "\u{FF01}"],
             llama3: ["\u{4E2D}\u{6587}", "\u{FF0C}\u{4E16}\u{754C}", "\u{FF01}"]),
        Case(what: "emoji", text: "Emoji: \u{1F600}\u{1F44D}\u{1F3FD}\u{1F389}",
             gpt2: ["Emoji", ":", " \u{1F600}\u{1F44D}\u{1F3FD}\u{1F389}"],
             qwen2: ["Emoji", ":", " \u{1F600}\u{1F44D}\u{1F3FD}\u{1F389}"],
             llama3: ["Emoji", ":", " \u{1F600}\u{1F44D}\u{1F3FD}\u{1F389}"]),
        Case(what: "combining accents (NFD)", text: "e\u{301}te\u{301}",
             gpt2: ["e", "\u{301}", "te", "\u{301}"],
             qwen2: ["e", "\u{301}te", "\u{301}"],
             llama3: ["e", "\u{301}te", "\u{301}"]),
        Case(what: "punctuation then word", text: ".word (x)",
             gpt2: [".", "word", " (", "x", ")"],
             qwen2: [".word", " (", "x", ")"],
             llama3: [".word", " (", "x", ")"]),
        Case(what: "punctuation then newlines", text: "!!!\n\nok",
             gpt2: ["!!!", "\n", "\n", "ok"],
             qwen2: ["!!!\n\n", "ok"],
             llama3: ["!!!\n\n", "ok"]),
        Case(what: "Unicode spaces", text: "\u{3000}x  \u{A0}y",
             gpt2: ["\u{3000}", "x", "  ", "\u{A0}", "y"],
             qwen2: ["\u{3000}x", "  ", "\u{A0}y"],
             llama3: ["\u{3000}x", "  ", "\u{A0}y"]),
        Case(what: "math", text: "x\u{B2} + y\u{B2} \u{2248} \u{3C0}",
             gpt2: ["x", "\u{B2}", " +", " y", "\u{B2}", " \u{2248}", " \u{3C0}"],
             qwen2: ["x", "\u{B2}", " +", " y", "\u{B2}", " \u{2248}", " \u{3C0}"],
             llama3: ["x", "\u{B2}", " +", " y", "\u{B2}", " \u{2248}", " \u{3C0}"]),
        Case(what: "empty", text: "",
             gpt2: [],
             qwen2: [],
             llama3: []),
    ]

    @Test(arguments: cases) func matchesRegex(_ c: Case) {
        #expect(PreTokenizer.gpt2.split(c.text) == c.gpt2, "gpt2: \(c.what)")
        #expect(PreTokenizer.smollm.split(c.text) == c.gpt2, "smollm: \(c.what)")
        #expect(PreTokenizer.qwen2.split(c.text) == c.qwen2, "qwen2: \(c.what)")
        #expect(PreTokenizer.llama3.split(c.text) == c.llama3, "llama3: \(c.what)")
    }

    @Test func llamaCppSmolLMIsolatesEveryDigit() {
        #expect(PreTokenizer.smollmDigitsIsolated.split("a 123 b4") == ["a", " ", "1", "2", "3", " b", "4"])
        #expect(PreTokenizer.smollmDigitsIsolated.split("x² 2024") == ["x", "\u{B2}", " ", "2", "0", "2", "4"])
    }

    @Test func piecesCoverTheText() {
        let text = "Mixed  text\r\n with 123 numbers, 'quotes' and \u{1F600}\t\n\n  end  "
        for p in PreTokenizer.allCases { #expect(p.split(text).joined() == text, "\(p)") }
    }
}
