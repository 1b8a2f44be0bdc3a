import Foundation

/// Writes a rendered site to disk atomically: everything goes into a fresh folder beside the
/// target (`.<name>.tmp-<uuid>` in the same parent, so the renames stay on one file system), and
/// only when every file is written is it swapped in: the old site is renamed away, the new one
/// renamed into place, then the old one deleted. Any failure removes the temporary folder and
/// leaves the previous site exactly as it was.
public enum SiteWriter {
    public static func write(files: [String: Data], to target: URL) throws(SiteError) {
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

        let staging = parent.appendingPathComponent(".\(name).tmp-\(UUID().uuidString)")
        do {
            try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
            for path in files.keys.sorted() {
                let url = staging.appendingPathComponent(path)
                try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try files[path]!.write(to: url)
            }
        } catch {
            try? fileManager.removeItem(at: staging)
            throw .writeFailed(path: target.path, detail: error.localizedDescription)
        }

        let exists = fileManager.fileExists(atPath: target.path)
        let retired = parent.appendingPathComponent(".\(name).old-\(UUID().uuidString)")
        if exists {
            do {
                try fileManager.moveItem(at: target, to: retired)
            } catch {
                try? fileManager.removeItem(at: staging)
                throw .writeFailed(path: target.path, detail: "cannot move the old site aside: \(error.localizedDescription)")
            }
        }
        do {
            try fileManager.moveItem(at: staging, to: target)
        } catch {
            if exists { try? fileManager.moveItem(at: retired, to: target) }
            try? fileManager.removeItem(at: staging)
            throw .writeFailed(path: target.path, detail: "cannot move the new site in: \(error.localizedDescription)")
        }
        if exists { try? fileManager.removeItem(at: retired) }
    }

    /// Non-empty `/`-separated components, none of them empty, `.` or `..`, no leading `/`,
    /// no NUL or backslash.
    static func isPlainRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
