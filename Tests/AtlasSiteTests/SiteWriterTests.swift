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

/// `ATLAS_SITE_SAMPLE=/some/dir swift test --filter writeSampleSite` writes the sample site for
/// looking at it in a browser; skipped otherwise.
@Test(.enabled(if: ProcessInfo.processInfo.environment["ATLAS_SITE_SAMPLE"] != nil))
func writeSampleSite() throws {
    let target = URL(fileURLWithPath: ProcessInfo.processInfo.environment["ATLAS_SITE_SAMPLE"]!)
    var wide = SampleResults.result(label: "Wide 576-channel model", layers: 30, channels: 576)
    wide.massiveActivations = Array(wide.massiveActivations.prefix(3))
    let files = try SiteRenderer().render(results: SampleResults.ordinary + SampleResults.hostile + [wide],
                                          templates: SampleResults.templates, assets: SampleResults.assets)
    try SiteWriter.write(files: files, to: target)
}
