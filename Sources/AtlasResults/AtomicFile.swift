import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The one way the tool replaces a file or a folder: the new content is written into a hidden
/// sibling (`.<name>.tmp-<uuid>`, same parent, so the final rename stays on one file system) and
/// only when it is complete is it put in place. On Linux an existing target is swapped with one
/// `renameat2(RENAME_EXCHANGE)`, so at every instant the target is either the complete old
/// content or the complete new one, even if the process is killed; elsewhere (or on a file
/// system without exchange) the old one is renamed aside and the new one renamed in. Any
/// failure removes the sibling and leaves the target as it was. What a killed write leaves
/// (`.<name>.tmp-*`, `.<name>.old-*`) is removed by the next write of the same target.
public enum AtomicFile {
    /// Writes `data` to `url` (creating its folder).
    public static func write(_ data: Data, to url: URL) throws {
        try replace(url, directory: false) { try data.write(to: $0) }
    }

    /// Runs `fill` on a fresh staging path beside `target` (an empty folder when `directory`,
    /// else a path for `fill` to create a file at), then puts the staging path at `target`.
    public static func replace(_ target: URL, directory: Bool, _ fill: (URL) throws -> Void) throws {
        let fileManager = FileManager.default
        let target = target.standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let name = target.lastPathComponent
        do {
            try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw AtomicWriteError(path: parent.path, detail: "cannot create the folder: \(error.localizedDescription)")
        }
        removeLeftovers(of: name, in: parent)
        let staging = parent.appendingPathComponent(".\(name).tmp-\(UUID().uuidString)")
        do {
            if directory { try fileManager.createDirectory(at: staging, withIntermediateDirectories: false) }
            try fill(staging)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
        try swap(staging, into: target)
    }

    /// Puts the finished `staging` path at `target`.
    static func swap(_ staging: URL, into target: URL) throws {
        let fileManager = FileManager.default
        func fail(_ what: String, _ error: any Error) -> AtomicWriteError {
            AtomicWriteError(path: target.path, detail: "\(what): \(error.localizedDescription)")
        }
        guard fileManager.fileExists(atPath: target.path) else {
            do {
                try fileManager.moveItem(at: staging, to: target)
            } catch {
                try? fileManager.removeItem(at: staging)
                throw fail("cannot move the new content in", error)
            }
            return
        }
        if exchange(staging, target) {
            try? fileManager.removeItem(at: staging) // now holds the old content
            return
        }
        let retired = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).old-\(UUID().uuidString)")
        do {
            try fileManager.moveItem(at: target, to: retired)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw fail("cannot move the old content aside", error)
        }
        do {
            try fileManager.moveItem(at: staging, to: target)
        } catch {
            try? fileManager.moveItem(at: retired, to: target)
            try? fileManager.removeItem(at: staging)
            throw fail("cannot move the new content in", error)
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
}

/// A file or folder that could not be put in place.
public struct AtomicWriteError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var detail: String
    public var description: String { "\(path): \(detail)" }
}
