import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

/// The anatomy page: rendered only for results with an anatomy, linked from the model page,
/// clean HTML, every link and image resolving, hostile tokens kept as text.
@Suite struct AnatomyPageTests {
    static let hostile = SampleResults.hostileTokens
    let files: [String: Data]

    init() throws {
        files = try SiteRenderer().render(
            results: [AnatomySample.result(label: "Tiny", tokens: Self.hostile)] + SampleResults.ordinary,
            templates: SampleResults.templates, assets: SampleResults.assets)
    }

    func page(_ path: String) throws -> HTMLDocument {
        let data = try #require(files[path], "\(path) missing; have \(files.keys.sorted())")
        return try #require(HTMLChecker.parse(data))
    }

    @Test func pageExistsOnlyWithAnAnatomyAndIsLinked() throws {
        #expect(files.keys.filter { $0.hasSuffix("-anatomy.html") } == ["models/tiny-anatomy.html"])
        #expect(try page("models/tiny.html").linkTargets.contains("tiny-anatomy.html"))
        #expect(!(try page("models/minilm-l6.html").linkTargets.contains { $0.contains("anatomy") }))
        for image in ["timeline", "sinks", "heatmap", "colorbar"] {
            let png = try #require(files["images/tiny-anatomy-\(image).png"])
            #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        }
    }

    @Test func parsesCleanlyAndEveryLinkResolves() throws {
        let doc = try page("models/tiny-anatomy.html")
        #expect(doc.problems.isEmpty, "\(doc.problems)")
        #expect(doc.scriptCount == 0 && doc.eventHandlerAttributes.isEmpty)
        #expect(doc.count("//h1") == 1)
        let references = doc.linkTargets + doc.imageSources + doc.stylesheetLinks
        #expect(references.count >= 8)
        for reference in references {
            #expect(!reference.contains(":") && !reference.hasPrefix("/"))
            let target = URL(fileURLWithPath: "/site/models/").appendingPathComponent(reference).standardized.path
            #expect(files[String(target.dropFirst("/site/".count))] != nil, "\(reference) → \(target)")
        }
    }

    @Test func showsTheOriginTablesAndCriteria() throws {
        let doc = try page("models/tiny-anatomy.html")
        let origin = doc.text("(//section[@id='origin']//table)[1]/tbody/tr[1]/td")
        #expect(origin.count == 13)
        #expect(origin[0] == "7" && origin[1] == "1" && origin[2] == "ffn.down_in (y6)" && origin[5] == "117")
        #expect(origin[6] == "[7, 117]" && origin[7] == "-1543" && origin[11] == "99.95 %")
        let massive = doc.text("//section[@id='massive-dimensions']//tbody/tr[1]/td")
        #expect(massive.prefix(7) == ["7", "1", "ffn.down_out (y7)", "1", "×386.0", "ffn.down_out (y7)", "1–3"])
        let outliers = doc.text("//section[@id='channel-outliers']//tbody/tr/td[13]")
        #expect(outliers.filter { $0 == "gamma" }.count == 2)
        let criteria = doc.text("//section[@id='criteria']//dd")
        #expect(criteria.contains { $0.contains("k = 10") } && criteria.contains("rule <gamma>"))
        #expect(doc.text("//section[@id='sinks']//tbody/tr").count == 4)
        #expect(doc.text("//section[@id='taps']//tbody/tr").count == 8)  // 4 blocks × 2 taps in SampleResults
        #expect(doc.text("//section[@id='non-finite']//tbody/tr/td[4]").first?.contains("nan at window 0, position 1, dim 3") == true)
    }

    @Test func hostileTokensStayText() throws {
        let doc = try page("models/tiny-anatomy.html")
        let tokens = doc.text("//section[@id='origin']//td[@class='token']/code")
        #expect(tokens.contains(Self.hostile[0]))
        #expect(tokens.contains(Self.hostile[1]))
        let raw = String(decoding: files["models/tiny-anatomy.html"]!, as: UTF8.self)
        #expect(!raw.contains("<script>"))
        #expect(raw.contains("&lt;/td&gt;&lt;script&gt;"))
    }
}

/// Every property name of the anatomy page model and its rows, for `TemplateTests`.
enum AnatomyPageFixtures {
    static var names: Set<String> {
        let result = AnatomySample.result(label: "m", tokens: ["a", "b"])
        let anatomy = result.anatomy!
        let charts = try! AnatomyCharts.make(for: result, anatomy: anatomy, slug: "m")
        let page = AnatomyPageBuilder.page(result, anatomy: anatomy, slug: "m", charts: charts)
        let rows: [Any] = [page, page.massive[0], page.origins[0], page.carriers[0], page.sinks[0], page.channelOutliers[0],
                           page.triggers[0], page.taps[0], page.weights[0], page.norms[0], page.nonFinite[0]]
        return Set(rows.flatMap { Mirror(reflecting: $0).children.compactMap(\.label) })
    }
}
