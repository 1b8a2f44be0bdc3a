import Foundation
import AtlasResults

/// A page of the site that exists once (index, methods, downloads). Register it in
/// `SiteRenderer.sitePages`; that one line is all a new page needs besides its builder file and
/// its template.
protocol SitePage: Sendable {
    /// Templates the page renders with (checked when the templates are loaded).
    var templates: [String] { get }
    /// Whether the page comes before the model pages in the single file (default: after).
    var precedesModels: Bool { get }
    /// Renders the page (and any files it links to) into `output`.
    func render(in context: SiteContext, into output: inout SiteOutput) throws(SiteError)
}

extension SitePage {
    var precedesModels: Bool { false }
}

/// A page each model may have, at `models/<slug>/<name>.html`. Register it in
/// `SiteRenderer.modelPages` (one line); it then also appears in every model's page navigation,
/// in registration order, for the models it `applies(to:)`.
protocol ModelSitePage: Sendable {
    /// File name without `.html` under `models/<slug>/` (`index` is the model's overview).
    var name: String { get }
    /// Its label in the model navigation.
    var title: String { get }
    /// Templates the page renders with (checked when the templates are loaded).
    var templates: [String] { get }
    /// Whether `model` has this page (e.g. only results that carry `anatomy`).
    func applies(to model: SiteModel) -> Bool
    /// Renders the page for `model` (and any images or downloads it links to) into `output`.
    func render(_ model: SiteModel, in context: SiteContext, into output: inout SiteOutput) throws(SiteError)
}

/// A rendered HTML page: its site path, title, the page model it was rendered from (kept so
/// tests can check every template variable against it) and the HTML.
struct RenderedPage {
    var path: String
    var title: String
    var model: Any
    var html: String
}

/// What the pages produce: HTML pages in render order, and every other file (images, data,
/// assets) by site path. A path may be added twice only with identical bytes (shared images).
struct SiteOutput {
    private(set) var pages: [RenderedPage] = []
    private(set) var files: [String: Data] = [:]

    mutating func add(page: RenderedPage) throws(SiteError) {
        guard files[page.path] == nil, !pages.contains(where: { $0.path == page.path }) else {
            throw .conflictingFile(page.path)
        }
        pages.append(page)
    }

    /// Adds every page and file of `other`, in its order.
    mutating func merge(_ other: SiteOutput) throws(SiteError) {
        for page in other.pages { try add(page: page) }
        for path in other.files.keys.sorted() { try add(file: path, data: other.files[path]!) }
    }

    mutating func add(file path: String, data: Data) throws(SiteError) {
        if let existing = files[path] {
            guard existing == data else { throw .conflictingFile(path) }
            return
        }
        guard !pages.contains(where: { $0.path == path }) else { throw .conflictingFile(path) }
        files[path] = data
    }
}

/// Results of work items run concurrently, one slot per index, read back in index order.
/// `@unchecked Sendable`: every slot is written once, under the lock.
final class ParallelResults<Value>: @unchecked Sendable {
    private var slots: [Result<Value, SiteError>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ work: () throws(SiteError) -> Value) {
        let result: Result<Value, SiteError>
        do { result = .success(try work()) } catch { result = .failure(error) }
        lock.withLock { slots[index] = result }
    }

    /// The values in index order; the first failure (by index) is thrown.
    func values() throws(SiteError) -> [Value] {
        try lock.withLock { slots }.map { slot throws(SiteError) -> Value in try slot!.get() }
    }
}
