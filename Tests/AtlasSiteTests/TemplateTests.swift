@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

@Suite struct TemplateTests {
    /// A copy of the real templates in a scratch folder, with `edit` applied.
    func templatesCopy(_ edit: (URL) throws -> Void = { _ in }) throws -> URL {
        let folder = try Fixtures.temporaryDirectory().appendingPathComponent("templates")
        try FileManager.default.copyItem(at: SampleResults.templates, to: folder)
        try edit(folder)
        return folder
    }

    @Test func realTemplatesLoad() throws {
        let templates = try SiteTemplates(directory: SampleResults.templates)
        #expect(Set(SiteTemplates.required).isSubset(of: Set(templates.names)))
    }

    @Test func aMissingPageTemplateIsNamed() throws {
        let folder = try templatesCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("model.mustache")) }
        #expect(throws: SiteError.missingTemplate(name: "model", folder: folder.standardizedFileURL.path)) {
            try SiteTemplates(directory: folder)
        }
    }

    @Test func aMissingPartialIsNamed() throws {
        let folder = try templatesCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("figure.mustache")) }
        do {
            _ = try SiteTemplates(directory: folder)
            Issue.record("expected an error")
        } catch {
            guard case let .missingPartial(name, from) = error else { Issue.record("\(error)"); return }
            #expect(name == "figure")
            #expect(from.hasSuffix("anatomy.mustache") || from.hasSuffix("model.mustache"))
        }
    }

    @Test func aSyntaxErrorFailsAtLoadWithFileAndLine() throws {
        let folder = try templatesCopy {
            try Data("<p>\n{{#models}}\n<b>{{label}}</b>\n".utf8).write(to: $0.appendingPathComponent("broken.mustache"))
        }
        do {
            _ = try SiteTemplates(directory: folder)
            Issue.record("expected an error")
        } catch {
            guard case let .templateSyntax(file, line, _, _) = error else { Issue.record("\(error)"); return }
            #expect(file.hasSuffix("broken.mustache"))
            #expect(line > 0)
        }
    }

    @Test func unescapedOutputIsForbidden() throws {
        for construct in ["{{{label}}}", "{{&label}}", "{{%CONTENT_TYPE:TEXT}}"] {
            let folder = try templatesCopy {
                try Data("<p>\(construct)</p>".utf8).write(to: $0.appendingPathComponent("raw.mustache"))
            }
            #expect(throws: SiteError.self) { try SiteTemplates(directory: folder) }
        }
    }

    @Test func aMissingTemplatesFolderIsAnError() {
        #expect(throws: SiteError.self) {
            try SiteTemplates(directory: URL(fileURLWithPath: "/nonexistent/templates"))
        }
    }

    @Test func missingStylesheetIsAnError() throws {
        let empty = try Fixtures.temporaryDirectory()
        #expect(throws: SiteError.self) {
            try SiteRenderer().render(results: [], templates: SampleResults.templates, assets: empty)
        }
    }

    /// Every `{{name}}` in the templates must exist in some page model (the engine renders an
    /// unknown name as empty text, silently).
    @Test func everyTemplateVariableIsAPageModelProperty() throws {
        let known: Set<String> = Set(
            ([Mirror(reflecting: PageFixtures.modelPage), Mirror(reflecting: PageFixtures.indexPage),
             Mirror(reflecting: PageFixtures.modelPage.chrome), Mirror(reflecting: PageFixtures.modelPage.layers[0]),
             Mirror(reflecting: PageFixtures.modelPage.massive[0]), Mirror(reflecting: PageFixtures.figure),
             Mirror(reflecting: PageFixtures.figure.xTicks[0]), Mirror(reflecting: PageFixtures.modelPage.legend[0]),
             Mirror(reflecting: PageFixtures.modelPage.architecture[0]), Mirror(reflecting: PageFixtures.indexPage.models[0])]
                + PageFixtures.quantizationModels.map { Mirror(reflecting: $0) })
                .flatMap { $0.children.compactMap(\.label) }) .union(["."]).union(AnatomyPageFixtures.names)
        for file in try FileManager.default.contentsOfDirectory(atPath: SampleResults.templates.path) {
            let text = try String(contentsOf: SampleResults.templates.appendingPathComponent(file), encoding: .utf8)
            for name in tagNames(in: text) {
                for part in name.split(separator: ".") where !part.isEmpty {
                    #expect(known.contains(String(part)), "\(file): {{\(name)}} is not a page-model property")
                }
            }
        }
    }

    func tagNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            var tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if tag.hasPrefix("/") { continue }
            if let sigil = tag.first, "#^".contains(sigil) { tag.removeFirst() }
            else if let sigil = tag.first, "<>$!".contains(sigil) { continue }
            if tag != "." { names.append(tag.trimmingCharacters(in: .whitespaces)) }
        }
        return names
    }
}

/// Page models built from sample results, for reflection in tests.
enum PageFixtures {
    static let result = SampleResults.result(label: "m", generatedAt: "2026-01-01T00:00:00Z")
    static var charts: ModelCharts { try! ModelCharts.make(for: result, slug: "m") }
    static var modelPage: ModelPage { ModelPageBuilder.modelPage(result, charts: charts) }
    static var figure: Figure { modelPage.heatmap! }
    static var indexPage: IndexPage {
        IndexPage(chrome: modelPage.chrome, models: [ModelPageBuilder.indexRow(result, slug: "m")], modelCount: "1")
    }
}
