import AtlasResults
@testable import AtlasSite
import AtlasTestSupport
import Foundation
import Testing

@Suite struct SiteWriterTests {
    func contents(of folder: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue {
                result[path] = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            }
        }
        return result
    }

    /// Every file under `folder` by relative path, as bytes.
    func bytes(of folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: folder.path))
        for case let path as String in enumerator {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isDirectory)
            if !isDirectory.boolValue { result[path] = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) }
        }
        return result
    }

    func siblings(of target: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path).sorted()
    }

    @Test func writesANewSite() throws {
        let target = try Fixtures.temporaryDirectory().appendingPathComponent("site")
        try SiteWriter.write(files: ["index.html": Data("a".utf8), "models/m.html": Data("m".utf8)], to: target)
        #expect(try contents(of: target) == ["index.html": "a", "models/m.html": "m"])
        #expect(try siblings(of: target) == ["site"])
    }

    @Test func replacesAnExistingSiteCompletely() throws {
        let target = try Fixtures.temporaryDirectory().appendingPathComponent("site")
        try SiteWriter.write(files: ["index.html": Data("old".utf8), "stale.html": Data("s".utf8)], to: target)
        try SiteWriter.write(files: ["index.html": Data("new".utf8), "images/a.png": Data("p".utf8)], to: target)
        #expect(try contents(of: target) == ["index.html": "new", "images/a.png": "p"])
        #expect(try siblings(of: target) == ["site"])
    }

    @Test func aFailureMidWriteKeepsThePreviousSiteAndLeavesNoTemporaryFolder() throws {
        let target = try Fixtures.temporaryDirectory().appendingPathComponent("site")
        try SiteWriter.write(files: ["index.html": Data("old".utf8)], to: target)
        // "a" is written as a file first, then "a/b" needs "a" to be a folder: creation fails
        // after some files are already in the temporary folder.
        let failing = ["index.html": Data("new".utf8), "a": Data("file".utf8), "a/b": Data("x".utf8)]
        #expect(throws: SiteError.self) { try SiteWriter.write(files: failing, to: target) }
        #expect(try contents(of: target) == ["index.html": "old"])
        #expect(try siblings(of: target) == ["site"])
    }

    @Test func pathsThatEscapeTheSiteAreRejectedBeforeWriting() throws {
        let target = try Fixtures.temporaryDirectory().appendingPathComponent("site")
        for bad in ["../evil.html", "/etc/x", "a//b", "./x", "", "a\\b"] {
            #expect(throws: SiteError.invalidPath(bad)) { try SiteWriter.write(files: [bad: Data()], to: target) }
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
        #expect(try siblings(of: target).isEmpty)
    }

    /// A failure injected at each stage, including just before the swap, keeps the old site.
    @Test(arguments: SiteWriter.Stage.allCases)
    func aFailureAtAnyStageKeepsThePreviousSite(stage: SiteWriter.Stage) throws {
        struct Injected: Error {}
        let target = try Fixtures.temporaryDirectory().appendingPathComponent("site")
        try SiteWriter.write(files: ["index.html": Data("old".utf8), "models/a.html": Data("a".utf8)], to: target)
        let new = ["index.html": Data("new".utf8), "b.html": Data("b".utf8), "c.html": Data("c".utf8)]
        var reached: [SiteWriter.Stage] = []
        #expect(throws: SiteError.self) {
            try SiteWriter.write(files: new, to: target) { current in
                reached.append(current)
                if current == stage { throw Injected() }
            }
        }
        #expect(reached.last == stage)
        #expect(try contents(of: target) == ["index.html": "old", "models/a.html": "a"])
        #expect(try siblings(of: target) == ["site"])
    }

    /// A real `outlier-atlas render` killed with SIGKILL in the middle of writing (and again just
    /// before the swap) leaves the previous site intact; the next render cleans up and succeeds.
    @Test func aRenderKilledMidwayLeavesThePreviousSiteIntact() throws {
        let binary = try #require(Self.executable("outlier-atlas"), "build outlier-atlas first")
        let folder = try Fixtures.temporaryDirectory()
        let results = folder.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: results, withIntermediateDirectories: true)
        try ResultsCoding.encode(SampleResults.result(label: "first")).write(to: results.appendingPathComponent("a.json"))
        let site = folder.appendingPathComponent("site")
        #expect(try Self.run(binary, ["render", results.path, "--out", site.path]) == 0)
        let before = try bytes(of: site)
        #expect(before["models/first/index.html"] != nil)

        try ResultsCoding.encode(SampleResults.result(label: "second")).write(to: results.appendingPathComponent("b.json"))
        for stage in SiteWriter.Stage.allCases {
            let status = try Self.run(binary, ["render", results.path, "--out", site.path, "--kill-at", stage.rawValue])
            #expect(status == -Int32(SIGKILL), "\(stage)")
            #expect(try bytes(of: site) == before, "\(stage)")
            #expect(try siblings(of: site).contains { $0.hasPrefix(".site.tmp-") }, "the killed write left its staging folder")
        }
        #expect(try Self.run(binary, ["render", results.path, "--out", site.path]) == 0)
        #expect(try bytes(of: site)["models/second/index.html"] != nil)
        #expect(try siblings(of: site) == ["results", "site"])
    }

    /// Runs `binary` with `arguments` in the repository (for templates/ and assets/); returns the
    /// exit status, or minus the signal number when a signal ended it.
    static func run(_ binary: URL, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = AtlasSiteTestPaths.repoRoot
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    /// A product built beside this test bundle (`.build/<configuration>/<name>`).
    static func executable(_ name: String) -> URL? {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = bundle.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        for configuration in ["release", "debug"] {
            let candidate = AtlasSiteTestPaths.repoRoot.appendingPathComponent(".build/\(configuration)/\(name)")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    @Test func writesARenderedSite() throws {
        let target = try Fixtures.temporaryDirectory().appendingPathComponent("out/site")
        let files = try SiteRenderer().render(results: SampleResults.ordinary, templates: SampleResults.templates,
                                              assets: SampleResults.assets)
        try SiteWriter.write(files: files, to: target)
        for (path, data) in files {
            #expect(FileManager.default.contents(atPath: target.appendingPathComponent(path).path) == data, "\(path)")
        }
    }
}

/// The sample site (ordinary, hostile and wide results) written to disk is exactly what was
/// rendered: every file byte for byte, nothing else, plus the single-file page beside it.
/// `ATLAS_SITE_SAMPLE=/some/dir swift test --filter writeSampleSite` writes it there for looking
/// at in a browser; otherwise into a temporary directory.
@Test func writeSampleSite() throws {
    let target = ProcessInfo.processInfo.environment["ATLAS_SITE_SAMPLE"].map { URL(fileURLWithPath: $0) }
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("atlas-sample-\(UUID().uuidString)")
    var wide = SampleResults.result(label: "Wide 576-channel model", layers: 30, channels: 576)
    wide.massiveActivations = Array(wide.massiveActivations.prefix(3))
    let results = SampleResults.ordinary + SampleResults.hostile + [wide]
    let files = try SampleResults.site(results)
    try SiteWriter.write(files: files, to: target)
    let single = try SampleResults.singleFile(results)
    try SiteWriter.write(file: single, to: target.appendingPathExtension("html"))
    #expect(files["index.html"] != nil && files.count > results.count)
    for (path, data) in files {
        #expect(try Data(contentsOf: target.appendingPathComponent(path)) == data, "\(path)")
    }
    let written = FileManager.default.enumerator(at: target, includingPropertiesForKeys: [.isRegularFileKey])!
        .compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    #expect(written.count == files.count)
    #expect(try Data(contentsOf: target.appendingPathExtension("html")) == single)
}
