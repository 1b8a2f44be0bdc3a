@testable import AtlasAnalysis
import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

@Suite struct MitigationTests {
    static func tiny() throws -> LlamaModel {
        try LlamaGGUFLoader.load(try GGUFFile(url: Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf")))
    }

    /// Two windows of fixed pseudo-random ids (calibration and evaluation).
    static let windows: [[Int32]] = [(0..<24).map { Int32(($0 * 37 + 11) % 320) }, (0..<24).map { Int32(($0 * 53 + 5) % 320) }]

    static func maxRelativeDiff(_ a: Matrix, _ b: Matrix) -> Float {
        let range = (a.data.max()! - a.data.min()!)
        return zip(a.data, b.data).map { abs($0 - $1) }.max()! / range
    }

    @Test(arguments: [12, 20, 28, 36, 576, 64, 768])
    func hadamardIsOrthogonal(order: Int) throws {
        let h = try #require(Hadamard(order: order)).dense()
        for i in 0..<order { for j in 0..<order {
            let dot = (0..<order).reduce(Float(0)) { $0 + h[i * order + $1] * h[j * order + $1] }
            #expect(dot == (i == j ? Float(order) : 0))
        } }
    }

    /// Which mitigation each family may take follows from its table: Gemma 3's post norms rule
    /// out the rotation, its q/k norms the q/k balancing; gammas fold wherever pre-norms are RMSNorm.
    @Test func familiesTakeTheMitigationsTheirBlocksAllow() {
        let allowed = { (f: ModelFamily) in MitigationSpecParser.names.filter { Mitigations.supports($0, family: f) } }
        #expect(allowed(.llama) == MitigationSpecParser.names)
        #expect(Set(MitigationSpecParser.names).subtracting(allowed(.gemma3)) == ["rotation", "otc-tuning"])
        #expect(Set(MitigationSpecParser.names).subtracting(allowed(.gpt2)) == ["rotation", "smoothquant", "gamma-smoothing"])
        #expect(allowed(.bert).isEmpty)
        #expect(!ModelExport.canExport(.gemma3) && ModelExport.canExport(.qwen2))
    }

    @Test func specParserDefaultsAndErrors() throws {
        #expect(try MitigationSpecParser.parse("smoothquant").description == "smoothquant:alpha=0.5,windows=4")
        #expect(try MitigationSpecParser.parse("tma-removal:mode=zero").parameters["mode"] == "zero")
        #expect(throws: MitigationError.self) { try MitigationSpecParser.parse("smoothquant:beta=1") }
        #expect(throws: MitigationError.self) { try MitigationSpecParser.parse("smoothquant:alpha=2") }
        #expect(throws: MitigationError.self) { try MitigationSpecParser.parse("tma-removal:mode=drop") }
        do { _ = try MitigationSpecParser.parse("awq"); Issue.record("no error") } catch {
            #expect(error.field == "name" && error.found == "'awq'")
        }
    }

    @Test(arguments: ["smoothquant", "rotation", "gamma-smoothing:mode=fold,k=1.05", "otc-tuning:k=0"])
    func exactMitigationsKeepTheLogits(spec: String) throws {
        let model = try Self.tiny()
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse(spec), to: model, calibration: Self.windows)
        #expect(outcome.exact)
        for w in Self.windows {
            let d = Self.maxRelativeDiff(model.forward(tokens: w), outcome.model.pass(tokens: w, observer: nil))
            #expect(d < 1e-3, "\(spec): \(d)")
        }
    }

    /// Keeping the logits is not enough (the identity keeps them): each exact mitigation must
    /// also make the change it exists for.
    @Test func smoothQuantBalancesActivationAndWeightRanges() throws {
        let model = try Self.tiny()
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("smoothquant:windows=2"), to: model, calibration: Self.windows)
        let taps: Set<TapName> = [.attnNorm, .ffnNorm]
        let before = ChannelAbsmaxObserver.calibrate(AnalyzedModel(decoder: model), taps: taps, windows: Self.windows)
        let after = ChannelAbsmaxObserver.calibrate(outcome.model, taps: taps, windows: Self.windows)
        for b in 0..<model.blockCount {
            for (tap, kinds) in [(TapName.attnNorm, [LinearKind.q, .k, .v]), (.ffnNorm, [.gate, .up])] {
                // α = 0.5: s_j = √(max|X_j| / max|W_j|), so afterwards max|X_j| = max|W_j| per channel.
                let x = try #require(after.absmax[tap]?[b])
                let w = kinds.map { outcome.decoder.linear(at: LinearSite(block: b, kind: $0)).weight }
                for j in x.indices {
                    let wMax = w.map { m in (0..<m.rows).map { abs(m[$0, j]) }.max()! }.max()!
                    #expect(abs(x[j] - wMax) <= 1e-3 * wMax, "block \(b) \(tap) channel \(j): \(x[j]) vs \(wMax)")
                }
                let spread = { (v: [Float]) in v.max()! / v.min()! }
                #expect(spread(x) < spread(try #require(before.absmax[tap]?[b])), "block \(b) \(tap)")
            }
        }
    }

