import Foundation

/// Writes an export all-or-nothing: the body fills a hidden temporary sibling of the target
/// (same folder, so the final rename stays on one file system), which is renamed into place only
/// when the body succeeds; on failure the temporary is removed and the target is untouched.
/// An existing target is refused unless it is an empty folder or `force` is given.
public enum AtomicOutput {
    /// Checks that `target` may be written (before any work is done).
    public static func check(_ target: URL, force: Bool) throws {
        let fm = FileManager.default
        let parent = target.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FormatError(file: target.path, field: "output folder", found: "no folder \(parent.path)",
                              expected: "an existing folder to write into")
        }
        guard !force, fm.fileExists(atPath: target.path, isDirectory: &isDirectory) else { return }
        let contents = isDirectory.boolValue ? ((try? fm.contentsOfDirectory(atPath: target.path)) ?? []) : ["(file)"]
        guard contents.isEmpty else {
            throw FormatError(file: target.path, field: "output path",
                              found: isDirectory.boolValue ? "a folder with \(contents.count) entries" : "an existing file",
                              expected: "a new path or an empty folder (pass --force to replace it)")
        }
    }

    /// Runs `body` with a temporary URL beside `target` (a folder is created first when
    /// `directory`), then moves the result into place, replacing what was there.
    public static func write(_ target: URL, force: Bool, directory: Bool, _ body: (URL) throws -> Void) throws {
        try check(target, force: force)
        let fm = FileManager.default
        let temp = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial-\(UUID().uuidString)")
        do {
            if directory { try fm.createDirectory(at: temp, withIntermediateDirectories: false) }
            try body(temp)
            if fm.fileExists(atPath: target.path) {
                // Forced (or an empty folder): move the old one aside, then drop it.
                let old = temp.appendingPathExtension("old")
                try fm.moveItem(at: target, to: old)
                try fm.moveItem(at: temp, to: target)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: temp, to: target)
            }
        } catch {
            try? fm.removeItem(at: temp)
            guard error is CocoaError else { throw error }
            throw FormatError(file: target.path, field: "output", found: "\(error.localizedDescription)", expected: "a writable location")
        }
    }
}
