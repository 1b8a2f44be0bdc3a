import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// Model names and token strings are untrusted: they must come out as text, never as markup,
/// in every page of both modes.
@Suite struct EscapingTests {
    let files: [String: Data]
    let single: Data

    init() throws {
        files = try SampleResults.site(SampleResults.hostile)
        single = try SampleResults.singleFile(SampleResults.hostile)
    }

    var pages: [(String, HTMLDocument)] {
        files.keys.sorted().filter { $0.hasSuffix(".html") }.compactMap { path in
            HTMLChecker.parse(files[path]!).map { (path, $0) }
        }
    }

    var hostileSlug: String { Slug.make(SampleResults.hostileLabel) }

    /// The only script is our sorter, by reference; no event-handler attribute exists.
    @Test func onlyTheSorterScriptAndNoEventHandlers() {
        #expect(pages.count == 3 + 2 * 2 + 2)  // + the first model's anatomy and quantization pages
        for (path, page) in pages {
            #expect(page.scriptCount == 1, "\(path)")
            let src = page.strings("//script/@src")
            #expect(src.count == 1 && src[0].hasSuffix("assets/sort-tables.js"), "\(path): \(src)")
            #expect(page.text("//script") == [""], "\(path): inline script text")
            #expect(page.eventHandlerAttributes.isEmpty, "\(path): \(page.eventHandlerAttributes)")
            #expect(page.problems.isEmpty, "\(path): \(page.problems)")
        }
    }

    @Test func theSingleFileHasOnlyTheInlinedSorter() throws {
        let page = try #require(HTMLChecker.parse(single))
        #expect(page.problems.isEmpty, "\(page.problems)")
        #expect(page.scriptCount == 1)
        #expect(page.count("//script[@src]") == 0)
        let sorter = String(decoding: SampleResults.assets.appendingPathComponent("sort-tables.js").contents, as: UTF8.self)
        #expect(page.text("//script").first?.trimmingCharacters(in: .whitespacesAndNewlines) == sorter.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(page.eventHandlerAttributes.isEmpty, "\(page.eventHandlerAttributes)")
        #expect(page.count("//section[@class='page']//h1[normalize-space(.)='\(SampleResults.hostileLabel.replacingOccurrences(of: "'", with: ""))']") == 1)
        #expect(Set(page.text("//section[contains(@id,'_massive')]//td[contains(@class,'token')]")).isSubset(of: Set(SampleResults.hostileTokens)))
    }

    @Test func hostileLabelRoundTripsAsText() throws {
        let index = try #require(pages.first { $0.0 == "index.html" }?.1)
        #expect(index.text("//tbody/tr/td[1]/a").contains(SampleResults.hostileLabel))
        #expect(hostileSlug == "script-alert-1-script")
        let page = try #require(pages.first { $0.0 == "models/\(hostileSlug)/index.html" }?.1)
        #expect(page.text("//h1") == [SampleResults.hostileLabel])
        #expect(page.text("//title") == [SampleResults.hostileLabel + " · OutlierAtlas"])
        #expect(page.strings("//img/@alt").filter { $0.contains(SampleResults.hostileLabel) }.count == 3)
        let methods = try #require(pages.first { $0.0 == "methods.html" }?.1)
        #expect(methods.text("//section[@id='provenance']//td[1]/a").contains(SampleResults.hostileLabel))
    }

    @Test func hostileTokensRoundTripThroughXPath() throws {
        let page = try #require(pages.first { $0.0 == "models/\(hostileSlug)/index.html" }?.1)
        let massiveTokens = Set(page.text("//section[@id='massive']//td[contains(@class,'token')]"))
        #expect(massiveTokens == Set(SampleResults.hostileTokens))
        #expect(page.text("//section[@id='layers']//td[contains(@class,'token')]") == SampleResults.hostileTokens)
        let layers = try #require(pages.first { $0.0 == "models/\(hostileSlug)/layers.html" }?.1)
        #expect(Set(layers.text("//td[contains(@class,'token')]")).subtracting([""]) == Set(SampleResults.hostileTokens))
        // The literal text "&amp; literal" stays literal: it is escaped once more in the source.
        let source = String(decoding: files["models/\(hostileSlug)/index.html"]!, as: UTF8.self)
        #expect(source.contains("&amp;amp; literal"))
        #expect(!source.contains("<script>"))
        #expect(source.contains("&lt;|endoftext|&gt;"))
    }

    @Test func controlCharactersInTokensBecomeVisibleEscapes() throws {
        let files = try SampleResults.site([SampleResults.result(label: "c", tokens: ["a\nb", "\u{0}\t\\", "é ✓"])])
        let page = try #require(HTMLChecker.parse(files["models/c/index.html"]!))
        #expect(page.problems.isEmpty, "\(page.problems)")
        let tokens = page.text("//section[@id='layers']//td[contains(@class,'token')]")
        #expect(tokens == [#"a\nb"#, #"\u{0}\t\\"#, "é ✓", #"a\nb"#])
    }
}

extension URL {
    /// The file's bytes (tests only).
    var contents: Data { FileManager.default.contents(atPath: path) ?? Data() }
}
