import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// The baseline-versus-variants page: content, shared colour scale, links, escaping,
/// determinism and the single file.
@Suite struct ComparisonPageTests {
    let files: [String: Data]
    let path = "models/\(ComparisonSample.slug)/comparison.html"

    init() throws {
        files = try SampleResults.site([ComparisonSample.result, SampleResults.result(label: "plain", layers: 2)])
    }

    func page(_ path: String) throws -> HTMLDocument {
        let data = try #require(files[path], "\(path)")
        let document = try #require(HTMLChecker.parse(data))
        #expect(document.problems.isEmpty, "\(path): \(document.problems)")
        return document
    }

    /// The attention-sink table: one column per model with sink figures (the baseline, then the
    /// variants that have them), one row per block; absent when only the baseline has them.
    @Test func attentionOnTheSinkPerModel() throws {
        #expect(try page(path).count("//section[@id='sinks']") == 0)
        let site = try SampleResults.site([ComparisonSample.withSinks])
        let data = try #require(site["models/smollm2-mitigated-sinks/comparison.html"], "\(site.keys.sorted())")
        let document = try #require(HTMLChecker.parse(data))
        #expect(document.text("//section[@id='sinks']//thead//th") == ["Block", "baseline", "tma-removal:mode=zero,windows=4"])
        #expect(document.text("//section[@id='sinks']//tbody/tr[1]/td") == ["0", "0.5500", "0.8000"])
        #expect(document.count("//section[@id='sinks']//tbody/tr") == 4)
        #expect(document.text("//section[@id='sinks']/p").first?.contains("negative positions") == true)
    }

    /// A window with hundreds of sink positions (Gemma) names the first 8 and the count.
    @Test func longSinkListsAreCut() {
        let many = SinkSummary(window: 0, positions: Array(0..<300), tokens: (0..<300).map { "t\($0)" }, fallback: false, layers: [])
        let text = AnatomyPageBuilder.sinkPositionsText(many)
        #expect(text.hasPrefix("0 (") && text.contains("7 (") && !text.contains("8 (") && text.hasSuffix(" … (300 positions)"), "\(text)")
        let few = SinkSummary(window: 0, positions: [-1, 0], tokens: ["a", "b"], fallback: false, layers: [])
        #expect(!AnatomyPageBuilder.sinkPositionsText(few).contains("positions)"))
    }

