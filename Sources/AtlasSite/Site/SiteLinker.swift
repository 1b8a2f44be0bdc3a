import Foundation

/// How the site is published: a folder of pages, or one self-contained HTML file.
public enum SiteMode: Sendable, Equatable {
    /// `index.html`, `models/…`, `images/…`, `data/…`, `assets/…`, linked by relative URLs only,
    /// so the folder works from `file://` and under any sub-path of a web server.
    case multiFile
    /// One HTML document: every page becomes a `<section>` with an id, links become fragment
    /// links to those sections, images and downloads become `data:` URIs, CSS and the table
    /// sorter are inlined.
    case singleFile
}

/// Turns site paths into the URLs a page writes, for one `SiteMode`. Pure.
///
/// Site paths are plain relative paths from the site root (`models/<slug>/index.html`). In a
/// folder site a page at depth d refers to one by prefixing d × `../`; no URL ever starts with
/// `/` or a scheme. In a single file a page path becomes the id `page_<path with / as _>`
/// (slugs use only `[a-z0-9-]`, so `_` cannot collide), and ids inside a page are prefixed with
/// that id so sections never share one.
struct SiteLinker: Sendable {
    let mode: SiteMode

    /// The URL from the page at `page` to the site path `target` (optionally a fragment in it).
    func href(to target: String, fragment: String? = nil, from page: String) -> String {
        switch mode {
        case .multiFile:
            return Self.relative(to: target, from: page) + (fragment.map { "#" + $0 } ?? "")
        case .singleFile:
            return "#" + Self.anchor(for: target) + (fragment.map { "__" + $0 } ?? "")
        }
    }

    /// The URL of a file that is not a page (image, CSV, JSON): a relative path, or in a single
    /// file a `data:` URI of its bytes.
    func fileHref(to target: String, data: Data, mediaType: String, from page: String) -> String {
        switch mode {
        case .multiFile: Self.relative(to: target, from: page)
        case .singleFile: "data:\(mediaType);base64," + data.base64EncodedString()
        }
    }

    /// What the page's own element ids start with: "" in a folder site, `<anchor>__` in a file.
    func idPrefix(for page: String) -> String {
        mode == .multiFile ? "" : Self.anchor(for: page) + "__"
    }

    /// `page_models_x_index` for `models/x/index.html`.
    static func anchor(for path: String) -> String {
        let bare = path.hasSuffix(".html") ? String(path.dropLast(5)) : path
        return "page_" + bare.replacingOccurrences(of: "/", with: "_")
    }

    /// `target` as seen from `page`: one `../` per folder `page` is in, then `target`.
    static func relative(to target: String, from page: String) -> String {
        let depth = page.split(separator: "/").count - 1
        return String(repeating: "../", count: max(0, depth)) + target
    }

    /// Media type by file extension, for data URIs.
    static func mediaType(of path: String) -> String {
        switch path.split(separator: ".").last {
        case "png": "image/png"
        case "csv": "text/csv;charset=utf-8"
        case "json": "application/json"
        case "css": "text/css"
        case "js": "text/javascript"
        default: "application/octet-stream"
        }
    }
}
