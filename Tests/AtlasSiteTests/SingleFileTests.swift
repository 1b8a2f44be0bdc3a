import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// `--single-file`: one document that needs nothing else.
@Suite struct SingleFileTests {
    let data: Data
    let page: HTMLDocument

    init() throws {
        data = try SampleResults.singleFile(SampleResults.ordinary)
        page = try #require(HTMLChecker.parse(data))
    }

    @Test func parsesCleanlyWithEveryPageAsASection() throws {
        #expect(page.problems.isEmpty, "\(page.problems)")
        #expect(page.count("//section[@class='page']") == 3 + 3 * 2)
        #expect(page.count("//h1") == 3 + 3 * 2)
        let ids = page.strings("//@id")
        #expect(Set(ids).count == ids.count, "duplicate ids")
        #expect(page.count("//link") == 0)
        #expect(page.count("//style") == 1)
    }

    @Test func everyLinkIsAFragmentOfThisFileOrADataURI() throws {
        let ids = Set(page.strings("//@id"))
        let links = page.linkTargets
        #expect(links.count > 50)
        for href in links {
            if href.hasPrefix("#") {
                #expect(ids.contains(String(href.dropFirst())), "\(href) names no id")
            } else {
                #expect(href.hasPrefix("data:text/csv;charset=utf-8;base64,") || href.hasPrefix("data:application/json;base64,"), "\(href.prefix(60))")
            }
        }
        #expect(page.count("//a[@download]") == 3 * 4) // the tables; raw results only in the folder site
    }

    @Test func imagesAreEmbeddedPNGsOfTheStatedSize() throws {
        let sources = page.imageSources, widths = page.strings("//img/@width")
        #expect(sources.count == 3 + 3 * 4 + 3 * 2) // sparklines; overview: 4 each; layers: tap heatmap + bar each
        for (src, width) in zip(sources, widths) {
            let prefix = "data:image/png;base64,"
            #expect(src.hasPrefix(prefix))
            let png = try PNGFile(try #require(Data(base64Encoded: String(src.dropFirst(prefix.count)))))
            #expect(String(png.width) == width)
        }
    }

    @Test func stylesheetIsInlinedUnchanged() throws {
        let css = String(decoding: SampleResults.assets.appendingPathComponent("style.css").contents, as: UTF8.self)
        #expect(page.text("//style").first?.trimmingCharacters(in: .whitespacesAndNewlines) == css.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func downloadsDecodeToTheFolderSiteFiles() throws {
        let files = try SampleResults.site(SampleResults.ordinary)
        let hrefs = page.strings("//a[@download='minilm-l6-taps.csv']/@href")
        let encoded = try #require(hrefs.first?.split(separator: ",", maxSplits: 1).last)
        #expect(Data(base64Encoded: String(encoded)) == files["data/minilm-l6/taps.csv"])
    }

    /// An inlined asset must survive the template engine's escaping unchanged.
    @Test func anAssetWithEscapedCharactersIsRejectedNamingIt() throws {
        var assets = try SiteRenderer.loadAssets(from: SampleResults.assets)
        assets["sort-tables.js"] = Data("var a = 1;\nif (a < 2) {}\n".utf8)
        let templates = try SiteTemplates(directory: SampleResults.templates)
        #expect(throws: SiteError.unsafeInlineAsset(path: "assets/sort-tables.js", found: "'<' in line 2",
                                                    expected: "none of < > & \" ' in an asset that is inlined into the single file")) {
            try SiteRenderer().renderSingleFile(results: [], templates: templates, assets: assets)
        }
    }
}

/// The shipped assets obey the rules the single file and the safety tests rely on.
@Suite struct AssetTests {
    @Test(arguments: ["style.css", "sort-tables.js"])
    func assetsHoldNoCharacterTheEngineEscapes(name: String) {
        let text = String(decoding: SampleResults.assets.appendingPathComponent(name).contents, as: UTF8.self)
        #expect(!text.isEmpty)
        #expect(!text.contains { SingleFileDocument.escapedCharacters.contains($0) }, "\(name)")
    }

    @Test func sorterIsAnEnhancementWithoutInlineHandlers() {
        let script = String(decoding: SampleResults.assets.appendingPathComponent("sort-tables.js").contents, as: UTF8.self)
        #expect(script.contains("addEventListener(`click`"))
        #expect(!script.contains("onclick") && !script.contains("innerHTML") && !script.contains("eval("))
        #expect(!script.contains("http") && !script.contains("fetch("))
    }

    @Test func stylesheetHasLightDarkAndPrintStylesAndStickyHeaders() {
        let css = String(decoding: SampleResults.assets.appendingPathComponent("style.css").contents, as: UTF8.self)
        #expect(css.contains("@media (prefers-color-scheme: dark)"))
        #expect(css.contains("@media print"))
        #expect(css.contains("position: sticky"))
    }
}
