import AtlasAnalysis
import AtlasModels
import AtlasResults
import Foundation
import Testing

@Suite struct StatisticsObserverTests {
    /// A fake forward pass: 3 blocks, each tap a small matrix; block 1's ffn.resid carries two
    /// planted massive activations, block 2's one.
    static func run(_ obs: StatisticsObserver, windows: Range<Int>) {
        for w in windows {
            var rng = SeededGenerator(seed: UInt64(100 + w))
            let tokens = (0..<8).map { Int32(w * 10 + $0) }
            obs.beginWindow(index: w, tokens: tokens)
            for block in 0..<3 {
                for tap in [TapName.attnOut, .ffnAct, .ffnResid] where obs.wants(block: block, tap: tap) {
                    var m = Matrix(rows: 8, cols: 6, data: (0..<48).map { _ in Float.random(in: -0.02...0.02, using: &rng) })
                    if tap == .ffnResid && block >= 1 {
                        m[0, 4] = 700 + Float(w)
                        if block == 1 { m[3, 1] = -900 }
                    }
                    obs.observe(block: block, tap: tap, value: m)
                }
            }
        }
    }

    static func text(_ t: Int32) -> String { "t\(t)" }

    @Test func collectsSummariesAndMassiveActivations() throws {
        let obs = StatisticsObserver(taps: [.ffnResid, .ffnAct], topK: 3)
        #expect(!obs.wants(block: 0, tap: .attnOut))
        Self.run(obs, windows: 0..<2)
        let s = obs.summaries(family: .gated, tokenText: Self.text)
        #expect(s.map { "\($0.block)/\($0.tap)/\($0.yIndex ?? "-")" }
                == ["0/ffn.act/y5", "0/ffn.resid/y8", "1/ffn.act/y5", "1/ffn.resid/y8", "2/ffn.act/y5", "2/ffn.resid/y8"])
        let b1 = s[3]
        #expect(b1.elementCount == 2 * 48)
        #expect(b1.maxAbs == 900)
        #expect(b1.massiveCount == 4)
        #expect(b1.top.map(\.value) == [-900, -900, 701])
        #expect(b1.top.map(\.token) == ["t3", "t13", "t10"])
        #expect(b1.channelAbsmax.count == 6 && b1.channelAbsmax[1] == 900)
        #expect(b1.medianAbs > 0 && b1.medianAbs < 0.02)
        #expect(b1.nonFiniteCount == 0)

        let ma = obs.massiveActivations(tokenText: Self.text)
        #expect(ma.map { [$0.layer, $0.window, $0.position, $0.dim] } == [
            [1, 0, 0, 4], [1, 0, 3, 1], [1, 1, 0, 4], [1, 1, 3, 1],
            [2, 0, 0, 4], [2, 1, 0, 4],
        ])
        #expect(ma[0] == LocatedActivation(layer: 1, window: 0, position: 0, dim: 4, value: 700, token: "t0"))
    }

    @Test func mergedShardsEqualOnePassAndEncodeDeterministically() throws {
        let one = StatisticsObserver(taps: [.ffnResid, .attnOut])
        Self.run(one, windows: 0..<4)
        let a = StatisticsObserver(taps: [.ffnResid, .attnOut])
        let b = StatisticsObserver(taps: [.ffnResid, .attnOut])
        Self.run(a, windows: 0..<2)
        Self.run(b, windows: 2..<4)
        b.merge(a)  // merge order does not matter for the exact parts
        #expect(b.massiveActivations(tokenText: Self.text) == one.massiveActivations(tokenText: Self.text))
        let sa = b.summaries(family: .plain, tokenText: Self.text)
        let so = one.summaries(family: .plain, tokenText: Self.text)
        #expect(sa.map(\.top) == so.map(\.top))
        #expect(sa.map(\.medianAbs) == so.map(\.medianAbs))
        #expect(sa.map(\.channelAbsmax) == so.map(\.channelAbsmax))
        #expect(sa.first?.yIndex == nil)  // attn.out has no y-index

        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let bytes1 = try enc.encode(one.state)
        let restored = StatisticsObserver(state: try JSONDecoder().decode(StatisticsObserver.State.self, from: bytes1))
        #expect(restored.state == one.state)
        #expect(try enc.encode(restored.state) == bytes1)
    }
}
