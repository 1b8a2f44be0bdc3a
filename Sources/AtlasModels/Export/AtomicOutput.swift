import AtlasResults
import Foundation

/// Writes an export all-or-nothing through `AtomicFile.replace`: on failure the target is
/// untouched. An existing target is refused unless it is an empty folder or `force` is given.
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

    /// Runs `body` with a staging path beside `target` (a folder is created first when
    /// `directory`), then puts the result in place (`AtomicFile.replace`).
    public static func write(_ target: URL, force: Bool, directory: Bool, _ body: (URL) throws -> Void) throws {
        try check(target, force: force)
        do {
            try AtomicFile.replace(target, directory: directory, body)
        } catch let error as AtomicWriteError {
            throw FormatError(file: error.path, field: "output", found: error.detail, expected: "a writable location")
        } catch let error as CocoaError {
            throw FormatError(file: target.path, field: "output", found: "\(error.localizedDescription)", expected: "a writable location")
        }
    }
}
