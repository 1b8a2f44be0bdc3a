import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// The real Gemma-3-270m (Q4_K_M GGUF) against an independent numpy forward of the same
/// dequantized weights (scripts/reference/gemma3_reference.py, output committed as
/// gemma3-270m-expected.json): top-5 next-token ids and logits at every position, and the
/// largest |x| of every block output (the massive activations: ~4·10⁴ on the BOS token). The
/// second sequence (520 tokens) is longer than the 512-token sliding window of the local layers.
@Suite struct Gemma3GGUFTests {
    struct Expected: Decodable {
        struct BlockMax: Decodable { var block: Int; var max_abs: Double; var position: Int; var dim: Int; var value: Double }
        struct Sequence: Decodable {
            var ids: [Int32]
            var top5_ids: [[Int]]
            var top5_logits: [[Double]]
            var logsumexp: [Double]
            var mean_nll: Double
            var block_max: [BlockMax]
        }
        var norm_offset: Double
        var sequences: [Sequence]
    }

    static let expected = Result {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Fixtures.repoRoot.appendingPathComponent("scripts/reference/gemma3-270m-expected.json")))
    }

    @Test func configFromMetadata() throws {
        let m = try Gemma3.model
        #expect(m.family == .gemma3 && m.config.headDim == 256 && m.config.kvHeadCount == 1 && m.config.tiedEmbeddings)
        #expect(m.config.slidingWindow == 512 && m.config.globalEvery == 6 && m.config.localRopeTheta == 10_000)
        #expect((0..<18).filter { !m.config.isLocal(block: $0) } == [5, 11, 17])
        #expect(m.blocks[0].attention.rope?.theta == 10_000 && m.blocks[5].attention.rope?.theta == 1_000_000)
        #expect(m.blocks[0].attention.window == 512 && m.blocks[5].attention.window == nil)
        #expect(m.blocks[0].attnPostNorm != nil && m.blocks[0].attention.qNorm?.gamma.count == 256)
    }

    @Test(arguments: 0..<2)
    func logitsAndMassiveActivationsMatchTheReference(sequence index: Int) throws {
        let e = try Self.expected.get()
        #expect(e.norm_offset == 0, "the reference must use the stored norm weights as the multiplier")
        let s = e.sequences[index]
        let m = try Gemma3.model
        let recorder = TapRecorder()
        let logits = m.forward(tokens: s.ids, observer: recorder)
        var worst = 0.0, flips = 0, nll = 0.0
        for t in 0..<s.ids.count {
            let row = logits.row(t)
            let top = row.indices.sorted { row[$0] > row[$1] }.prefix(5)
            if Array(top) != s.top5_ids[t] { flips += 1 }
            for (j, id) in s.top5_ids[t].enumerated() { worst = max(worst, abs(Double(row[id]) - s.top5_logits[t][j])) }
            if t + 1 < s.ids.count {
                let mx = Double(row.max()!)
                let lse = mx + log(row.reduce(0.0) { $0 + exp(Double($1) - mx) })
                #expect(abs(lse - s.logsumexp[t]) <= 2e-3, "position \(t): logsumexp \(lse) vs \(s.logsumexp[t])")
                nll += lse - Double(row[Int(s.ids[t + 1])])
            }
        }
        #expect(worst <= 2e-3, "largest top-5 logit difference \(worst)")
        #expect(flips == 0, "\(flips) positions with another top-5 order")
        #expect(abs(nll / Double(s.ids.count - 1) - s.mean_nll) <= 1e-4)
        for b in s.block_max {
            let x = try #require(recorder[b.block, .ffnResid])
            let i = x.data.indices.max { abs(x.data[$0]) < abs(x.data[$1]) }!
            #expect(i / x.cols == b.position && i % x.cols == b.dim, "block \(b.block): (\(i / x.cols), \(i % x.cols))")
            #expect(abs(Double(x.data[i]) - b.value) <= 1e-4 * b.max_abs, "block \(b.block): \(x.data[i]) vs \(b.value)")
        }
    }
}
