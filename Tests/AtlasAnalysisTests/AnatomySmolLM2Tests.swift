import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Foundation
import Testing

/// The real model: SmolLM2-135M's massive dimensions 507 and 247 are born in block 11 at y6
/// (`ffn.down_in`), made by FFN channels 1229 and 1487 through W_down[dim, channel], and carried
/// by the first token of each window (measured with 6 windows of 512 tokens too, see the report).
@Suite struct AnatomySmolLM2Tests {
    @Test func massiveDimensionsAreBornAtY6OfBlock11() throws {
        let options = AnalysisOptions(windowSize: 64, windowCount: 2)
        let result = try ModelAnalysis.run(try SmolLM2.loaded, label: "SmolLM2", text: Fixtures.wikiTextTest, options: options,
                                           taps: Set(TapName.allCases))
        let a = try #require(result.anatomy)
        #expect(a.massiveDimensions.map(\.dim) == [247, 507])
        for d in a.massiveDimensions {
            #expect(d.birthBlock == 11 && d.birthTap == "ffn.down_in" && d.birthTapYIndex == "y6", "dim \(d.dim)")
            let o = try #require(d.origin)
            #expect(o.contributions.prefix(2).map(\.channel) == [1229, 1487], "dim \(d.dim)")
            #expect(o.contributions.prefix(2).allSatisfy { $0.row == d.dim && $0.share > 0.2 })
            #expect(d.tokens.allSatisfy { $0.kind == "first token" || $0.positions.allSatisfy { $0 > 0 } })
            #expect(d.tokens.first?.kind == "first token")
        }
        let down = try #require(a.weights.first { $0.name == "blk.11.ffn_down.weight" })
        #expect(down.absmaxAt == [507, 1487])
        let sinks = try #require(a.attentionSinks)
        #expect(sinks.positions.contains(0))
        // Attention to the massive tokens grows once they exist (block 11 on); with 64-token
        // windows the first token already draws much attention before (0.35 vs 0.59 here;
        // 0.09 vs 0.55 with 512-token windows).
        let before = sinks.layers.filter { $0.block < 11 }.map(\.mean).reduce(0, +) / 11
        let after = sinks.layers.filter { $0.block >= 11 }.map(\.mean).reduce(0, +) / Double(sinks.layers.count - 11)
        #expect(after > before + 0.1, "sink mass \(before) before block 11, \(after) after")
        #expect(a.nonFinite.isEmpty)
    }
}
