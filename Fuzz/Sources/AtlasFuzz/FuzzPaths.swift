import Foundation

/// Where the targets find the read-only inputs they build on (fixture weights, tokenizers,
/// templates): the repository (`$ATLAS_FUZZ_ROOT`, else two folders above this package) and the
/// shared fixtures beside it. Real models in `models/` are used when present.
enum FuzzPaths {
    static let repository: URL = {
        if let root = ProcessInfo.processInfo.environment["ATLAS_FUZZ_ROOT"] { return URL(fileURLWithPath: root) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent()   // FuzzSupport
            .deletingLastPathComponent().deletingLastPathComponent()           // Sources, Fuzz
            .deletingLastPathComponent()
    }()

    /// `../shared/fixtures` (the project's shared fixtures).
    static var sharedFixtures: URL {
        repository.deletingLastPathComponent().appendingPathComponent("shared/fixtures")
    }

    /// `Tests/Fixtures` of the repository.
    static var testFixtures: URL { repository.appendingPathComponent("Tests/Fixtures") }

    /// `models/<name>` when it exists.
    static func model(_ name: String) -> URL? {
        let url = repository.appendingPathComponent("models").appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Prints one line to stderr naming what a target set up (shown in the fuzz log).
    static func note(_ target: String, _ text: String) {
        FileHandle.standardError.write(Data("\(target): \(text)\n".utf8))
    }
}
