@testable import AtlasAnalysis
import AtlasModels
import AtlasResults
import AtlasTestSupport
import Testing

/// `int8-mixed` and `clip:target=weights` on the real model: two WikiText-2 windows of 256 tokens.
@Suite struct ClipMixSmolLM2Tests {
    static func windows() throws -> [[Int32]] {
        try ModelAnalysis.windows(try SmolLM2.loaded, text: Fixtures.wikiTextTest,
                                  options: AnalysisOptions(textMode: .joined, windowSize: 256, windowCount: 2))
    }

    static func compare(_ scheme: String, mitigation: String) throws -> (plain: EndToEndError, mitigated: EndToEndError, MitigationOutcome) {
        let windows = try windows()
        let outcome = try Mitigations.apply(try MitigationSpecParser.parse(mitigation), to: try SmolLM2.model, calibration: windows)
        let plain = try ClipMixModelTests.evaluate(scheme, AnalyzedModel(decoder: try SmolLM2.model), windows: windows)
        let mitigated = try ClipMixModelTests.evaluate(scheme, outcome.model, windows: windows)
        let p = try #require(plain.endToEnd), m = try #require(mitigated.endToEnd)
        return (p, m, outcome)
    }

    @Test func int8MixedKeepsFewColumnsAndLowersW8A8KL() throws {
        let (plain, mixed, outcome) = try Self.compare("W8A8", mitigation: "int8-mixed")
        #expect(mixed.floatPerplexity == plain.floatPerplexity)
        #expect(mixed.klMean <= plain.klMean, "KL \(plain.klMean) → \(mixed.klMean)")
        let fraction = try #require(outcome.model.adjustments.report.keptFraction(scheme: "W8A8"))
        #expect(fraction > 0 && fraction < 0.05, "kept \(fraction)")
    }

    /// The MSE-optimal clip lowers the weight error of W4A16, but NOT its end-to-end KL: on these
    /// windows KL(float ‖ W4A16) goes 0.898 → 1.613 nats with the clip (measured 2026-11-29).
    /// Likely cause (not yet verified): minimizing ‖W − Q(W)‖² ignores which input channels carry
    /// large activations, so clipping the large weights that read them (e.g. the massive-activation
    /// channels) costs more at the output than it saves elsewhere — AWQ's auto_clip minimizes the
    /// output error ‖(W − Q(W))X‖ on calibration inputs instead. This test pins the weight-level
    /// effect only.
    @Test func weightClipLowersW4A16WeightError() throws {
        let (plain, clipped, outcome) = try Self.compare("W4A16", mitigation: "clip:target=weights")
        #expect(clipped.floatPerplexity == plain.floatPerplexity)
        let report = try #require(outcome.model.adjustments.report.weightClip(scheme: "W4A16"))
        #expect(report.meanRatio < 1 && report.sqnrGain > 0, "\(report)")
        #expect(clipped.klMean.isFinite && plain.klMean.isFinite)
    }
}
