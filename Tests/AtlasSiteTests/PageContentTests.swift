import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// What the layers, methods and downloads pages say.
@Suite struct PageContentTests {
    let files: [String: Data]

    init() throws { files = try SampleResults.site(SampleResults.ordinary) }

    func page(_ path: String) throws -> HTMLDocument {
        let data = try #require(files[path])
        return try #require(HTMLChecker.parse(data))
    }

    @Test func layersPageListsEveryTapOfEveryBlock() throws {
        let page = try page("models/smollm2-135m-q4-1/layers.html")
        let rows = "//section[@id='taps']//tbody/tr"
        #expect(page.count(rows) == 5 * 3)
        #expect(page.text("//section[@id='taps']//thead//th").map { $0.trimmingCharacters(in: .whitespaces) } == [
            "Block", "Tap", "y", "Max |x|", "Median |x|", "Max / median", "Massive", "Non-finite", "Top value", "Top token",
            "Where (window, position, dim)", "Elements"])
        #expect(page.text("\(rows)[1]/td[2]") == ["attn.out"])
        #expect(page.text("\(rows)[2]/td[2]") == ["ffn.down_in"] && page.text("\(rows)[2]/td[3]") == ["y6"])
        #expect(page.text("\(rows)[3]/td[3]") == ["y8"])
        // Block 2: ffn.down_in has 2 non-finite values; ffn.resid max 600, median 0.07 → ratio 8571.
        #expect(page.text("\(rows)[8]/td[8]") == ["2"])
        #expect(page.text("\(rows)[9]/td[4]") == ["600.0"] && page.text("\(rows)[9]/td[6]") == ["8571"])
        #expect(page.strings("\(rows)/@id") == (0..<5).map { "block-\($0)" })
        #expect(page.strings("//nav[@class='jump']/a/@href").last == "../../models/smollm2-135m-q4-1/layers.html#block-4")
    }

    @Test func tapHeatmapLabelsRowsWithTapNamesAndYIndex() throws {
        let page = try page("models/smollm2-135m-q4-1/layers.html")
        #expect(page.text("//figure[contains(@class,'taps')]/div[@class='chart-frame']/div[@class='axis-y']/span") ==
                ["attn.out", "ffn.down_in (y6)", "ffn.resid (y8)"])
        #expect(page.text("//figure[contains(@class,'taps')]/div[@class='chart-frame']/div[@class='axis-x']/span") == ["0", "1", "2", "3", "4"])
    }

    @Test func tapGridMarksUnobservedTapsAsMissing() throws {
        var result = SampleResults.result(label: "g", layers: 2)
        result.taps.removeAll { $0.block == 1 && $0.tap == "attn.out" }
        let grid = SiteModel(try PublishedResult(encoding: result), slug: "g").tapMaxGrid()
        #expect(grid.count == 3 && grid[0].count == 2)
        #expect(grid[0][0] == 2 && grid[0][1].isNaN)
        #expect(grid[2][1] == 300)
    }

    @Test func methodsPageStatesScoringsCriteriaAndProvenance() throws {
        let page = try page("methods.html")
        #expect(page.text("//section[@id='perplexity']//tbody/tr/td") == ["512", "0…510", "511", "256…510", "255"])
        #expect(page.text("//section[@id='massive']//li") == ["|x| > 100 and |x| > 1000 × median |x| of the hidden state"])
        #expect(page.count("//section[@id='provenance']//tbody/tr") == 3)
        #expect(page.text("//section[@id='provenance']//tbody/tr[1]/td[4]") == [String(repeating: "ab", count: 32)])
        #expect(page.text("//section[@id='provenance']//tbody/tr[1]/td[9]") == ["8 × 512"])
        for id in ["taps", "statistics", "text", "kurtosis", "charts", "csv", "determinism"] {
            #expect(page.count("//section[@id='\(id)']") == 1, "\(id)")
        }
        #expect(page.text("//section[@id='kurtosis']").first?.contains("Pearson") == true)
    }

    @Test func scoredRowsFollowLlamaCppForOddWindows() {
        let row = MethodsPage.scoring(7)
        #expect((row.allRows, row.allCount, row.halfRows, row.halfCount) == ("0…5", "6", "3…5", "3"))
        #expect(MethodsPage.scoring(2).halfCount == "0")
    }

    @Test func downloadsPageLinksEveryFileOfEveryModel() throws {
        let page = try page("downloads.html")
        #expect(page.count("//section[starts-with(@id,'model-')]") == 3)
        let links = page.strings("//a[@download]/@href")
        #expect(links.count == 15)
        #expect(links.allSatisfy { files[SitePaths.resolve($0, from: "downloads.html")] != nil })
        #expect(page.strings("//a[@download]/@download").contains("minilm-l6-massive.json"))
    }
}
