import CLibXML2
import Foundation

/// One message from libxml2's HTML parser.
public struct HTMLDiagnostic: Sendable, Equatable, CustomStringConvertible {
    /// libxml2 error code (`xmlParserErrors`), e.g. 801 = unknown tag, 76 = mismatched tag.
    public var code: Int
    public var line: Int
    public var message: String
    /// For code 801, the tag name libxml2 did not know.
    public var tag: String?

    public var description: String { "line \(line): [\(code)] \(message)" }
}

/// A parsed HTML page (libxml2 document) with XPath helpers. Parse with `HTMLChecker.parse`.
/// Not Sendable: use it on the thread that parsed it.
public final class HTMLDocument {
    let document: htmlDocPtr
    /// Every diagnostic the parser reported.
    public let diagnostics: [HTMLDiagnostic]

    init(document: htmlDocPtr, diagnostics: [HTMLDiagnostic]) {
        self.document = document
        self.diagnostics = diagnostics
    }

    deinit { xmlFreeDoc(document) }

    /// Diagnostics other than "unknown tag" (801) for an HTML5 element name: a page is clean
    /// when this is empty.
    public var problems: [HTMLDiagnostic] {
        diagnostics.filter { !($0.code == 801 && HTMLChecker.html5Tags.contains($0.tag ?? "")) }
    }

    /// The string values of the nodes `xpath` selects (attribute values, text content).
    public func strings(_ xpath: String) -> [String] {
        evaluate(xpath) { result in
            guard let nodes = result.pointee.nodesetval else { return [] }
            return (0..<Int(nodes.pointee.nodeNr)).map { index in
                guard let node = nodes.pointee.nodeTab[index], let content = xmlNodeGetContent(node) else { return "" }
                defer { atlas_xml_free(content) }
                return String(cString: content)
            }
        } ?? []
    }

    /// The number of nodes `xpath` selects.
    public func count(_ xpath: String) -> Int {
        evaluate(xpath) { result in
            result.pointee.nodesetval.map { Int($0.pointee.nodeNr) } ?? 0
        } ?? 0
    }

    /// Names of the nodes `xpath` selects (e.g. attribute names).
    public func names(_ xpath: String) -> [String] {
        evaluate(xpath) { result in
            guard let nodes = result.pointee.nodesetval else { return [] }
            return (0..<Int(nodes.pointee.nodeNr)).compactMap { index in
                nodes.pointee.nodeTab[index]?.pointee.name.map { String(cString: $0) }
            }
        } ?? []
    }

    public var linkTargets: [String] { strings("//a/@href") }
    public var imageSources: [String] { strings("//img/@src") }
    public var stylesheetLinks: [String] { strings("//link/@href") }
    public var scriptCount: Int { count("//script") }
    /// Every attribute whose name starts with "on" (event handlers), anywhere.
    public var eventHandlerAttributes: [String] { names("//@*[starts-with(translate(name(), 'ON', 'on'), 'on')]") }
    /// Text content of the nodes `xpath` selects (alias of `strings`, reads better for elements).
    public func text(_ xpath: String) -> [String] { strings(xpath) }

    private func evaluate<T>(_ xpath: String, _ body: (xmlXPathObjectPtr) -> T) -> T? {
        guard let context = xmlXPathNewContext(document) else { return nil }
        defer { xmlXPathFreeContext(context) }
        guard let result = xmlXPathEvalExpression(xpath, context) else { return nil }
        defer { xmlXPathFreeObject(result) }
        return body(result)
    }
}

/// Parses HTML with libxml2 for tests: diagnostics are collected (not printed) through a
/// structured error handler that is installed for the duration of one synchronous parse.
/// libxml2 keeps that handler per thread, so concurrent tests do not see each other's errors.
public enum HTMLChecker {
    /// HTML5 elements libxml2's HTML4 parser reports as unknown (error 801) although they are valid.
    public static let html5Tags: Set<String> = [
        "article", "aside", "audio", "bdi", "canvas", "data", "datalist", "details", "dialog",
        "figcaption", "figure", "footer", "header", "main", "mark", "meter", "nav", "output",
        "picture", "progress", "rp", "rt", "ruby", "search", "section", "source", "summary",
        "svg", "template", "time", "track", "video", "wbr",
    ]

    private final class Collector {
        var diagnostics: [HTMLDiagnostic] = []
    }

    public static func parse(_ data: Data, url: String = "page.html") -> HTMLDocument? {
        let collector = Collector()
        let unmanaged = Unmanaged.passRetained(collector)
        defer { unmanaged.release() }
        xmlSetStructuredErrorFunc(unmanaged.toOpaque()) { userData, error in
            guard let userData, let error else { return }
            let collector = Unmanaged<Collector>.fromOpaque(userData).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) }?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            var tag: String? = error.pointee.str1.map { String(cString: $0) }
            if error.pointee.code == 801, tag == nil,
               let range = message.range(of: #"Tag (\S+) invalid"#, options: .regularExpression) {
                tag = String(message[range].dropFirst(4).dropLast(8))
            }
            collector.diagnostics.append(HTMLDiagnostic(code: Int(error.pointee.code), line: Int(error.pointee.line),
                                                        message: message, tag: tag))
        }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        let document = data.withUnsafeBytes { buffer in
            htmlReadMemory(buffer.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(buffer.count), url, "UTF-8", options)
        }
        guard let document else { return nil }
        return HTMLDocument(document: document, diagnostics: collector.diagnostics)
    }
}
