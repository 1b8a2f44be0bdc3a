import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

@Suite struct SiteRenderingTests {
    func render(_ results: [RunResult]) throws -> [String: Data] { try SampleResults.site(results) }

    @Test func rendersEveryRegisteredPageOfEveryModel() throws {
        let files = try render(SampleResults.ordinary)
        let slugs = ["minilm-l6", "smollm2-135m-q4-1", "smollm2-135m-q4-1-2"]
        var expected: Set<String> = ["index.html", "methods.html", "downloads.html", "assets/style.css", "assets/sort-tables.js",
                                     SharedScales.blockOutputBarPath, SharedScales.tapMaxBarPath]
        for slug in slugs {
            expected.formUnion(["models/\(slug)/index.html", "models/\(slug)/layers.html"])
            expected.formUnion(["block-output-heatmap", "layers", "massive-per-layer", "sparkline", "tap-heatmap"].map { "images/\(slug)/\($0).png" })
            expected.formUnion(["taps.csv", "taps.json", "massive.csv", "massive.json", "results.json"].map { "data/\(slug)/\($0)" })
        }
        #expect(Set(files.keys) == expected, "\(Set(files.keys).symmetricDifference(expected).sorted())")
    }

    @Test func everyPageParsesWithoutDiagnostics() throws {
        let files = try render(SampleResults.ordinary + SampleResults.hostile)
        var pages = 0
        for (path, data) in files where path.hasSuffix(".html") {
            let page = try #require(HTMLChecker.parse(data), "\(path) did not parse")
            #expect(page.problems.isEmpty, "\(path): \(page.problems)")
            #expect(page.count("//h1") == 1, "\(path)")
            pages += 1
        }
        #expect(pages == 3 + 2 * 5 + 2)  // + the hostile model's anatomy and quantization pages
    }

    /// Every href, src and stylesheet of every page is relative and names a file of the site;
    /// every fragment names an id on the target page.
    @Test func everyInternalLinkAndImageResolves() throws {
        let files = try render(SampleResults.ordinary)
        var documents: [String: HTMLDocument] = [:]
        for (path, data) in files where path.hasSuffix(".html") {
            let document = try #require(HTMLChecker.parse(data))
            documents[path] = document
        }
        var checked = 0, fragments = 0
        for (path, page) in documents {
            #expect(page.stylesheetLinks.count == 1)
            for reference in page.linkTargets + page.imageSources + page.stylesheetLinks + page.strings("//script/@src") {
                #expect(!reference.contains(":") && !reference.hasPrefix("/"), "\(path): \(reference) is not a relative URL")
                let target = SitePaths.resolve(reference, from: path)
                #expect(files[target] != nil, "\(path): \(reference) → \(target) is not in the site")
                if let fragment = reference.split(separator: "#", maxSplits: 1).dropFirst().first {
                    let ids = try #require(documents[target]).strings("//@id")
                    #expect(ids.contains(String(fragment)), "\(path): #\(fragment) is not an id of \(target)")
                    fragments += 1
                }
                checked += 1
            }
        }
        #expect(checked > 100)
        #expect(fragments == (5 + 3 + 2) + 3 + 1) // block jump links, overview → downloads, downloads → methods
    }

    @Test func noExternalURLAnywhere() throws {
        let files = try render(SampleResults.ordinary + SampleResults.hostile)
        for (path, data) in files where !path.hasSuffix(".png") {
            let text = String(decoding: data, as: UTF8.self).lowercased()
            for needle in ["http:", "https:", "\"//", "'//", "url(", "@import", "javascript:", "ftp:"] {
                #expect(!text.contains(needle), "\(path) contains \(needle)")
            }
        }
        for template in try FileManager.default.contentsOfDirectory(atPath: SampleResults.templates.path) {
            let text = try String(contentsOf: SampleResults.templates.appendingPathComponent(template), encoding: .utf8)
            #expect(!text.contains("http:") && !text.contains("https:") && !text.contains("\"//"), "\(template)")
        }
    }

