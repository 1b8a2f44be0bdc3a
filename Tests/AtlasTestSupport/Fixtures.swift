import Foundation

/// Locations of the shared reference fixtures and of the fetched real models, for tests.
public enum Fixtures {
    /// The repository root (this file is Tests/AtlasTestSupport/Fixtures.swift).
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the repository (read-only).
    public static let shared: URL = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// `../shared/fixtures/<path>`.
    public static func fixture(_ path: String) -> URL {
        shared.appendingPathComponent("fixtures").appendingPathComponent(path)
    }

    /// `Tests/Fixtures/<path>` in the repository: reference fixtures made by scripts/reference/
    /// (families and tokenizer layouts ../shared/fixtures does not cover).
    public static func repoFixture(_ path: String) -> URL {
        repoRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(path)
    }

    /// `models/<path>` in the repository (filled by scripts/fetch-models).
    public static func model(_ path: String) -> URL {
        repoRoot.appendingPathComponent("models").appendingPathComponent(path)
    }

    /// The real SmolLM2 GGUF, fetched by `scripts/fetch-models`.
    public static var smolLM2: URL { model("SmolLM2-135M-Instruct.Q4_1.gguf") }

    /// The real Gemma-3-270m Q4_K_M GGUF (SentencePiece vocabulary), fetched by `scripts/fetch-models`.
    public static var gemma3: URL { model("gemma-3-270m-q4_k_m.gguf") }

    /// The real all-MiniLM-L6-v2 folder, fetched by `scripts/fetch-models`.
    public static var miniLM: URL { model("all-MiniLM-L6-v2") }

    /// WikiText-2 raw test split.
    public static var wikiTextTest: URL { shared.appendingPathComponent("data/wikitext-2-raw/wiki.test.raw") }

    /// A fresh, empty temporary directory.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("atlas-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