    /// The rotation spreads the planted massive dim over the residual stream.
    @Test func rotationSpreadsTheMassiveDimension() throws {
        let model = try Self.tiny()
        let ids = Self.windows.map { [255] + $0.dropFirst() }
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("rotation"), to: model, calibration: [])
        let before = ChannelAbsmaxObserver.calibrate(AnalyzedModel(decoder: model), taps: [.ffnResid], windows: ids)
        let after = ChannelAbsmaxObserver.calibrate(outcome.model, taps: [.ffnResid], windows: ids)
        let b = try #require(before.absmax[.ffnResid]?[1]), a = try #require(after.absmax[.ffnResid]?[1])
        #expect(b[7] > 100 && a.max()! < b[7] / 3, "max channel \(b[7]) → \(a.max()!)")
        // Orthogonal: the energy of the token's residual row is kept, only its direction turns.
        #expect(outcome.decoder.tokenEmbedding != model.tokenEmbedding)
    }

    /// Gamma folding caps every pre-norm gamma at k × median and keeps the product γ_j W[:, j].
    @Test func gammaFoldCapsTheGammasAndMovesThemIntoTheWeights() throws {
        let model = try Self.tiny()
        let k: Float = 1.05
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("gamma-smoothing:mode=fold,k=1.05"), to: model, calibration: [])
        var shrunk = 0
        for b in 0..<model.blockCount {
            for (role, reader) in [(NormRole.attn, LinearKind.q), (.ffn, .up)] {
                let g0 = model.blocks[b][norm: role].gamma, g1 = outcome.decoder.blocks[b][norm: role].gamma
                let limit = k * g0.map(abs).sorted()[g0.count / 2]
                let w0 = model.linear(at: LinearSite(block: b, kind: reader)).weight
                let w1 = outcome.decoder.linear(at: LinearSite(block: b, kind: reader)).weight
                for j in g0.indices {
                    #expect(abs(g1[j]) <= limit * (1 + 1e-6))
                    if g1[j] != g0[j] { shrunk += 1 }
                    for r in [0, w0.rows - 1] { #expect(abs(g1[j] * w1[r, j] - g0[j] * w0[r, j]) <= 1e-5 * abs(g0[j] * w0[r, j]) + 1e-7) }
                }
            }
        }
        #expect(shrunk > 0 && outcome.notes.contains { $0.contains("\(shrunk)") }, "\(shrunk): \(outcome.notes)")
    }

    /// OTC tuning (k = 0: every unit) balances each RoPE-tied unit of W_q rows against its W_k
    /// rows: afterwards the largest query row norm of the unit equals the largest key row norm.
    @Test func otcTuningBalancesQueryAndKeyRows() throws {
        let model = try Self.tiny()
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("otc-tuning:k=0"), to: model, calibration: [])
        for b in 0..<model.blockCount {
            let att = outcome.decoder.blocks[b].attention
            let q = OTCTuning.rowNorms(att.q.weight), k = OTCTuning.rowNorms(att.k.weight)
            #expect(q != OTCTuning.rowNorms(model.blocks[b].attention.q.weight))
            let hd = att.headDim, group = att.heads / att.kvHeads, half = (att.rope?.rotaryDims ?? hd) / 2
            for kvh in 0..<att.kvHeads {
                for p in 0..<half {
                    let dims = [p, p + half]
                    let qMax = (0..<group).flatMap { g in dims.map { q[(kvh * group + g) * hd + $0] } }.max()!
                    let kMax = dims.map { k[kvh * hd + $0] }.max()!
                    #expect(abs(qMax - kMax) <= 1e-4 * kMax, "block \(b) kv head \(kvh) pair \(p): \(qMax) vs \(kMax)")
                }
            }
        }
    }

    @Test func lossyGammaSmoothingChangesTheLogits() throws {
        let model = try Self.tiny()
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("gamma-smoothing:mode=lossy,k=1.05"), to: model, calibration: Self.windows)
        #expect(!outcome.exact)
        #expect(Self.maxRelativeDiff(model.forward(tokens: Self.windows[0]), outcome.model.pass(tokens: Self.windows[0], observer: nil)) > 1e-3)
    }

    @Test(arguments: ["zero", "clamp", "mean"])
    func tmaRemovalRemovesThePlantedMassiveActivation(mode: String) throws {
        let model = try Self.tiny()
        // The planted BOS-like id 255 at position 0 (fixtures build-info: plant/bos_id) makes
        // block 1's output ~193 at dim 7 (massive: > 100 and > 1000 × median).
        let ids = Self.windows.map { [255] + $0.dropFirst() }
        let stats = ChannelAbsmaxObserver.calibrate(AnalyzedModel(decoder: model), taps: [.ffnResid], windows: ids)
        let base = try #require(stats.absmax[.ffnResid]?[1])
        #expect(base[7] > 100)
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("tma-removal:mode=\(mode)"), to: model, calibration: ids)
        #expect(outcome.model.intervention != nil)
        let after = ChannelAbsmaxObserver.calibrate(outcome.model, taps: [.ffnResid], windows: ids)
        #expect(try #require(after.absmax[.ffnResid]?[1])[7] < 100)
    }
}

/// Exactness on the real model: two short WikiText-2 windows.
@Suite struct MitigationSmolLM2Tests {
    @Test(arguments: ["smoothquant", "rotation", "gamma-smoothing:mode=fold"])
    func exactOnSmolLM2(spec: String) throws {
        let loaded = try SmolLM2.loaded
        let options = AnalysisOptions(textMode: .joined, windowSize: 64, windowCount: 2)
        let windows = try ModelAnalysis.windows(loaded, text: Fixtures.wikiTextTest, options: options)
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse(spec), to: try SmolLM2.model, calibration: windows)
        var base = PerplexityAccumulator(), mitigated = PerplexityAccumulator()
        for (i, w) in windows.enumerated() {
            let a = try SmolLM2.model.forward(tokens: w), b = outcome.model.pass(tokens: w, observer: nil)
            #expect(MitigationTests.maxRelativeDiff(a, b) < 1e-3, "\(spec)")
            try base.add(logits: a, tokens: w, window: i)
            try mitigated.add(logits: b, tokens: w, window: i)
        }
        let p0 = try base.result().allPositions, p1 = try mitigated.result().allPositions
        #expect(abs(p1 - p0) / p0 < 1e-4, "\(spec): \(p0) → \(p1)")
    }
}
