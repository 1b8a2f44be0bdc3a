@testable import AtlasSite
import Mustache
import Testing

/// `TemplateTree` (each struct reflected once) renders every construct the site's templates use
/// exactly as the engine's own per-lookup Mirror does.
@Suite struct TemplateTreeTests {
    struct Cell { var text: String; var note: String? }
    struct Row: MustacheParent {
        var id: String
        func child(named name: String) -> Any? { name == "id" ? id : nil }
    }
    struct Inner { var label: String; var cells: [Cell] }
    struct Page {
        var title: String
        var shown: Bool
        var hidden: Bool
        var count: Int
        var inner: Inner
        var figure: Inner?
        var missing: Inner?
        var notes: [String]
        var empty: [Cell]
        var rows: [Row]
        var note: String?
    }

    static let template = """
        {{title}} {{count}} {{inner.label}}{{#shown}}[shown]{{/shown}}{{#hidden}}[hidden]{{/hidden}}{{^hidden}}[not hidden]{{/hidden}}
        {{#inner}}{{#cells}}<{{text}}|{{note}}|{{title}}>{{/cells}}{{/inner}}
        {{#figure}}figure {{label}}{{/figure}}{{#missing}}missing{{/missing}}{{^missing}}no missing{{/missing}}
        {{#notes}}({{.}}){{/notes}}{{^empty}}nothing{{/empty}}{{#rows}}[{{id}} {{title}}]{{/rows}} {{note}}
        """

    @Test func rendersAsTheEngineDoesByMirror() throws {
        let page = Page(title: "T<&>", shown: true, hidden: false, count: 3,
                        inner: Inner(label: "in", cells: [Cell(text: "a", note: "x"), Cell(text: "b", note: nil)]),
                        figure: Inner(label: "f", cells: []), missing: nil, notes: ["n1", "n2"], empty: [],
                        rows: [Row(id: "r1"), Row(id: "r2")], note: nil)
        let library = MustacheLibrary(templates: ["page": try MustacheTemplate(string: Self.template)])
        let direct = try #require(library.render(page, withTemplate: "page"))
        let tree = try #require(library.render(TemplateTree.node(page), withTemplate: "page"))
        #expect(tree == direct)
        // The nil note of cell b falls through to nothing; the title comes from the page below.
        #expect(direct.contains("<a|x|T&lt;&amp;&gt;><b||T&lt;&amp;&gt;>"))
        #expect(direct.contains("figure f") && direct.contains("no missing") && direct.contains("(n1)(n2)nothing[r1 T&lt;&amp;&gt;]"))
    }
}
