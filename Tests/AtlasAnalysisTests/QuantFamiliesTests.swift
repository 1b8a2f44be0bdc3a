@testable import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Testing

/// Quantization of the plain-MLP families: GPT-2 and OPT decoders in lockstep, the BERT encoder
/// through sentence embeddings.
@Suite struct QuantFamiliesTests {
    static func network(_ name: String) throws -> AnalyzedModel {
        try #require(AnalyzedModel(try HFFolderLoader.network(at: Fixtures.fixture(name))))
    }

    static let sequences: [[Int32]] = {
        var rng = SeededGenerator(seed: 77)
        return (0..<3).map { _ in (0..<24).map { _ in Int32.random(in: 0..<320, using: &rng) } }
    }()

    func decoderResult(_ model: AnalyzedModel, _ spec: String) throws -> SchemeResult {
        let lockstep = QuantLockstep(try PreparedScheme(try QuantSchemeParser.parse(spec), model: model), model: model,
                                     calibration: Self.sequences, tokenStride: 1)
        for (i, w) in Self.sequences.enumerated() { try lockstep.step(tokens: w, window: i) }
        return try lockstep.result()
    }

    @Test(arguments: ["gpt2-tiny", "opt-tiny"])
    func plainDecoders(name: String) throws {
        let model = try Self.network(name)
        #expect(model.linearSites.count == 3 * 6)
        #expect(!model.linearSites.contains { $0.kind == .gate })
        let w8a8 = try decoderResult(model, "W8A8")
        let e = try #require(w8a8.endToEnd)
        #expect(e.klMean > 0 && e.klMean < 0.05, "KL \(e.klMean)")
        #expect(w8a8.layers.map(\.linear) == Array(repeating: ["q", "k", "v", "o", "up", "down"], count: 3).flatMap { $0 })
        #expect(w8a8.layers.allSatisfy { ($0.localSQNR ?? 0) > 15 })
        // Weight-only int8 changes the weights, not the model's shape: biases stay float.
        let prepared = try PreparedScheme(try QuantSchemeParser.parse("W8A16"), model: model)
        let site = LinearSite(block: 1, kind: .up)
        #expect(prepared.quantized.linear(at: site).bias == model.linear(at: site).bias)
        #expect(prepared.quantized.linear(at: site).weight != model.linear(at: site).weight)
    }

    @Test func bertTakesEverySchemeAndComparesEmbeddings() throws {
        let bert = try Self.network("bert-tiny")
        #expect(!bert.family.linearInputsAreResidual && bert.decoder == nil)
        #expect(bert.blocks.inputTap(of: LinearSite(block: 0, kind: .q)) == .attnNorm)
        for (spec, floor) in [("W8A16", 0.999), ("W4A16", 0.9), ("W8A8", 0.99)] {
            let lockstep = QuantLockstep(try PreparedScheme(try QuantSchemeParser.parse(spec), model: bert), model: bert,
                                         calibration: [], tokenStride: 1)
            for s in Self.sequences {
                let float = bert.sentenceEmbedding(tokens: s, observer: lockstep.floatObserver)
                lockstep.compare(tokens: s, floatEmbedding: float.vector)
            }
            let r = try lockstep.result()
            #expect(r.endToEnd == nil)
            let e = try #require(r.embedding)
            #expect(e.sentences == 3 && e.meanCosine > floor && e.meanCosine < 1 && e.worstCosine <= e.meanCosine, "\(spec): \(e)")
            #expect(r.layers.count == 18 && r.layers.allSatisfy { $0.accumulatedSQNR.isFinite })
        }
    }
}