    @Test func tableFindingsAndCharts() throws {
        let page = try page(path)
        #expect(page.text("//section[@id='metrics']//tbody/tr/td[1]") == ["baseline", "tma-removal", ComparisonSample.hostileName])
        #expect(page.text("//section[@id='metrics']//thead/tr/th").suffix(2) == ["W8A8 perplexity", "W8A8 KL"])
        // Baseline: 9 massive, max 900, 1 outlier channel (7), mean kurtosis (4·63·3 + 40+41+42+43)/256.
        #expect(page.text("//section[@id='metrics']//tbody/tr[1]/td") ==
                ["baseline", "baseline", "—", "9", "900.0", "1", "3.602", "21.73", "22.50", "0.02000"])
        #expect(page.text("//section[@id='metrics']//tbody/tr[2]/td[position() >= 4]") ==
                ["1", "0.9900", "0", "3.000", "21.90", "22.00", "0.01000"])
        #expect(page.text("//section[@id='metrics']//tbody/tr[3]/td[position() >= 4]") ==
                ["9", "2000", "2", "3.000", "21.73", "—", "—"])
        #expect(page.text("//section[@id='metrics']//tbody/tr/td[2]/span") == ["baseline", "lossy", "exact"])
        #expect(page.text("//section[@id='findings']//span[@class='finding']") == [
            "removes 89 % of massive activations (9 → 1), float perplexity +0.1655 (+0.76 %, lossy); W8A8 perplexity 22.50 → 22.00",
            "keeps all 9 massive activations (9 → 9), float perplexity +1e-4 (+4.6e-4 %, exact); W8A8 not evaluated on the variant",
        ])
        // Two pairs of heatmaps (baseline | variant), a colour bar and three per-block charts.
        #expect(page.count("//div[@class='pair']/figure[contains(@class,'heatmap')]//img") == 4)
        #expect(page.count("//section[@id='per-block']//img") == 3)
        #expect(page.count("//img[@width and @height and string-length(@alt) > 20]") == 4 + 1 + 3)
        for src in page.imageSources {
            let image = SitePaths.resolve(src, from: path)
            let png = try PNGFile(try #require(files[image], "\(image)"))
            #expect(png.width > 0)
        }
        for href in page.linkTargets { #expect(files[SitePaths.resolve(href, from: path)] != nil, "\(href)") }
    }

    @Test func everyHeatmapSharesOneColourScale() throws {
        let result = ComparisonSample.result
        let model = SiteModel(try PublishedResult(encoding: result), slug: "m")
        let charts = try ComparisonCharts.make(for: model, baseline: ComparisonPageBuilder.baselineProfile(result),
                                               variants: result.variants!)
        let scale = try #require(charts.scale)
        // The top is the hostile variant's channel 3 (2000), above the baseline's own 900.
        #expect(scale.upper == 2000)
        let lowest = result.taps.filter { $0.tap == "ffn.resid" }.flatMap(\.channelAbsmax).min()!
        #expect(scale.lower == Double(lowest))
        #expect(charts.baseline != nil && charts.variants.count == 2 && charts.variants.allSatisfy { $0 != nil })
        // Every heatmap and the colour bar state the same range.
        let range = SharedScales.range(scale)
        let alts = ([charts.baseline, charts.colorBar] + charts.variants).map { $0!.image.alt }
        #expect(alts.allSatisfy { $0.contains(range) }, "\(alts)")
        let page = try page(path)
        #expect(page.text("//div[@class='colorbar']//div[@class='axis-x']/span").last == "1000")
    }

    @Test func hostileNamesSpecsAndNotesStayText() throws {
        let page = try page(path)
        #expect(page.scriptCount == 1 && page.strings("//script/@src").count == 1)
        #expect(page.eventHandlerAttributes.isEmpty, "\(page.eventHandlerAttributes)")
        #expect(page.text("//section[@id='findings']//strong") == ["tma-removal", ComparisonSample.hostileName])
        #expect(page.text("//section[@id='findings']//code[@class='spec']").last == ComparisonSample.hostileSpec)
        #expect(page.text("//section[@id='findings']//ul[@class='notes']/li") ==
                ["blocks 1: channel 117 above 3.5", ComparisonSample.hostileNote, "second note"])
        #expect(page.text("//div[@class='pair']/figure[2]/figcaption").last == ComparisonSample.hostileName)
        let index = try self.page("index.html")
        #expect(index.scriptCount == 1)
        #expect(index.text("//section[@id='variants']//tbody/tr/td[2]") == ["tma-removal", ComparisonSample.hostileName])
    }

    @Test func overviewAndIndexLinkToTheComparison() throws {
        let overview = try page("models/\(ComparisonSample.slug)/index.html")
        let targets = overview.linkTargets.map { SitePaths.resolve($0, from: "models/\(ComparisonSample.slug)/index.html") }
        #expect(targets.filter { $0 == path }.count == 2) // model navigation + the lede's sentence
        let index = try page("index.html")
        #expect(index.strings("//section[@id='variants']//tbody/tr/td[1]/a/@href") == [path, path])
        #expect(index.text("//section[@id='variants']//tbody/tr[1]/td[4]").first?.hasPrefix("removes 89 %") == true)
        // The model without variants has no comparison page and no link to one.
        #expect(files["models/plain/comparison.html"] == nil)
        let plain = try page("models/plain/index.html")
        #expect(!plain.linkTargets.contains { $0.contains("comparison") })
        #expect(!files.keys.contains { $0.hasPrefix("images/plain/comparison") })
    }

    @Test func noVariantsAnywhereMeansNoSectionNoPage() throws {
        let plain = try SampleResults.site(SampleResults.ordinary)
        #expect(!plain.keys.contains { $0.contains("comparison") })
        let index = try #require(HTMLChecker.parse(plain["index.html"]!))
        #expect(index.count("//section[@id='variants']") == 0)
    }

    @Test func byteIdenticalTwiceInBothModes() throws {
        let results = [ComparisonSample.result, SampleResults.result(label: "plain", layers: 2)]
        #expect(try SampleResults.site(results.reversed()) == files)
        #expect(try SampleResults.singleFile(results) == (try SampleResults.singleFile(results.reversed())))
    }

    @Test func singleFileEmbedsTheComparison() throws {
        let single = try #require(HTMLChecker.parse(try SampleResults.singleFile([ComparisonSample.result])))
        #expect(single.problems.isEmpty, "\(single.problems)")
        let anchor = SiteLinker.anchor(for: path)
        let section = "//section[@id='\(anchor)']"
        #expect(single.count(section) == 1)
        #expect(single.count("\(section)//section[@id='\(anchor)__metrics']") == 1)
        let sources = single.strings("\(section)//img/@src")
        #expect(sources.count == 8)
        #expect(sources.allSatisfy { $0.hasPrefix("data:image/png;base64,") })
        let ids = Set(single.strings("//@id"))
        #expect(ids.count == single.strings("//@id").count, "duplicate ids")
        let links = single.linkTargets.filter { $0.hasPrefix("#") }
        #expect(links.contains("#" + anchor))
        for link in links { #expect(ids.contains(String(link.dropFirst())), "\(link)") }
    }
}
