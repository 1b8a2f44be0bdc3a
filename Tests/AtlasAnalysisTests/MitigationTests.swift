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
            let d = Self.maxRelativeDiff(model.forward(tokens: w), outcome.model.forward(tokens: w, observer: nil))
            #expect(d < 1e-3, "\(spec): \(d)")
        }
    }

    @Test func lossyGammaSmoothingChangesTheLogits() throws {
        let model = try Self.tiny()
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse("gamma-smoothing:mode=lossy,k=1.05"), to: model, calibration: Self.windows)
        #expect(!outcome.exact)
        #expect(Self.maxRelativeDiff(model.forward(tokens: Self.windows[0]), outcome.model.forward(tokens: Self.windows[0], observer: nil)) > 1e-3)
    }

    @Test(arguments: ["zero", "clamp", "mean"])
    func tmaRemovalRemovesThePlantedMassiveActivation(mode: String) throws {
        let model = try Self.tiny()
        // The planted BOS-like id 255 at position 0 (fixtures build-info: plant/bos_id) makes
        // block 1's output ~193 at dim 7 (massive: > 100 and > 1000 × median).
        let ids = Self.windows.map { [255] + $0.dropFirst() }
        let stats = ChannelAbsmaxObserver.calibrate(model, taps: [.ffnResid], windows: ids)
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
        let loaded = SmolLM2.loaded
        let options = AnalysisOptions(textMode: .joined, windowSize: 64, windowCount: 2)
        let windows = try ModelAnalysis.windows(loaded, text: Fixtures.wikiTextTest, options: options)
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse(spec), to: SmolLM2.model, calibration: windows)
        var base = PerplexityAccumulator(), mitigated = PerplexityAccumulator()
        for (i, w) in windows.enumerated() {
            let a = SmolLM2.model.forward(tokens: w), b = outcome.model.forward(tokens: w, observer: nil)
            #expect(MitigationTests.maxRelativeDiff(a, b) < 1e-3, "\(spec)")
            try base.add(logits: a, tokens: w, window: i)
            try mitigated.add(logits: b, tokens: w, window: i)
        }
        let p0 = try base.result().allPositions, p1 = try mitigated.result().allPositions
        #expect(abs(p1 - p0) / p0 < 1e-4, "\(spec): \(p0) → \(p1)")
    }
}
