import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// The quantization page of a model, its place in the model navigation, and the index summary.
@Suite struct QuantizationPageTests {
    static func scheme(_ name: String, blocks: Int, base: Double, kl: Double, ppl: Double) -> SchemeResult {
        let kinds = ["q", "k", "v", "o", "gate", "up", "down"]
        var layers: [LinearError] = [], weights: [WeightError] = []
        for b in 0..<blocks {
            for (i, k) in kinds.enumerated() {
                let local = base - Double(b) - Double(i) / 2
                layers.append(LinearError(block: b, linear: k, localSQNR: local, accumulatedSQNR: local - 3 * Double(b)))
                weights.append(WeightError(tensor: "blk.\(b).\(k)", format: "int8 sym per-channel", sqnr: local + 2, maxAbsError: 0.01))
            }
        }
        let float = PerplexityResult(allPositions: 20, secondHalf: 18, scoredTokensAll: 4088, scoredTokensSecondHalf: 2040)
        let quant = PerplexityResult(allPositions: ppl, secondHalf: ppl * 0.9, scoredTokensAll: 4088, scoredTokensSecondHalf: 2040)
        return SchemeResult(name: name, description: "weights: <int8> & more", windowCount: 8, tokenStride: 4,
                            endToEnd: EndToEndError(perplexity: quant, floatPerplexity: float, klMean: kl, top1Agreement: 0.93,
                                                    meanAbsDeltaTrueTokenProbability: 0.01, positions: 4088),
                            embedding: nil, layers: layers, weights: weights)
    }

    static var results: [RunResult] {
        var a = SampleResults.result(label: "SmolLM2-135M Q4_1", layers: 4)
        a.quantization = [scheme("W8A8", blocks: 4, base: 40, kl: 0.0123, ppl: 20.5), scheme("W4A16", blocks: 4, base: 22, kl: 0.2, ppl: 27)]
        var b = SampleResults.result(label: "other", layers: 3, seed: 2)
        b.quantization = [scheme("W4A16", blocks: 3, base: 20, kl: 0.3, ppl: 31)]
        return [a, b, SampleResults.result(label: "plain", layers: 2)]
    }

    func render() throws -> [String: Data] {
        try SiteRenderer().render(results: Self.results, templates: SampleResults.templates, assets: SampleResults.assets)
    }

