import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a rendered site to disk atomically: everything goes into a fresh folder beside the
/// target (`.<name>.tmp-<uuid>` in the same parent, so renames stay on one file system), and
/// only when every file is written is it swapped in. On Linux the swap is one
/// `renameat2(RENAME_EXCHANGE)`, so at every instant the target is either the complete old site
/// or the complete new one, even if the process is killed; elsewhere (or on a file system
/// without exchange) the old site is renamed aside and the new one renamed in. Any failure
/// removes the temporary folder and leaves the previous site exactly as it was. A process
/// killed mid-write leaves at most a hidden `.<name>.tmp-*` folder beside the site, which the
/// next write removes (one writer per target at a time).
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
        let fileManager = FileManager.default
        let target = target.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        for path in files.keys.sorted() where !isPlainRelativePath(path) {
            throw .invalidPath(path)
        }
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: parent.path, detail: "cannot create parent folder: \(error.localizedDescription)")
        }
        removeLeftovers(of: name, in: parent)

        let staging = parent.appendingPathComponent(".\(name).tmp-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
            let paths = files.keys.sorted()
            for (index, path) in paths.enumerated() {
                if index == paths.count / 2 { try interrupt(.halfWritten) }
                let url = staging.appendingPathComponent(path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try files[path]!.write(to: url)
            }
            try interrupt(.beforeSwap)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw .writeFailed(path: target.path, detail: error.localizedDescription)
        }
        try swap(staging, into: target)
    }

    /// Writes one file (the single-file report) atomically: a temporary file, then a rename.
    public static func write(file data: Data, to target: URL) throws(SiteError) {
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target, options: .atomic)
        } catch {
            throw .writeFailed(path: target.path, detail: error.localizedDescription)
        }
    }

    /// Puts the finished `staging` folder at `target`.
    static func swap(_ staging: URL, into target: URL) throws(SiteError) {
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: target.path) else {
            do {
                try fileManager.moveItem(at: staging, to: target)
            } catch {
                try? fileManager.removeItem(at: staging)
                throw .writeFailed(path: target.path, detail: "cannot move the new site in: \(error.localizedDescription)")
            }
            return
        }
        if exchange(staging, target) {
            try? fileManager.removeItem(at: staging) // now holds the old site
            return
        }
        let retired = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString)")
        do {
            try fileManager.moveItem(at: target, to: retired)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw .writeFailed(path: target.path, detail: "cannot move the old site aside: \(error.localizedDescription)")
        }
        do {
            try fileManager.moveItem(at: staging, to: target)
        } catch {
            try? fileManager.moveItem(at: retired, to: target)
            try? fileManager.removeItem(at: staging)
            throw .writeFailed(path: target.path, detail: "cannot move the new site in: \(error.localizedDescription)")
        }
        try? fileManager.removeItem(at: retired)
    }

    /// Atomically exchanges two paths (Linux `renameat2` with `RENAME_EXCHANGE`, looked up at
    /// run time because not every C library declares it). False when unavailable or refused.
    static func exchange(_ a: URL, _ b: URL) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let atCurrentDirectory: Int32 = -100, renameExchange: UInt32 = 2
        return renameat2(atCurrentDirectory, a.path, atCurrentDirectory, b.path, renameExchange) == 0
        #else
        return false
        #endif
    }

    /// Removes `.<name>.tmp-*` and `.<name>.old-*` beside the target: what a killed write leaves.
    static func removeLeftovers(of name: String, in parent: URL) {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries where entry.hasPrefix(".\(name).tmp-") || entry.hasPrefix(".\(name).old-") {
            try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))
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
