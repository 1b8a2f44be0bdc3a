import AtlasResults
import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// The finding sentence per variant, on hand-made figures, and the profile it is drawn from.
@Suite struct VariantFindingsTests {
    func figures(_ massive: Int, _ float: Double?, _ schemes: [SchemeHeadline] = []) -> Headline {
        Headline(massiveCount: massive, floatPerplexity: float, schemes: schemes)
    }

    func ppl(_ name: String, _ value: Double) -> SchemeHeadline { SchemeHeadline(name: name, perplexity: value, cosine: nil) }
    func cos(_ name: String, _ value: Double) -> SchemeHeadline { SchemeHeadline(name: name, perplexity: nil, cosine: value) }

    @Test func theHeadlineExample() {
        let sentence = VariantFindings.sentence(baseline: figures(792, 29.19, [ppl("W8A8", 30.16)]),
                                                variant: figures(31, 29.21, [ppl("W8A8", 29.61)]), exact: true)
        #expect(sentence == "removes 96 % of massive activations (792 → 31), float perplexity +0.02 (+0.069 %, exact); W8A8 perplexity 30.16 → 29.61")
    }

    @Test(arguments: [
        (5, 0, "removes all 5 massive activations (5 → 0)"),
        (1, 0, "removes the massive activation (1 → 0)"),
        (0, 0, "no massive activations before or after"),
        (0, 4, "adds 4 massive activations (none in the baseline)"),
        (0, 1, "adds 1 massive activation (none in the baseline)"),
        (10, 50, "adds 40 massive activations (10 → 50)"),
        (10, 11, "adds 1 massive activation (10 → 11)"),
        (9, 9, "keeps all 9 massive activations (9 → 9)"),
        (1, 1, "keeps the massive activation (1 → 1)"),
        (1000, 999, "removes <1 % of massive activations (1,000 → 999)"),
        (12_000, 30, "removes >99 % of massive activations (12,000 → 30)"),
        (4, 1, "removes 75 % of massive activations (4 → 1)"),
    ])
    func massiveClause(baseline: Int, variant: Int, expected: String) {
        let sentence = VariantFindings.sentence(baseline: figures(baseline, nil), variant: figures(variant, nil), exact: true)
        #expect(sentence == expected + ", exact in float")
    }

    @Test func missingSchemesOnEitherSide() {
        let sentence = VariantFindings.sentence(
            baseline: figures(3, 20, [ppl("W8A8", 21), ppl("W4A16", 25)]),
            variant: figures(3, 19.5, [ppl("W4A16", 24.5), ppl("FP8", 20.25)]), exact: false)
        #expect(sentence == "keeps all 3 massive activations (3 → 3), float perplexity -0.5 (-2.5 %, lossy); W8A8 not evaluated on the variant; W4A16 perplexity 25.00 → 24.50; FP8 perplexity 20.25 (not evaluated on the baseline)")
    }

    @Test func aSchemeWithoutEndToEndFigures() {
        let none = SchemeHeadline(name: "W8A8", perplexity: nil, cosine: nil)
        let sentence = VariantFindings.sentence(baseline: figures(0, 20, [none]), variant: figures(0, 20, [none]), exact: true)
        #expect(sentence == "no massive activations before or after, float perplexity unchanged (exact); W8A8 without an end-to-end figure")
    }

    @Test func encodersCompareCosine() {
        let sentence = VariantFindings.sentence(baseline: figures(2, nil, [cos("W8A8", 0.9912)]),
                                                variant: figures(0, nil, [cos("W8A8", 0.99871)]), exact: false)
        #expect(sentence == "removes all 2 massive activations (2 → 0), lossy in float (float quality not measured); W8A8 cosine 0.9912 → 0.9987")
    }

    @Test func figuresFromResults() throws {
        let r = ComparisonSample.result
        let baseline = Headline(baseline: r)
        #expect(baseline == Headline(massiveCount: 9, floatPerplexity: r.perplexity!.allPositions,
                                           schemes: [SchemeHeadline(name: "W8A8", perplexity: 22.5, cosine: nil)]))
        let variant = Headline(variant: r.variants![1])
        #expect(variant.schemes.isEmpty && variant.massiveCount == 9)
    }

    @Test func profileOfTheBaseline() throws {
        let p = OutlierProfile.make(from: ComparisonSample.result, outlierFactor: 10)
        #expect(p.blocks == [0, 1, 2, 3])
        #expect(p.massiveCount == [0, 3, 3, 3] && p.totalMassiveCount == 9)
        #expect(p.maxAbs.suffix(3) == [300, 600, 900])
        #expect(p.outlierChannelCount == [0, 1, 1, 1] && p.distinctOutlierChannels == 1)
        let expected: [Double?] = (0..<4).map { b in (189 + 40 + Double(b)) / 64 }
        #expect(p.meanKurtosis == expected)
        #expect(p.modelMeanKurtosis == 922.0 / 256)
        #expect(p.channelAbsmax.count == 4 && p.channelAbsmax.allSatisfy { $0.count == 64 })
        // The factor matters: channel 7 (≥ 300, median channel absmax ~0.55) is an outlier at
        // k = 100, not at k = 5000.
        #expect(OutlierProfile.make(from: ComparisonSample.result, outlierFactor: 100).distinctOutlierChannels == 1)
        #expect(OutlierProfile.make(from: ComparisonSample.result, outlierFactor: 5000).distinctOutlierChannels == 0)
        // No kurtosis recorded: nil, not NaN.
        let plain = OutlierProfile.make(from: SampleResults.result(label: "p"), outlierFactor: 10)
        #expect(plain.modelMeanKurtosis == nil && plain.meanKurtosis.allSatisfy { $0 == nil })
    }

    @Test func profilesRoundTripAndOlderVariantsDecode() throws {
        let r = ComparisonSample.result
        #expect(try ResultsCoding.decode(try ResultsCoding.encode(r), file: "r.json") == r)
        // A variant written before profiles existed decodes with profile nil.
        var old = r
        old.variants = [VariantResult(name: "smoothquant", spec: "smoothquant:alpha=0.5,windows=4", exact: true, notes: [],
                                      perplexity: nil, massiveActivationCount: 1, maxAbs: 2, outlierChannelCount: 0, quantization: nil)]
        let text = String(decoding: try ResultsCoding.encode(old), as: UTF8.self)
        #expect(!text.contains("\"profile\"") && text.contains("\"outlierChannelCount\""))
        let back = try ResultsCoding.decode(Data(text.utf8), file: "old.json")
        #expect(back.variants?.first?.profile == nil && back.variants?.first?.massiveActivationCount == 1)
        // …and its comparison page renders with "—" and no variant heatmap.
        let files = try SampleResults.site([back])
        let page = try #require(HTMLChecker.parse(files["models/\(ComparisonSample.slug)/comparison.html"]!))
        #expect(page.problems.isEmpty)
        #expect(page.text("//section[@id='metrics']//tbody/tr[2]/td[7]") == ["—"])
        #expect(page.count("//div[@class='pair']//img") == 1)
    }
}
