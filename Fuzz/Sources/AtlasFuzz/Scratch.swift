import Foundation

/// Files for the parsers that only read from a path (memory maps, model folders): written to a
/// per-process folder on tmpfs (`/dev/shm`, else the temporary folder), removed at exit.
enum Scratch {
    /// The process's scratch folder, created on first use.
    static let folder: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let url = URL(fileURLWithPath: base).appendingPathComponent("outlier-atlas-fuzz-\(getpid())")
        try? FileManager.default.removeItem(at: url)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.folder) }
        return url
    }()

    /// Writes `bytes` to `name` inside the scratch folder (sub-folders created) and returns its URL.
    @discardableResult
    static func write(_ bytes: UnsafeRawBufferPointer, to name: String) -> URL {
        write(Data(bytes), to: name)
    }

    @discardableResult
    static func write(_ data: Data, to name: String) -> URL {
        let url = folder.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! data.write(to: url)
        return url
    }

    /// A sub-folder whose files are symbolic links to those of `source` (read-only inputs shared
    /// by every run), except `excluding`, which the target writes itself.
    static func linkedFolder(_ name: String, to source: URL, excluding: Set<String>) -> URL {
        let url = folder.appendingPathComponent(name)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for file in (try? FileManager.default.contentsOfDirectory(atPath: source.path)) ?? [] where !excluding.contains(file) {
            try? FileManager.default.createSymbolicLink(at: url.appendingPathComponent(file),
                                                        withDestinationURL: source.appendingPathComponent(file))
        }
        return url
    }
}
