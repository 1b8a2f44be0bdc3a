import Foundation
import Testing
import AtlasModels
import AtlasTestSupport

/// Throughput on WikiText-2 test (~1.3 MB). Opt-in, meant for release builds:
/// `ATLAS_TOKENIZER_SPEED=1 swift test -c release --filter TokenizerSpeed`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["ATLAS_TOKENIZER_SPEED"] != nil,
                "set ATLAS_TOKENIZER_SPEED=1 (and use -c release)"))
struct TokenizerSpeedTests {
    @Test func wikiText2Test() throws {
        let text = try String(contentsOf: Fixtures.wikiTextTest, encoding: .utf8)
        var tokenizers: [(any Tokenizer, roundTrips: Bool)] = [
            (try TokenizerJSON.load(url: Fixtures.fixture("llama-tiny/tokenizer.json")), true),
            (try TokenizerJSON.load(url: Fixtures.miniLM.appendingPathComponent("tokenizer.json")), false),
        ]
        if let a = try loadSmolLM2Arrays() {
            tokenizers.append((try ByteLevelBPETokenizer.fromGGUFMetadata(
                tokens: a.tokens, merges: a.merges, tokenTypes: a.tokenTypes, pre: a.pre, file: "SmolLM2"), true))
        }
        let mb = Double(text.utf8.count) / 1e6
        for (tok, roundTrips) in tokenizers {
            let clock = ContinuousClock()
            var ids: [Int32] = []
            let whole = clock.measure { ids = tok.encode(text) }
            // Per line, warm cache: how a corpus loop calls it.
            var count = 0
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let perLine = clock.measure { for l in lines { count += tok.encode(l).count } }
            print("\(tok.name): \(String(format: "%.2f", mb)) MB → \(ids.count) ids in \(whole) (whole text, cold cache), \(perLine) (per line, warm)")
            #expect(ids.count > 100_000)
            if roundTrips { #expect(tok.decode(ids) == text, "\(tok.name) round trip") }
        }
    }
}
