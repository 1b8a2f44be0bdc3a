import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Foundation
import Testing

/// The same anatomy on every decoder fixture loaded from its Hugging Face folder: the planted
/// massive activation (block 1, dim 7, position 0) is traced to the planted down-projection
/// entry [7, channel] (fixtures README, "Planted outliers"), and the gamma-made channel
/// outliers 3 and 11 of block 0's FFN norm are attributed to gamma, for SwiGLU (y6) and GELU (y4).
@Suite struct AnatomyFamiliesTests {
    struct Case: CustomStringConvertible, Sendable {
        let folder: String, channel: Int, weight: Double, inputY: String
        var description: String { folder }
    }

    static let cases = [
        Case(folder: "qwen2-tiny", channel: 1, weight: -3832.56, inputY: "y6"),
        Case(folder: "gpt2-tiny", channel: 172, weight: 246.415, inputY: "y4"),
        Case(folder: "opt-tiny", channel: 98, weight: 287.799, inputY: "y4"),
    ]

    @Test(arguments: cases) func plantedOutliersAreTraced(_ c: Case) throws {
        let model = try #require(try HFFolderLoader.network(at: Fixtures.fixture(c.folder)) as? any DecoderModel)
        let ref = try SafetensorsFile(url: Fixtures.fixture("\(c.folder)/expected.safetensors"))
        let ids = try ref.int64s("input_ids").map { Int32($0) }
        let windows = [Array(ids[0..<24]), Array(ids[24..<48])]
        let stats = StatisticsObserver(taps: Set(TapName.allCases))
        for (i, w) in windows.enumerated() {
            stats.beginWindow(index: i, tokens: w)
            _ = model.forward(tokens: w, observer: stats)
        }
        let text: (Int32) -> String = { "t\($0)" }
        let a = AnatomyAnalysis.make(model: model, windows: windows, statistics: stats, tokenText: text)
        let d = try #require(a.massiveDimensions.first { $0.dim == 7 })
        #expect(a.massiveDimensions.count == 1)
        #expect(d.firstBlock == 1 && d.birthBlock == 1)
        let o = try #require(d.origin)
        #expect(o.inputTap == "ffn.down_in" && o.inputYIndex == c.inputY)
        let top = try #require(o.contributions.first)
        #expect(top.channel == c.channel && top.row == 7 && top.column == c.channel)
        #expect(abs(top.weight - c.weight) < 1e-2 * abs(c.weight))
        #expect(top.share > 0.5, "\(c.folder): \(top.share)")
        for ch in [3, 11] {
            let outlier = try #require(a.channelOutliers.first { $0.block == 0 && $0.tap == "ffn.norm" && $0.channel == ch })
            #expect(outlier.gamma?.cause == "gamma", "\(c.folder) channel \(ch): \(String(describing: outlier.gamma))")
        }
        let down = try #require(a.weights.first { $0.name == "blk.1.ffn_down.weight" })
        #expect(down.absmaxAt == [7, c.channel])
    }
}
