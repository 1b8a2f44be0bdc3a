import AtlasResults
import Foundation

/// Writes a rendered site to disk through `AtomicFile.replace`: every file goes into a fresh
/// hidden folder beside the target, which is swapped in only when complete, so the target is
/// always either the complete old site or the complete new one. Paths are checked first (plain
/// relative paths only).
public enum SiteWriter {
    /// Points of a write at which `interrupt` is called (fault injection for tests).
    public enum Stage: String, Sendable, CaseIterable {
        /// Half of the files are in the temporary folder.
        case halfWritten = "half-written"
        /// Every file is written; the swap is next.
        case beforeSwap = "before-swap"
    }

    public static func write(files: [String: Data], to target: URL) throws(SiteError) {
        try write(files: files, to: target, interrupt: { _ in })
    }

    /// As `write(files:to:)`, calling `interrupt` at each `Stage`; if it throws, the write fails
    /// there like any other failure.
    public static func write(files: [String: Data], to target: URL, interrupt: (Stage) throws -> Void) throws(SiteError) {
        for path in files.keys.sorted() where !isPlainRelativePath(path) {
            throw .invalidPath(path)
        }
        do {
            try AtomicFile.replace(target, directory: true) { staging in
                let paths = files.keys.sorted()
                for (index, path) in paths.enumerated() {
                    if index == paths.count / 2 { try interrupt(.halfWritten) }
                    let url = staging.appendingPathComponent(path)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try files[path]!.write(to: url)
                }
                try interrupt(.beforeSwap)
            }
        } catch let error as AtomicWriteError {
            throw .writeFailed(path: error.path, detail: error.detail)
        } catch {
            throw .writeFailed(path: target.path, detail: error.localizedDescription)
        }
    }

    /// Writes one file (the single-file report) atomically.
    public static func write(file data: Data, to target: URL) throws(SiteError) {
        do {
            try AtomicFile.write(data, to: target)
        } catch let error as AtomicWriteError {
            throw .writeFailed(path: error.path, detail: error.detail)
        } catch {
            throw .writeFailed(path: target.path, detail: error.localizedDescription)
        }
    }

    /// Non-empty `/`-separated components, none of them empty, `.` or `..`, no leading `/`,
    /// no NUL or backslash.
    static func isPlainRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
