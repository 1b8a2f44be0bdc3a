import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Foundation
import Testing

/// An intervention that writes NaN into one entry of one tap: non-finite values must be counted
/// and located (block, tap, token), must not crash the anatomy, and must not poison the other
/// statistics.
@Suite struct AnatomyNonFiniteTests {
    final class InjectNaN: TapObserver {
        let block: Int, tap: TapName, row: Int, col: Int
        init(block: Int, tap: TapName, row: Int, col: Int) { self.block = block; self.tap = tap; self.row = row; self.col = col }
        func wants(block: Int, tap: TapName) -> Bool { false }
        func observe(block: Int, tap: TapName, value: Matrix) {}
        func rewrites(block: Int, tap: TapName) -> Bool { block == self.block && tap == self.tap }
        func rewrite(block: Int, tap: TapName, value: inout Matrix) { value[row, col] = .nan }
    }

    @Test func nanInTheLastBlockIsLocatedAndLeavesTheRestIntact() throws {
        let model = try AnatomyFixtureTests.model(), windows = try AnatomyFixtureTests.windows()
        let clean = AnatomyFixtureTests.observe(model, windows)
        let dirty = AnatomyFixtureTests.observe(model, windows, intervention: InjectNaN(block: 2, tap: .ffnDownOut, row: 5, col: 3))
        let key = TapKey(block: 2, tap: .ffnDownOut)
        let c = try #require(clean.accumulators[key]), d = try #require(dirty.accumulators[key])
        #expect(d.nonFiniteCount == 2 && c.nonFiniteCount == 0)  // one per window
        #expect(d.elementCount == c.elementCount)
        #expect(d.histogram.total == c.histogram.total - 2)
        #expect(d.moments.count[3] == c.moments.count[3] - 2)
        for ch in 0..<64 where ch != 3 {
            #expect(d.moments.sum[ch] == c.moments.sum[ch] && d.moments.sumFourth[ch] == c.moments.sumFourth[ch])
            #expect(d.moments.absmax[ch] == c.moments.absmax[ch])
        }
        #expect(d.moments.kurtosis(3).isFinite && d.moments.maxAbs.isFinite)
        #expect(d.windowMedians.allSatisfy { $0.medianAbs.isFinite })
        #expect(d.top.entries.allSatisfy { $0.value.isFinite })

        let a = AnatomyAnalysis.make(model: model, windows: windows, statistics: dirty, tokenText: AnatomyFixtureTests.text)
        #expect(a.nonFinite.map { "\($0.block) \($0.tap) \($0.count)" } == ["2 ffn.down_out 2", "2 ffn.resid 2"])
        let report = try #require(a.nonFinite.first)
        let tokens = windows.map { AnatomyFixtureTests.text($0[5]) }
        #expect(report.samples == (0..<2).map {
            LocatedActivation(window: $0, position: 5, dim: 3, value: "nan", token: tokens[$0])
        })
        // The massive dimension and its origin are unaffected.
        #expect(a.massiveDimensions.map(\.dim) == [7])
        #expect(a.massiveDimensions.first?.origin?.contributions.first?.channel == 117)
        let summary = dirty.summaries(family: .gated, tokenText: AnatomyFixtureTests.text)
        let row = try #require(summary.first { $0.block == 2 && $0.tap == "ffn.resid" })
        #expect(row.maxAbs.isFinite && row.medianAbs.isFinite && row.nonFiniteCount == 2)
    }

    @Test func nanThatSpreadsThroughTheNetworkDoesNotCrash() throws {
        let model = try AnatomyFixtureTests.model(), windows = try AnatomyFixtureTests.windows()
        let dirty = AnatomyFixtureTests.observe(model, windows, intervention: InjectNaN(block: 0, tap: .attnOut, row: 5, col: 0))
        let a = AnatomyAnalysis.make(model: model, windows: windows, statistics: dirty, tokenText: AnatomyFixtureTests.text)
        let first = try #require(a.nonFinite.first)
        #expect(first.block == 0 && first.tap == "attn.out" && first.count == 2)
        #expect(first.samples.map(\.position) == [5, 5])
        // Downstream, whole rows turn NaN; every report keeps at most 16 located samples.
        #expect(a.nonFinite.count > 10 && a.nonFinite.allSatisfy { $0.samples.count <= 16 && $0.count >= $0.samples.count })
        let data = try ResultsCoding.encode(RunResult(
            provenance: Provenance(toolVersion: "t", modelLabel: "m", modelFile: "f", modelSHA256: "", modelFormat: "gguf",
                                   dataFile: "d", dataSHA256: "", textMode: "raw", tokenizer: "t", bos: false, windowSize: 24,
                                   windowCount: 2, criterion: MassiveCriterion(), generatedAt: nil),
            model: ModelSummary(label: "m", architecture: "llama", blockCount: 3, hiddenSize: 64, ffnSize: 160, headCount: 4,
                                kvHeadCount: 2, vocabSize: 320, parameterCount: 0),
            perplexity: nil, taps: dirty.summaries(family: .gated, tokenText: AnatomyFixtureTests.text), massiveActivations: []))
        #expect(!data.isEmpty)
    }
}