    @Test func imagesHaveSizeAltTextAndMatchTheirPNG() throws {
        let files = try render(SampleResults.ordinary)
        for (path, data) in files where path.hasSuffix(".html") {
            let page = try #require(HTMLChecker.parse(data))
            #expect(page.count("//img[not(@width) or not(@height) or string-length(@alt) < 20]") == 0, "\(path)")
            let sources = page.imageSources, widths = page.strings("//img/@width"), heights = page.strings("//img/@height")
            for (index, src) in sources.enumerated() {
                let png = try PNGFile(try #require(files[SitePaths.resolve(src, from: path)]))
                #expect(widths[index] == String(png.width) && heights[index] == String(png.height), "\(path): \(src)")
            }
        }
        let overview = try #require(HTMLChecker.parse(files["models/smollm2-135m-q4-1/index.html"]!))
        #expect(overview.count("//img") == 4) // heatmap, shared colour bar, line chart, bars
        #expect(overview.count("//div[@class='axis-x']/span[@class='tick']") > 3)
    }

    @Test func comparedHeatmapsShareOneColourBar() throws {
        let files = try render(SampleResults.ordinary)
        let bars = try ["minilm-l6", "smollm2-135m-q4-1"].map { slug in
            try #require(HTMLChecker.parse(files["models/\(slug)/index.html"]!)).strings("//div[@class='colorbar']//img/@src")
        }
        #expect(bars[0] == ["../../" + SharedScales.blockOutputBarPath] && bars[0] == bars[1])
        // The shared scale spans every model: seed 3 reaches 300 × 1 × 3 = 900 at layer 1 of a 2-layer model.
        let scales = try SharedScales(models: SampleResults.ordinary.map { SiteModel(try PublishedResult(encoding: $0), slug: "x") })
        #expect(scales.blockOutput?.upper == 1200)
        #expect(scales.blockOutput?.lower == Double(Float(0.1)))
    }

    @Test func indexListsModelsSortedByLabelWithSparklines() throws {
        let files = try render(SampleResults.ordinary)
        let index = try #require(HTMLChecker.parse(files["index.html"]!))
        #expect(index.text("//tbody/tr/td[1]/a") == ["MiniLM L6", "SmolLM2-135M Q4_1", "smollm2 135m q4 1"])
        #expect(index.text("//tbody/tr[2]/td[5]") == ["21.73"])
        #expect(index.text("//tbody/tr[2]/td[6]") == ["17.25"])
        #expect(index.text("//tbody/tr[1]/td[5]") == ["—"])
        #expect(index.text("//tbody/tr[2]/td[8]") == ["1200"])
        #expect(index.strings("//td[@class='spark']//img/@src") == ["minilm-l6", "smollm2-135m-q4-1", "smollm2-135m-q4-1-2"].map { "images/\($0)/sparkline.png" })
        #expect(index.text("//tbody/tr[1]/td[10]") == ["—"])
    }

    @Test func quantizationSchemesAppearOnTheIndex() throws {
        var result = SampleResults.result(label: "q")
        result.quantization = ["W8A8", "W4A16"].map { QuantizationPageTests.scheme($0, blocks: 4, base: 30, kl: 0.1, ppl: 22) }
        let index = try #require(HTMLChecker.parse(try render([result])["index.html"]!))
        #expect(index.text("//tbody/tr[1]/td[10]") == ["W8A8, W4A16"])
    }

    @Test func overviewShowsLayersMassiveActivationsAndNavigation() throws {
        let files = try render(SampleResults.ordinary)
        let page = try #require(HTMLChecker.parse(files["models/smollm2-135m-q4-1/index.html"]!))
        #expect(page.count("//section[@id='layers']//tbody/tr") == 5)
        #expect(page.text("//section[@id='layers']//tbody/tr[3]/td[2]") == ["600.0"])
        #expect(page.count("//section[@id='massive']//tbody/tr") == 4)
        #expect(page.text("//dl[contains(@class,'provenance')]/dt").contains("Model SHA-256"))
        #expect(!page.text("//dl[contains(@class,'provenance')]/dt").contains("Generated at"))
        #expect(page.text("//nav[@class='model-nav']/a") == ["Overview", "Layers and taps"])
        #expect(page.strings("//nav[@class='model-nav']/a[@aria-current='page']/@href") == ["../../models/smollm2-135m-q4-1/index.html"])
        #expect(page.strings("//figure[contains(@class,'bars')]//img/@alt").first?.contains("4 in total") == true)
    }

    @Test func generatedAtIsShownOnlyWhenSet() throws {
        let stamped = try render([SampleResults.result(label: "a", generatedAt: "2026-01-02T03:04:05Z")])
        let page = try #require(HTMLChecker.parse(stamped["models/a/index.html"]!))
        #expect(page.text("//footer//time") == ["2026-01-02T03:04:05Z"])
        let plain = try render([SampleResults.result(label: "a")])
        for (path, data) in plain where path.hasSuffix(".html") {
            #expect(try #require(HTMLChecker.parse(data)).count("//time") == 0, "\(path)")
            #expect(!String(decoding: data, as: UTF8.self).contains("20" + "26"), "\(path)")
        }
    }

    @Test func renderingTwiceIsByteIdentical() throws {
        let first = try render(SampleResults.ordinary + SampleResults.hostile)
        let second = try render((SampleResults.hostile + SampleResults.ordinary).reversed())
        #expect(first.keys.sorted() == second.keys.sorted())
        for key in first.keys { #expect(first[key] == second[key], "\(key) differs") }
        let single = try SampleResults.singleFile(SampleResults.ordinary + SampleResults.hostile)
        #expect(try SampleResults.singleFile((SampleResults.hostile + SampleResults.ordinary).reversed()) == single)
    }

    @Test func emptyResultsGiveTheSiteWidePagesOnly() throws {
        let files = try render([])
        #expect(Set(files.keys) == ["index.html", "methods.html", "downloads.html", "assets/style.css", "assets/sort-tables.js"])
        for (path, data) in files where path.hasSuffix(".html") {
            #expect(try #require(HTMLChecker.parse(data)).problems.isEmpty, "\(path)")
        }
    }
}

/// Site-path arithmetic for tests.
enum SitePaths {
    /// Resolves a relative reference against a page path, both relative to the site root.
    static func resolve(_ reference: String, from page: String) -> String {
        var parts = page.split(separator: "/").dropLast().map(String.init)
        for component in reference.split(separator: "#", omittingEmptySubsequences: false)[0].split(separator: "/") {
            if component == ".." { _ = parts.popLast() } else if component != "." { parts.append(String(component)) }
        }
        return parts.joined(separator: "/")
    }
}
