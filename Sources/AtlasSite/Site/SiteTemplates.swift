import Foundation
import Mustache

/// The Mustache templates of the site, all loaded and parsed up front so a syntax error, a
/// missing page template or a dangling partial fails before anything is rendered.
///
/// `MustacheLibrary(directory:)` is `async` only in signature (it reads files synchronously) and
/// reports neither a missing template nor a dangling partial (both render as empty), so we walk
/// the folder ourselves with the same naming (`sub/name.mustache` → `sub/name`) and build the
/// library from the parsed templates. We also reject `{{{…}}}`, `{{&…}}` and content-type
/// switches: every value on the site goes through the engine's HTML escaping.
public struct SiteTemplates: Sendable {
    /// Templates the registered pages and the single file use.
    public static var required: [String] { SiteRenderer.requiredTemplates }

    let library: MustacheLibrary
    public let names: [String]

    public init(directory: URL) throws(SiteError) {
        let folder = directory.standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .templatesFolderUnreadable(path: folder, detail: "not a directory")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            throw .templatesFolderUnreadable(path: folder, detail: "cannot be listed")
        }
        let files = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") }.sorted()
        var templates: [String: MustacheTemplate] = [:]
        var texts: [String: String] = [:]
        for file in files {
            let path = folder + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .templatesFolderUnreadable(path: path, detail: "cannot be read")
            }
            let text = String(decoding: data, as: UTF8.self)
            for construct in ["{{{", "{{&", "{{%"] where text.contains(construct) {
                throw .forbiddenConstruct(file: path, construct: construct)
            }
            let name = String(file.dropLast(".mustache".count))
            do {
                templates[name] = try MustacheTemplate(string: text)
            } catch let error as MustacheTemplate.ParserError {
                throw .templateSyntax(file: path, line: error.context.lineNumber, column: error.context.columnNumber,
                                      detail: "\(error.error) in line: \(error.context.line)")
            } catch {
                throw .templateSyntax(file: path, line: 0, column: 0, detail: "\(error)")
            }
            texts[name] = text
        }
        for name in Self.required where templates[name] == nil {
            throw .missingTemplate(name: name, folder: folder)
        }
        for name in texts.keys.sorted() {
            for reference in Self.references(in: texts[name]!) where templates[reference] == nil {
                throw .missingPartial(name: reference, referencedFrom: folder + "/" + name + ".mustache")
            }
        }
        self.library = MustacheLibrary(templates: templates)
        self.names = templates.keys.sorted()
    }

    /// Renders `page` (a page-model struct, reflected once by `TemplateTree`) with the template `name`.
    func render(_ page: Any, template name: String) throws(SiteError) -> String {
        guard let text = library.render(TemplateTree.node(page), withTemplate: name) else {
            throw .missingTemplate(name: name, folder: "(loaded library)")
        }
        return text
    }

    /// Names used in `{{>name}}` and `{{<name}}` tags.
    static func references(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let first = rest.first, first == ">" || first == "<" else { continue }
            guard let close = rest.range(of: "}}") else { break }
            let name = rest[rest.index(after: rest.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty { names.append(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }
}
