import AtlasModels
import AtlasTestSupport
import Foundation
import Testing

@Suite struct FileHashTests {
    @Test func knownVectors() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let abc = try writeTemp(Data("abc".utf8), name: "abc", in: dir)
        #expect(try FileHash.sha256(url: abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let empty = try writeTemp(Data(), name: "empty", in: dir)
        #expect(try FileHash.sha256(url: empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        expectFormatError(dir.appendingPathComponent("missing"), field: "file") {
            _ = try FileHash.sha256(url: dir.appendingPathComponent("missing"))
        }
    }

    /// A file spanning several 1 MiB chunks, against the sha256sum tool.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum")))
    func matchesSha256sum() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = (0..<(3 << 20) + 12345).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
        let url = try writeTemp(Data(bytes), name: "big.bin", in: dir)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = [url.path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let expected = String(out.prefix(64))
        #expect(expected.count == 64)
        #expect(try FileHash.sha256(url: url) == expected)
    }
}
