import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

@Suite struct SiteRenderingTests {
    func render(_ results: [RunResult]) throws -> [String: Data] {
        try SiteRenderer().render(results: results, templates: SampleResults.templates, assets: SampleResults.assets)
    }

    @Test func rendersTheExpectedFiles() throws {
        let files = try render(SampleResults.ordinary)
        let expected: Set<String> = [
            "index.html", "assets/style.css",
            "models/minilm-l6.html", "models/smollm2-135m-q4-1.html", "models/smollm2-135m-q4-1-2.html",
        ]
        #expect(expected.isSubset(of: Set(files.keys)), "\(files.keys.sorted())")
        #expect(files.keys.filter { $0.hasPrefix("images/") && $0.hasSuffix(".png") }.count == 9)
    }

    @Test func everyPageParsesWithoutDiagnostics() throws {
        let files = try render(SampleResults.ordinary + SampleResults.hostile)
        for (path, data) in files where path.hasSuffix(".html") {
            let page = try #require(HTMLChecker.parse(data), "\(path) did not parse")
            #expect(page.problems.isEmpty, "\(path): \(page.problems)")
            #expect(page.count("//h1") == 1, "\(path)")
        }
    }

    @Test func everyInternalLinkResolves() throws {
        let files = try render(SampleResults.ordinary)
        var checked = 0
        for (path, data) in files where path.hasSuffix(".html") {
            let page = try #require(HTMLChecker.parse(data))
            let references = page.linkTargets + page.imageSources + page.stylesheetLinks
            #expect(page.stylesheetLinks.count == 1)
            for reference in references {
                #expect(!reference.contains(":") && !reference.hasPrefix("//") && !reference.hasPrefix("/"),
                        "\(path): \(reference) is not a relative URL")
                let target = resolve(reference, from: path)
                #expect(files[target] != nil, "\(path): \(reference) → \(target) is not in the site")
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    @Test func noSchemeOrProtocolRelativeURLAnywhere() throws {
        let files = try render(SampleResults.ordinary + SampleResults.hostile)
        for (path, data) in files where path.hasSuffix(".html") || path.hasSuffix(".css") {
            let text = String(decoding: data, as: UTF8.self).lowercased()
            for needle in ["http:", "https:", "\"//", "'//", "url(", "@import", "javascript:"] {
                #expect(!text.contains(needle), "\(path) contains \(needle)")
            }
        }
        for template in try FileManager.default.contentsOfDirectory(atPath: SampleResults.templates.path) {
            let text = try String(contentsOf: SampleResults.templates.appendingPathComponent(template), encoding: .utf8)
            #expect(!text.contains("http:") && !text.contains("https:") && !text.contains("\"//"), "\(template)")
        }
    }

    @Test func imagesHaveSizeAndAltText() throws {
        let files = try render(SampleResults.ordinary)
        let page = try #require(HTMLChecker.parse(files["models/smollm2-135m-q4-1.html"]!))
        #expect(page.count("//img") == 3)
        #expect(page.count("//img[@width and @height and string-length(@alt) > 20]") == 3)
        // The heatmap's width attribute matches the PNG's IHDR width.
        let src = try #require(page.strings("//figure[contains(@class, 'heatmap')]//img/@src").first)
        let png = try PNGFile(files[resolve(src, from: "models/x.html")]!)
        #expect(page.strings("//figure[contains(@class, 'heatmap')]//img/@width").first == String(png.width))
        // Tick labels are HTML text placed by CSS.
        #expect(page.count("//div[@class='axis-x']/span[@class='tick']") > 3)
    }

    @Test func indexListsModelsSortedByLabelWithBothPerplexities() throws {
        let files = try render(SampleResults.ordinary)
        let index = try #require(HTMLChecker.parse(files["index.html"]!))
        #expect(index.text("//tbody/tr/td[1]/a") == ["MiniLM L6", "SmolLM2-135M Q4_1", "smollm2 135m q4 1"])
        #expect(index.text("//tbody/tr[2]/td[5]") == ["21.73"])
        #expect(index.text("//tbody/tr[2]/td[6]") == ["17.25"])
        #expect(index.text("//tbody/tr[1]/td[5]") == ["—"])
        #expect(index.text("//tbody/tr[2]/td[8]") == ["1200"])
    }

    @Test func modelPageShowsLayersAndMassiveActivations() throws {
        let files = try render(SampleResults.ordinary)
        let page = try #require(HTMLChecker.parse(files["models/smollm2-135m-q4-1.html"]!))
        #expect(page.count("//section[@id='layers']//tbody/tr") == 5)
        #expect(page.text("//section[@id='layers']//tbody/tr[3]/td[2]") == ["600.0"])
        #expect(page.count("//section[@id='massive']//tbody/tr") == 4)
        #expect(page.text("//dl[contains(@class,'provenance')]/dt").contains("Model SHA-256"))
        #expect(!page.text("//dl[contains(@class,'provenance')]/dt").contains("Generated at"))
    }

    @Test func generatedAtIsShownOnlyWhenSet() throws {
        let stamped = try render([SampleResults.result(label: "a", generatedAt: "2026-01-02T03:04:05Z")])
        let page = try #require(HTMLChecker.parse(stamped["models/a.html"]!))
        #expect(page.text("//footer//time") == ["2026-01-02T03:04:05Z"])
        let plain = try render([SampleResults.result(label: "a")])
        #expect(try #require(HTMLChecker.parse(plain["models/a.html"]!)).count("//time") == 0)
    }

    @Test func renderingTwiceIsByteIdentical() throws {
        let first = try render(SampleResults.ordinary + SampleResults.hostile)
        let second = try render((SampleResults.hostile + SampleResults.ordinary).reversed())
        #expect(first.keys.sorted() == second.keys.sorted())
        for key in first.keys { #expect(first[key] == second[key], "\(key) differs") }
    }

    @Test func emptyResultsGiveAnIndexOnly() throws {
        let files = try render([])
        #expect(Set(files.keys) == ["index.html", "assets/style.css"])
        let index = try #require(HTMLChecker.parse(files["index.html"]!))
        #expect(index.problems.isEmpty)
    }

    /// Resolves a relative reference against a page path, both relative to the site root.
    func resolve(_ reference: String, from page: String) -> String {
        var parts = page.split(separator: "/").dropLast().map(String.init)
        for component in reference.split(separator: "#")[0].split(separator: "/") {
            if component == ".." { _ = parts.popLast() } else if component != "." { parts.append(String(component)) }
        }
        return parts.joined(separator: "/")
    }
}
