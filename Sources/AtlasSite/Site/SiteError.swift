import Foundation

/// Why a site could not be rendered or written. Each case names the file or template involved.
public enum SiteError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The templates folder does not exist or cannot be listed.
    case templatesFolderUnreadable(path: String, detail: String)
    /// A template the site needs is not in the templates folder.
    case missingTemplate(name: String, folder: String)
    /// A `{{>partial}}` or `{{<parent}}` names a template that does not exist.
    case missingPartial(name: String, referencedFrom: String)
    /// A template does not parse.
    case templateSyntax(file: String, line: Int, column: Int, detail: String)
    /// A template uses a construct we forbid (unescaped output, content-type switch).
    case forbiddenConstruct(file: String, construct: String)
    /// An asset (e.g. style.css) cannot be read.
    case assetUnreadable(path: String, detail: String)
    /// A chart could not be encoded.
    case chart(name: String, detail: String)
    /// A site file path is not a plain relative path.
    case invalidPath(String)
    /// Writing the site failed; the previous site (if any) is untouched.
    case writeFailed(path: String, detail: String)
    /// Two pages or files claim the same site path with different contents.
    case conflictingFile(String)
    /// A download could not be encoded.
    case encoding(name: String, detail: String)
    /// An asset inlined into the single file contains a character the template engine would
    /// escape (which would corrupt CSS or JavaScript inside `<style>`/`<script>`).
    case unsafeInlineAsset(path: String, found: String, expected: String)

    public var description: String {
        switch self {
        case let .templatesFolderUnreadable(path, detail): "templates folder \(path): \(detail)"
        case let .missingTemplate(name, folder): "template '\(name).mustache' not found in \(folder)"
        case let .missingPartial(name, from): "\(from): refers to template '\(name)', which does not exist"
        case let .templateSyntax(file, line, column, detail): "\(file):\(line):\(column): template syntax error: \(detail)"
        case let .forbiddenConstruct(file, construct): "\(file): '\(construct)' is not allowed (output must stay escaped)"
        case let .assetUnreadable(path, detail): "asset \(path): \(detail)"
        case let .chart(name, detail): "chart \(name): \(detail)"
        case let .invalidPath(path): "site path '\(path)' is not a plain relative path"
        case let .writeFailed(path, detail): "writing site \(path) failed: \(detail); the previous site is unchanged"
        case let .conflictingFile(path): "site path '\(path)' is produced twice with different contents"
        case let .encoding(name, detail): "\(name): cannot be encoded: \(detail)"
        case let .unsafeInlineAsset(path, found, expected): "asset \(path): found \(found), expected \(expected)"
        }
    }
}
