import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Foundation
import Testing

/// The planted outliers of llama-tiny (../shared/fixtures/README.md, "Planted outliers"): a
/// massive activation at block 1's output, hidden dim 7, position 0, made by W_down[7, 117] of
/// block 1; and gamma channels 3 and 11 of block 0's FFN norm.
@Suite struct AnatomyFixtureTests {
    static let T = 24

    static func model() throws -> LlamaModel {
        try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")))
    }

    static func windows() throws -> [[Int32]] {
        let ref = try SafetensorsFile(url: Fixtures.fixture("llama-tiny-gguf/expected.safetensors"))
        let ids = try ref.int64s("input_ids").map { Int32($0) }
        return [Array(ids[0..<T]), Array(ids[T..<(2 * T)])]
    }

    static func text(_ id: Int32) -> String { "t\(id)" }

    /// Statistics of every tap over both sequences, with `intervention` (if any) in front.
    static func observe(_ model: LlamaModel, _ windows: [[Int32]], intervention: TapObserver? = nil) -> StatisticsObserver {
        let stats = StatisticsObserver(taps: Set(TapName.allCases))
        let observer: TapObserver = intervention.map { TapObservers([$0, stats]) } ?? stats
        for (i, w) in windows.enumerated() {
            stats.beginWindow(index: i, tokens: w)
            _ = model.forward(tokens: w, observer: observer)
        }
        return stats
    }

    static func anatomy() throws -> AnatomyResult {
        let model = try model(), windows = try windows()
        return AnatomyAnalysis.make(model: model, windows: windows, statistics: observe(model, windows), tokenText: text)
    }

    @Test func massiveDimensionIsTracedToTheSuperWeight() throws {
        let a = try Self.anatomy()
        #expect(a.massiveDimensions.map(\.dim) == [7])
        let d = try #require(a.massiveDimensions.first)
        #expect(d.firstBlock == 1)
        #expect(d.blocks == [1, 2])
        #expect(d.firstTap == "ffn.down_out" && d.firstTapYIndex == "y7")
        #expect(d.birthBlock == 1 && d.birthTap == "ffn.down_out" && d.growth > 100)
        #expect(d.hitCount == 4)  // 2 windows × blocks 1, 2
        #expect(abs(abs(d.peak) - 193) < 0.1)
        #expect(abs(d.timeline[1] - 193) < 0.01 && d.timeline[0] < 10)
        #expect(d.tokens == [CarrierToken(token: "t255", kind: "first token", count: 4, positions: [0])])

        let o = try #require(d.origin)
        #expect(o.block == 1 && o.inputTap == "ffn.down_in" && o.inputYIndex == "y6" && o.outputYIndex == "y7")
        #expect(o.position == 0 && o.token == "t255")
        let top = try #require(o.contributions.first)
        #expect(top.channel == 117 && top.row == 7 && top.column == 117)
        #expect(abs(top.weight - -1543.13) < 0.01)
        #expect(top.share > 0.95, "the planted weight makes nearly all of y7[0, 7]: \(top.share)")
        #expect(abs(top.weight) / o.weightRMS > 50)  // the RMS includes the planted weight itself
        #expect(a.tapIndex.contains(TapIndexEntry(tap: "ffn.down_in", yIndex: "y6")))
        #expect(a.tapIndex.contains(TapIndexEntry(tap: "attn.q", yIndex: nil)))
    }

    @Test func gammaChannelsAreChannelOutliersCausedByGamma() throws {
        let a = try Self.anatomy()
        let norm = a.channelOutliers.filter { $0.block == 0 && $0.tap == "ffn.norm" }
        #expect(Set(norm.map(\.channel)).isSuperset(of: [3, 11]))
        for c in [3, 11] {
            let o = try #require(norm.first { $0.channel == c })
            let g = try #require(o.gamma)
            #expect(g.cause == "gamma", "channel \(c): \(g)")
            #expect(g.gammaRatio > 10 && g.inputRatio < 10 && g.rescaling > 5)
            #expect(abs(g.gamma - 19.7169) < 1e-3)
            #expect(o.ratio > 10 && o.yIndex == "y2")
            #expect((o.kurtosis ?? 0) > 0 && (o.tokenFraction ?? 0) > 0)
        }
        let tapRow = try #require(a.tapOutliers.first { $0.block == 0 && $0.tap == "ffn.norm" })
        #expect(tapRow.channels.contains(3) && tapRow.channels.contains(11))
        #expect(abs(tapRow.medianChannelAbsmax - 2.37638) / 2.37638 < 0.2)
        // The massive dim shows up as a channel outlier of the residual stream, flagged as such.
        #expect(a.channelOutliers.contains { $0.block == 1 && $0.tap == "ffn.resid" && $0.channel == 7 && $0.massiveDimension })
    }

    @Test func weightsNormsSinksAndHeatmap() throws {
        let a = try Self.anatomy()
        let down = try #require(a.weights.first { $0.name == "blk.1.ffn_down.weight" })
        #expect(down.absmaxAt == [7, 117] && down.rows == 64 && down.cols == 160)
        #expect(abs(down.absmax - 1543.13) < 0.01 && (down.kurtosis ?? 0) > 1000)
        let norm = try #require(a.norms.first { $0.name == "blk.0.ffn_norm.weight" })
        #expect(Set(norm.top.prefix(2).map(\.channel)) == [3, 11] && norm.maxRatio > 10)
        #expect(a.weights.count == 1 + 3 * 7)  // tied embeddings: no output.weight

        let sinks = try #require(a.attentionSinks)
        #expect(sinks.positions == [0] && !sinks.fallback && sinks.tokens == ["t255"])
        #expect(sinks.layers.map(\.block) == [0, 1, 2] && sinks.layers.allSatisfy { $0.heads.count == 4 })
        #expect(sinks.layers.flatMap(\.heads).allSatisfy { $0 > 0 && $0 <= 1 })

        let h = try #require(a.heatmap)
        #expect(h.tap == "ffn.resid" && h.channels.contains(7) && h.values.count == Self.T)
        let col = try #require(h.channels.firstIndex(of: 7))
        #expect(h.values[0][col] > 150)
        #expect(a.criteria.traceWindow == 0 && a.criteria.outlierFactor == 10 && a.criteria.int8Threshold == 6)
        #expect(a.nonFinite.isEmpty)
    }

    @Test func resultEncodesAndDecodes() throws {
        let a = try Self.anatomy()
        let data = try JSONEncoder().encode(a)
        #expect(try JSONDecoder().decode(AnatomyResult.self, from: data) == a)
    }
}

/// Background accumulation (a second thread) and per-block batches on every core give exactly
/// the statistics of inline accumulation.
@Suite struct StatisticsSchedulingTests {
    @Test(arguments: [StatisticsScheduling.background, .perBlock])
    func everySchedulingEqualsInline(_ scheduling: StatisticsScheduling) throws {
        let model = try AnatomyFixtureTests.model(), windows = try AnatomyFixtureTests.windows()
        let inline = StatisticsObserver(taps: Set(TapName.allCases))
        let other = StatisticsObserver(taps: Set(TapName.allCases), scheduling: scheduling)
        for observer in [inline, other] {
            for (i, w) in windows.enumerated() {
                observer.beginWindow(index: i, tokens: w)
                _ = model.forward(tokens: w, observer: observer)
            }
        }
        let a = inline.state, b = other.state
        #expect(a.accumulators.count == 3 * 17)  // the 17 taps a LLaMA block emits
        #expect(a.accumulators.values.allSatisfy { $0.windowCount == windows.count })
        #expect(a == b)
    }
}