    @Test func pageTablesAndCharts() throws {
        let files = try render()
        let path = "models/smollm2-135m-q4-1/quantization.html"
        let data = try #require(files[path])
        let page = try #require(HTMLChecker.parse(data))
        #expect(page.problems.isEmpty, "\(page.problems)")
        #expect(page.text("//section[@id='schemes']//tbody/tr/td[1]") == ["W8A8", "W4A16"])
        #expect(page.text("//section[@id='schemes']//tbody/tr[1]/td[7]") == ["0.01230"])
        #expect(page.text("//section[@id='schemes']//tbody/tr[1]/td[6]") == ["+2.500 %"])
        #expect(page.text("//section[@id='schemes']//tbody/tr[2]/td[8]") == ["93.00 %"])
        // The description is escaped text, not markup.
        #expect(page.text("//section[@id='schemes']//tbody/tr[1]/td[2]") == ["weights: <int8> & more"])
        // Two heatmaps + one colour bar + two line charts, every image in the site with its size.
        #expect(page.count("//figure[contains(@class,'heatmap')]//img") == 2)
        #expect(page.count("//img[@width and @height and string-length(@alt) > 20]") == 5)
        for src in page.imageSources {
            let image = SitePaths.resolve(src, from: path)
            let png = try PNGFile(try #require(files[image], "\(image)"))
            #expect(png.width > 0)
        }
        // Heatmap columns are labelled with the Linear types; the colour bar in dB.
        #expect(page.text("(//figure[contains(@class,'heatmap')])[1]//div[@class='axis-x']/span") == ["q", "k", "v", "o", "gate", "up", "down"])
        let bar = page.text("//div[@class='colorbar']//div[@class='axis-x']/span")
        #expect(bar.first == "15" && bar.last == "40", "\(bar)")
        // Worst layers: the lowest local SQNR first (block 3, down: 40 − 3 − 3 = 34 dB for W8A8).
        #expect(page.text("//section[@id='worst-layers']//tbody/tr[1]/td") == ["W8A8", "3", "down", "34.00 dB", "25.00 dB", "36.00 dB"])
        #expect(page.count("//section[@id='worst-layers']//tbody/tr") == 16)
    }

    @Test func sameColourScaleForEveryScheme() throws {
        let charts = try QuantizationCharts.make(for: Self.results[0], slug: "m")
        #expect(charts.range?.lower == 15 && charts.range?.upper == 40)
        #expect(charts.heatmaps.count == 2 && charts.lineCharts.count == 2)
        // W8A8's best cell (40 dB) is the scale's top colour; W4A16's worst (15.5 dB) near the bottom.
        let scale = LogColorScale(lower: Double(QuantizationCharts.ratio(15)), upper: Double(QuantizationCharts.ratio(40)))
        #expect(scale.fraction(Double(QuantizationCharts.ratio(40))) == 1)
        #expect(abs((scale.fraction(Double(QuantizationCharts.ratio(27.5))) ?? 0) - 0.5) < 1e-6)
    }

    @Test func modelPageLinksAndIndexSummarises() throws {
        let files = try render()
        let model = try #require(HTMLChecker.parse(files["models/smollm2-135m-q4-1/index.html"]!))
        let modelLinks = model.linkTargets.map { SitePaths.resolve($0, from: "models/smollm2-135m-q4-1/index.html") }
        #expect(modelLinks.contains("models/smollm2-135m-q4-1/quantization.html"))
        let plain = try #require(HTMLChecker.parse(files["models/plain/index.html"]!))
        #expect(!plain.linkTargets.contains { $0.contains("quantization") })
        #expect(files["models/plain/quantization.html"] == nil)

        let index = try #require(HTMLChecker.parse(files["index.html"]!))
        #expect(index.problems.isEmpty)
        #expect(index.text("//section[@id='quantization']//thead/tr/th") == ["Model", "Float perplexity", "W8A8", "W4A16"])
        #expect(index.text("//section[@id='quantization']//tbody/tr/td[1]/a") == ["SmolLM2-135M Q4_1", "other"])
        #expect(index.text("//section[@id='quantization']//tbody/tr[1]/td") == ["SmolLM2-135M Q4_1", "20.00", "20.50 / 0.01230", "27.00 / 0.2000"])
        #expect(index.text("//section[@id='quantization']//tbody/tr[2]/td") == ["other", "20.00", "—", "31.00 / 0.3000"])
        #expect(index.linkTargets.contains("models/other/quantization.html"))
    }

    @Test func resultsWithoutSchemesHaveNoQuantizationSection() throws {
        let files = try SiteRenderer().render(results: SampleResults.ordinary, templates: SampleResults.templates, assets: SampleResults.assets)
        let index = try #require(HTMLChecker.parse(files["index.html"]!))
        #expect(index.count("//section[@id='quantization']") == 0)
        #expect(!files.keys.contains { $0.contains("quantization") })
    }

    @Test func schemeResultsRoundTripThroughJSON() throws {
        var r = Self.results[0]
        r.quantization![0].layers[0].accumulatedSQNR = .infinity
        let back = try ResultsCoding.decode(try ResultsCoding.encode(r), file: "x.json")
        #expect(back == r)
    }
}

/// Page-model parts for checking template variables without a render.
enum PageFixtures {
    static let chrome = PageChrome(
        pageTitle: "t", embedded: false, anchor: "a", idPrefix: "", stylesheet: nil, script: nil, siteNav: [],
        modelLabel: nil, modelNav: [], toolVersion: "0", generatedAt: nil)

    /// A figure for a chart without adding it to any site.
    static func figure(_ chart: ModelCharts.Placed) -> Figure {
        Figure(src: chart.path, width: String(chart.image.width), height: String(chart.image.height), alt: chart.image.alt,
               xTicks: [], yTicks: [])
    }
}

extension PageFixtures {
    /// Every view model of the quantization page and the index summary, for template checks.
    static var quantizationModels: [Any] {
        let results = QuantizationPageTests.results
        let charts = try! QuantizationCharts.make(for: results[0], slug: "m")
        let page = try! QuantizationPageBuilder.page(results[0], chrome: chrome, charts: charts, place: figure)
        let summary = QuantizationPageBuilder.summary(results, hrefs: ["a", "b", "c"])!
        return [page, page.schemes[0], page.heatmaps[0], page.lineCharts[0], page.worstLayers[0],
                summary, summary.schemeNames[0], summary.rows[0], summary.rows[0].cells[0]]
    }
}
