@testable import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Foundation
import Testing

/// `clip` and `int8-mixed` on llama-tiny: the planted massive activation (block 1's output,
/// dim 7, after the BOS-like id 255 at position 0) and the channel outliers of block 0's ffn.norm.
@Suite struct ClipMixModelTests {
    static let tiny = QuantSchemeTests.tiny
    static let analyzed = AnalyzedModel(decoder: tiny)
    static let windows = MitigationTests.windows.map { [255] + $0.dropFirst() }

    static func mitigate(_ spec: String) throws -> MitigationOutcome {
        try Mitigations.apply(try MitigationSpecParser.parse(spec), to: tiny, calibration: windows)
    }

    /// One lockstep evaluation of `scheme` on `model` over `windows`.
    static func evaluate(_ scheme: String, _ model: AnalyzedModel, windows: [[Int32]]) throws -> SchemeResult {
        let lockstep = QuantLockstep(try PreparedScheme(try QuantSchemeParser.parse(scheme), model: model), model: model,
                                     calibration: windows)
        for (i, w) in windows.enumerated() { try lockstep.step(tokens: w, window: i) }
        return try lockstep.result()
    }

    @Test func int8MixedKeepsTheMassiveColumnFloat() throws {
        let recorder = TapRecorder(blocks: [2])
        _ = Self.tiny.forward(tokens: Self.windows[0], observer: recorder)
        let x = try #require(recorder[2, .attnNorm])
        #expect(abs(x[0, 7]) >= 6)  // the massive entry, normalized, still reaches the threshold
        let mixed = try Self.mitigate("int8-mixed")
        #expect(mixed.exact && mixed.model.intervention == nil)
        let plan = try QuantPlan.make(try QuantSchemeParser.parse("W8A8"), for: mixed.model.blocks)
        let intervention = FakeQuantIntervention(plan: plan, ranges: nil, adjustments: mixed.model.adjustments)
        var y = x
        intervention.rewrite(block: 2, tap: .attnNorm, value: &y)
        let kept = MixedPrecision.outlierColumns(x, threshold: 6)
        #expect(kept.contains(7))
        for c in 0..<x.cols where kept.contains(c) { for t in 0..<x.rows { #expect(y[t, c] == x[t, c]) } }
        #expect(y.data != x.data)
        #expect(mixed.model.adjustments.report.keptFraction(scheme: "W8A8", tap: .attnNorm) == Double(kept.count) / 64)
    }

    @Test func int8MixedImprovesW8A8() throws {
        let plain = try #require(try Self.evaluate("W8A8", Self.analyzed, windows: Self.windows).endToEnd)
        let outcome = try Self.mitigate("int8-mixed")
        let mixed = try #require(try Self.evaluate("W8A8", outcome.model, windows: Self.windows).endToEnd)
        #expect(mixed.floatPerplexity == plain.floatPerplexity)  // exact in float
        #expect(mixed.klMean < plain.klMean, "KL \(plain.klMean) → \(mixed.klMean)")
        let fraction = try #require(outcome.model.adjustments.report.keptFraction(scheme: "W8A8"))
        #expect(fraction > 0 && fraction < 0.5)
        // Block 0's ffn.norm carries channel outliers (|x| ≈ 43 at dims 3 and 11): kept in every window.
        #expect(try #require(outcome.model.adjustments.report.keptFraction(scheme: "W8A8", tap: .ffnNorm)) > 0)
    }

    @Test func weightClipLowersEveryTensorsError() throws {
        let outcome = try Self.mitigate("clip:target=weights")
        #expect(outcome.exact && outcome.model.intervention == nil)
        #expect(outcome.model.pass(tokens: Self.windows[0], observer: nil).data == Self.tiny.forward(tokens: Self.windows[0]).data)
        let plain = try PreparedScheme(try QuantSchemeParser.parse("W4A16"), model: Self.analyzed)
        let clipped = try PreparedScheme(try QuantSchemeParser.parse("W4A16"), model: outcome.model)
        #expect(plain.weightErrors.count == 21 && clipped.weightErrors.count == 21)
        for (a, b) in zip(plain.weightErrors, clipped.weightErrors) { #expect(b.sqnr >= a.sqnr - 1e-9, "\(a.tensor)") }
        let report = try #require(outcome.model.adjustments.report.weightClip(scheme: "W4A16"))
        #expect(report.ranges == 3 * (64 + 32 + 32 + 64 + 160 + 160 + 64))  // one range per output channel
        #expect(report.meanRatio < 1 && report.sqnrGain > 0)
        #expect(outcome.model.adjustments.report.notes().contains { $0.hasPrefix("W4A16: weight clip mean ratio") })
    }

    @Test func activationClipThresholdsAreTheExactPercentile() throws {
        let outcome = try Self.mitigate("clip:percentile=99")
        #expect(!outcome.exact)
        let clipping = try #require(outcome.model.intervention as? ActivationClipping)
        #expect(Set(clipping.thresholds[1]!.keys) == [.attnNorm, .attnCtx, .ffnNorm, .ffnDownIn])
        var columns = [[Float]](repeating: [], count: 160)
        for w in Self.windows {
            let recorder = TapRecorder(blocks: [1])
            _ = Self.tiny.forward(tokens: w, observer: recorder)
            let x = try #require(recorder[1, .ffnDownIn])
            for c in 0..<160 { columns[c] += (0..<x.rows).map { abs(x[$0, c]) } }
        }
        #expect(clipping.thresholds[1]![.ffnDownIn]! == columns.map { Percentile.of($0, percentile: 99) })
        #expect(clipping.clippedChannels > 0 && clipping.clippedEntries >= clipping.clippedChannels)
        #expect(outcome.model.pass(tokens: Self.windows[0], observer: nil).data != Self.tiny.forward(tokens: Self.windows[0]).data)
    }

    @Test func clippingAtTheMaximumChangesNothingOnTheCalibrationWindows() throws {
        let outcome = try Self.mitigate("clip:percentile=100")
        #expect(outcome.notes.contains { $0.hasPrefix("0 of \(3 * (64 + 64 + 64 + 160)) channels clipped") })
        for w in Self.windows {
            #expect(outcome.model.pass(tokens: w, observer: nil).data == Self.tiny.forward(tokens: w).data)
        }
    }

    @Test func variantsReportWhatTheAdjustmentsDid() throws {
        let (_, text) = try Fixtures.sentenceText()
        let loaded = try ModelLoader.load(Fixtures.fixture("llama-tiny-gguf/llama-tiny.F32.gguf"))
        let r = try ModelAnalysis.run(loaded, label: "tiny", text: text, options: AnalysisOptions(windowSize: 24, windowCount: 2),
                                      schemes: [try QuantSchemeParser.parse("W8A8")],
                                      mitigations: ["int8-mixed:threshold=1", "clip:target=weights"].map { try MitigationSpecParser.parse($0) })
        let variants = try #require(r.variants)
        #expect(variants.map(\.name) == ["int8-mixed", "clip"])
        let fraction = try #require(variants[0].floatColumnFraction?["W8A8"])
        #expect(fraction > 0 && fraction < 1)
        #expect(variants[0].notes.contains { $0.hasPrefix("W8A8: ") && $0.contains("of Linear input columns kept float (attn.norm ") })
        #expect(variants[1].floatColumnFraction == nil)
        #expect(variants[1].notes.contains { $0.hasPrefix("W8A8: weight clip mean ratio") })
        #expect(variants[1].perplexity == r.perplexity)  // exact in float
    }
}
