import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// The parity page of a model with a second checkpoint: the finding sentence, the tables and
/// images, escaping of hostile labels and tokens, and no page without pairs.
@Suite struct ParityPageTests {
    static func pair(label: String, blocks: Int, divergeAt: Int?) -> PairResult {
        let taps = ["attn.q", "ffn.down_in", "ffn.resid"]
        var rows: [TapParity] = []
        for b in 0..<blocks {
            for (i, t) in taps.enumerated() {
                let sqnr = divergeAt.map { b >= $0 && i == 1 ? 12.0 : 35.0 - Double(b) } ?? 40
                rows.append(TapParity(block: b, tap: t, sqnrDB: sqnr, meanCosine: 0.99, worstCosine: 0.9, maxAbsDelta: 0.5, maxAbs: 10))
            }
        }
        let ppl = PerplexityResult(allPositions: 20, secondHalf: 18, scoredTokensAll: 100, scoredTokensSecondHalf: 50)
        let massive = (0..<blocks).map { b in
            MassiveParity(block: b, reference: [LocatedActivation(window: 0, position: 0, dim: 7, value: -400, token: SampleResults.hostileLabel)],
                          atReference: [-376], own: [LocatedActivation(window: 0, position: 0, dim: 7, value: -376, token: "x")])
        }
        let first = divergeAt.map { TapLocation(block: $0, tap: "ffn.down_in") }
        return PairResult(label: label, file: "b.gguf", sha256: "c", format: "gguf", windowCount: 2, tokenStride: 8, divergenceDB: 20,
                          endToEnd: EndToEndError(perplexity: ppl, floatPerplexity: ppl, klMean: 0.0321, top1Agreement: 0.9,
                                                  meanAbsDeltaTrueTokenProbability: 0.01, positions: 100),
                          taps: rows, blockOutputs: (0..<blocks).map { BlockOutputParity(block: $0, tap: "ffn.resid", channelMaxAbsDelta: (0..<64).map { Float($0 + 1) / 10 }) },
                          lens: (0..<blocks).map { BlockLensParity(block: $0, klMean: [0.001, 0.02, 0.015, 0.0321][$0 % 4], top1Agreement: 0.9, positions: 24) },
                          linears: [LinearParity(block: 0, linear: "q", typeA: "F32", typeB: "Q4_K", weightSQNR: 21.5)],
                          massive: massive, firstDivergence: first, notes: ["RoPE base 10000.0 vs 100000.0"])
    }

    @Test func pageHasTheFindingTablesAndImages() throws {
        var a = SampleResults.result(label: "SmolLM2", layers: 4)
        a.pairs = [Self.pair(label: SampleResults.hostileLabel, blocks: 4, divergeAt: 2)]
        let files = try SampleResults.site([a, SampleResults.result(label: "plain", layers: 2)])
        let page = try #require(files.first { $0.key.hasSuffix("/parity.html") })
        let html = String(decoding: page.value, as: UTF8.self)
        #expect(files.keys.filter { $0.hasSuffix("/parity.html") }.count == 1)
        #expect(html.contains("diverges first at block 2 ffn.down_in (SQNR 12.00 dB &lt; 20 dB), where the largest block-output activation is 6.000 % smaller."))
        #expect(!html.contains("<script>alert(1)</script>") && html.contains("&lt;script&gt;"))
        #expect(html.contains("Q4_K") && html.contains("21.50 dB") && html.contains("0.03210") && html.contains("RoPE base 10000.0 vs 100000.0"))
        // Lens KL 0.001, 0.02, 0.015, 0.0321: contributions 0.001, 0.019, −0.005, 0.0171.
        #expect(html.contains("grows most at block 1 (+0.01900 nats of 0.03210 at the last block)."))
        for name in ["parity-0-blocks", "parity-0-kl", "parity-0-delta", "parity-0-colorbar"] {
            let image = try #require(files.first { $0.key.hasSuffix("/\(name).png") })
            #expect(image.value.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            #expect(html.contains("\(name).png"))
        }
    }

    @Test func klContributionsAreTheGrowthOfTheLensKL() {
        let p = Self.pair(label: "B", blocks: 4, divergeAt: nil)
        let c = p.klContributions
        #expect(c.map(\.block) == [0, 1, 2, 3])
        for (got, want) in zip(c.map(\.kl), [0.001, 0.019, -0.005, 0.0171]) { #expect(abs(got - want) < 1e-12) }
        var none = p
        none.lens = nil
        #expect(none.klContributions.isEmpty && PairFinding.klSentence(none) == nil)
        none.lens = (0..<2).map { BlockLensParity(block: $0, klMean: 0, top1Agreement: 1, positions: 8) }
        #expect(PairFinding.klSentence(none) == "The logit-lens KL is 0 at every block: both checkpoints predict the same at every block output.")
    }

    @Test func findingWithoutDivergence() {
        #expect(PairFinding.sentence(Self.pair(label: "B", blocks: 2, divergeAt: nil)) == "B stays above 20 dB at every tap; the lowest is block 0 attn.q at 40.00 dB.")
        var exact = Self.pair(label: "B", blocks: 2, divergeAt: nil)
        exact.taps = exact.taps.map { var t = $0; t.sqnrDB = .infinity; return t }
        #expect(PairFinding.sentence(exact) == "B gives identical activations at every compared tap.")
    }
}
