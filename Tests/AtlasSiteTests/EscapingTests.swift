import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

@Suite struct EscapingTests {
    let files: [String: Data]

    init() throws {
        files = try SiteRenderer().render(results: SampleResults.hostile, templates: SampleResults.templates,
                                          assets: SampleResults.assets)
    }

    var pages: [(String, HTMLDocument)] {
        files.keys.sorted().filter { $0.hasSuffix(".html") }.compactMap { path in
            HTMLChecker.parse(files[path]!).map { (path, $0) }
        }
    }

    @Test func noScriptElementsAndNoEventHandlers() {
        #expect(pages.count == 3)
        for (path, page) in pages {
            #expect(page.scriptCount == 0, "\(path)")
            #expect(page.eventHandlerAttributes.isEmpty, "\(path): \(page.eventHandlerAttributes)")
            #expect(page.problems.isEmpty, "\(path): \(page.problems)")
        }
    }

    @Test func hostileLabelRoundTripsAsText() throws {
        let index = try #require(pages.first { $0.0 == "index.html" }?.1)
        #expect(index.text("//tbody/tr/td[1]/a").contains(SampleResults.hostileLabel))
        let slug = Slug.make(SampleResults.hostileLabel)
        #expect(slug == "script-alert-1-script")
        let page = try #require(pages.first { $0.0 == "models/\(slug).html" }?.1)
        #expect(page.text("//h1") == [SampleResults.hostileLabel])
        #expect(page.text("//title") == [SampleResults.hostileLabel + " · OutlierAtlas"])
        #expect(page.strings("//img/@alt").filter { $0.contains(SampleResults.hostileLabel) }.count == 2)
    }

    @Test func hostileTokensRoundTripThroughXPath() throws {
        let page = try #require(pages.first { $0.0 == "models/script-alert-1-script.html" }?.1)
        let massiveTokens = Set(page.text("//section[@id='massive']//td[contains(@class,'token')]"))
        #expect(massiveTokens == Set(SampleResults.hostileTokens))
        let layerTokens = page.text("//section[@id='layers']//td[contains(@class,'token')]")
        #expect(layerTokens == SampleResults.hostileTokens)
        // The literal text "&amp; literal" stays literal: it is escaped once more in the source.
        let source = String(decoding: files["models/script-alert-1-script.html"]!, as: UTF8.self)
        #expect(source.contains("&amp;amp; literal"))
        #expect(!source.contains("<script"))
        #expect(source.contains("&lt;|endoftext|&gt;"))
    }

    @Test func controlCharactersInTokensBecomeVisibleEscapes() throws {
        let files = try SiteRenderer().render(
            results: [SampleResults.result(label: "c", tokens: ["a\nb", "\u{0}\t\\", "é ✓"])],
            templates: SampleResults.templates, assets: SampleResults.assets)
        let page = try #require(HTMLChecker.parse(files["models/c.html"]!))
        #expect(page.problems.isEmpty, "\(page.problems)")
        let tokens = page.text("//section[@id='layers']//td[contains(@class,'token')]")
        #expect(tokens == [#"a\nb"#, #"\u{0}\t\\"#, "é ✓", #"a\nb"#])
    }
}
