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
        let folder = try templatesCopy {
            try Data("<p>{{>nosuch}}</p>".utf8).write(to: $0.appendingPathComponent("extra.mustache"))
        }
        do {
            _ = try SiteTemplates(directory: folder)
            Issue.record("expected an error")
        } catch {
            guard case let .missingPartial(name, from) = error else { Issue.record("\(error)"); return }
            #expect(name == "nosuch")
            #expect(from.hasSuffix("extra.mustache"))
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

    /// Every `{{name}}` in the templates must exist in some page model that is actually
    /// rendered (the engine renders an unknown name as empty text, silently). The page models
    /// come from a full render in both modes, so a newly registered page is covered too.
    @Test func everyTemplateVariableIsAPageModelProperty() throws {
        var withPages = AnatomySample.result(label: "a", tokens: ["a", "b"])
        withPages.quantization = QuantizationPageTests.results[0].quantization
        withPages.pairs = [ParityPageTests.pair(label: "B", blocks: 2, divergeAt: 1)]
        let results = [SampleResults.result(label: "m", generatedAt: "2026-01-01T00:00:00Z"), withPages, ComparisonSample.result, ComparisonSample.withSinks]
        let templates = try SiteTemplates(directory: SampleResults.templates)
        var known: Set<String> = Set(["."]).union(AnatomyPageFixtures.names)
        for model in PageFixtures.quantizationModels { collectLabels(of: model, into: &known) }
        for mode in [SiteMode.multiFile, .singleFile] {
            let renderer = SiteRenderer()
            let context = try renderer.context(results: results, templates: templates, assets: try SiteRenderer.loadAssets(from: SampleResults.assets), mode: mode)
            for page in try renderer.build(context).pages { collectLabels(of: page.model, into: &known) }
            collectLabels(of: SingleFileHead(title: "", css: "", toc: SingleFileDocument(templates: templates, assets: [:]).toc(context)), into: &known)
            collectLabels(of: SingleFileTail(toolVersion: "", generatedAt: "x", script: "y"), into: &known)
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: SampleResults.templates.path) {
            let text = try String(contentsOf: SampleResults.templates.appendingPathComponent(file), encoding: .utf8)
            for name in tagNames(in: text) {
                for part in name.split(separator: ".") where !part.isEmpty {
                    #expect(known.contains(String(part)), "\(file): {{\(name)}} is not a page-model property")
                }
            }
        }
        #expect(known.contains("rowId") && known.contains("modelNav") && known.contains("scorings"))
    }

    /// Property names of `value` and of everything inside it (optionals, arrays, nested structs).
    func collectLabels(of value: Any, into labels: inout Set<String>, depth: Int = 0) {
        guard depth < 8 else { return }
        for child in Mirror(reflecting: value).children {
            if let label = child.label, label != "some" { labels.insert(label) }
            collectLabels(of: child.value, into: &labels, depth: depth + 1)
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
