import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Real SmolLM2-135M against transformers (real-smoke.json): next-token top-5 and the RMS of
/// the residual stream after every block.
@Suite struct SmolLM2SmokeTests {
    struct Smoke: Decodable {
        struct Top: Decodable { var id: Int; var logit: Double }
        struct Prompt: Decodable {
            var ids: [Int32]
            var top5_next: [Top]
            var residual_rms: [Double]
            var residual_absmax: [[Double]]
        }
        struct Model: Decodable { var prompts: [Prompt] }
        var smollm2: Model
    }

    static let smoke: Smoke = try! JSONDecoder().decode(Smoke.self, from: Data(contentsOf: Fixtures.fixture("real-smoke.json")))

    @Test(arguments: 0..<3)
    func topFiveAndResidualsMatchTransformers(prompt index: Int) throws {
        let prompt = Self.smoke.smollm2.prompts[index]
        let model = try SmolLM2.model
        let recorder = TapRecorder()
        let logits = model.forward(tokens: prompt.ids, observer: recorder)
        let last = logits.row(logits.rows - 1)
        let top = last.indices.sorted { last[$0] > last[$1] }.prefix(5)
        #expect(Array(top) == prompt.top5_next.map(\.id))
        for (i, t) in prompt.top5_next.enumerated() {
            #expect(abs(Double(last[t.id]) - t.logit) <= 1e-3, "logit of top-\(i + 1) id \(t.id)")
        }
        let T = prompt.ids.count
        for i in 0...model.config.blockCount {
            let m = try #require(i == 0 ? recorder[0, .attnIn] : recorder[i - 1, .ffnResid])
            let row = m.row(T - 1)
            let rms = (row.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(row.count)).squareRoot()
            let expected = prompt.residual_rms[i]
            #expect(abs(rms - expected) <= 1e-4 * expected, "residual RMS \(i): \(rms) vs \(expected)")
            let absmax = prompt.residual_absmax[i]
            var best = (value: 0.0, position: 0, dim: 0)
            for p in 0..<m.rows { for d in 0..<m.cols where abs(Double(m[p, d])) > best.value { best = (abs(Double(m[p, d])), p, d) } }
            #expect(abs(best.value - absmax[0]) <= 1e-3 * absmax[0], "residual absmax \(i)")
            #expect(best.position == Int(absmax[1]) && best.dim == Int(absmax[2]), "absmax location \(i)")
        }
    }
}
