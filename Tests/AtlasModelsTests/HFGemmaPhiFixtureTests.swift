import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

/// Gemma 2, Gemma 3 and Phi-3 from their Hugging Face folders (Tests/Fixtures/*-tiny, made by
/// scripts/reference/make_family_fixtures.py): the settings each config gives, the split of fused
/// weights, the planted massive activation. Every tap against transformers' tensors is checked
/// with the other families in HFFamilyFixtureTests.
@Suite struct HFGemmaPhiFixtureTests {
    static let folders = HFFamilyFixtureTests.repoFolders

    static func run(_ folder: String) throws -> HFFixtureRun { try HFFamilyFixtureTests.run(folder) }

    static func model(_ folder: String) throws -> LlamaModel {
        try #require(try HFFolderLoader.network(at: Fixtures.repoFixture(folder)) as? LlamaModel)
    }

    @Test func gemma3SettingsComeFromItsConfig() throws {
        let m = try Self.model("gemma3-tiny")
        #expect(m.family == .gemma3 && m.config.architecture == "gemma3_text")
        #expect(m.config.slidingWindow == 8 && m.config.globalEvery == 3)
        #expect(m.config.ropeTheta == 1_000_000 && m.config.localRopeTheta == 10_000)
        #expect(m.config.attentionScale == 1 / Float(24).squareRoot() && m.config.attentionSoftcap == nil)
        #expect(m.blocks[0].attention.window == 8 && m.blocks[2].attention.window == nil)
        #expect(m.blocks[0].attention.rope?.theta == 10_000 && m.blocks[2].attention.rope?.theta == 1_000_000)
        #expect(m.blocks[1].attention.qNorm != nil && m.blocks[1].ffnPostNorm != nil && m.config.tiedEmbeddings)
    }

    @Test func gemma2SoftCapsAndAlternates() throws {
        let m = try Self.model("gemma2-tiny")
        #expect(m.family == .gemma2 && m.config.globalEvery == 2)
        #expect(m.config.attentionSoftcap == 2 && m.config.finalLogitSoftcap == 0.5)
        #expect(m.blocks.map { $0.attention.window } == [8, nil, 8])
        #expect(m.blocks[0].attention.qNorm == nil && m.blocks[0].attnPostNorm != nil)
        let logits = m.forward(tokens: (0..<24).map { Int32($0 * 13 % 320) })
        #expect(logits.data.allSatisfy { abs($0) <= 0.5 } && logits.data.contains { abs($0) > 0.1 })
    }

    /// HF stores Gemma's γ; the model multiplies by 1 + γ (the stored γ alone is off by one).
    @Test func gemmaNormsMultiplyByOnePlusTheStoredWeight() throws {
        let m = try Self.model("gemma3-tiny")
        let folder = try SafetensorsFolder(directory: Fixtures.repoFixture("gemma3-tiny"))
        let stored = try folder.floats("model.layers.1.pre_feedforward_layernorm.weight")
        #expect(m.blocks[1].ffnNorm.gamma == stored.map { $0 + 1 })
    }

    @Test func phi3SplitsItsFusedTensorsByRows() throws {
        let m = try Self.model("phi3-tiny")
        let folder = try SafetensorsFolder(directory: Fixtures.repoFixture("phi3-tiny"))
        let qkv = try folder.matrix("model.layers.0.self_attn.qkv_proj.weight")
        let gateUp = try folder.matrix("model.layers.0.mlp.gate_up_proj.weight")
        let b = m.blocks[0]
        #expect(qkv.rows == 128 && gateUp.rows == 320)
        #expect(b.attention.q.weight == qkv.rows(0, count: 64) && b.attention.k.weight == qkv.rows(64, count: 32)
                && b.attention.v.weight == qkv.rows(96, count: 32))
        #expect(b.mlp.gate?.weight == gateUp.rows(0, count: 160) && b.mlp.up.weight == gateUp.rows(160, count: 160))
        #expect(!m.config.tiedEmbeddings && m.head != m.tokenEmbedding)
    }

    /// The planted massive activation at hidden.2[:, 0, 7] (Sun et al.: > 100 and > 1000 × median),
    /// and nothing else.
    @Test(arguments: folders) func plantedMassiveActivationIsVisible(folder: String) throws {
        let run = try Self.run(folder)
        for hidden in try #require(run.values["hidden.2"]) {
            let sorted = hidden.map(abs).sorted()
            let median = sorted[sorted.count / 2]
            let massive = hidden.indices.filter { abs(hidden[$0]) > 100 && abs(hidden[$0]) > 1000 * median }
            #expect(massive == [7], "\(folder): massive entries \(massive)")
        }
    }
}
